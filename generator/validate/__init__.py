"""Validate every response row against its form; bad rows become located DataIssues."""
