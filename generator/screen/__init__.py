"""Screen applicants against the program's eligibility rules."""
