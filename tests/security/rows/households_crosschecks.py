"""households, 数据比对 (issue 17.6): the county administrator uploads other departments' lists, follows
the run and decides each flag (households.run_crosscheck); no clerk role holds it. Runs and flags
are the county's own: another county's are 404 (hidden on lists)."""

from __future__ import annotations

from households.models import CrossCheckFlag, CrossCheckRule, CrossCheckRun, CrossCheckRunStatus
from tests.factories.households import HouseholdFactory, MemberFactory
from tests.security.authz_matrix import BAD_REQUEST, OK, REDIRECT, detail, fixed, listing, row, unique
from tests.security.rows._common import answers, body, shown

ADMINS = ("county_admin",)


def _owner(place):
    from tests.conftest import make_user

    code = place.county.code
    return make_user("county_admin", code, username=f"matrix_cc_{code}")


def run_in(place):
    return CrossCheckRun.objects.create(
        source="vehicles", file_name=unique("车管") + ".csv", region=place.county, created_by=_owner(place),
        status=CrossCheckRunStatus.DONE,
    )  # fmt: skip


def flag_in(place):
    household = HouseholdFactory(village=place.village)
    member = MemberFactory(household=household, name=unique("比对"))
    return CrossCheckFlag.objects.create(
        run=run_in(place), rule=CrossCheckRule.OWNS_VEHICLE, household=household, member=member, row_number=2,
        facts={"号牌号码": "豫H12345"},
    )  # fmt: skip


DISMISS = {"decision": "dismissed", "note": "车辆已过户他人"}

ROWS = [
    row(
        "households:crosschecks",
        case=fixed(data={"source": "vehicles"}),
        GET=answers(ADMINS, sided=False),
        POST=answers(ADMINS, ok=BAD_REQUEST, sided=False),
        note="POST without a file: 400 once the permission is checked; uploads: tests/security/test_every_upload_route.py",
    ),
    row("households:crosscheck_run", case=detail(run_in), GET=answers(ADMINS)),
    row(
        "households:crosscheck_flags",
        case=listing(flag_in, marker=lambda f: f.member.name, query={"per_page": 200, "status": ""}),
        GET=shown(ADMINS),
    ),
    row(
        "households:crosscheck_flag",
        case=detail(flag_in, data=DISMISS),
        GET=answers(ADMINS),
        POST=answers(ADMINS, ok=REDIRECT, write=True),
    ),
    row(
        "api:crosscheck_create",
        case=body(lambda place: {"source": "vehicles"}, format="multipart"),
        POST=answers(ADMINS, ok=BAD_REQUEST, sided=False, api=True),
        note="without a file: 400 once the permission is checked",
    ),
    row("api:crosscheck_run", case=detail(run_in), GET=answers(ADMINS, api=True)),
    row(
        "api:crosscheck_flags",
        case=listing(flag_in, marker=lambda f: f.member.name, query={"page_size": 500, "status": "all"}),
        GET=shown(ADMINS, api=True),
    ),
    row(
        "api:crosscheck_flag",
        case=detail(flag_in, data=DISMISS, format="json"),
        GET=answers(ADMINS, api=True),
        POST=answers(ADMINS, ok=OK, api=True, write=True),
    ),
]
