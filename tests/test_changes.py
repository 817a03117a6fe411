"""The change baseline's keys stay what earlier builds wrote (a changed key reads as a new response)."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from generator.changes import _second


@given(st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)) | st.datetimes(timezones=st.just(dt.timezone.utc)))
def test_a_response_time_is_written_as_strftime_wrote_it(moment):
    assert _second(moment) == f"{moment:%Y-%m-%d %H:%M:%S}"
