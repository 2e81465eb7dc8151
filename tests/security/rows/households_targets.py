"""households, the year's targets (issue 18.5): the list and the record page (pages), the list and
record endpoint (API).

Read by whoever reads the register's work (households.view_exittarget: clerks, the county
administrator, leaders, administrators); recorded (households.record_exit_target) by the county
administrator for their county and by administrators (the city too). Another county is 404.
"""

from __future__ import annotations

from django.utils import timezone

from households.models import ExitTarget
from tests.factories.core import UserFactory
from tests.security.authz_matrix import CREATED, REDIRECT, Case, fixed, row, unique
from tests.security.rows._common import answers, shown

READERS = ("county_clerk", "county_admin", "leader")
RECORDERS = ("county_admin",)


def _year() -> int:
    return timezone.localdate().year


def target_in(place):
    target, _ = ExitTarget.objects.update_or_create(
        region=place.county, year=_year(),
        defaults={"people": 100, "note": unique("年度目标"), "recorded_by": UserFactory()},
    )  # fmt: skip
    return target


def record_page(world, side):
    return Case(kwargs={"code": world.place(side).county.code, "year": _year()}, data={"households": "40"})


record_page.sided = True


def api_case(world, side):
    """The list narrowed to this year (the row's note is the marker); the body records the county's."""
    place = world.place(side)
    target = target_in(place)
    data = {"region": place.county.code, "year": _year(), "people": 120}
    return Case(query={"year": _year()}, marker=target.note, data=data, format="json")


api_case.sided = True

ROWS = [
    row("households:targets", case=fixed(query={"year": _year()}), GET=answers(READERS, sided=False)),
    row(
        "households:target_record",
        case=record_page,
        GET=answers(RECORDERS, write=True),
        POST=answers(RECORDERS, ok=REDIRECT, write=True),
    ),
    row(
        "api:exit_target_list",
        case=api_case,
        GET=shown(READERS, api=True),
        POST=answers(RECORDERS, ok=CREATED, api=True, write=True),
    ),
]
