"""Receive form submissions: validated exactly as the build validates rows, then appended to a tab."""
