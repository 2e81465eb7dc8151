"""On the demo city, every figure of the 六个一 board and of the three targets equals a count made
directly, in Python, over the source rows (not through the selectors' SQL)."""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from accountability.models import Responsibility
from accountability.selectors import sixones
from assistance.models import Measure
from core.models import Region, Unit
from funds.models import DisbursementRequest
from households.models import (
    CrossCheckFlag,
    Household,
    HouseholdStatusChange,
    ProcedureCase,
    VerificationCheck,
)
from inspections.models import Finding, SurveyResponse, VisitReport
from policies.models import PolicyTask

pytestmark = pytest.mark.django_db

ON_REGISTER = {"registered", "returned"}
PAID = {"approved", "sent", "paid", "reversed"}


@pytest.fixture(scope="module")
def demo_seeded(demo_database):
    """The demo data of every app: the run's demo (tests/demo_db.py), copied for this module."""


@pytest.fixture
def demo(demo_seeded, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def c6(code: str) -> str:
    return code[:6].ljust(12, "0")


def expected_lines(year: int, today: dt.date) -> dict[str, dict[str, tuple[int, int]]]:
    out: dict[str, dict[str, list[int]]] = {}

    def add(line, county, done):
        cell = out.setdefault(line, {}).setdefault(c6(county), [0, 0])
        cell[0] += int(bool(done))
        cell[1] += 1

    households = list(Household.objects.values("id", "village_id", "status"))
    villages_with_hh = {h["village_id"] for h in households if h["status"] in ON_REGISTER}
    visited = {
        r.village_id
        for r in VisitReport.objects.all()
        if r.status == "filed" and r.visit_date.year == year and r.village_id
    }
    for v in villages_with_hh:
        add("villages", v, v in visited)
    checked = {
        c.household_id for c in VerificationCheck.objects.all()
        if c.status != "pending" and c.checked_at and timezone.localtime(c.checked_at).year == year
    }  # fmt: skip
    for h in households:
        if h["status"] in ON_REGISTER:
            add("files", h["village_id"], h["id"] in checked)
    for m in Measure.objects.select_related("plan__household"):
        if m.planned_end.year == year and m.planned_end <= today and m.status != "cancelled":
            add(
                "measures",
                m.plan.household.village_id,
                m.status == "done" and m.actual_end and m.actual_end <= m.planned_end,
            )
    for r in DisbursementRequest.objects.all():
        if timezone.localtime(r.created_at).year == year:
            add("funds", r.region_id, r.status != "pending")
    for t in PolicyTask.objects.all():
        if t.deadline.year == year:
            add("policies", t.region_id, t.status == "implemented")
    current = [
        r for r in Responsibility.objects.select_related("officer")
        if r.officer_id and r.valid_from <= today and (r.valid_to is None or r.valid_to >= today)
    ]  # fmt: skip
    named_units = {r.unit_id for r in current} | {r.officer.unit_id for r in current}
    for u in Unit.objects.select_related("region"):
        if (u.kind in ("party_committee", "government", "department", "township") and u.is_active
                and u.region.level in ("county", "township")):  # fmt: skip
            add("responsibilities", u.region_id, u.pk in named_units)
    return {line: {k: tuple(v) for k, v in cells.items()} for line, cells in out.items()}


def test_every_board_figure_is_a_count_of_its_rows(demo):
    today = timezone.localdate()
    year = today.year
    board = sixones.board(prefix="4108", year=year, today=today)
    expected = expected_lines(year, today)
    assert len(board["lines"]) == 6
    nonzero = 0
    for entry in board["lines"]:
        code = entry["line"].code
        got = {c.code: (r.part, r.whole) for c, r in entry["counties"] if r.whole}
        assert got == expected.get(code, {}), code
        nonzero += bool(got)
        # The drill-down of each county shows exactly the rows the figure counts.
        for county, rate in entry["counties"]:
            if rate.whole:
                rows = list(sixones.line_rows(entry["line"], county_code=county.code, year=year, today=today))
                assert (sum(1 for r in rows if r.done), len(rows)) == (rate.part, rate.whole)
                break
    assert nonzero >= 4  # the demo data gives most lines something to measure


def _local(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def error_events() -> list[tuple[str, str, dt.date, str]]:
    """(kind, key, day revealed, region) of every source, read row by row (三个零差错)."""
    changes = defaultdict(list)
    for c in HouseholdStatusChange.objects.order_by("at", "id"):
        changes[c.household_id].append(c)
    events = []
    for f in Finding.objects.filter(status="confirmed", category__in=["identification", "exit", "funds"]):
        key = f"h{f.household_id}" if f.household_id else f"f{f.pk}"
        events.append((f.category, key, _local(f.confirmed_at), f.region_id))
    for h in Household.objects.all():
        for c in changes[h.pk]:
            if c.to_status == "removed":
                events.append(("identification", f"h{h.pk}", _local(c.at), h.village_id))
    for c in VerificationCheck.objects.filter(status="corrected"):
        events.append(("identification", f"h{c.household_id}", _local(c.checked_at), c.village_id))
    for f in CrossCheckFlag.objects.filter(status="confirmed").select_related("household"):
        kind = "funds" if f.rule == "paid_after_death" else "identification"
        events.append((kind, f"h{f.household_id}", _local(f.decided_at), f.household.village_id))
    for case in ProcedureCase.objects.filter(kind="return", state="completed").select_related("household"):
        h = case.household
        exits = [c.at for c in changes[h.pk] if c.to_status == "exited" and c.at <= case.created_at]
        returns = [c.at for c in changes[h.pk] if c.to_status == "returned" and c.at >= case.created_at]
        if case.cause in h.causes and exits and exits[-1] >= case.created_at - dt.timedelta(days=365):
            events.append(
                ("exit", f"h{h.pk}", _local(returns[0] if returns else case.updated_at), h.village_id)
            )
    for r in DisbursementRequest.objects.select_related("household", "measure__plan"):
        if r.status not in PAID or not r.decided_at:
            continue
        error = r.status == "reversed"
        if r.payee_kind == "household" and r.household.status not in ON_REGISTER:
            before = [c.to_status for c in changes[r.household_id] if c.at <= r.decided_at]
            then = before[-1] if before else r.household.status
            policy = then == "exited" and r.measure_id and r.measure.plan.household_id == r.household_id
            error = error or (then not in ON_REGISTER and not policy)
        if error:
            key = f"h{r.household_id}" if r.payee_kind == "household" else f"r{r.pk}"
            events.append(("funds", key, _local(r.decided_at), r.region_id))
    return events


def expected_targets(month: dt.date, events) -> dict[str, Counter]:
    start = month
    end = (month + dt.timedelta(days=32)).replace(day=1)

    def in_month(d):
        return d is not None and start <= d < end

    part, whole = Counter(), Counter()
    first: dict[tuple[str, str], tuple[dt.date, str]] = {}
    for kind, key, day, region in events:
        if day < end:
            seen = first.get((kind, key))
            first[(kind, key)] = (min(day, seen[0]), min(region, seen[1])) if seen else (day, region)
    for (kind, _key), (day, region) in first.items():
        if in_month(day):
            part[(kind, c6(region))] += 1
    for h in Household.objects.all():
        if h.status in ("registered", "exited", "returned", "removed"):
            whole[("identification", c6(h.village_id))] += 1
        if h.status in ("exited", "returned"):
            whole[("exit", c6(h.village_id))] += 1
    for r in DisbursementRequest.objects.all():
        if r.status in PAID and r.decided_at and in_month(_local(r.decided_at)):
            whole[("funds", c6(r.region_id))] += 1
    for s in SurveyResponse.objects.select_related("report"):
        if s.report.status == "filed" and in_month(s.answered_on):
            for key in ("recognition", "satisfaction"):
                whole[(key, c6(s.village_id))] += 1
            part[("recognition", c6(s.village_id))] += int(s.recognises)
            part[("satisfaction", c6(s.village_id))] += int(s.satisfaction in ("very_satisfied", "satisfied"))
    return {"part": part, "whole": whole}


def test_the_three_targets_are_counts_of_their_rows_in_every_demo_month(demo):
    this_month = timezone.localdate().replace(day=1)
    months = [(this_month - dt.timedelta(days=31 * k)).replace(day=1) for k in (2, 1, 0)]
    seen_surveys, events = 0, error_events()
    for month in months:
        data = sixones.three_targets(prefix="4108", month=month)
        expected = expected_targets(month, events)
        for row in data["rows"]:
            code = row["county"].code
            for key, rate in row["rates"].items():
                assert (rate.part, rate.whole) == (
                    expected["part"][(key, code)],
                    expected["whole"][(key, code)],
                ), (month, code, key)
                if key == "satisfaction":
                    seen_surveys += rate.whole
    assert seen_surveys > 0  # the demo's covert visits carry surveys


def test_the_bulletin_reads_the_same_board_and_targets_from_figures_shared_by_its_cities(demo):
    """The monthly task computes the board and the targets once for every city; each city's part (and a
    county's part of a city's figures) equals computing it alone."""
    from accountability.services.bulletin import SharedFigures, sixones_sections

    today = timezone.localdate()
    county_board = sixones.board_within(sixones.board(prefix="4108", year=today.year, today=today), "410821")
    alone = sixones.board(prefix="410821", year=today.year, today=today)
    assert sixones.as_json(
        county_board, sixones.three_targets(prefix="410821", month=today.replace(day=1))
    ) == (sixones.as_json(alone, sixones.three_targets(prefix="410821", month=today.replace(day=1))))
    assert any(x["total"].whole for x in county_board["lines"])
    city = Region.objects.get(code="410800000000")
    for month in (today.replace(day=1), (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)):
        shared = SharedFigures.for_regions([city, Region.objects.get(code="410821000000")], month)
        assert shared.prefix == "4108"
        county_part = sixones.targets_within(shared.targets, "410821")
        county_alone = sixones.three_targets(prefix="410821", month=month)
        assert (
            sixones.as_json(county_board, county_part)["targets"]
            == (sixones.as_json(county_board, county_alone)["targets"])
        )
        assert sixones_sections(city, month, shared) == sixones_sections(city, month)
