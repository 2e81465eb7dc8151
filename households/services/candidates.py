"""漏评 reviewed to a decision (issue 17.3, 把遗漏的补进来): start the entry procedure, or dismiss with
a reason. The review is a record of its own (OmissionReview, one per household and year) whose
status moves through core.transitions."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError
from core.scoping import ensure_can_write
from core.transitions import record_created, transition

from ..models import (
    Household,
    HouseholdStatus,
    OmissionDecision,
    OmissionReview,
    ProcedureCase,
    ProcedureKind,
    ProcedureStep,
    Step,
)
from ..selectors.candidates import omission_candidates, review_year
from .status import household_transition

DECISIONS = (OmissionDecision.ENTRY_STARTED, OmissionDecision.DISMISSED)


@transaction.atomic
def omission_review_decide(
    *, household: Household, actor, decision: str, reason: str = "", cause: str = ""
) -> OmissionReview:
    """Decide a possible omission of this year. `entry_started`: a removed or rejected household
    applies again (status applying, the entry procedure open at its application step); an exited
    one starts the 返贫 procedure (same steps and notice), which needs its `cause`. `dismissed`:
    needs the reason. Refused, it changes nothing."""
    ensure_can_write(actor, household.village_id)
    if not actor.has_perm("households.review_omission"):
        raise DomainError(_("Your role may not review possible omissions."), code="forbidden")
    if decision not in DECISIONS:
        raise DomainError(_("Choose: start the entry procedure, or dismiss."), field="decision")
    reason = (reason or "").strip()
    if decision == OmissionDecision.DISMISSED and len(reason) < 2:
        raise DomainError(_("Say why this household is not a possible omission."), field="reason")
    year = review_year()
    household = Household.objects.select_for_update().get(pk=household.pk)
    candidate = omission_candidates(actor=actor).filter(pk=household.pk).first()
    if candidate is None:
        raise DomainError(
            _("This household is not a possible omission in %(year)d (or it was decided already).")
            % {"year": year},
            field="decision",
        )
    review = OmissionReview.objects.filter(household=household, year=year).first()
    if review is None:
        with actor_context(actor):
            review = OmissionReview.objects.create(
                household=household,
                year=year,
                income=candidate.income,
                poverty_line=candidate.line,
                income_below_line=bool(candidate.income_below_line),
                guarantee_unmet=bool(candidate.guarantee_unmet),
                opened_by=actor,
            )
        record_created(review, actor=actor)
    if decision == OmissionDecision.ENTRY_STARTED:
        _start_entry(household=household, actor=actor, reason=reason, cause=cause)
        note = reason or _("Entry procedure started after the review of a possible omission.")
    else:
        note = reason
    return transition(review, decision, actor=actor, note=note, updates={"reason": reason})


def _start_entry(*, household: Household, actor, reason: str, cause: str) -> None:
    if household.status == HouseholdStatus.EXITED:
        from .returns import return_procedure_start

        return_procedure_start(
            household=household,
            actor=actor,
            cause=cause,
            reason=reason or _("Found by the review of possible omissions (漏评)."),
        )
        return
    note = reason or _("Applies again after the review of a possible omission (漏评).")
    try:
        with transaction.atomic():  # a member now in another active household: refused, nothing kept
            household_transition(
                household=household, to_status=HouseholdStatus.APPLYING, actor=actor, reason=note
            )
    except IntegrityError:
        raise DomainError(
            _("A member of this household now belongs to another household; record the application there."),
            field="decision",
        ) from None
    # The entry procedure at its first step, as household_register opens it for a new applicant.
    with actor_context(actor):
        case = ProcedureCase.objects.create(
            household=household, kind=ProcedureKind.ENTRY, last_step=Step.APPLICATION, started_by=actor
        )
        record_created(case, actor=actor)
        ProcedureStep.objects.create(
            case=case, step=Step.APPLICATION, actor=actor, date=timezone.localdate(), note=note
        )
