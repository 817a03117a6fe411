"""Property: every submission posted to the local receiver is accounted for after a build:
accepted with every answer intact, or refused with nothing written."""
from __future__ import annotations

import shutil
import urllib.error
import urllib.parse
import urllib.request

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.sources.workbook import read_workbook
from generator.validate.workbook import validate_workbook
from generator.receiver.local import LocalReceiver
from tests.conftest import APPLY_DAY
from tests.receivers.layouts import answers, expected

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
AWKWARD = st.sampled_from(["", " ", "=1+1", "@x", "-", "'", "3,5", "1,,2", "2021-02-30", "05/10/2021", "Yes", "no",
                           "x@y", "kim@ufhealth.example.edu", "\x00", "\u2028", "<b>", "99", "-1", "Jax", "Virtual only"])


def post(url: str, data: dict[str, list[str]]) -> int:
    body = urllib.parse.urlencode(data, doseq=True).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST"), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 400), st.sampled_from(["email", "job_title", "goals", "research_experience_years",
                                                               "employment_start", "campus", "plans_to_stay", "degrees"]),
                          st.one_of(TEXT, AWKWARD)), min_size=1, max_size=6))
def test_every_submission_is_accepted_intact_or_refused_with_nothing_written(circles, tmp_path_factory, edits):
    folder = tmp_path_factory.mktemp("data")
    shutil.copytree(circles.data_path, folder, dirs_exist_ok=True)
    form = circles.forms["application"]
    server = LocalReceiver(circles, folder, today=APPLY_DAY).serve()
    url = f"http://127.0.0.1:{server.server_address[1]}/submit/application"
    outcomes = []
    try:
        for n, field, value in edits:
            data = answers(form, "circles")
            data["email"] = [f"person{n}@ufhealth.example.edu"]
            data[field] = [value]
            before = (folder / "Applications.csv").read_bytes()
            status = post(url, data)
            after = (folder / "Applications.csv").read_bytes()
            outcomes.append((data, status))
            if status != 200:
                assert after == before  # refused: nothing written
    finally:
        server.shutdown()
    responses = validate_workbook(circles, read_workbook(folder, circles.tabs))
    accepted = {a["email"]: a for a in responses.of("application")}
    last_ok: dict[str, dict] = {}
    for data, status in outcomes:
        if status == 200:
            last_ok[data["email"][0].lower()] = data
    for email, data in last_ok.items():  # the latest accepted submission per person counts, intact
        got = {k: v for k, v in accepted[email].values.items() if k != "token"}
        assert got == expected(form, "circles", data)
