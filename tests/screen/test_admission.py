"""When places run out: preferred roles first, then application date; the rest wait in order,
and a withdrawal gives the next person waiting a place from that day on."""
from __future__ import annotations

import datetime as dt

from generator.config.program import Admission, Preference, cross_check
from generator.screen.eligibility import screen
from generator.validate.rows import validate_tab
from tests.helpers import application, table

CRC = "Clinical Research Coordinator"


def applicants(loaded, rows):
    form = loaded.forms["application"]
    result = validate_tab(form, "circles", "Applications", table(form, "circles", rows))
    assert result.issues == (), result.issues
    return result.records


def with_places(loaded, places, prefer=(Preference(field="role_family", values=(CRC, "Research Nurse")),)):
    return loaded.program.model_copy(update={"admission": Admission(places=places, prefer=prefer)})


def cohort(loaded):
    """Six applications in October: two data managers apply first, then coordinators and a nurse."""
    rows = [application(full_name=f"Dana {i}", email=f"dana{i}@ufhealth.example.edu", role_family="Data Manager",
                        submitted_at=f"10/0{1 + i}/2021 9:00:00") for i in range(2)]
    rows += [application(full_name=f"Cora {i}", email=f"cora{i}@ufhealth.example.edu", role_family=CRC,
                         submitted_at=f"10/1{i}/2021 9:00:00") for i in range(3)]
    rows += [application(full_name="Nell Nurse", email="nell@ufhealth.example.edu", role_family="Research Nurse",
                         submitted_at="10/20/2021 9:00:00")]
    rows += [application(full_name="Ian Ineligible", email="ian@ufhealth.example.edu", mandated_training_done="No",
                         submitted_at="10/02/2021 8:00:00")]
    return applicants(loaded, rows)


def by_email(screenings):
    return {s.email.split("@")[0]: s for s in screenings}


def test_preferred_roles_are_admitted_first_then_by_date_and_the_rest_wait_in_order(circles):
    s = by_email(screen(with_places(circles, 4), cohort(circles)))
    assert [k for k, v in s.items() if v.admitted] == ["cora0", "cora1", "cora2", "nell"]
    assert s["cora0"].admission == "admitted (preferred: role family Clinical Research Coordinator)"
    assert (s["dana0"].waitlist, s["dana1"].waitlist) == (1, 2)
    assert s["dana0"].admission == "waiting list, position 1 of 2 (4 places; by application date)"
    assert not s["ian"].admitted and s["ian"].waitlist is None and not s["ian"].eligible


def test_without_places_every_eligible_applicant_is_admitted(circles):
    s = by_email(screen(circles.program.model_copy(update={"admission": Admission()}), cohort(circles)))
    assert all(v.admitted == v.eligible for v in s.values()) and all(v.waitlist is None for v in s.values())


def test_a_withdrawal_gives_the_first_person_waiting_a_place_from_that_day(circles):
    left = {"cora1@ufhealth.example.edu": dt.date(2022, 3, 15)}
    s = by_email(screen(with_places(circles, 4), cohort(circles), left))
    assert s["dana0"].admitted and s["dana0"].joined == dt.date(2022, 3, 15)
    assert s["dana0"].admission.endswith("; joined 2022-03-15, when a place came free")
    assert s["dana1"].waitlist == 1 and s["dana1"].admission.startswith("waiting list, position 1 of 1")
    assert s["cora1"].admitted  # they took part until March: history keeps them


def test_leaving_the_waiting_list_moves_the_others_up(circles):
    s = by_email(screen(with_places(circles, 4), cohort(circles), {"dana0@ufhealth.example.edu": dt.date(2021, 12, 1)}))
    assert not s["dana0"].admitted and s["dana0"].waitlist is None
    assert s["dana1"].waitlist == 1


def test_the_eligibility_report_shows_the_waiting_list(built, circles):
    """The 49-person example with 40 places: nine wait, in order, on the page and in the CSV."""
    from generator.render.staff import eligibility_rows
    from generator.render.templating import render

    g = built["circles"].gathered
    program = with_places(circles, 40)
    left = {email: w.date for email, w in g.responses.records.withdrawal_of().items()}
    screenings = screen(program, g.responses.of("application"), left)
    rows = eligibility_rows(g.responses, screenings)
    waiting = [r for r in rows if r["status"] == "waiting list"]
    assert len(waiting) == sum(s.waitlist is not None for s in screenings) > 0
    positions = sorted(int(r["admission"].split("position ")[1].split(" ")[0]) for r in waiting)
    assert positions == list(range(1, len(waiting) + 1))
    assert sum(s.admitted and s.email not in left for s in screenings) == 40  # every freed place was given on
    page = render("staff/eligibility.html.j2", p=program, title="Eligibility", staff_nav=[], origin="test", built_at="",
                  rows=rows)
    assert "The program has 40 places" in page and "waiting list, position 1 of" in page


def test_preferences_are_checked_against_the_application_form(circles):
    program = with_places(circles, 10, (Preference(field="role_family", values=("Astronaut",)),
                                        Preference(field="favourite_colour", values=("Blue",))))
    problems = cross_check(program, circles.forms)
    assert "'admission.prefer[1]': value(s) ['Astronaut'] are not options of 'role_family'" in " ".join(problems)
    assert "'admission.prefer[2]': field 'favourite_colour' is not asked in the circles application" in problems
