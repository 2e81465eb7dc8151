"""Issue 11 (六个一 and the three targets): policies, surveys, work-team spot checks, team coverage,
the leaders' board.

Permissions: policies (policies/apps.py) — county clerks answer their county's tasks, admins keep the
system, leaders, inspectors and auditors read. Surveys and spot checks (inspections/apps.py) — city
inspectors record, every county role reads those of filed visits. Coverage — readers of work teams.
The board — the dashboard's readers. A row in another county is 404; leaders never write.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.models import Region, UnitKind
from inspections.models import ReportStatus
from tests.factories.core import UnitFactory
from tests.factories.households import HouseholdFactory
from tests.factories.inspections import VisitReportFactory
from tests.security.authz_matrix import (
    BAD_REQUEST,
    CREATED,
    NOT_FOUND,
    REDIRECT,
    Case,
    detail,
    fixed,
    listing,
    row,
    unique,
)
from tests.security.rows._common import BODY_ROLES, OFFICE_ROLES, answers, shown

POLICY_READERS = ("county_clerk", "auditor", "inspector", "leader", "admin")
POLICY_WRITERS = ("county_clerk", "admin")
INSPECTORS = ("inspector", "admin")
TEAM_READERS = OFFICE_ROLES  # every role reads work teams (assistance/apps.py)
DASHBOARD = ("leader", "admin", "inspector", "auditor", "county_clerk")
FS_VILLAGE_ONLY = {"first_secretary": (NOT_FOUND, NOT_FOUND)}
GUESSED_TEAM = fixed(kwargs={"pk": 999999999, "team_id": 999999999})
# Surveys and spot checks are read by the bodies of issue 19.4 too; the organisation departments
# spot-check work teams unannounced (inspections:spot_check) beside the inspectors.
CHECK_READERS = (*OFFICE_ROLES, *BODY_ROLES)
SPOT_CHECKERS = ("inspector", "organisation_department", "admin")


def task_in(place):
    from policies.models import Policy, PolicyTask

    city = Region.objects.get(code="410800000000")
    number = Policy.objects.filter(region=city).count() + 1
    policy = Policy.objects.create(system=unique("体系")[:40], number=number, kind="supporting",
                                   title=unique("政策"), issued_on=dt.date(2016, 3, 1), region=city)  # fmt: skip
    unit = UnitFactory(region=place.county, kind=UnitKind.GOVERNMENT, name=unique("县政府"))
    return PolicyTask.objects.create(
        policy=policy, recipient=unit, region=place.county, requirement=unique("出台办法"),
        deadline=timezone.localdate() - dt.timedelta(days=3),
    )  # fmt: skip


def policy_in(place):
    return task_in(place).policy


def evidence_in(place):
    from django.core.files.base import ContentFile

    from policies.models import PolicyEvidence
    from tests.factories.core import UserFactory

    task = task_in(place)
    evidence = PolicyEvidence(task=task, title="办法", uploaded_by=UserFactory())
    evidence.file.save("办法.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
    evidence.save()
    return evidence


def filed_report_in(place):
    household = HouseholdFactory(village=place.village)
    report = VisitReportFactory(county=place.county, village=place.village, place=unique("某村"),
                                status=ReportStatus.FILED, filed_at=timezone.now())  # fmt: skip
    report.households_visited.set([household])
    return report


def survey_data(report, place):
    household = report.households_visited.first()
    return {
        "household": household.pk,
        "result": "identification",
        "recognises": "yes",
        "satisfaction": "satisfied",
    }


def survey_api_data(report, place):
    return {**survey_data(report, place), "recognises": True}


def county(world, side):
    return Case(kwargs={"code": world.place(side).county.code})


county.sided = True


def county_line(world, side):
    return Case(kwargs={"code": world.place(side).county.code, "line": "policies"})


county_line.sided = True


def county_target(world, side):
    return Case(kwargs={"code": world.place(side).county.code, "target": "satisfaction"})


county_target.sided = True

EVIDENCE = {"title": "配套办法", "url": "https://www.example.gov.cn/doc/1"}

ROWS = [
    # --- policies -----------------------------------------------------------------------------
    row("policies:policy_list", case=listing(policy_in, marker=lambda p: p.title), GET=shown(POLICY_READERS)),
    row("policies:policy_detail", case=detail(policy_in), GET=answers(POLICY_READERS)),
    row(
        "policies:task_list", case=listing(task_in, marker=lambda t: t.requirement), GET=shown(POLICY_READERS)
    ),
    row(
        "policies:task_detail",
        case=detail(task_in, data=EVIDENCE),
        GET=answers(POLICY_READERS),
        POST=answers(POLICY_WRITERS, ok=REDIRECT, write=True),
    ),
    row("policies:evidence_file", case=detail(evidence_in), GET=answers(POLICY_READERS)),
    row(
        "api:policies_policy_list",
        case=listing(policy_in, marker=lambda p: p.title, query={"page_size": 500}),
        GET=shown(POLICY_READERS, api=True),
    ),
    row(
        "api:policies_task_list",
        case=listing(task_in, marker=lambda t: t.requirement, query={"page_size": 500}),
        GET=shown(POLICY_READERS, api=True),
    ),
    row("api:policies_task_detail", case=detail(task_in), GET=answers(POLICY_READERS, api=True)),
    row(
        "api:policies_task_evidence",
        case=detail(task_in, data=EVIDENCE, format="multipart"),
        POST=answers(POLICY_WRITERS, ok=CREATED, api=True, write=True),
    ),
    # --- surveys and spot checks ------------------------------------------------------------
    row(
        "inspections:report_surveys",
        case=detail(filed_report_in, data=survey_data),
        GET=answers(CHECK_READERS, **FS_VILLAGE_ONLY),
        POST=answers(INSPECTORS, ok=REDIRECT, write=True),
    ),
    row("inspections:survey_rates", GET=answers(CHECK_READERS, sided=False)),
    row("inspections:team_check_list", GET=answers(CHECK_READERS, sided=False)),
    row(
        "inspections:spot_check",
        case=fixed(data={}),
        GET=answers(SPOT_CHECKERS, sided=False),
        POST=answers(SPOT_CHECKERS, ok=BAD_REQUEST, sided=False, write=True),
        note="an unannounced spot check (no plan); an empty form: 400 once the permission is checked",
    ),
    row(
        "inspections:team_check",
        case=GUESSED_TEAM,
        GET=answers(INSPECTORS, ok=NOT_FOUND, sided=False),
        POST=answers(INSPECTORS, ok=NOT_FOUND, sided=False, write=True),
        note="GUESSED: a plan that does not exist is 404 once the permission is checked",
    ),
    row(
        "api:inspections_api:report_surveys",
        case=detail(filed_report_in, data=survey_api_data, format="json"),
        GET=answers(CHECK_READERS, api=True, **FS_VILLAGE_ONLY),
        POST=answers(INSPECTORS, ok=CREATED, api=True, write=True),
    ),
    row("api:inspections_api:survey_rates", GET=answers(CHECK_READERS, api=True, sided=False)),
    row(
        "api:inspections_api:team_check_list",
        case=fixed(data={}),
        GET=answers(CHECK_READERS, api=True, sided=False),
        POST=answers(SPOT_CHECKERS, ok=BAD_REQUEST, api=True, sided=False, write=True),
        note="an empty check: 400 once the permission is checked",
    ),
    # --- coverage and the board -------------------------------------------------------------
    row("assistance:coverage", GET=answers(TEAM_READERS, sided=False)),
    row("api:assistance_coverage", GET=answers(TEAM_READERS, api=True, sided=False)),
    row("dashboard:board", GET=answers(DASHBOARD, sided=False)),
    row("dashboard:board_region", case=county, GET=answers(DASHBOARD)),
    row("dashboard:board_rows", case=county_line, GET=answers(DASHBOARD)),
    row("dashboard:board_target_rows", case=county_target, GET=answers(DASHBOARD)),
    row("dashboard:board_rows_export", case=county_line, GET=answers(DASHBOARD)),
    row("dashboard:board_target_rows_export", case=county_target, GET=answers(DASHBOARD)),
    row("api:dashboard_board", GET=answers(DASHBOARD, api=True, sided=False)),
]
