"""What the home and apply pages say about applying, in the tense of the build's day."""
from __future__ import annotations

import datetime as dt

from generator.render.site import application_status


def test_a_visitor_reads_what_is_true_on_their_day(circles):
    """The circles example: applications October 1 to November 15, 2021; the cohort ends
    September 30, 2022. A visitor in October 2022 is not told dates to apply by."""
    p = circles.program
    said = {day: application_status(p, dt.date.fromisoformat(day))
            for day in ("2021-09-01", "2021-10-01", "2021-11-15", "2021-11-16", "2022-09-30", "2022-10-01")}
    assert said["2021-09-01"] == (False, "Applications open on October 1, 2021 and close on November 15, 2021.")
    assert said["2021-10-01"] == said["2021-11-15"] == (True, "Applications are open now, until November 15, 2021.")
    assert said["2021-11-16"] == said["2022-09-30"] == (False, "Applications for this cohort closed on November 15, 2021.")
    assert said["2022-10-01"] == (False, "This cohort ended on September 30, 2022; the next call for applications "
                                         "will be announced on this site.")
