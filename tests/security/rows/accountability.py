"""accountability: responsibilities, assessment schemes and scores, cases (问责), promotion bans,
monthly bulletins (pages and API).

Permissions (accountability/apps.py): leaders read everything; administrators (superusers) do
everything; county clerks, inspectors, assistance officers and first secretaries read
responsibilities; finance officers and auditors have no part. The writers are the bodies of issue
19.4, each reading everything: the discipline commission (纪委) decides cases, the organisation
department (组织部门) assigns responsibilities and runs the annual assessment, the supervision group
(督导组) regenerates the monthly bulletin and proposes cases; the city reviewer records the
rectification acceptance. Cases and bans are "own or in
scope": an officer sees the cases about themself, deciders and leaders those of their region,
everyone else none (404, never 403).

Routes marked GUESSED point at an id that does not exist (scores and bulletins come from the
monthly computation): a role holding the permission gets 404, any other 403.
"""

from __future__ import annotations

from tests.factories.accountability import CaseFactory, ResponsibilityFactory, SchemeFactory
from tests.factories.core import OfficerFactory, UnitFactory
from tests.security.authz_matrix import (
    BAD_REQUEST,
    CONFLICT,
    FORBIDDEN,
    HIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    detail,
    fixed,
    listing,
    row,
    unique,
)
from tests.security.rows._common import ALL_ROLES, BODY_ROLES, COUNTY_ADMIN, TOWNSHIP_OFFICER, answers, shown

# The bodies of issue 19.4 read the whole app in their region; each writes its own part.
VIEW_ALL = ("leader", "admin", *BODY_ROLES)
# 市脱贫攻坚领导小组's reviewers: the city reviewer role records rectification acceptances.
LEADING_GROUP = ("leader", "city_reviewer", "admin", *BODY_ROLES)
# 纪委 decides and follows up cases; 组织部门 assigns responsibilities and runs the annual assessment;
# 市委督导组 publishes (regenerates) the monthly bulletin. The administrator does everything.
DECIDERS = ("discipline_commission",)
ORGANISATION = ("organisation_department",)
SUPERVISION = ("supervision_group",)
# 一月一问责: the supervision group proposes the month's cases (the discipline commission may too).
PROPOSERS = ("supervision_group", "discipline_commission")
RESPONSIBILITY_READERS = (
    "county_clerk",
    "inspector",
    "assistance_officer",
    "first_secretary",
    "leader",
    "admin",
    *BODY_ROLES,
)
GUESSED = fixed(kwargs={"pk": 999999999})
# Every persona, the county administrator too: what an officer sees of themself, and 404s that come
# before any permission.
PERSONAS = (*ALL_ROLES, COUNTY_ADMIN, TOWNSHIP_OFFICER, *BODY_ROLES)
NONE_OF_THEIRS = {r: NOT_FOUND for r in PERSONAS if r not in VIEW_ALL}
NOT_THERE = dict.fromkeys(PERSONAS, NOT_FOUND)
OWN_ONLY = "an officer lists the cases and bans about themself: others' are hidden, never 403"
OWN_ONLY_LIST = {r: OK for r in PERSONAS if r not in VIEW_ALL}
OWN_ONLY_HIDDEN = {r: HIDDEN for r in PERSONAS if r not in VIEW_ALL}


def officer_in(place):
    unit = UnitFactory(region=place.county, name=unique("单位"))
    return OfficerFactory(unit=unit, region=place.county, name=unique("干部"))


def case_in(place):
    return CaseFactory(subject_officer=officer_in(place), region=place.county, grounds=unique("问责"))


def responsibility_in(place):
    return ResponsibilityFactory(officer=officer_in(place), region=place.village, duty=unique("职责"))


def guessed(allowed, *, api=False, **overrides):
    return answers(allowed, ok=NOT_FOUND, sided=False, api=api, **overrides)


ROWS = [
    # --- pages --------------------------------------------------------------------------------
    row(
        "accountability:case_list",
        case=listing(case_in, marker=lambda c: c.subject_officer.name),
        GET=shown(VIEW_ALL),
    ),
    row(
        "accountability:case_detail",
        case=detail(case_in),
        GET=answers(VIEW_ALL, **NONE_OF_THEIRS),
        note="a case about someone else is not there (404) for a role that does not read cases",
    ),
    row(
        "accountability:case_confirm",
        case=detail(case_in, data={}),
        POST=answers(DECIDERS, ok=BAD_REQUEST),
        note="an empty decision: 400 once the permission and the region are checked",
    ),
    row(
        "accountability:case_propose",
        case=fixed(data={}),
        GET=answers(PROPOSERS, sided=False),
        POST=answers(PROPOSERS, ok=BAD_REQUEST, sided=False, write=True),
        note="an empty proposal: 400 once the permission is checked",
    ),
    # Look-ups of the proposal form (core.pickers): JSON for those who propose cases.
    row("accountability:pick_officers", case=fixed(query={"q": "干部"}), GET=answers(PROPOSERS, sided=False)),
    row("accountability:pick_units", case=fixed(query={"q": "单位"}), GET=answers(PROPOSERS, sided=False)),
    row("accountability:case_dismiss", case=detail(case_in, data={}), POST=answers(DECIDERS, ok=BAD_REQUEST)),
    row("accountability:case_close", case=detail(case_in, data={}), POST=answers(DECIDERS, ok=BAD_REQUEST)),
    row(
        "accountability:responsibility_list",
        case=listing(responsibility_in, marker=lambda r: r.officer.name),
        GET=shown(RESPONSIBILITY_READERS),
    ),
    row(
        "accountability:responsibility_add",
        GET=answers(ORGANISATION, sided=False),
        POST=answers(ORGANISATION, ok=BAD_REQUEST, sided=False),
        note="an empty form: 400 once the permission is checked",
    ),
    row("accountability:score_list", GET=answers(VIEW_ALL, sided=False)),
    row(
        "accountability:score_detail",
        case=GUESSED,
        GET=guessed(VIEW_ALL, **NOT_THERE),
        note='GUESSED; no permission on the page, the scores are "own or in scope": 404 for everyone',
    ),
    row(
        "accountability:officer_record",
        case=detail(officer_in),
        GET=answers(VIEW_ALL, **NONE_OF_THEIRS),
        note="everyone sees their own record; another officer's only with the case permission",
    ),
    row(
        "accountability:my_record",
        GET=answers(PERSONAS, sided=False, first_secretary=REDIRECT),
        note="a user who is an officer (the first secretary persona) is sent to their record",
    ),
    row("accountability:bulletin_list", GET=answers(VIEW_ALL, sided=False)),
    row(
        "accountability:bulletin_latest",
        GET=answers(VIEW_ALL, sided=False, ok=NOT_FOUND),
        note="no bulletin has been made in the matrix's database: 404 for those who may read them",
    ),
    row("accountability:bulletin_detail", case=GUESSED, GET=guessed(VIEW_ALL), note="GUESSED"),
    row("accountability:bulletin_xlsx", case=GUESSED, GET=guessed(VIEW_ALL), note="GUESSED"),
    row("accountability:bulletin_compare", case=GUESSED, GET=guessed(VIEW_ALL), note="GUESSED"),
    row("accountability:bulletin_regenerate", case=GUESSED, POST=guessed(SUPERVISION), note="GUESSED"),
    # --- API ----------------------------------------------------------------------------------
    row(
        "api:accountability_responsibility_list",
        case=listing(responsibility_in, marker=lambda r: r.duty, query={"page_size": 500}),
        GET=shown(RESPONSIBILITY_READERS, api=True),
    ),
    row(
        "api:accountability_responsibility_detail",
        case=detail(responsibility_in),
        GET=answers(RESPONSIBILITY_READERS, api=True),
    ),
    row(
        "api:accountability_responsibility_end",
        case=detail(responsibility_in, data={}),
        POST=answers(ORGANISATION, ok=BAD_REQUEST, api=True),
        note="without an end date: 400 once the permission and the region are checked",
    ),
    row(
        "api:accountability_responsible_for",
        case=fixed(query={"region": "410821000000", "on": "2017-06-01"}),
        GET=answers(RESPONSIBILITY_READERS, api=True, sided=False),
    ),
    row("api:accountability_scheme_list", GET=answers(VIEW_ALL, api=True, sided=False)),
    row(
        "api:accountability_scheme_detail",
        case=detail(lambda place: SchemeFactory(code=unique("scheme")[:20])),
        GET=answers(VIEW_ALL, api=True, sided=False),
    ),
    row("api:accountability_score_list", GET=answers(VIEW_ALL, api=True, sided=False)),
    row("api:accountability_grade_list", GET=answers(VIEW_ALL, api=True, sided=False)),
    row(
        "api:accountability_case_list",
        case=listing(case_in, marker=lambda c: c.grounds, query={"page_size": 500}),
        GET=shown(VIEW_ALL, api=True, **OWN_ONLY_HIDDEN),
        POST=answers(PROPOSERS, ok=BAD_REQUEST, api=True, sided=False, write=True),
        note=f"{OWN_ONLY}; POST proposes a case (an empty one: 400 once the permission is checked)",
    ),
    row(
        "api:accountability_case_detail",
        case=detail(case_in),
        GET=answers(VIEW_ALL, api=True, **NONE_OF_THEIRS),
    ),
    row(
        "api:accountability_case_confirm",
        case=detail(case_in, data={}),
        POST=answers(DECIDERS, ok=BAD_REQUEST, api=True),
    ),
    row(
        "api:accountability_case_dismiss",
        case=detail(case_in, data={}),
        POST=answers(DECIDERS, ok=BAD_REQUEST, api=True),
    ),
    row(
        "api:accountability_case_close",
        case=detail(case_in, data={}),
        POST=answers(DECIDERS, ok=CONFLICT, api=True),
        note="an open case cannot be closed before it is confirmed (409)",
    ),
    row(
        "api:accountability_ban_list",
        GET=answers(VIEW_ALL, api=True, sided=False, **OWN_ONLY_LIST),
        note=OWN_ONLY,
    ),
    row(
        "api:accountability_eligibility",
        case=detail(officer_in),
        GET=answers(VIEW_ALL, api=True, **NONE_OF_THEIRS),
    ),
    row("api:accountability_bulletin_list", GET=answers(VIEW_ALL, api=True, sided=False)),
    row("api:accountability_bulletin_detail", case=GUESSED, GET=guessed(VIEW_ALL, api=True), note="GUESSED"),
    row("api:accountability_bulletin_xlsx", case=GUESSED, GET=guessed(VIEW_ALL, api=True), note="GUESSED"),
    row(
        "api:accountability_bulletin_regenerate",
        case=GUESSED,
        POST=guessed(SUPERVISION, api=True),
        note="GUESSED",
    ),
    # --- the annual assessment, appeals, vetoes, rectification acceptance (issue 19.1-19.3) -------
    # The organisation department (grades, appeals, the annual bulletin) and the leading group's reviewers
    # (city_reviewer) write. Grades and vetoes are "own or in scope".
    row("accountability:grade_list", GET=answers(VIEW_ALL, sided=False)),
    row(
        "accountability:grade_add",
        GET=answers(ORGANISATION, sided=False),
        POST=answers(ORGANISATION, ok=BAD_REQUEST, sided=False),
        note="an empty form: 400 once the permission is checked",
    ),
    row(
        "accountability:grade_detail",
        case=GUESSED,
        GET=guessed(VIEW_ALL, **NOT_THERE),
        note="GUESSED; the graded see their own grade: no permission on the page, 404 for everyone",
    ),
    row(
        "accountability:grade_appeal",
        case=GUESSED,
        POST=guessed(VIEW_ALL, **(NOT_THERE | {"leader": FORBIDDEN})),
        note="GUESSED; the graded appeal: 404 before anything, leaders never write",
    ),
    row(
        "accountability:appeal_decide",
        case=GUESSED,
        GET=guessed(ORGANISATION),
        POST=guessed(ORGANISATION),
        note="GUESSED",
    ),
    row("accountability:annual_bulletin_list", GET=answers(VIEW_ALL, sided=False)),
    row(
        "accountability:annual_bulletin_publish",
        POST=answers(ORGANISATION, ok=REDIRECT, sided=False),
        note="without a year: back to the grades with the error",
    ),
    row("accountability:annual_bulletin_detail", case=GUESSED, GET=guessed(VIEW_ALL), note="GUESSED"),
    row("accountability:annual_bulletin_xlsx", case=GUESSED, GET=guessed(VIEW_ALL), note="GUESSED"),
    row("accountability:veto_list", GET=answers(VIEW_ALL, sided=False)),
    row("accountability:veto_xlsx", GET=answers(VIEW_ALL, sided=False)),
    row("accountability:review_list", GET=answers(LEADING_GROUP, sided=False)),
    row(
        "accountability:review_add",
        GET=answers(("city_reviewer",), sided=False),
        POST=answers(("city_reviewer",), ok=BAD_REQUEST, sided=False),
        note="the leading group's reviewers (city_reviewer); an empty form: 400",
    ),
    row(
        "api:accountability_grade_detail",
        case=GUESSED,
        GET=guessed(VIEW_ALL, api=True, **NOT_THERE),
        note="GUESSED; own or in scope",
    ),
    row(
        "api:accountability_grade_appeal",
        case=GUESSED,
        POST=guessed(VIEW_ALL, api=True, **(NOT_THERE | {"leader": FORBIDDEN})),
        note="GUESSED",
    ),
    row("api:accountability_appeal_list", GET=answers(PERSONAS, api=True, sided=False), note=OWN_ONLY),
    row(
        "api:accountability_appeal_decide", case=GUESSED, POST=guessed(ORGANISATION, api=True), note="GUESSED"
    ),
    row("api:accountability_veto_list", GET=answers(PERSONAS, api=True, sided=False), note=OWN_ONLY),
    row("api:accountability_veto_xlsx", GET=answers(VIEW_ALL, api=True, sided=False)),
    row("api:accountability_review_list", GET=answers(LEADING_GROUP, api=True, sided=False)),
    row("api:accountability_annual_bulletin_list", GET=answers(VIEW_ALL, api=True, sided=False)),
    row(
        "api:accountability_annual_bulletin_detail",
        case=GUESSED,
        GET=guessed(VIEW_ALL, api=True),
        note="GUESSED",
    ),
    row(
        "api:accountability_annual_bulletin_xlsx",
        case=GUESSED,
        GET=guessed(VIEW_ALL, api=True),
        note="GUESSED",
    ),
]
