"""households, 贫困村退出 and the townships' sign-offs (issue 18.4, 18.6).

Poor villages are read by whoever reads the register (households.view_poorvillage); their exit is run
by the county's clerks and administrator (households.run_village_exit), its evidence read by them and
leaders (households.view_villageexitcase). Sign-offs are read by the county's clerks and administrator,
leaders and the township officer (households.view_townshipsignoff); only the township officer signs
and withdraws (households.sign_off_township) — for the township that is their region, 修武县's first,
where the own side's objects lie (the administrator, a superuser, is refused by the service: its
region is no township). A township officer opening the list goes to their own township's page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import Region, Role
from households.models import (
    InfrastructureItem,
    PoorVillage,
    TownshipSignOff,
    VillageExitCase,
    VillageExitEvidence,
    VillageExitStandard,
    VillagePopulation,
)
from tests.conftest import make_user
from tests.security.authz_matrix import (
    BAD_REQUEST,
    CREATED,
    OK,
    REDIRECT,
    Case,
    detail,
    listing,
    row,
    unique,
)
from tests.security.rows._common import ALL_ROLES, answers, shown, sided_case

READERS = (*ALL_ROLES, "county_admin")  # households.view_poorvillage
RUNNERS = ("county_clerk", "county_admin")
EXIT_READERS = (*RUNNERS, "leader")
SIGNOFF_READERS = (*RUNNERS, "leader", "township_officer")
OFFICER = ("township_officer",)


def poor_village_in(place):
    Region.objects.filter(pk=place.village.code).update(name=unique("贫困村"))
    village, _ = PoorVillage.objects.get_or_create(
        village_id=place.village.code, defaults={"identified_year": 2014}
    )
    village.refresh_from_db()
    return village


def _someone(place):
    return make_user(Role.COUNTY_CLERK, place.county.code, username=unique("clerk"))


def verified_in(place):
    """A poor village of the side with the year's criteria and population: ready for the verification."""
    village = poor_village_in(place)
    year = timezone.localdate().year
    VillageExitStandard.objects.get_or_create(
        year=year, defaults={"max_incidence": Decimal("2.00"), "min_collective_income": Decimal("0")}
    )
    VillagePopulation.objects.update_or_create(
        village_id=village.village_id, year=year,
        defaults={"registered_population": 500, "recorded_by": _someone(place)},
    )  # fmt: skip
    return village


def _items() -> dict:
    return {
        f"evidence_{item}": SimpleUploadedFile(
            f"{item}.pdf", b"%PDF-1.4 evidence", content_type="application/pdf"
        )
        for item in InfrastructureItem.values
    }


def verification_in(place, *, api: bool = False):
    village = verified_in(place)
    data = {"date": timezone.localdate().isoformat(), "year": timezone.localdate().year, "collective_income": "1000",
            **_items()}  # fmt: skip
    if api:
        data["step"] = "verification"
        return Case(kwargs={"code": village.village_id}, data=data, format="multipart")
    return Case(kwargs={"code": village.village_id, "step": "verification"}, data=data, format="multipart")


def evidence_in(place):
    village = poor_village_in(place)
    owner = _someone(place)
    case = VillageExitCase.objects.create(
        poor_village=village, year=timezone.localdate().year, started_by=owner, last_step="verification"
    )
    step = case.steps.create(step="verification", actor=owner, date=timezone.localdate())
    evidence = VillageExitEvidence(step=step, item="road", name="通硬化路.pdf")
    evidence.file.save("road.pdf", ContentFile(b"%PDF-1.4 road"), save=False)
    evidence.save()
    return Case(kwargs={"code": village.village_id, "pk": evidence.pk})


def township_in(place):
    Region.objects.filter(pk=place.township.code).update(name=unique("乡镇"))
    return Region.objects.get(pk=place.township.code)


def signoff_in(place, *, month: dt.date | None = None):
    township = township_in(place)
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if month is None:
        # One signed sign-off per township and month: each row's case takes a month of its own.
        taken = set(TownshipSignOff.objects.filter(township=township).values_list("month", flat=True))
        month = last_month
        while month in taken:
            month = (month - dt.timedelta(days=1)).replace(day=1)
    return TownshipSignOff.objects.create(
        township=township,
        month=month,
        signed_by=_someone(place),
        counts={"households_total": 0},
    )


WITHDRAW = {"reason": "数据有误，重新核对"}

ROWS = [
    # --- pages --------------------------------------------------------------------------------
    row(
        "households:villages",
        case=listing(poor_village_in, marker=lambda v: v.village.name, query={"per_page": 200}),
        GET=shown(READERS),
    ),
    row(
        "households:village_detail",
        case=detail(poor_village_in, kwarg="code", attr="village_id"),
        GET=answers(READERS),
    ),
    row(
        "households:village_population",
        case=detail(
            poor_village_in,
            kwarg="code",
            attr="village_id",
            data={"year": timezone.localdate().year, "registered_population": 300},
        ),
        POST=answers(RUNNERS, ok=REDIRECT, write=True),
    ),
    row(
        "households:village_exit_step",
        case=sided_case(verification_in),
        GET=answers(RUNNERS),
        POST=answers(RUNNERS, ok=REDIRECT, write=True),
        note="the verification with the six items' evidence (multipart)",
    ),
    row(
        "households:village_exit_evidence",
        case=sided_case(evidence_in),
        GET=answers(EXIT_READERS),
        note="served by core.uploads.serve_upload after the village's scope check",
    ),
    row(
        "households:signoffs",
        case=listing(township_in, marker=lambda t: t.name),
        GET=shown(SIGNOFF_READERS, township_officer=REDIRECT),
    ),
    row(
        "households:signoff_township",
        case=detail(township_in, kwarg="code", attr="code", data={"note": "已逐户核对"}),
        GET=answers(SIGNOFF_READERS),
        POST=answers(OFFICER, ok=REDIRECT, write=True, admin=BAD_REQUEST),
    ),
    row("households:signoff_detail", case=detail(signoff_in), GET=answers(SIGNOFF_READERS)),
    row(
        "households:signoff_withdraw",
        case=detail(signoff_in, data=WITHDRAW),
        POST=answers(OFFICER, ok=REDIRECT, write=True),
    ),
    # --- API ----------------------------------------------------------------------------------
    row(
        "api:village_list",
        case=listing(poor_village_in, marker=lambda v: v.village_id, query={"page_size": 500}),
        GET=shown(READERS, api=True),
    ),
    row(
        "api:village_exit",
        case=sided_case(lambda place: verification_in(place, api=True)),
        GET=answers(EXIT_READERS, api=True),
        POST=answers(RUNNERS, ok=CREATED, api=True, write=True),
    ),
    row(
        "api:village_population",
        case=detail(
            poor_village_in,
            kwarg="code",
            attr="village_id",
            data={"year": timezone.localdate().year, "registered_population": 300},
            format="json",
        ),
        POST=answers(RUNNERS, ok=CREATED, api=True, write=True),
    ),
    row(
        "api:signoff_list",
        case=listing(signoff_in, marker=lambda s: s.township.name, query={"page_size": 500}),
        GET=shown(SIGNOFF_READERS, api=True),
        # Signs the officer's own township for this month, whichever side the listed row lies in.
        POST=answers(OFFICER, ok=CREATED, api=True, write=True, sided=False, admin=BAD_REQUEST),
    ),
    row("api:signoff_detail", case=detail(signoff_in), GET=answers(SIGNOFF_READERS, api=True)),
    row(
        "api:signoff_withdraw",
        case=detail(signoff_in, data=WITHDRAW, format="json"),
        POST=answers(OFFICER, ok=OK, api=True, write=True),
    ),
]
