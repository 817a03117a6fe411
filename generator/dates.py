"""How dates read on every page, report and calendar."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=4096)  # a program has a few hundred distinct dates, each written thousands of times
def long_date(value: dt.date) -> str:
    """January 10, 2022: how dates are written on every page."""
    return f"{value:%B} {value.day}, {value.year}"
