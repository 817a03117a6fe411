"""Form circles and rotating pairs: plain algorithms, checked inputs and results, reasons in words."""
