"""Build peer-mentoring program sites for clinical research professionals."""
