"""inspections: findings, visit plans and reports (四不两直), the rectification ledger,
notifications, the province problem lists (pages and API).

Permissions (inspections/apps.py): inspectors view, add and change everything; leaders view
everything; every county role views plans, reports, findings, photos, ledger items and
notifications; county clerks also change ledger items, notifications and answers, and read the
province problem lists. Secrecy: unfiled visit reports and plans are invisible to every county
persona (404), only city inspectors, leaders and administrators see them. A first secretary sees
rows of their team's villages only: findings and items are made in the own village, reports
belong to a county (so they are not the first secretary's).

Routes marked GUESSED point at an id that does not exist (building their objects takes the
whole inspection workflow): a role holding the permission gets 404, any other 403 — the
permission is checked before the lookup; the objects themselves are covered by tests/inspections.
"""

from __future__ import annotations

from django.utils import timezone

from inspections.models import ReportStatus
from tests.factories.inspections import (
    FindingFactory,
    RectificationItemFactory,
    VisitReportFactory,
    county_office,
)
from tests.security.authz_matrix import (
    BAD_REQUEST,
    CONFLICT,
    FORBIDDEN,
    HIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    OWN,
    Case,
    detail,
    expect,
    fixed,
    listing,
    row,
    unique,
)
from tests.security.rows._common import (
    ALL_ROLES,
    BODY_ROLES,
    CITY_ROLES,
    COUNTY_ROLES,
    OFFICE_ROLES,
    answers,
    shown,
)

# The bodies of issue 19.4 (组织部门, 纪委, 督导组) read what the county roles read, city-wide.
EVERYONE = (*OFFICE_ROLES, *BODY_ROLES)
INSPECTORS = ("inspector", "admin")
CLERK_WRITES = ("county_clerk", "inspector", "admin")
PROBLEM_READERS = ("county_clerk", "inspector", "leader", "admin")
GUESSED = fixed(kwargs={"pk": 999999999, "file_pk": 999999999})
FS_VILLAGE_ONLY = {"first_secretary": (NOT_FOUND, NOT_FOUND)}
FS_HIDDEN = {"first_secretary": HIDDEN}
SECRET = dict.fromkeys((*COUNTY_ROLES, *BODY_ROLES), NOT_FOUND)


def finding_in(place):
    return FindingFactory(region=place.village, description=unique("问题"))


def item_in(place):
    finding = FindingFactory(region=place.village)
    return RectificationItemFactory(
        finding=finding, region=place.village, responsible_unit=county_office(place.county.code),
        description=unique("整改"),
    )  # fmt: skip


def report_in(place, status=ReportStatus.FILED):
    filed_at = timezone.now() if status == ReportStatus.FILED else None
    return VisitReportFactory(county=place.county, place=unique("某村"), status=status, filed_at=filed_at)


def public_board(world, side):
    """The village's public board (村务公开), switched on; it is public by design."""
    from inspections.models import PublicBoardSettings

    settings = PublicBoardSettings.current()
    settings.enabled = True
    settings.save()
    return Case(kwargs={"code": world.place(OWN).village.code})


public_board.sided = False


def upload_without_file(world, side):
    return Case(data={}, format="multipart")


upload_without_file.sided = False


def draft_report_in(place):
    return report_in(place, status=ReportStatus.DRAFT)


def guessed(allowed, *, api=False, write=False, **overrides):
    """A missing object: 404 for a role with the permission, 403 for the others."""
    return answers(allowed, ok=NOT_FOUND, sided=False, api=api, write=write, **overrides)


LOOKUP_FIRST = dict.fromkeys((*ALL_ROLES, "county_admin", "township_officer", *BODY_ROLES), NOT_FOUND)


ROWS = [
    # --- pages --------------------------------------------------------------------------------
    row(
        "inspections:finding_list",
        case=listing(finding_in, marker=lambda f: f.description),
        GET=shown(EVERYONE),
    ),
    row(
        "inspections:finding_create",
        case=fixed(data={"description": ""}),
        GET=answers(INSPECTORS, sided=False),
        POST=answers(INSPECTORS, ok=BAD_REQUEST, sided=False),
        note="an invalid finding: 400 once the permission is checked",
    ),
    row("inspections:finding_detail", case=detail(finding_in), GET=answers(EVERYONE)),
    # Look-ups of the finding forms (core.pickers): JSON for those who record findings.
    row(
        "inspections:pick_units",
        case=fixed(query={"q": "扶贫", "county": "410821000000"}),
        GET=answers(INSPECTORS, sided=False),
    ),
    row("inspections:pick_villages", case=fixed(query={"q": "村"}), GET=answers(INSPECTORS, sided=False)),
    row("inspections:pick_households", case=fixed(query={"q": "户主"}), GET=answers(INSPECTORS, sided=False)),
    row("inspections:photo", case=GUESSED, GET=guessed(EVERYONE), note="GUESSED"),
    row("inspections:plan_list", GET=answers(EVERYONE, sided=False)),
    row(
        "inspections:plan_create",
        GET=answers(INSPECTORS, sided=False),
        POST=answers(INSPECTORS, ok=BAD_REQUEST, sided=False),
        note="an empty plan: 400 once the permission is checked",
    ),
    row("inspections:plan_detail", case=GUESSED, GET=guessed(EVERYONE), note="GUESSED"),
    row(
        "inspections:report_list",
        case=listing(report_in, marker=lambda r: r.place),
        GET=shown(EVERYONE, **FS_HIDDEN),
    ),
    row(
        "inspections:report_detail",
        case=detail(draft_report_in),
        GET=answers(EVERYONE, **SECRET),
        note="an unfiled (draft) visit report: invisible to every county persona, even in its county",
    ),
    row(
        "inspections:report_file",
        GET=answers(INSPECTORS, sided=False, admin=NOT_FOUND),
        POST=answers(INSPECTORS, ok=NOT_ALLOWED, sided=False),
        note="the phone page for inspectors (it sends reports through the API); an administrator "
        "is not an inspector: 404",
    ),
    row(
        "inspections:service_worker",
        GET=expect(default=OK),
        note="a static script served from /inspections/ so the filing page works offline",
    ),
    row(
        "inspections:item_list",
        case=listing(item_in, marker=lambda i: i.description),
        GET=shown(EVERYONE),
    ),
    row("inspections:item_detail", case=detail(item_in), GET=answers(EVERYONE)),
    row("inspections:evidence_file", case=GUESSED, GET=guessed(EVERYONE), note="GUESSED"),
    row("inspections:notification_list", GET=answers(EVERYONE, sided=False)),
    row("inspections:problem_list_list", GET=answers(PROBLEM_READERS, sided=False)),
    row(
        "inspections:problem_list_import",
        GET=answers(INSPECTORS, sided=False),
        POST=answers(INSPECTORS, ok=BAD_REQUEST, sided=False),
        note="without a file: 400 once the permission is checked",
    ),
    row("inspections:problem_list_detail", case=GUESSED, GET=guessed(PROBLEM_READERS), note="GUESSED"),
    row("inspections:recipient_detail", case=GUESSED, GET=guessed(PROBLEM_READERS), note="GUESSED"),
    row(
        "inspections:board",
        case=public_board,
        GET=expect(default=OK),
        note="the village public board is public (no log-in) when switched on; it shows only "
        "published notices and fund disclosures",
    ),
    # --- API ----------------------------------------------------------------------------------
    row("api:inspections_api:group_list", GET=answers(("inspector", "leader"), api=True, sided=False)),
    row("api:inspections_api:plan_list", GET=answers(EVERYONE, api=True, sided=False)),
    row("api:inspections_api:plan_detail", case=GUESSED, GET=guessed(EVERYONE, api=True), note="GUESSED"),
    row("api:inspections_api:plan_verify", case=GUESSED, GET=guessed(EVERYONE, api=True), note="GUESSED"),
    row(
        "api:inspections_api:report_list",
        case=listing(report_in, marker=lambda r: r.place, query={"page_size": 500}),
        GET=shown(EVERYONE, api=True, **FS_HIDDEN),
    ),
    row(
        "api:inspections_api:report_submit",
        case=fixed(data={}),
        POST=answers(INSPECTORS, ok=BAD_REQUEST, api=True, sided=False),
        note="an empty report: 400 once the permission is checked",
    ),
    row(
        "api:inspections_api:report_detail",
        case=detail(report_in),
        GET=answers(EVERYONE, api=True, **FS_VILLAGE_ONLY),
    ),
    row(
        "api:inspections_api:report_file",
        case=detail(draft_report_in),
        POST=answers(INSPECTORS, api=True),
    ),
    row(
        "api:inspections_api:finding_list",
        case=listing(finding_in, marker=lambda f: f.description, query={"page_size": 500}),
        GET=shown(EVERYONE, api=True),
    ),
    row("api:inspections_api:finding_detail", case=detail(finding_in), GET=answers(EVERYONE, api=True)),
    row(
        "api:inspections_api:finding_photo_upload",
        case=detail(finding_in, data={}, format="multipart"),
        POST=answers(INSPECTORS, ok=BAD_REQUEST, api=True),
        note="without a photo: 400 once the permission and the region are checked",
    ),
    row(
        "api:inspections_api:item_list",
        case=listing(item_in, marker=lambda i: i.description, query={"page_size": 500}),
        GET=shown(EVERYONE, api=True),
    ),
    row("api:inspections_api:item_export", GET=answers(EVERYONE, api=True, sided=False)),
    row("api:inspections_api:item_detail", case=detail(item_in), GET=answers(EVERYONE, api=True)),
    row(
        "api:inspections_api:item_submit",
        case=detail(item_in, data={}, format="multipart"),
        POST=answers(CLERK_WRITES, ok=BAD_REQUEST, api=True),
        note="without a report of the work: 400 once the permission and the region are checked",
    ),
    row(
        "api:inspections_api:item_close",
        case=detail(item_in, data={}),
        POST=answers(CLERK_WRITES, ok=BAD_REQUEST, api=True, inspector=CONFLICT),
        note="an open item cannot be closed (409) by the inspector who may close a submitted one; a "
        "clerk's or an administrator's close is refused as a rule (400)",
    ),
    row(
        "api:inspections_api:item_send_back",
        case=detail(item_in, data={}),
        POST=answers(CLERK_WRITES, ok=BAD_REQUEST, api=True),
    ),
    row("api:inspections_api:notification_list", GET=answers(EVERYONE, api=True, sided=False)),
    row(
        "api:inspections_api:notification_read",
        case=GUESSED,
        POST=guessed(CLERK_WRITES, api=True),
        note="GUESSED",
    ),
    row("api:inspections_api:problem_list_list", GET=answers(PROBLEM_READERS, api=True, sided=False)),
    row(
        "api:inspections_api:problem_list_import",
        case=upload_without_file,
        POST=answers(INSPECTORS, ok=BAD_REQUEST, api=True, sided=False),
    ),
    row(
        "api:inspections_api:problem_list_send",
        case=GUESSED,
        POST=guessed(INSPECTORS, api=True),
        note="GUESSED",
    ),
    row(
        "api:inspections_api:problem_list_recipients",
        case=GUESSED,
        GET=guessed(PROBLEM_READERS, api=True, **LOOKUP_FIRST),
        note="GUESSED; the list is looked up before the permission is checked, so a missing id is "
        "404 for every role (outside the region: 404, the convention)",
    ),
    row(
        "api:inspections_api:recipient_answers",
        case=GUESSED,
        GET=guessed(PROBLEM_READERS, api=True, **LOOKUP_FIRST),
        note="GUESSED; the list is looked up before the permission is checked, so a missing id is "
        "404 for every role (outside the region: 404, the convention)",
    ),
    row("api:inspections_api:answer", case=GUESSED, POST=guessed(CLERK_WRITES, api=True), note="GUESSED"),
    row(
        "api:inspections_api:answer_absent",
        case=GUESSED,
        POST=guessed(CLERK_WRITES, api=True),
        note="GUESSED",
    ),
]
_ = (CITY_ROLES, FORBIDDEN)
