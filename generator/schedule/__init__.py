"""Schedules as data: meeting patterns, dated events, calendar sequences."""
