"""群众认同度和满意度 surveys on covert visits, and 随机抽查、突击检查 of village work teams."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError, full_clean
from core.scoping import ensure_can_write

from ..models import (
    RecordsState,
    Satisfaction,
    SurveyResponse,
    SurveyResult,
    TargetKind,
    TeamCheck,
    VisitPlan,
    VisitReport,
)
from .absences import require_spot_checker, team_check_absence_record
from .reports import _require_inspector


@transaction.atomic
def survey_record(
    *, report: VisitReport, household_id: int, result: str, recognises: bool, satisfaction: str,
    actor, note: str = "",
) -> SurveyResponse:  # fmt: skip
    """Record (or correct) one visited household's answers. One answer per household and visit."""
    _require_inspector(actor)
    if result not in SurveyResult.values:
        raise DomainError(_("Choose which result the household was asked about."), field="result")
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("Choose how satisfied the household is."), field="satisfaction")
    household = report.households_visited.filter(pk=household_id).select_related("village").first()
    if household is None:
        raise DomainError(
            _("Only a household listed as visited in this report can be surveyed."), field="household"
        )
    with actor_context(actor):
        survey = SurveyResponse.objects.select_for_update().filter(report=report, household=household).first()
        survey = survey or SurveyResponse(report=report, household=household, recorded_by=actor)
        survey.village_id = household.village_id
        survey.result, survey.recognises, survey.satisfaction = result, bool(recognises), satisfaction
        survey.note = (note or "").strip()[:300]
        survey.answered_on = report.visit_date
        full_clean(
            survey, exclude=["report", "household", "village", "recorded_by"], validate_constraints=False
        )
        survey.save()
    return survey


@transaction.atomic
def team_check_record(
    *, team, actor, checked_on: dt.date, secretary_present: bool, records_state: str,
    members_present: int = 0, note: str = "", plan: VisitPlan | None = None,
) -> TeamCheck:  # fmt: skip
    """A spot check of a work team (drawn in `plan`, or unannounced without a plan). An absent first
    secretary becomes a finding with its rectification item (services/absences.py)."""
    require_spot_checker(actor)
    if plan is not None:
        _require_inspector(actor)  # a drawn plan is secret: its own inspectors check its teams
    if checked_on > timezone.localdate():
        raise DomainError(_("The check date cannot be in the future."), field="checked_on")
    if records_state not in RecordsState.values:
        raise DomainError(_("Choose the state of the team's records."), field="records_state")
    if int(members_present) < 0:
        raise DomainError(_("Enter zero or more members."), field="members_present")
    if plan is not None:
        target = plan.targets.filter(kind=TargetKind.TEAM, team=team).first()
        if target is None:
            raise DomainError(_("This team was not drawn in the plan."), field="team")
        village_id = target.region_id
    else:
        village_id = team.served.order_by("village_id").values_list("village_id", flat=True).first()
        if village_id is None:
            raise DomainError(_("The team serves no village."), field="team")
    ensure_can_write(actor, village_id)
    if TeamCheck.objects.filter(team=team, checked_on=checked_on).exists():
        raise ConflictError(_("This team was already checked on that day."), field="checked_on")
    with actor_context(actor):
        check = TeamCheck(
            plan=plan, team=team, first_secretary_id=team.first_secretary_id, village_id=village_id,
            checked_on=checked_on, secretary_present=bool(secretary_present), members_present=int(members_present),
            records_state=records_state, note=(note or "").strip(), checked_by=actor,
        )  # fmt: skip
        full_clean(check, exclude=["plan", "team", "first_secretary", "village", "checked_by"])
        check.save()
    team_check_absence_record(check=check, actor=actor)
    return check
