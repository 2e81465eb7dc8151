"""households, 两不愁三保障 from facts (issue 17.1): recording the facts (page + API; the appraisal's
photo through core.uploads), the photo served after the household's scope check, each household's
guarantees (API) and the county's list of households whose guarantees are still to be confirmed.

Whoever reads a household reads its guarantees; whoever changes households records the facts.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from households.models import HousingAppraisal
from tests.security.authz_matrix import CREATED, REDIRECT, Case, detail, listing, row
from tests.security.rows import households as household_rows
from tests.security.rows._common import answers, shown, sided_case
from tests.security.rows.households import _owner, household_in

# The same readers and writers as a household's own rows (households.py says who they are).
EVERYONE = household_rows.EVERYONE
CHANGERS = getattr(household_rows, "CHANGERS", household_rows.CLERKS)
STATEMENT = {"date": "2024-03-01", "stated_by": "户主本人", "food_secure": "on", "clothing_secure": "on"}


def appraisal_in(place):
    household = household_in(place)
    appraisal = HousingAppraisal(
        household=household, grade="B", date=timezone.localdate(), appraiser="县住建局", recorded_by=_owner(place),
        photo_name="房屋.jpg",
    )  # fmt: skip
    appraisal.photo.save("house.jpg", ContentFile(b"\xff\xd8\xff\xe0 jpeg"), save=False)
    appraisal.save()
    return Case(kwargs={"pk": household.pk, "appraisal_pk": appraisal.pk})


def _record(place):
    return Case(kwargs={"pk": household_in(place).pk, "what": "statement"}, data=dict(STATEMENT))


def _api_appraisal(place):
    data = {"grade": "C", "date": timezone.localdate().isoformat(), "appraiser": "县住建局"}
    return Case(kwargs={"pk": household_in(place).pk}, data=data, format="multipart")


def _api_record(place):
    data = {**STATEMENT, "food_secure": True, "clothing_secure": True}
    return Case(kwargs={"pk": household_in(place).pk, "what": "statement"}, data=data)


ROWS = [
    row(
        "households:guarantee_record",
        case=sided_case(_record),
        GET=answers(CHANGERS),
        POST=answers(CHANGERS, ok=REDIRECT),
        note="the facts themselves: tests/households/test_guarantees_are_derived_from_the_facts.py",
    ),
    row(
        "households:appraisal_photo",
        case=sided_case(appraisal_in),
        GET=answers(EVERYONE),
        note="served by core.uploads.serve_upload after the household's scope check",
    ),
    row(
        "households:guarantees_to_confirm",
        case=listing(household_in, marker=lambda h: h.head_name, query=lambda h: {"region": h.village_id}),
        GET=shown(EVERYONE),
    ),
    row("api:guarantees", case=detail(household_in), GET=answers(EVERYONE, api=True)),
    row(
        "api:guarantee_record",
        case=sided_case(_api_record),
        POST=answers(CHANGERS, ok=CREATED, api=True),
    ),
    row(
        "api:guarantee_appraisal",
        case=sided_case(_api_appraisal),
        POST=answers(CHANGERS, ok=CREATED, api=True),
        note="multipart: the appraisal's photo is optional (through core.uploads)",
    ),
    row(
        "api:guarantees_to_confirm",
        case=listing(household_in, marker=lambda h: h.head_name, query=lambda h: {"region": h.village_id}),
        GET=shown(EVERYONE, api=True),
    ),
]
