"""Each form takes answers in one window, the same for the site, the local receiver and Code.gs."""
from __future__ import annotations

import datetime as dt

from generator.render.forms import form_or_notice
from generator.schedule.windows import GRACE_DAYS, closed_reason, form_window


def test_the_application_is_open_through_its_last_day(circles):
    app, p = circles.forms["application"], circles.program
    assert closed_reason(p, app, dt.date(2021, 9, 30)) == "The application form opens on October 1, 2021."
    assert closed_reason(p, app, dt.date(2021, 10, 1)) is None
    assert closed_reason(p, app, dt.date(2021, 11, 15)) is None
    assert closed_reason(p, app, dt.date(2021, 11, 16)) == "The application form closed on November 15, 2021."


def test_participants_answer_from_the_announcement_to_a_month_after_the_end(pairs):
    p, checkin = pairs.program, pairs.forms["checkin"]
    window = form_window(p, checkin)
    assert window.opens == p.dates.match_announcement
    assert window.closes == max(p.dates.cohort_end, p.schedule.final_evaluation or p.dates.cohort_end) + dt.timedelta(days=GRACE_DAYS)


def test_supervisors_confirm_from_the_application_window_until_the_end(circles):
    window = form_window(circles.program, circles.forms["supervisor_support"])
    assert (window.opens, window.closes) == (circles.program.dates.application_open, circles.program.dates.cohort_end)


def test_no_receiver_or_a_closed_window_shows_what_to_do_instead(circles):
    p, app = circles.program, circles.forms["application"]
    open_day = dt.date(2021, 10, 20)
    assert "<form" in form_or_notice(p, app, "https://receiver.example.org/submit/application", open_day)
    unconnected = form_or_notice(p, app, None, open_day)
    assert "<form" not in unconnected and "Online submission is not connected" in unconnected
    assert "It takes answers from October 1, 2021 to November 15, 2021." in unconnected
    closed = form_or_notice(p, app, "https://receiver.example.org/submit/application", dt.date(2022, 1, 1))
    assert "<form" not in closed and "closed on November 15, 2021" in closed and p.contact.email in closed
