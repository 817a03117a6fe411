"""The year of rotating pairs: who is in each round, what is kept, and the round's matches."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Mapping

from generator.config.program import Program, Quarter
from generator.dates import long_date
from generator.matching.decisions import RoundDecisions, declined_pairs
from generator.matching.pairs import Pair, RoundResult, Rules, add_trios, describe_kept, mentor_round, peer_round
from generator.matching.people import Participant, reporting_lines, withdrawal_text
from generator.records import Withdrawal


@dataclass(frozen=True)
class RoundPlan:
    quarter: Quarter
    result: RoundResult | None  # None: not planned yet (its check-in has not happened)
    kept: frozenset[str]  # pair ids kept from staff decisions
    statuses: dict[str, str]  # pair id -> status from the Matches tab (approved, pinned, announced, locked)
    sitting_out: tuple[tuple[str, str], ...]  # (person, why) not in this round at all
    note: str = ""
    #: Each person sitting out: why, as their own page says it ("you have not answered ...").
    yours: Mapping[str, str] = field(default_factory=dict)
    #: What a person sitting out can do to take part, while the round is still to come or running.
    to_do: Mapping[str, str] = field(default_factory=dict)
    #: The round is over as of the build's day (`Quarter.ended`).
    ended: bool = False


def in_round(people: tuple[Participant, ...], withdrawn: dict[str, Withdrawal], index: int, quarters: tuple[Quarter, ...],
             continuing: dict[str, dict[str, bool]], joined: dict[str, dt.date] | None = None
             ) -> tuple[list[Participant], list[tuple[str, str]], dict[str, str], dict[str, str]]:
    """Round 1: every eligible person. Later rounds: those who said they want to continue. With
    them, who sits the round out and why: for staff, and as the person's own page says it.

    A withdrawal acts from its date on: it takes the person out of rounds that start on or after
    it, never out of a round they had already begun (that round is history). Someone who came off
    the waiting list takes part from the first round that starts after they joined.
    """
    start, name = quarters[index].start, quarters[index].name
    gone = {pid for pid, w in withdrawn.items() if w.date <= start}
    out = sorted((pid, withdrawal_text(withdrawn[pid])) for pid in gone)
    late = {pid: day for pid, day in (joined or {}).items() if day > start and pid not in gone}
    out += sorted((pid, f"came off the waiting list on {long_date(day)}, after {name} began") for pid, day in late.items())
    # (None for a withdrawal: the page of someone who withdrew shows only the rounds they took part in.)
    yours = {pid: f"you joined on {long_date(day)}, after {name} began; you take part from the next round"
             for pid, day in late.items()}
    here = [p for p in people if p.id not in gone and p.id not in late]
    to_do: dict[str, str] = {}
    if index == 0:
        return here, out, yours, to_do
    previous = quarters[index - 1].name
    answers = continuing.get(previous, {})
    first_round = {pid for pid, day in (joined or {}).items() if day > quarters[index - 1].start}
    taking_part = []
    for p in here:
        if answers.get(p.id) is True or (p.id in first_round and p.id not in answers):
            taking_part.append(p)
        elif answers.get(p.id) is False:
            out.append((p.id, f"said in the {previous} check-in they do not want to continue"))
            yours[p.id] = f"you said in the {previous} check-in that you do not want to continue"
        else:
            out.append((p.id, f"has not answered the {previous} check-in; not matched until they say they want to continue"))
            yours[p.id] = f"you have not answered the {previous} check-in"
            to_do[p.id] = (f"Answer the {previous} check-in (under Your surveys), saying you want to continue, "
                           "to be matched.")
    return taking_part, out, yours, to_do


def _kept_pairs(name: str, kind: str, decisions: RoundDecisions | None, here: dict[str, Participant],
                rules: Rules, over: bool) -> tuple[list[Pair], dict[str, str], list[str]]:
    """Pairs staff keep whose members are all taking part in the round; notes on broken ones."""
    if decisions is None:
        return [], {}, []
    pairs: list[Pair] = []
    statuses: dict[str, str] = {}
    notes: list[str] = []
    notes.extend(decisions.problems)
    for gid, placements in sorted(decisions.kept.items()):
        gone = [pl.person for pl in placements if pl.person not in here]
        if gone:
            left = len(placements) - len(gone)  # who is still taking part is matched again
            then = "" if over or not left else "; the partner is matched again" if left == 1 else \
                "; the others are matched again"
            notes.append(f"{gid}: {', '.join(gone)} not taking part in {name}{then}")
            continue
        if len(placements) < 2:
            notes.append(f"{gid} has only one person in the Matches tab ({placements[0].person})"
                         + ("" if over else "; they are matched again"))
            continue
        members = [(here[pl.person], pl.role) for pl in placements]
        pairs.append(describe_kept(gid, kind, members, rules, placements[0].status))
        statuses[gid] = placements[0].status
    return pairs, statuses, notes


def plan_year(program: Program, people: tuple[Participant, ...], withdrawn: dict[str, Withdrawal],
              continuing: dict[str, dict[str, bool]], decisions: dict[str, RoundDecisions], today: dt.date,
              joined: dict[str, dt.date] | None = None) -> list[RoundPlan]:
    """Every quarter in order; each round's partners become history for the next.

    A round depends only on what was known when it was matched (who took part, earlier rounds,
    staff decisions), so later news never re-plans it. A round that is over is read from the
    Matches tab and nobody is newly matched in it.
    """
    s = program.pairs
    quarters = program.dates.quarters
    never = set(reporting_lines(people)) | declined_pairs(decisions)
    history: set[frozenset[str]] = set()
    priority: frozenset[str] = frozenset()
    plans = []
    for index, q in enumerate(quarters):
        taking_part, sitting_out, yours, to_do = in_round(people, withdrawn, index, quarters, continuing, joined)
        opens = program.dates.application_close if index == 0 else quarters[index - 1].end - dt.timedelta(days=14)
        if today < opens:
            plans.append(RoundPlan(q, None, frozenset(), {}, tuple(sitting_out),
                                   f"matched after {opens:%B} {opens.day}, {opens.year}, once the "
                                   + ("applications are in" if index == 0 else f"{quarters[index - 1].name} check-in answers are in"),
                                   yours, to_do))
            continue
        here = {p.id: p for p in taking_part}
        decided = decisions.get(q.name, RoundDecisions())
        rules = Rules(s, frozenset(never | history), priority, decided.proposed)
        # Over, and recorded by staff decisions (proposals alone are not a record of what happened).
        over = q.ended(today) and bool(decided.kept or decided.declined)
        kept, statuses, notes = _kept_pairs(q.name, q.kind, decisions.get(q.name), here, rules, over)
        busy = {m for pair in kept for m, _ in pair.members}
        pool = [p for p in taking_part if p.id not in busy]
        if over:
            result = RoundResult(q.name, q.kind, (), tuple((p.id, f"in no group of the Matches tab for {q.name}, which is "
                                                                   "over: nobody is newly matched in a past round") for p in pool), 0.0, 0.0)
        else:
            solve = mentor_round if q.kind == "mentor-mentee" else peer_round
            result = add_trios(solve(q.name, pool, rules), here, rules)
            if result.note and any(role == "mentor" for pair in kept for _, role in pair.members):
                # The solver saw only those the kept pairs left; the round has mentors, all taken
                # (each person left over is told so): "nobody in Q3 can mentor" was a false alarm.
                result = replace(result, note="")
            if result.note:
                notes.insert(0, result.note)
        result = _renumber(result, kept)
        plans.append(RoundPlan(q, result, frozenset(p.id for p in kept), statuses, tuple(sitting_out), "; ".join(notes),
                               yours, to_do, q.ended(today)))
        for pair in result.pairs:
            ids = [m for m, _ in pair.members]
            history.update(frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1:])
        priority = frozenset(pid for pid, _ in result.unmatched)
    return plans


def _renumber(result: RoundResult, kept: list[Pair]) -> RoundResult:
    """Kept pairs keep their ids; new pairs take the next free numbers."""
    taken = {p.id for p in kept}
    fresh, n = [], 1
    for pair in result.pairs:
        while f"{result.round}-{n:03d}" in taken:
            n += 1
        fresh.append(replace(pair, id=f"{result.round}-{n:03d}"))
        taken.add(fresh[-1].id)
    return replace(result, pairs=tuple(kept) + tuple(fresh))
