"""Program and form definitions, validated once at load."""
