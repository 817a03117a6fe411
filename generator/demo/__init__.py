"""Deterministic, realistic demo cohorts for the examples, tests and benchmarks."""
