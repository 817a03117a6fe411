"""Summarize evaluations anonymously: suppress small groups, scrub free text."""
