"""households: the registry pages and API (households, members, procedures, duplicates,
re-verification campaigns, Excel import).

Permissions (households/apps.py): every role reads households; county clerks and administrators
change them (procedures, imports, reveal of ID numbers, duplicates, campaigns); leaders also read
duplicates and campaigns and export; auditors export. A first secretary sees the villages of their
work team only (the persona's team serves the village the own side uses, see rows/assistance.py).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from core import xlsx
from households.models import DuplicateCandidate, DuplicateReason, HouseholdImport, ImportStatus
from households.services.campaigns import campaign_create
from tests.factories.households import HouseholdFactory, MemberFactory, member_data
from tests.security.authz_matrix import (
    BAD_REQUEST,
    CREATED,
    FORBIDDEN,
    HIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    REDIRECT,
    ROLES,
    UNAUTHORIZED,
    Case,
    detail,
    expect,
    fixed,
    listing,
    row,
    unique,
)
from tests.security.rows._common import ALL_ROLES, answers, body, shown, sided_case

# The county administrator (县级管理员, issue 17.2) reads the register as every office role does and
# imports (and alone may load an existing register; so it may see full ID numbers, each view
# logged); it does not edit households or members by hand (least privilege: its cross-check
# decisions start the removal or the member's correction through their own services).
EVERYONE = (*ALL_ROLES, "county_admin")
CLERKS = ("county_clerk", "admin")
IMPORTERS = (*CLERKS, "county_admin")
REVEALERS = (*CLERKS, "county_admin")  # households.view_full_id_number
CHANGERS = CLERKS
WITH_LEADER = ("county_clerk", "admin", "leader")
EXPORTERS = ("county_clerk", "admin", "leader", "auditor")
# County roles without the permission, when the view finds the object (scoped) before it checks
# the permission: 403 inside their county, 404 outside (the convention; nothing is confirmed).
OUTSIDE_FIRST = dict.fromkeys(
    (
        "assistance_officer",
        "first_secretary",
        "finance_officer",
        "auditor",
        "county_admin",
        "township_officer",
    ),
    (FORBIDDEN, NOT_FOUND),
)
XLSX_HEADER = b"PK"


def household_in(place):
    return HouseholdFactory(village=place.village, head_name=unique("户主"))


def household_with_member(place):
    household = household_in(place)
    MemberFactory(household=household, name=household.head_name)
    return household


def searched_by_id_number(world, side):
    """The search box's POST: a full ID number of a member of a household in the own or the
    other county, in the body (issue 15.9). One match is its page; none is the empty list."""
    from tests.factories.households import valid_id_number

    place = world.place(side)
    household = household_in(place)
    number = valid_id_number()
    MemberFactory(household=household, name=household.head_name, id_number=number)
    return Case(data={"q": number}, marker=household.head_name)


def searched_by_id_number_api(world, side):
    case = searched_by_id_number(world, side)
    return Case(data={"id_number": case.data["q"]}, marker=case.marker)


def member_case(place):
    household = household_in(place)
    member = MemberFactory(household=household, name=unique("成员"))
    return Case(kwargs={"pk": household.pk, "member_pk": member.pk}, data={"migrant_months": 3})


def duplicate_in(place):
    a, b = household_in(place), household_in(place)
    return DuplicateCandidate.objects.create(
        household_a=a, household_b=b, reason=DuplicateReason.PHONE, detail=a.head_name
    )


def campaign_in(place):
    household_in(place)
    return campaign_create(actor=_owner(place), name=unique("复查"), region=place.village)


def check_in(place):
    return campaign_in(place).checks.get()


def import_in(place, *, report=False):
    job = HouseholdImport.objects.create(
        file_name=unique("import") + ".xlsx", region=place.county, created_by=_owner(place),
        status=ImportStatus.DONE,
    )  # fmt: skip
    job.file.save("in.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    if report:  # as the import writes it: sheet 1 one line per error (row, column, reason)
        book = xlsx.Workbook()
        book.sheet("错误", headers=["行号", "字段", "错误"]).append([2, "身份证号", "身份证号校验位不正确"])
        job.error_report.save("errors.xlsx", ContentFile(book.content()), save=False)
        job.error_rows = 1
    job.save()
    return job


def step_evidence_in(place):
    """A procedure step's evidence file on a household of the side (served by households:step_evidence)."""
    from households.models import ProcedureCase, ProcedureStep, StepEvidence

    household, owner = household_in(place), _owner(place)
    case = ProcedureCase.objects.create(household=household, kind="entry", started_by=owner)
    step = ProcedureStep.objects.create(
        case=case, step="village_review", actor=owner, date=timezone.localdate()
    )
    evidence = StepEvidence(step=step, name="会议记录.pdf")
    evidence.file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"), save=False)
    evidence.save()
    return Case(kwargs={"pk": household.pk, "evidence_pk": evidence.pk})


def _owner(place):
    from tests.conftest import make_user

    code = place.county.code
    return make_user("county_clerk", code, username=f"matrix_owner_{code}")


def household_form(household, place):
    return {"income": "", "reason": "x"}


def income_data(household, place):
    return {"year": timezone.localdate().year - 1, "per_capita_net_income": "5200.00"}


ROWS = [
    # --- pages --------------------------------------------------------------------------------
    row(
        "households:list",
        case=searched_by_id_number,
        GET=shown(EVERYONE),
        POST=answers(EVERYONE, ok=REDIRECT, other=HIDDEN),
        note="POST: the search box with a full ID number in the body; the one match redirects to its "
        "page, a household outside the scope is not found (tests/households/test_id_number_search_by_post.py)",
    ),
    row(
        "households:export",
        case=fixed(),
        GET=answers(EXPORTERS, sided=False),
        note="the workbook holds the actor's scope only (checked by tests/households)",
    ),
    row(
        "households:create",
        case=body(lambda place: {"village": place.village.code}),
        GET=answers(CLERKS, sided=False),
        POST=answers(CLERKS, ok=BAD_REQUEST, sided=False),
        note="POST with an incomplete form (no members): 400 shows the permission and the read-only "
        "checks passed; registering is covered by tests/households",
    ),
    row(
        "households:detail",
        case=detail(household_in),
        GET=answers(EVERYONE),
    ),
    row(
        "households:card",
        case=detail(household_in),
        GET=answers(EVERYONE),
        note="the printable 户卡: the household page's readers and scope",
    ),
    row(
        "households:edit",
        case=detail(household_in, data={"attribute": ""}),
        GET=answers(CHANGERS),
        POST=answers(CHANGERS, ok=BAD_REQUEST),
        note="POST with an invalid form: 400 once the permission and the region are checked",
    ),
    row(
        "households:reveal",
        case=sided_case(member_case),
        GET=answers(REVEALERS, ok=NOT_ALLOWED, other=NOT_ALLOWED),
        POST=answers(REVEALERS),
        note="the full ID number: POST only, logged",
    ),
    row(
        "households:step",
        case=sided_case(
            lambda place: Case(
                kwargs={"pk": household_in(place).pk, "kind": "exit", "step": "democratic_review"},
                data={"date": "2024-03-01"},
            )
        ),
        GET=answers(CLERKS),
        POST=answers(CLERKS, ok=BAD_REQUEST),
        note="POST without the vote and its minutes: 400 once the permission and the region are "
        "checked; the procedures themselves: tests/households/test_*_procedure.py",
    ),
    row(
        "households:status",
        case=sided_case(
            lambda place: Case(
                kwargs={"pk": household_in(place).pk, "action": "remove"}, data={"reason": "识别不精准"}
            )
        ),
        GET=answers(CLERKS),
        POST=answers(CLERKS, ok=REDIRECT),
    ),
    row(
        "households:move",
        case=detail(
            household_in,
            data=lambda h, place: {"to_village": _second_village(place).code, "reason": "relocation"},
        ),
        GET=answers(CHANGERS),
        POST=answers(CHANGERS, ok=REDIRECT),
    ),
    row(
        "households:income",
        case=detail(household_in, data=income_data),
        GET=answers(CHANGERS),
        POST=answers(CHANGERS, ok=REDIRECT),
    ),
    row(
        "households:duplicates",
        case=listing(duplicate_in, marker=lambda c: c.household_a.head_name),
        GET=shown(WITH_LEADER),
        POST=answers(CLERKS, ok=REDIRECT, sided=False, leader=FORBIDDEN),
        note="POST scans the actor's region for new pairs",
    ),
    row(
        "households:duplicate_review",
        case=detail(duplicate_in, data={"decision": "different"}),
        POST=answers(CLERKS, ok=REDIRECT),
    ),
    row(
        "households:campaigns",
        case=body(lambda place: {"name": unique("复查"), "region": place.township.code}),
        GET=answers(WITH_LEADER, sided=False),
        POST=answers(CLERKS, ok=REDIRECT, county_clerk=(REDIRECT, BAD_REQUEST)),
        note="the region is a choice among the actor's own regions: another county's is not a valid "
        "choice (400, the form names no row)",
    ),
    row(
        "households:campaign",
        case=detail(campaign_in),
        GET=answers(WITH_LEADER),
    ),
    row(
        "households:check",
        case=detail(check_in, data={"findings": "信息无误", "attribute": "general", "main_cause": "illness"}),
        GET=answers(CLERKS),
        POST=answers(CLERKS, ok=REDIRECT),
    ),
    row(
        "households:import",
        case=fixed(data={"mode": "valid_rows"}),
        GET=answers(IMPORTERS, sided=False),
        POST=answers(IMPORTERS, ok=BAD_REQUEST, sided=False),
        note="POST without a file: 400 once the permission is checked; uploads: tests/security/test_uploads.py",
    ),
    row("households:import_template", GET=answers(IMPORTERS, sided=False)),
    row("households:import_status", case=detail(import_in), GET=answers(IMPORTERS)),
    row(
        "households:step_evidence",
        case=sided_case(step_evidence_in),
        GET=answers(EVERYONE),
        note="served by core.uploads.serve_upload after the household's scope check",
    ),
    row(
        "households:import_report",
        case=detail(lambda place: import_in(place, report=True)),
        GET=answers(IMPORTERS),
    ),
    # --- API ----------------------------------------------------------------------------------
    row(
        "api:household_list",
        case=listing(household_in, marker=lambda h: h.head_name, query={"page_size": 500}),
        GET=shown(EVERYONE, api=True),
    ),
    row(
        "api:household_feed",
        case=listing(household_in, marker=lambda h: h.head_name, query={"page_size": 500}),
        GET=shown(EVERYONE, api=True),
        note="the change feed: the household list's readers and scope, in transaction order",
    ),
    row(
        "api:household_search",
        case=searched_by_id_number_api,
        POST=shown(EVERYONE, api=True),
        note="exact search by a full ID number in the body (never in a URL); leaders may send it",
    ),
    row(
        "api:household_detail",
        case=detail(household_in, data={"address": "二组3号"}),
        GET=answers(EVERYONE, api=True),
        PATCH=answers(CHANGERS, api=True),
    ),
    row(
        "api:member_list",
        case=detail(household_with_member, data=lambda h, place: member_data(relation="son")),
        GET=answers(EVERYONE, api=True),
        POST=answers(CLERKS, ok=CREATED, api=True),
    ),
    row(
        "api:member_detail",
        case=sided_case(member_case),
        GET=answers(EVERYONE, api=True),
        PATCH=answers(CHANGERS, api=True),
    ),
    row(
        "api:member_id_number",
        case=sided_case(member_case),
        GET=expect(anonymous=UNAUTHORIZED, default=NOT_ALLOWED),
        POST=answers(REVEALERS, api=True),
    ),
    row(
        "api:income",
        case=detail(household_in, data=income_data),
        POST=answers(CHANGERS, ok=CREATED, api=True),
    ),
    row("api:procedure_list", case=detail(household_in), GET=answers(EVERYONE, api=True)),
    row(
        "api:procedure_step",
        case=sided_case(
            lambda place: Case(
                kwargs={"pk": household_in(place).pk, "kind": "exit"},
                data={"step": "democratic_review", "date": "2024-03-01"},
                format="multipart",
            )
        ),
        POST=answers(CLERKS, ok=BAD_REQUEST, api=True),
        note="without the vote and its minutes: 400 once the permission and the region are checked",
    ),
    row(
        "api:status",
        case=detail(household_in, data={"action": "remove", "reason": "识别不精准"}),
        POST=answers(CLERKS, api=True),
    ),
    row(
        "api:move",
        case=detail(
            household_in,
            data=lambda h, place: {"to_village": _second_village(place).code, "reason": "relocation"},
        ),
        POST=answers(CHANGERS, api=True),
    ),
    row(
        "api:duplicate_list",
        case=listing(duplicate_in, marker=lambda c: c.household_a.head_name, query={"page_size": 500}),
        GET=shown(WITH_LEADER, api=True),
    ),
    row(
        "api:duplicate_review",
        case=detail(duplicate_in, data={"decision": "different"}),
        POST=answers(CLERKS, api=True),
    ),
    row(
        "api:campaign_list",
        case=body(lambda place: {"name": unique("复查"), "region": place.village.code}),
        GET=answers(WITH_LEADER, api=True, sided=False),
        POST=answers(CLERKS, ok=CREATED, api=True),
    ),
    row("api:campaign_detail", case=detail(campaign_in), GET=answers(WITH_LEADER, api=True)),
    row(
        "api:campaign_checks",
        case=detail(campaign_in),
        GET=answers(WITH_LEADER, api=True, **OUTSIDE_FIRST),
        note="the campaign is looked up before the permission: outside the region 404, inside 403",
    ),
    row(
        "api:check",
        case=detail(check_in, data={"findings": "信息无误"}),
        GET=answers(WITH_LEADER, api=True),
        PATCH=answers(CLERKS, api=True),
    ),
    row(
        "api:import_create",
        case=body(lambda place: {"mode": "valid_rows"}, format="multipart"),
        POST=answers(IMPORTERS, ok=BAD_REQUEST, sided=False, api=True),
        note="without a file: 400 once the permission is checked",
    ),
    row("api:import_status", case=detail(import_in), GET=answers(IMPORTERS, api=True)),
    row(
        "api:import_error_report",
        case=detail(lambda place: import_in(place, report=True)),
        GET=answers(IMPORTERS, api=True),
        note="the error report with the API's own authentication (a token), not the web login",
    ),
    row("api:poverty_lines", GET=answers(EVERYONE, api=True, sided=False)),
]


def _second_village(place):
    from core.models import Region

    return Region.objects.filter(parent=place.township, level="village").order_by("code")[1]


# --- across counties (issue 15.4, 15.5): transfers, and the city's queue of duplicates ------------
THIRD_COUNTY = "410823000000"  # 武陟县: the far side of each pair or transfer, neither persona's county


def _third_village():
    from core.models import Region

    return Region.objects.filter(code__startswith=THIRD_COUNTY[:6], level="village").order_by("code").first()


def transfer_into(place):
    """A household of a third county released to the own or the other county's village."""
    from households.models import HouseholdTransfer
    from tests.conftest import make_user

    household = HouseholdFactory(village=_third_village(), head_name=unique("迁入户"))
    releaser = make_user("county_clerk", THIRD_COUNTY, username=f"matrix_releaser_{unique('u')}")
    return HouseholdTransfer.objects.create(
        household=household, from_village=household.village, to_village=place.village, reason="marriage",
        released_by=releaser,
    )  # fmt: skip


def cross_county_pair_in(place):
    """A possible duplicate between a household of the own or the other county and one of a third."""
    here, there = household_in(place), HouseholdFactory(village=_third_village(), head_name=unique("户主"))
    a, b = sorted((here, there), key=lambda h: h.pk)
    return DuplicateCandidate.objects.create(
        household_a=a, household_b=b, reason=DuplicateReason.PHONE, detail=here.head_name
    )


CITY_REVIEW = ("city_reviewer", "leader")  # leaders read the queue; only the reviewer decides
# A service account reads through the API what a leader reads, but not the city's queue: both
# sides' personal details are for the city reviewer (and leaders) only.
NO_INTEGRATION = {"integration": FORBIDDEN} if "integration" in ROLES else {}

ROWS += [
    row(
        "households:transfers",
        case=listing(transfer_into, marker=lambda t: t.household.head_name),
        GET=shown(CHANGERS),
        note="households released to the actor's region by another county, to accept or decline",
    ),
    row(
        "households:transfer_decide",
        case=detail(transfer_into, data={"decision": "accept"}),
        POST=answers(CHANGERS, ok=REDIRECT),
        note="accepting moves the household; only a clerk of the receiving region may",
    ),
    row(
        "households:duplicate_city_queue",
        case=listing(cross_county_pair_in, marker=lambda c: c.detail),
        GET=shown(CITY_REVIEW),
        note="pairs in two counties, both sides in full: the city only (county roles 403)",
    ),
    row(
        "households:duplicate_city_review",
        case=detail(cross_county_pair_in, data={"decision": "different", "note": "核实为不同人"}),
        POST=answers(("city_reviewer",), ok=REDIRECT),
    ),
    row(
        "api:transfer_list",
        case=listing(transfer_into, marker=lambda t: t.household.head_name),
        GET=shown(CHANGERS, api=True),
    ),
    row(
        "api:transfer_decide",
        case=detail(transfer_into, data={"decision": "accept"}),
        POST=answers(CHANGERS, api=True),
    ),
    row(
        "api:duplicate_city_list",
        case=listing(cross_county_pair_in, marker=lambda c: c.detail, query={"page_size": 500}),
        GET=shown(CITY_REVIEW, api=True, **NO_INTEGRATION),
    ),
    row(
        "api:duplicate_city_review",
        case=detail(cross_county_pair_in, data={"decision": "different", "note": "核实为不同人"}),
        POST=answers(("city_reviewer",), api=True),
    ),
]
