"""Render pages and staff reports from validated data; nothing here reads sources."""
