"""Generate a realistic, seeded program workbook: the same seed gives the same files."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Callable

from faker import Faker

from generator.config.program import LoadedProgram
from generator.demo import vocabulary as vocab
from generator.schedule.events import program_events
from generator.sources.table import Table
from generator.sources.workbook import tab_path, write_table


_LEAD = "Mentor or facilitator"
#: How those who volunteered to lead answer some questions, where they differ from the others: they give
#: more time, and many already hold a certification, so the program prepares them less for one.
_LEADS_ANSWER = {"time_manageable": [2, 2, 3, 3, 4, 4, 4, 5], "certification_ready": [2, 2, 3, 3, 3, 4, 4, 5]}


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    role: str
    years: int
    department: str
    campus: str
    wants: str  # preferred_role answer
    supervisor_name: str
    supervisor_email: str


def _letter_sent(p: Person) -> bool:
    """About three in four circles applicants send the letter of support with their application (no draw
    from the random stream, so the rest of the data does not move)."""
    return sum(map(ord, p.email)) % 4 != 0


def _stamp(moment: dt.datetime) -> str:
    """Google Forms' Timestamp format (M/D/YYYY H:MM:SS)."""
    return f"{moment.month}/{moment.day}/{moment.year} {moment.hour}:{moment.minute:02d}:{moment.second:02d}"


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def _title(p: Person) -> str:
    """The job title that goes with the years: junior titles for the new, senior ones for the experienced."""
    titles, _, (lo, hi) = vocab.ROLES[p.role]
    step = (hi - lo + 1) / len(titles)
    return titles[min(len(titles) - 1, max(0, int((p.years - lo) / step)))]


def _tuesdays(start: dt.date, end: dt.date) -> list[dt.date]:
    """The 2nd and 4th Tuesday of every month between two dates: a circle's meeting days."""
    days, month = [], dt.date(start.year, start.month, 1)
    while month <= end:
        first = month + dt.timedelta(days=(1 - month.weekday()) % 7)
        days += [d for d in (first + dt.timedelta(days=7), first + dt.timedelta(days=21)) if start <= d <= end]
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return days


class _Names:
    """Faker's names, drawn as Faker draws them (the same weighted lists, its own random stream: the
    same names for the same seed) with each list's running weights summed once. Faker sums a
    thousand weights for every name it draws: 3.7 s of demo-data at 20,000 people."""

    def __init__(self, fake: Faker):
        provider = next(p for p in fake.providers if hasattr(p, "last_names"))
        self.random = fake.random
        self.lists = {kind: (tuple(weights), list(accumulate(weights.values())))
                      for kind, weights in (("female", provider.first_names_female), ("male", provider.first_names_male),
                                            ("first", provider.first_names), ("last", provider.last_names))}

    def __call__(self, kind: str) -> str:
        names, running = self.lists[kind]
        return self.random.choices(names, cum_weights=running)[0]


class DemoCohort:
    """Builds every tab of a demo workbook for one program from one seed."""

    def __init__(self, loaded: LoadedProgram, participants: int, seed: int, bad_rows: bool = True):
        self.loaded = loaded
        self.program = loaded.program
        self.n = participants
        self.rng = random.Random(seed)
        self.seed = seed
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.name = _Names(self.fake)
        self.bad_rows = bad_rows
        self.domain = "ufhealth.example.edu" if self.program.model == "circles" else "tuftsmedicine.example.org"
        self.withdrawn: dict[str, dt.date] = {}
        self.ineligible: set[str] = set()
        self.opted_out: dict[str, str] = {}  # person -> the last round they took part in (pairs)
        self.answered: set[tuple[str, str]] = set()  # (person, round) whose check-in they answered
        #: (person, round) they sit out, not having answered the check-in before it (pairs)
        self.sat_out: set[tuple[str, str]] = set()
        self._meetings: dict[str, list[tuple[dt.date, int]]] | None = None
        self.people = self._people()

    def builders(self) -> list[tuple[str, Callable[[], list[dict[str, str]]]]]:
        """Tab builders in dependency order: withdrawals shape later check-ins and evaluations."""
        return [("application", self.applications), ("withdrawal", self.withdrawals), ("checkin", self.checkins),
                ("midpoint", self.midpoint), ("final", self.final), ("meeting_log", self.meeting_log),
                ("module_progress", self.module_progress), ("focus_group", self.focus_group),
                ("supervisor_support", self.supervisor_support), ("matches", self.matches)]

    # -- people ---------------------------------------------------------------------------
    def _people(self) -> list[Person]:
        names: set[str] = set()
        people: list[Person] = []
        roles = list(vocab.ROLES)
        weights = [vocab.ROLES[r][1] for r in roles]
        campuses = self.program.campuses or ("Main campus",)
        total = self.n + max(1, self.n // 25)
        while len(people) < total:
            # The research coordination workforce is about four in five women.
            first = self.name("female") if self.rng.random() < 0.8 else self.name("male")
            last = self.name("last")
            name = f"{first} {last}"
            if name in names:
                continue
            names.add(name)
            role = self.rng.choices(roles, weights)[0]
            lo, hi = vocab.ROLES[role][2]
            # High turnover: about a third of the staff are new to research, whatever their role.
            years = self.rng.randint(0, 2) if self.rng.random() < 0.3 and role not in ("Director", "Manager or Supervisor") \
                else self.rng.randint(lo, hi)
            campus = self.rng.choices(list(campuses) + ["Remote"], [65, 30, 5][: len(campuses)] + [5])[0]
            lead_from = 8 if self.program.model == "circles" else 5
            wants = _LEAD if years >= lead_from and self.rng.random() < 0.55 else (
                "Either" if years >= 4 and self.rng.random() < 0.3 else "Mentee or member")
            sup_first, sup_last = self.name("first"), self.name("last")
            people.append(Person(
                name=name,
                email=f"{first}.{last}{len(people) + 1}@{self.domain}".lower().replace("'", ""),
                role=role, years=years, department=self.rng.choice(vocab.DEPARTMENTS), campus=campus,
                wants=wants, supervisor_name=f"{sup_first} {sup_last}",
                supervisor_email=f"{sup_first}.{sup_last}@{self.domain}".lower().replace("'", ""),
            ))
        return self._with_reporting_lines(self._enough_facilitators(people))

    def _enough_facilitators(self, people: list[Person]) -> list[Person]:
        """A circles cohort needs a facilitator volunteer per circle, with some to spare."""
        if self.program.circles is None:
            return people
        s = self.program.circles
        lead = _LEAD
        # Each campus with in-person circles needs its own facilitators, then enough overall.
        wanted = [(campus, count + 2) for campus, count in s.in_person.items()]
        wanted.append(("", (s.count or max(1, self.n // 7)) + 2))
        by_experience = sorted(range(len(people)), key=lambda i: (-people[i].years, i))
        for campus, needed in wanted:
            def counts(p: Person) -> bool:
                return p.wants == lead and p.years >= s.facilitator_min_years and (not campus or p.campus == campus)
            have = sum(counts(p) for p in people)
            for i in by_experience:
                if have >= needed:
                    break
                p = people[i]
                if not counts(p) and (not campus or p.campus == campus) and p.years >= s.facilitator_min_years:
                    people[i] = Person(**{**p.__dict__, "wants": lead})
                    have += 1
        return people

    def _with_reporting_lines(self, people: list[Person]) -> list[Person]:
        """Some applicants supervise other applicants: matching must keep them apart."""
        managers = [p for p in people if p.role in ("Manager or Supervisor", "Director")]
        manages = {p.email for p in managers}  # emails are unique; a set keeps this linear at 20,000
        out = []
        for p in people:
            if managers and p.email not in manages and self.rng.random() < 0.15:
                boss = self.rng.choice(managers)
                p = Person(**{**p.__dict__, "supervisor_name": boss.name, "supervisor_email": boss.email,
                              "department": boss.department})
            out.append(p)
        return out

    # -- tabs -----------------------------------------------------------------------------
    def _moment(self, start: dt.date, end: dt.date) -> dt.datetime:
        span = max((end - start).days, 1)
        day = start + dt.timedelta(days=self.rng.randrange(span))
        return dt.datetime(day.year, day.month, day.day, self.rng.randint(7, 20), self.rng.randint(0, 59), self.rng.randint(0, 59))

    def _paragraph(self, sentences: tuple[str, ...], count: int) -> str:
        return " ".join(self.rng.sample(sentences, min(count, len(sentences))))

    def application(self, p: Person, eligible: bool = True) -> dict[str, str]:
        d = self.program.dates
        months = self.rng.randint(7, 200) if eligible else self.rng.randint(1, 4)
        started = d.cohort_start - dt.timedelta(days=int(months * 30.5))
        mentorish = p.wants != "Mentee or member"
        row = {
            "submitted_at": _stamp(self._moment(d.application_open, d.application_close)),
            "full_name": p.name, "email": p.email, "employment_start": started.isoformat(),
            "mandated_training_done": _yes(eligible or self.rng.random() < 0.5),
            "human_subjects_research": "Yes",
            "certification_intent": self.rng.choice(["Within 12 months", "Within 12 months", "Within 2 years"]),
            "job_title": _title(p), "role_family": p.role,
            "department": p.department, "campus": p.campus,
            "attendance": "Virtual only" if p.campus == "Remote" or (self.rng.random() < 0.2 and not mentorish)
                          else "In person or virtual",
            "circle_preference": self.rng.choice(["No preference"] * 3 + ["In person on my campus", "Virtual", ""]),
            "degrees": ", ".join(vocab.DEGREES_BY_ROLE.get(p.role, (self.rng.choice(["Bachelor's degree", "Master's degree", "Associate degree"]),))),
            "field_of_study": self.rng.choice(vocab.FIELDS_BY_ROLE.get(p.role, vocab.FIELDS_OF_STUDY)),
            "primary_responsibilities": ", ".join(sorted(self.rng.sample(vocab.RESPONSIBILITIES, 3), key=vocab.RESPONSIBILITIES.index)),
            "research_experience_years": str(p.years),
            "other_experience": self.rng.choice(["", "Worked as a medical assistant before research.", "Several years in retail management.", "Hospital unit clerk."]),
            "statement_of_interest": self._paragraph(vocab.INTEREST_SENTENCES, self.rng.randint(2, 4)),
            "goals": self._paragraph(vocab.GOAL_SENTENCES, 2),
            "preferred_role": p.wants,
            "expertise_areas": ", ".join(self.rng.sample(vocab.TOPICS, 3)) if mentorish else "",
            "career_interests": ", ".join(self.rng.sample(vocab.TOPICS, 2)),
            "career_plans": self.rng.choice(["", "Move into study management within three years.", "Stay in coordination and specialize in oncology trials."]),
            "plans_to_stay": _yes(eligible or self.rng.random() < 0.5),
            "supervisor_name": p.supervisor_name, "supervisor_email": p.supervisor_email,
            "letter_of_support_sent": _yes(_letter_sent(p)),
            "accepts_expectations": "Yes",
            "consent_to_list": _yes(self.rng.random() < 0.7),
        }
        if eligible is False and self.program.model == "circles" and row["mandated_training_done"] == "Yes":
            row["mandated_training_done"] = "No"
        return row

    def applications(self) -> list[dict[str, str]]:
        rows = []
        ineligible = set(self.rng.sample(range(len(self.people)), len(self.people) - self.n))
        self.ineligible = {self.people[i].email for i in ineligible}
        for i, p in enumerate(self.people):
            rows.append(self.application(p, eligible=i not in ineligible))
        if self.bad_rows:
            rows.extend(self._bad_applications(rows))
        return rows

    def _bad_applications(self, rows: list[dict[str, str]]) -> list[dict[str, str]]:
        """The mistakes real forms collect: a resubmission, typos, an essay too long."""
        d = self.program.dates
        first = dict(rows[0])
        earlier = dict(first, submitted_at=_stamp(dt.datetime.combine(d.application_open, dt.time(8, 0))),
                       goals="(first draft) " + first["goals"])
        extra = [self.name("first") + " " + self.name("last") for _ in range(5)]
        base = self.application(self.people[1])
        bad = [
            earlier,
            dict(base, full_name=extra[0], email="maria at ufl", submitted_at=base["submitted_at"]),
            dict(base, full_name=extra[1], email=f"late.start@{self.domain}", employment_start="next spring"),
            dict(base, full_name=extra[2], email=f"long.essay@{self.domain}", statement_of_interest=" ".join(["research"] * 612)),
            dict(base, full_name=extra[3], email=f"no.title@{self.domain}", job_title=""),
            dict(base, full_name=extra[4], email=f"odd.answer@{self.domain}", role_family="Coordinator-ish"),
        ]
        return bad

    def active(self) -> list[Person]:
        return [p for p in self.people if p.email not in self.ineligible]

    def withdrawals(self) -> list[dict[str, str]]:
        d = self.program.dates
        people = self.active()
        leaving = self.rng.sample(people, min(5 if self.program.model == "circles" else 3, len(people) // 8 or 1))
        reasons = ["Scheduling conflict", "Left the institution", "Scheduling conflict", "Left the institution", "Workload"]
        rows: list[dict[str, str]] = []
        for p, reason in zip(leaving, reasons):
            when = self._moment(d.cohort_start + dt.timedelta(days=30), d.cohort_end - dt.timedelta(days=60))
            self.withdrawn[p.email] = when.date()
            rows.append({"submitted_at": _stamp(when), "email": p.email, "withdrawal_date": when.date().isoformat(),
                         "reason": reason, "details": ""})
        return rows

    def _periods(self) -> list[tuple[str, dt.date, dt.date]]:
        d = self.program.dates
        if d.quarters:
            return [(q.name, q.start, q.end) for q in d.quarters]
        length = (d.cohort_end - d.cohort_start) / 3
        return [(f"Q{i + 1}", d.cohort_start + length * i, d.cohort_start + length * (i + 1)) for i in range(3)]

    def _plan(self) -> dict[str, list[tuple[dt.date, int]]]:
        """Who met when: circles meet on the 2nd and 4th Tuesday; partners meet about three times a
        round. Each person attends and logs at their own rate, so some log nearly every meeting and
        a few fall away; in rotating pairs some opt out after a round (decided here, told at check-in),
        and someone who leaves a check-in unanswered sits the next round out, as the matcher has it
        (decided with the check-ins: the meetings planned for that round are drawn but not held, so
        the rest of the data does not move)."""
        if self._meetings is not None:
            return self._meetings
        d = self.program.dates
        self._meetings = {}
        periods = self._periods()
        for p in self.active():
            rate = self.rng.choice([0.95, 0.9, 0.85, 0.8, 0.75, 0.6, 0.4])
            stop = self.withdrawn.get(p.email, d.cohort_end)
            held: list[tuple[dt.date, int]] = []
            if self.program.model == "circles":
                for day in _tuesdays(d.cohort_start, stop):
                    if self.rng.random() < rate:
                        held.append((day, self.rng.choice([60, 60, 60, 45, 75])))
            else:
                for i, (name, start, end) in enumerate(periods):
                    if start > stop:
                        break
                    meetings = sum(self.rng.random() < rate for _ in range(4 if rate > 0.85 else 3))
                    days = sorted(self.rng.sample(range(max((min(end, stop) - start).days, 1)), meetings))
                    held += [(start + dt.timedelta(days=k), self.rng.choice([45, 60, 60, 90])) for k in days]
                    if i < len(periods) - 1 and self.rng.random() < (0.14 if rate < 0.7 else 0.05):
                        self.opted_out[p.email] = name
                        break
            self._meetings[p.email] = held
        return self._meetings

    def checkins(self) -> list[dict[str, str]]:
        rows = []
        plan = self._plan()
        comments = vocab.COMMENTS[(self.program.model, "checkin", "comments")]
        periods = self._periods()
        for index, (name, start, end) in enumerate(periods):
            for p in self.active():
                out_after = self.opted_out.get(p.email)
                if self.program.model == "rotating-pairs" and index and (p.email, periods[index - 1][0]) not in self.answered:
                    self.sat_out.add((p.email, name))  # (also someone who withdraws during it)
                if self.withdrawn.get(p.email, end) < end or (out_after and self._period_index(out_after) < index):
                    continue
                if self.rng.random() < 0.12:
                    continue  # did not answer this round's survey
                self.answered.add((p.email, name))
                matched = (p.email, name) not in self.sat_out
                held = sum(start <= day <= end for day, _ in plan[p.email]) if matched else 0
                satisfied = min(5, max(1, round(2.2 + 3 * held / max(1, held + 1) + self.rng.choice([-1, 0, 0, 1]))))
                when = self._moment(end - dt.timedelta(days=10), end + dt.timedelta(days=7))
                comment = self.rng.choice(("",) * 5 + comments)
                # Sitting the round out, they answer to come back: no match to rate or comment on.
                rows.append({"submitted_at": _stamp(when), "email": p.email, "quarter": name, "meetings_held": str(held),
                             "satisfaction": str(satisfied) if matched else "", "wants_to_continue": _yes(out_after != name),
                             "comments": comment if matched else ""})
        return rows

    def _period_of(self, day: dt.date) -> str:
        return next((name for name, start, end in self._periods() if start <= day <= end), "")

    def _period_index(self, name: str) -> int:
        return [n for n, _, _ in self._periods()].index(name)

    def _evaluation(self, form: str, when: dt.date, items: tuple[str, ...], share: float) -> list[dict[str, str]]:
        rows = []
        valuable = vocab.COMMENTS[(self.program.model, form, "most_valuable")]
        change = vocab.COMMENTS[(self.program.model, form, "improvements")]
        for p in self.active():
            out_after = self.opted_out.get(p.email)
            if self.withdrawn.get(p.email, when) < when or self.rng.random() > (share * 0.6 if out_after else share):
                continue
            row = {"submitted_at": _stamp(self._moment(when, when + dt.timedelta(days=14))), "email": p.email}
            row.update({item: str(self.rng.choice(_LEADS_ANSWER[item] if item in _LEADS_ANSWER and p.wants == _LEAD
                                                  else [2, 3, 4, 4, 4, 5, 5, 5])) for item in items})
            row["most_valuable"] = self.rng.choice(valuable) if self.rng.random() < 0.55 else ""
            row["improvements"] = self.rng.choice(change) if self.rng.random() < 0.45 else ""
            rows.append(row)
        return rows

    def _due(self, key: str) -> dt.date:
        """A survey's day as the schedule dates it (the one source: reminders, pages, response rates)."""
        return next(e.start for e in program_events(self.program) if e.key == key)

    def midpoint(self) -> list[dict[str, str]]:
        return self._evaluation("midpoint", self._due("midpoint"), ("met_expectations", "good_fit", "gained_knowledge", "built_relationships",
                                                     "time_manageable"), 0.75)

    def final(self) -> list[dict[str, str]]:
        rows = self._evaluation("final", self._due("final"),
                                ("met_expectations", "gained_knowledge", "built_relationships", "certification_ready"), 0.75)
        years = {p.email: p.years for p in self.people}
        for row in rows:
            row["would_recommend"] = _yes(self.rng.random() < 0.9)
            row["certification_status"] = self.rng.choice(["Certified during the program", "Certified during the program",
                                                           "Exam scheduled", "Preparing", "Preparing", "Not planned"])
            row["still_employed"] = _yes(self.rng.random() < 0.93)
            row["mentoring_others"] = _yes(self.rng.random() < (0.7 if years[row["email"]] >= 5 else 0.25))
            # Questions added later draw from their own stream, so the rest of the data does not move.
            own = random.Random(f"{self.seed}:{row['email']}:roles")
            row["new_role"] = _yes(own.random() < (0.35 if years[row["email"]] < 5 else 0.2))
            row["society_role"] = _yes(own.random() < (0.3 if years[row["email"]] >= 3 else 0.1))
        return rows

    def meeting_log(self) -> list[dict[str, str]]:
        """Most meetings held are logged, some a day or two later; a few are never logged."""
        rows = []
        for p in self.active():
            for day, minutes in self._plan()[p.email]:
                if self.rng.random() < 0.08:
                    continue
                logged = dt.datetime.combine(day + dt.timedelta(days=self.rng.choice([0, 0, 1, 2])),
                                             dt.time(self.rng.randint(12, 19), self.rng.randint(0, 59)))
                in_person = self.program.model == "rotating-pairs" and self.rng.random() < 0.3
                if (p.email, self._period_of(day)) in self.sat_out:
                    continue  # not held: they sat that round out (see checkins)
                rows.append({"submitted_at": _stamp(logged), "email": p.email, "meeting_date": day.isoformat(),
                             "minutes": str(minutes), "format": "In person" if in_person else "Virtual", "notes": ""})
        return sorted(rows, key=lambda r: (r["meeting_date"], r["email"]))

    def module_progress(self) -> list[dict[str, str]]:
        d = self.program.dates
        rows = []
        training = self.program.pairs.mentor_training_module
        if training:
            return self._mentor_training(training)
        for p in self.active():
            stop = self.withdrawn.get(p.email, d.cohort_end)
            for module in self.program.curriculum:
                if self.rng.random() < 0.18:
                    continue
                done = self._moment(d.cohort_start, stop)
                rows.append({"submitted_at": _stamp(done), "email": p.email, "module": module.id,
                             "completed_on": done.date().isoformat(), "score": str(self.rng.randint(62, 100))})
        if self.bad_rows and rows:
            rows.append(dict(rows[0], module="gcp-refresher"))
        return rows

    def _mentor_training(self, module: str) -> list[dict[str, str]]:
        """Most mentor volunteers complete the training before the program starts."""
        start = self.program.dates.cohort_start
        rows = []
        for p in self.active():
            if p.wants != "Mentee or member" and self.rng.random() < 0.9:
                done = self._moment(start - dt.timedelta(days=30), start)
                rows.append({"submitted_at": _stamp(done), "email": p.email, "module": module,
                             "completed_on": done.date().isoformat(), "score": ""})
        return rows

    def supervisor_support(self) -> list[dict[str, str]]:
        """The committee hears back from most supervisors before matches are announced; staff record
        the confirmations that came by email or letter (confirmed_on), so these rows carry no token."""
        d = self.program.dates
        rows = []
        for p in self.active():
            if self.program.model == "circles" and _letter_sent(p):
                continue  # the letter of support came with the application
            if self.rng.random() < 0.92:
                when = self._moment(d.application_close, d.match_announcement)
                rows.append({"submitted_at": _stamp(when), "email": p.email, "supervisor_name": p.supervisor_name,
                             "confirmed": "Yes", "note": "", "confirmed_on": when.date().isoformat()})
        return rows

    def matches(self) -> list[dict[str, str]]:
        """Filled in by `announce.announce` once every other tab exists."""
        return []

    def focus_group(self) -> list[dict[str, str]]:
        """The coded focus-group transcript: excerpts spread over the codebook's second-level codes."""
        rows: list[dict[str, str]] = []
        moment = self.program.dates.cohort_end + dt.timedelta(days=14)
        for (code, subcode), excerpts in vocab.EXCERPTS.items():
            for excerpt in excerpts:
                rows.append({"submitted_at": _stamp(dt.datetime.combine(moment, dt.time(12))),
                             "excerpt_id": f"FG-{len(rows) + 1:02d}", "code": code, "subcode": subcode, "excerpt": excerpt})
        return rows


def generate(loaded: LoadedProgram, participants: int, seed: int, bad_rows: bool = True,
             announce: bool = True) -> dict[str, Table]:
    """Every tab of a demo workbook, in the program's form order; tabs are built in dependency order."""
    cohort = DemoCohort(loaded, participants, seed, bad_rows)
    tables: dict[str, Table] = {}
    for form_id, build in cohort.builders():
        if form_id not in loaded.program.forms:
            continue
        header = tuple(loaded.forms[form_id].columns_for(loaded.program.model))
        rows = build()
        tables[loaded.tab_of(form_id)] = Table(header, tuple(tuple(r.get(c, "") for c in header) for r in rows))
    if announce and "matches" in loaded.program.forms:
        from generator.demo.announce import announce as announced

        tables[loaded.tab_of("matches")], unmatched = announced(loaded, tables)
        if unmatched:
            _met_nobody(loaded, tables, unmatched)
    return {loaded.tab_of(f): tables[loaded.tab_of(f)] for f in loaded.program.forms}


def _met_nobody(loaded: LoadedProgram, tables: dict[str, Table], unmatched: set[tuple[str, str]]) -> None:
    """Someone the matcher left without a partner in a round meets nobody in it: their meetings
    planned for it are not logged, and their check-in for it reports none, the match question
    blank. (The round is known only once matched, after the tabs are made; nothing is drawn.)"""
    spans = {q.name: (q.start.isoformat(), q.end.isoformat()) for q in loaded.program.dates.quarters}
    log, checkins = loaded.tab_of("meeting_log"), loaded.tab_of("checkin")
    if log in tables:
        t = tables[log]
        email, day = t.header.index("email"), t.header.index("meeting_date")
        left: dict[str, list[tuple[str, str]]] = {}
        for person, quarter in unmatched:
            left.setdefault(person, []).append(spans[quarter])
        tables[log] = Table(t.header, tuple(r for r in t.rows if not any(
            start <= r[day] <= end for start, end in left.get(r[email], ()))))
    if checkins in tables:
        t = tables[checkins]
        col = {c: t.header.index(c) for c in ("email", "quarter", "meetings_held", "satisfaction", "comments")}

        def blank(row: tuple[str, ...]) -> tuple[str, ...]:
            if (row[col["email"]], row[col["quarter"]]) not in unmatched:
                return row
            cells = list(row)
            cells[col["meetings_held"]], cells[col["satisfaction"]], cells[col["comments"]] = "0", "", ""
            return tuple(cells)

        tables[checkins] = Table(t.header, tuple(blank(r) for r in t.rows))


def write_demo(loaded: LoadedProgram, folder: Path, participants: int, seed: int, bad_rows: bool = True) -> list[Path]:
    """Write the demo workbook folder; returns the files written."""
    written = []
    for tab, table in generate(loaded, participants, seed, bad_rows).items():
        path = tab_path(folder, tab)
        write_table(path, table)
        written.append(path)
    return written
