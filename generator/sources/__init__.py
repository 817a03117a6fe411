"""Sources read raw sheet tabs as text; nothing else in the package reads program data."""
