"""assistance: plans, measures, evidence, work teams (pages and API).

Permissions (assistance/apps.py): assistance officers, first secretaries, county clerks and
administrators keep plans (add / change plans and measures, add evidence); clerks and
administrators manage work teams; leaders, auditors, inspectors and finance officers read.
A first secretary sees only the villages their current work team serves: the matrix persona
leads a team serving the village where the own side's objects are made (PERSONA_SETUP).
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from assistance.models import Evidence, KindCause, MeasureFitReview, MeasureKind
from core.models import Role
from households.models import PovertyCause
from tests.factories.assistance import MeasureFactory, PlanFactory, VillageTeamFactory
from tests.factories.core import OfficerFactory, UnitFactory
from tests.factories.households import HouseholdFactory
from tests.security.authz_matrix import (
    BAD_REQUEST,
    HIDDEN,
    NOT_FOUND,
    REDIRECT,
    detail,
    fixed,
    listing,
    row,
    unique,
)
from tests.security.rows._common import OFFICE_ROLES, answers, body, shown

KEEPERS = ("assistance_officer", "first_secretary", "county_clerk", "admin")
TEAM_MANAGERS = ("county_clerk", "admin")
# The county's assistance settings (the kinds' table) and the review of unfit measures: the team
# managers and the county administrator (县级管理员).
SETTINGS_KEEPERS = (*TEAM_MANAGERS, "county_admin")
SETTINGS_READERS = (*OFFICE_ROLES, "county_admin")
READERS = OFFICE_ROLES
OWN_TEAMS = "a first secretary sees the teams they lead, not another team serving the same village"


def household_in(place):
    return HouseholdFactory(village=place.village, head_name=unique("户主"))


def plan_in(place):
    return PlanFactory(household=household_in(place), summary=unique("帮扶计划"))


def measure_in(place):
    return MeasureFactory(plan=plan_in(place), title=unique("措施"))


def evidence_in(place):
    measure = measure_in(place)
    evidence = Evidence(measure=measure, original_name="photo.pdf", content_type="application/pdf", size=16)
    evidence.file.save("photo.pdf", ContentFile(b"%PDF-1.4 evidence"), save=False)
    evidence.save()
    return evidence


def _free_kind_cause(county):
    """A (kind, cause) the county does not count yet (each extension is unique in its county)."""
    taken = set(KindCause.objects.filter(county__isnull=True).values_list("kind", "cause")) | set(
        KindCause.objects.filter(county=county).values_list("kind", "cause")
    )
    return next((k, c) for k in MeasureKind.values for c in PovertyCause.values if (k, c) not in taken)


def extension_in(place):
    """A county's own row of the kinds' table (the note is the marker)."""
    kind, cause = _free_kind_cause(place.county)
    return KindCause.objects.create(county=place.county, kind=kind, cause=cause, note=unique("本县增加"))


def extension_body(place):
    kind, cause = _free_kind_cause(place.county)
    return {"county": place.county.code, "kind": kind, "cause": cause, "note": "本县增加"}


def review_in(place):
    """A training measure claimed against illness (its kind answers skills only), under review."""
    measure = MeasureFactory(
        plan=plan_in(place), kind="skills_training", causes=["illness"], title=unique("旧台账措施")
    )
    return MeasureFitReview.objects.create(measure=measure, causes=["illness"])


def team_in(place):
    unit = UnitFactory(region=place.county, name=unique("派驻单位"))
    officer = OfficerFactory(unit=unit, region=place.county, name=unique("书记"))
    return VillageTeamFactory(
        name=unique("工作队"), dispatching_unit=unit, first_secretary=officer, villages=[place.village]
    )


def first_secretary_with_a_team(world):
    """A real first secretary leads a current work team; without one they would see nothing."""
    if world.role != Role.FIRST_SECRETARY:
        return
    place = world.place("own")
    unit = UnitFactory(region=place.county, name="matrix 派驻单位")
    officer = OfficerFactory(unit=unit, region=place.county, name="matrix 第一书记")
    VillageTeamFactory(dispatching_unit=unit, first_secretary=officer, villages=[place.village])
    world.actor.officer = officer
    world.actor.save(update_fields=["officer"])


PERSONA_SETUP = [first_secretary_with_a_team]


ROWS = [
    # --- pages --------------------------------------------------------------------------------
    row(
        "assistance:plan",
        case=detail(plan_in, kwarg="household_id", attr="household_id"),
        GET=answers(READERS),
    ),
    row(
        "assistance:plan_create",
        case=detail(household_in, kwarg="household_id", data={"summary": "稳定增收"}),
        POST=answers(KEEPERS, ok=REDIRECT),
    ),
    row(
        "assistance:plan_edit",
        case=detail(plan_in, data={"summary": "稳定增收"}),
        POST=answers(KEEPERS, ok=REDIRECT),
    ),
    row(
        "assistance:measure_add",
        case=detail(plan_in, data={"kind": ""}),
        POST=answers(KEEPERS, ok=BAD_REQUEST),
        note="an invalid measure: 400 once the permission and the region are checked",
    ),
    row(
        "assistance:measure_transition",
        case=detail(measure_in, data={"status": "in_progress", "reason": "开工"}),
        POST=answers(KEEPERS, ok=REDIRECT),
    ),
    row(
        "assistance:evidence_upload",
        case=detail(measure_in, data={"note": "照片"}, format="multipart"),
        POST=answers(KEEPERS, ok=BAD_REQUEST),
        note="without a file: the plan page again (400) with the error beside the file field once the "
        "permission and the region are checked; uploads: tests/security/test_uploads.py",
    ),
    row("assistance:evidence_download", case=detail(evidence_in), GET=answers(READERS)),
    row(
        "assistance:measure_details",
        case=detail(measure_in, data={}),
        POST=answers(KEEPERS, ok=REDIRECT),
        note="the facts of the measure's kind (member employed, loan, resettlement)",
    ),
    row(
        "assistance:kind_causes",
        case=listing(extension_in, marker=lambda k: k.note),
        GET=shown(SETTINGS_READERS, first_secretary=HIDDEN),
        note="a county's own rows of the kinds' table; a first secretary is limited to villages",
    ),
    row(
        "assistance:kind_cause_add",
        case=body(extension_body),
        POST=answers(SETTINGS_KEEPERS, ok=REDIRECT, other=BAD_REQUEST),
        note="a county outside the scope is not among the form's choices: 400",
    ),
    row(
        "assistance:fit_reviews",
        case=listing(review_in, marker=lambda r: r.measure.title),
        GET=shown(SETTINGS_READERS),
    ),
    row(
        "assistance:fit_review_scan",
        case=fixed(),
        POST=answers(SETTINGS_KEEPERS, ok=REDIRECT, sided=False),
        note="looks again in the actor's scope only (core.scoping.scope_sql)",
    ),
    row(
        "assistance:fit_review_decide",
        case=detail(
            review_in,
            data=lambda r, place: {f"review-{r.pk}-decision": "kept", f"review-{r.pk}-note": "维持"},
        ),
        POST=answers(SETTINGS_KEEPERS, ok=REDIRECT),
    ),
    row("assistance:worklist", case=fixed(), GET=answers(READERS, sided=False)),
    row(
        "assistance:team_list",
        case=listing(team_in, marker=lambda t: t.name),
        GET=shown(READERS, first_secretary=HIDDEN),
        note=OWN_TEAMS,
    ),
    row(
        "assistance:team_create",
        GET=answers(TEAM_MANAGERS, sided=False),
        POST=answers(TEAM_MANAGERS, ok=BAD_REQUEST, sided=False),
        note="an empty form: 400 once the permission is checked",
    ),
    row(
        "assistance:team_detail",
        case=detail(team_in),
        GET=answers(READERS, first_secretary=NOT_FOUND),
        note=OWN_TEAMS,
    ),
    row(
        "assistance:team_edit",
        case=detail(team_in, data={"name": ""}),
        GET=answers(TEAM_MANAGERS),
        POST=answers(TEAM_MANAGERS, ok=BAD_REQUEST),
        note="an invalid form: 400 once the permission and the region are checked",
    ),
    row("assistance:export", GET=answers(READERS, sided=False)),
    # --- API ----------------------------------------------------------------------------------
    row(
        "api:assistance_plan_list",
        case=listing(plan_in, marker=lambda p: p.summary, query={"page_size": 500}),
        GET=shown(READERS, api=True),
    ),
    row(
        "api:assistance_plan_detail",
        case=detail(plan_in, data={"summary": "稳定增收"}),
        GET=answers(READERS, api=True),
        PATCH=answers(KEEPERS, api=True),
    ),
    row(
        "api:assistance_measure_list",
        case=listing(measure_in, marker=lambda m: m.title, query={"page_size": 500}),
        GET=shown(READERS, api=True),
    ),
    row(
        "api:assistance_measure_detail",
        case=detail(measure_in, data={"note": "按期推进"}),
        GET=answers(READERS, api=True),
        PATCH=answers(KEEPERS, api=True),
    ),
    row(
        "api:assistance_measure_transition",
        case=detail(measure_in, data={"status": "in_progress", "reason": "开工"}),
        POST=answers(KEEPERS, api=True),
    ),
    row(
        "api:assistance_measure_evidence",
        case=detail(measure_in, data={"note": "照片"}, format="multipart"),
        POST=answers(KEEPERS, ok=BAD_REQUEST, api=True),
        note="without a file: 400 once the permission and the region are checked",
    ),
    row(
        "api:assistance_kind_causes",
        case=listing(extension_in, marker=lambda k: k.note, query={"page_size": 500}),
        GET=shown(SETTINGS_READERS, api=True, first_secretary=HIDDEN),
    ),
    row(
        "api:assistance_fit_reviews",
        case=listing(review_in, marker=lambda r: r.measure.title, query={"page_size": 500}),
        GET=shown(SETTINGS_READERS, api=True),
    ),
    row(
        "api:assistance_fit_review_decide",
        case=detail(review_in, data={"decision": "kept", "note": "维持"}),
        POST=answers(SETTINGS_KEEPERS, api=True),
    ),
    row(
        "api:assistance_team_list",
        case=listing(team_in, marker=lambda t: t.name, query={"page_size": 500}),
        GET=shown(READERS, api=True, first_secretary=HIDDEN),
        note=OWN_TEAMS,
    ),
    row(
        "api:assistance_team_detail",
        case=detail(team_in, data={"note": "轮换"}),
        GET=answers(READERS, api=True, first_secretary=NOT_FOUND),
        PATCH=answers(TEAM_MANAGERS, api=True),
        note=OWN_TEAMS,
    ),
]
