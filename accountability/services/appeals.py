"""申诉: the graded unit or officer appeals an annual grade within the set days; the organisation
department decides with reasons; a granted appeal regrades and withdraws the consequences (cases, bans,
the one-vote veto) the new grade no longer supports, and opens those it now requires."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError
from core.scoping import ensure_can_write
from core.transitions import record_created, transition

from ..models import (
    DECIDE_APPEAL_PERM,
    AccountabilitySettings,
    AnnualGrade,
    AppealStatus,
    CaseRule,
    CaseStatus,
    Grade,
    GradeAppeal,
    PromotionBan,
)
from ..periods import today
from .annual import grade_vetoes
from .rules import grade_consequences

# Which grade each rule's cases rest on: a case whose grade is no longer the one it rests on is withdrawn.
RULE_GRADE = {CaseRule.GRADE_AVERAGE: Grade.AVERAGE, CaseRule.GRADE_POOR: Grade.POOR}


def appeal_deadline(grade: AnnualGrade) -> dt.date:
    """The last day to appeal: the graded are notified the day the grade is recorded."""
    return grade.decided_on + dt.timedelta(days=AccountabilitySettings.current().appeal_days)


def may_appeal(user, grade: AnnualGrade) -> bool:
    """The graded officer, or an officer of the graded unit (its 党政正职 answer for it)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_read_only", False):
        return False
    officer = getattr(user, "officer", None)
    if officer is None:
        return False
    if grade.officer_id:
        return officer.pk == grade.officer_id
    return officer.unit_id == grade.unit_id


@transaction.atomic
def appeal_lodge(*, grade: AnnualGrade, grounds: str, actor, on: dt.date | None = None) -> GradeAppeal:
    if not may_appeal(actor, grade):
        raise PermissionDenied
    on = on or today()
    if not grounds.strip():
        raise DomainError(_("State the grounds of the appeal."), field="grounds")
    deadline = appeal_deadline(grade)
    if on > deadline:
        raise DomainError(
            _("The time to appeal this grade ended on %(day)s.") % {"day": deadline}, field="grade",
            code="appeal_late",
        )  # fmt: skip
    if grade.appeals.exists():  # one appeal per grade
        raise ConflictError(_("This grade has already been appealed."), field="grade")
    try:
        with transaction.atomic(), actor_context(actor):
            appeal = GradeAppeal.objects.create(
                grade=grade,
                grounds=grounds.strip(),
                lodged_on=on,
                lodged_by=actor,
                original_grade=grade.grade,
            )
            record_created(appeal, actor=actor, note=grounds.strip()[:200])
    except IntegrityError:
        raise ConflictError(_("This grade has already been appealed."), field="grade") from None
    return appeal


@transaction.atomic
def appeal_decide(
    *, appeal: GradeAppeal, granted: bool, reasons: str, actor, new_grade: str | None = None
) -> GradeAppeal:
    """The organisation department decides an appeal. Granted: the grade becomes `new_grade`."""
    if actor is None or not actor.has_perm(DECIDE_APPEAL_PERM):
        raise PermissionDenied
    ensure_can_write(actor, appeal.grade.region_id)
    if not reasons.strip():
        raise DomainError(_("Give the reasons of the decision."), field="reasons")
    updates = {"decision": reasons.strip(), "decided_at": timezone.now(), "decided_by": actor}
    if granted:
        if new_grade not in Grade.values:
            raise DomainError(_("Choose the grade the appeal gives."), field="new_grade")
        if new_grade == appeal.original_grade:
            raise DomainError(_("A granted appeal changes the grade."), field="new_grade")
        updates["new_grade"] = new_grade
    to = AppealStatus.GRANTED if granted else AppealStatus.REFUSED
    decided = transition(appeal, to, actor=actor, note=reasons.strip(), updates=updates)
    if granted:
        regrade(grade=decided.grade, new_grade=new_grade, appeal=decided, actor=actor)
    return decided


def regrade(*, grade: AnnualGrade, new_grade: str, appeal: GradeAppeal, actor) -> AnnualGrade:
    """The grade after a granted appeal; what the old grade required and the new one does not is withdrawn."""
    locked = AnnualGrade.objects.select_for_update().get(pk=grade.pk)
    note = _("Appeal #%(id)s granted: the grade is now “%(grade)s”. %(reasons)s") % {
        "id": appeal.pk, "grade": Grade(new_grade).label, "reasons": appeal.decision,
    }  # fmt: skip
    day = today()
    basis = {**locked.basis, "appeal": appeal.pk, "grade_before_appeal": locked.grade}
    with actor_context(actor):
        locked.grade = new_grade
        locked.basis = basis
        if new_grade != Grade.POOR:
            locked.vetoed = False  # the veto goes with the grade, and only this way
        locked.save(update_fields=["grade", "basis", "vetoed", "updated_at"])
        for case in locked.cases.filter(
            rule__in=list(RULE_GRADE), status__in=[CaseStatus.PROPOSED, CaseStatus.CONFIRMED]
        ):
            if RULE_GRADE[case.rule] == new_grade:
                continue
            ban = PromotionBan.objects.filter(case=case, lifted_on__isnull=True).first()
            if ban is not None:
                ban.lifted_on, ban.lift_reason = day, note
                ban.save(update_fields=["lifted_on", "lift_reason", "updated_at"])
            if case.status == CaseStatus.CONFIRMED:
                transition(case, CaseStatus.CLOSED, actor=actor, note=note, updates={"closed_on": day})
        if new_grade != Grade.POOR:
            for veto in locked.evaluation_vetoes.filter(lifted_on__isnull=True):
                veto.lifted_on, veto.lift_reason = day, note
                veto.save(update_fields=["lifted_on", "lift_reason", "updated_at"])
    grade_consequences(grade=locked, actor=actor)
    grade_vetoes(grade=locked, actor=actor)
    return locked
