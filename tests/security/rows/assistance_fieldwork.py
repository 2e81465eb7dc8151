"""assistance, issue 18.1–18.3: responsible officers (帮扶责任人), visits (走访记录), days in the
village (驻村), villages needing a work team (pages and API).

Permissions (assistance/apps.py): whoever reads plans reads assignments, visits and days; the
county clerk, the county administrator and the administrator set a household's officer and hand a
leaving officer's households on; accounts in bulk need core.add_user too (the county administrator,
the administrator); the county's rules are the county administrator's; visits and days are
recorded by those who keep plans (the services then check the person is the household's officer,
or the team's first secretary or member — those refusals are 400s, tested in tests/assistance).
"""

from __future__ import annotations

import uuid

from django.utils import timezone

from assistance.models import PresenceDay, Visit
from core.uploads import store_bytes
from tests.factories.assistance import VillageTeamFactory
from tests.factories.core import OfficerFactory, UnitFactory, UserFactory
from tests.factories.households import HouseholdFactory
from tests.factories.inspections import JPEG_BYTES
from tests.security.authz_matrix import BAD_REQUEST, OK, REDIRECT, detail, fixed, listing, row, unique
from tests.security.rows._common import OFFICE_ROLES, answers, shown

OWN_COUNTY = "410821000000"
READERS = (*OFFICE_ROLES, "county_admin")
KEEPERS = ("assistance_officer", "first_secretary", "county_clerk", "admin")
ASSIGNERS = ("county_clerk", "county_admin", "admin")
ACCOUNT_MAKERS = ("county_admin", "admin")
RULE_KEEPERS = ("county_admin", "admin")


def officer_in(place):
    unit = UnitFactory(region=place.county, name=unique("单位"))
    return OfficerFactory(unit=unit, region=place.county, name=unique("帮扶干部"))


def household_in(place):
    return HouseholdFactory(village=place.village, head_name=unique("户主"))


def visit_in(place, *, photo=False):
    officer = officer_in(place)
    household = HouseholdFactory(village=place.village, assistance_officer=officer)
    visit = Visit.objects.create(
        client_uuid=uuid.uuid4(), household=household, officer=officer, visited_on=timezone.localdate(),
        activities=unique("走访"), satisfaction="satisfied", recorded_by=UserFactory(username=unique("u")),
    )  # fmt: skip
    if photo:
        visit.photo = store_bytes(JPEG_BYTES, kind="jpg", folder=f"assistance/visits/{household.pk}")
        visit.photo_name = "photo.jpg"
        visit.save()
    return visit


def visit_with_photo_in(place):
    return visit_in(place, photo=True)


def presence_in(place):
    team = VillageTeamFactory(villages=[place.village], name=unique("工作队"))
    return PresenceDay.objects.create(
        client_uuid=uuid.uuid4(), team=team, officer=team.first_secretary, village=place.village,
        day=timezone.localdate(), note=unique("驻村"), recorded_by=UserFactory(username=unique("u")),
    )  # fmt: skip


def officer_body(household, place):
    return {"officer": officer_in(place).pk, "reason": "调整"}


ROWS = [
    # --- pages --------------------------------------------------------------------------------
    row(
        "assistance:household_officer",
        case=detail(household_in, kwarg="household_id", data={"officer": "", "reason": ""}),
        POST=answers(ASSIGNERS, ok=REDIRECT, write=True),
        note="no officer chosen: back to the plan page with the error once the permission and region are checked",
    ),
    row("assistance:officer_list", GET=answers(ASSIGNERS, sided=False)),
    row(
        "assistance:officer_accounts",
        case=fixed(data={"region": OWN_COUNTY}),
        POST=answers(ACCOUNT_MAKERS, sided=False, write=True),
        note="accounts for 修武县's responsible officers without one (shown once)",
    ),
    row(
        "assistance:officer_reassign",
        case=detail(officer_in, data={}),
        GET=answers(ASSIGNERS),
        POST=answers(ASSIGNERS, ok=BAD_REQUEST, write=True),
        note="no officer chosen: 400 once the permission and the region are checked",
    ),
    row(
        "assistance:fieldwork_settings",
        case=fixed(data={"region": OWN_COUNTY}),
        GET=answers(RULE_KEEPERS, sided=False),
        POST=answers(RULE_KEEPERS, ok=BAD_REQUEST, sided=False, write=True),
        note="an empty form: 400 once the permission is checked",
    ),
    row("assistance:visit_list", case=listing(visit_in, marker=lambda v: v.activities), GET=shown(READERS)),
    row("assistance:visit_phone", GET=answers(KEEPERS, sided=False)),
    row("assistance:visit_photo", case=detail(visit_with_photo_in), GET=answers(READERS)),
    row("assistance:presence_month", GET=answers(READERS, sided=False)),
    row("assistance:presence_phone", GET=answers(KEEPERS, sided=False)),
    row("assistance:villages_needing_team", GET=answers(OFFICE_ROLES, sided=False)),
    # --- API ----------------------------------------------------------------------------------
    row(
        "api:assistance_household_officers",
        case=listing(household_in, marker=lambda h: h.head_name, query={"page_size": 500}),
        GET=shown(READERS, api=True),
    ),
    row(
        "api:assistance_household_officer_set",
        case=detail(household_in, data=officer_body),
        POST=answers(ASSIGNERS, ok=OK, api=True, write=True),
    ),
    row(
        "api:assistance_officer_reassign",
        case=detail(officer_in, data={"officers": []}),
        POST=answers(ASSIGNERS, ok=BAD_REQUEST, api=True, write=True),
        note="no officer to take the households: 400 once the permission and the region are checked",
    ),
    row(
        "api:assistance_visits",
        case=listing(visit_in, marker=lambda v: v.activities, query={"page_size": 500}),
        GET=shown(READERS, api=True),
        POST=answers(KEEPERS, ok=BAD_REQUEST, api=True, sided=False, write=True),
        note="POST without a body: 400 once the permission is checked",
    ),
    row(
        "api:assistance_visit_photo",
        case=detail(visit_in, data={}, format="multipart"),
        POST=answers(KEEPERS, ok=BAD_REQUEST, api=True, write=True),
        note="without a photo: 400 once the permission and the region are checked",
    ),
    row(
        "api:assistance_presence",
        case=listing(presence_in, marker=lambda p: p.note, query={"page_size": 500}),
        GET=shown(READERS, api=True),
        POST=answers(KEEPERS, ok=BAD_REQUEST, api=True, sided=False, write=True),
        note="POST without a body: 400 once the permission is checked",
    ),
    row("api:assistance_presence_month", GET=answers(READERS, api=True, sided=False)),
    row("api:assistance_villages_needing_team", GET=answers(OFFICE_ROLES, api=True, sided=False)),
]
