"""Writes of 问责 cases: open, confirm, dismiss, close; promotion bans follow confirmed ban cases."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError, TransitionNotAllowed, full_clean
from core.models import Officer, Unit
from core.scoping import ensure_can_write
from core.transitions import can_transition, record_created, refuse, transition, transition_many

from ..models import DECIDE_PERM, AccountabilityCase, CaseRule, CaseStatus, CaseType, PromotionBan
from ..periods import today

logger = logging.getLogger(__name__)

__all__ = [
    "DECIDE_PERM", "ban_lift", "case_close", "case_confirm", "case_dismiss", "case_open", "case_open_manual",
    "close_ended_ban_cases",
]  # fmt: skip


def _ensure_decider(actor, case: AccountabilityCase) -> None:
    if actor is None or not actor.has_perm(DECIDE_PERM):
        raise PermissionDenied
    ensure_can_write(actor, case.region_id)


def _subject_region(officer: Officer | None, unit: Unit | None) -> str:
    return officer.region_id if officer is not None else unit.region_id


def case_open(
    *,
    case_type: str,
    grounds: str,
    officer: Officer | None = None,
    unit: Unit | None = None,
    rule: str = CaseRule.MANUAL,
    mandatory: bool = False,
    confirmed: bool = False,
    opened_on: dt.date | None = None,
    ban_until: dt.date | None = None,
    dedupe_key: str | None = None,
    actor=None,
    **trigger,
) -> tuple[AccountabilityCase, bool]:
    """Open a case (or find the one a rule already opened for the same trigger and subject).

    Returns (case, created). Rules pass `dedupe_key` so that applying them twice opens one case;
    `confirmed=True` is for rules the document makes binding (they start confirmed, never proposed).
    """
    if (officer is None) == (unit is None):
        raise DomainError(_("A case concerns exactly one officer or one unit."), field="subject")
    if not grounds.strip():
        raise DomainError(_("State the grounds of the case."), field="grounds")
    if case_type == CaseType.PROMOTION_BAN and (officer is None or ban_until is None):
        raise DomainError(_("A promotion ban names an officer and an end date."), field="ban_until")
    if dedupe_key:
        existing = AccountabilityCase.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing, False
    case = AccountabilityCase(
        case_type=case_type, subject_officer=officer, subject_unit=unit, region_id=_subject_region(officer, unit),
        rule=rule, mandatory=mandatory, grounds=grounds.strip(), opened_on=opened_on or today(),
        ban_until=ban_until, dedupe_key=dedupe_key or None,
        status=CaseStatus.CONFIRMED if confirmed else CaseStatus.PROPOSED, **trigger,
    )  # fmt: skip
    full_clean(case, validate_constraints=False, exclude=["dedupe_key"])
    if case.status == CaseStatus.CONFIRMED:
        case.decided_at = timezone.now()
    try:
        with transaction.atomic(), actor_context(actor):
            case.save()
            record_created(
                case, actor=_user(actor), note=CaseRule(rule).label if rule != CaseRule.MANUAL else ""
            )
            _ban_for(case)
    except IntegrityError:
        # Two workers applied the same rule at once: the other one's case stands.
        if dedupe_key:
            return AccountabilityCase.objects.get(dedupe_key=dedupe_key), False
        raise
    logger.info("accountability case %s opened (%s, %s) for %s", case.pk, rule, case_type, case.subject)
    return case, True


@transaction.atomic
def case_open_manual(
    *, case_type: str, grounds: str, officer: Officer | None, unit: Unit | None, ban_until=None, actor
) -> AccountabilityCase:
    """A case opened by hand (e.g. 失职渎职 found another way): proposed, for a decider to confirm."""
    if not actor.has_perm("accountability.add_accountabilitycase"):
        raise PermissionDenied
    if officer is None and unit is None:
        raise DomainError(_("A case concerns exactly one officer or one unit."), field="subject_officer")
    ensure_can_write(actor, _subject_region(officer, unit))
    case, _created = case_open(
        case_type=case_type, grounds=grounds, officer=officer, unit=unit, ban_until=ban_until, actor=actor
    )
    return case


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_for(case: AccountabilityCase, to: str) -> AccountabilityCase:
    """The case locked, refused at once (before any other check) when it may not move to `to`."""
    locked = AccountabilityCase.objects.select_for_update().get(pk=case.pk)
    if not can_transition(locked, to):
        raise refuse(locked, locked.status, to)
    return locked


@transaction.atomic
def case_confirm(
    *, case: AccountabilityCase, decision: str, actor, case_type: str | None = None, ban_until=None
) -> AccountabilityCase:
    """A decider (组织部 / 纪委) confirms a proposed case, possibly settling its type."""
    _ensure_decider(actor, case)
    if not decision.strip():
        raise DomainError(_("Write the decision."), field="decision")
    locked = _lock_for(case, CaseStatus.CONFIRMED)
    updates = {
        "case_type": case_type or locked.case_type,
        "ban_until": ban_until if ban_until is not None else locked.ban_until,
        "decision": decision.strip(),
        "decided_at": timezone.now(),
        "decided_by": actor,
    }
    if updates["case_type"] == CaseType.PROMOTION_BAN and (
        locked.subject_officer_id is None or updates["ban_until"] is None
    ):
        raise DomainError(_("A promotion ban names an officer and an end date."), field="ban_until")
    for name, value in updates.items():
        setattr(locked, name, value)
    full_clean(locked, exclude=["dedupe_key"])
    confirmed = transition(locked, CaseStatus.CONFIRMED, actor=actor, note=decision.strip(), updates=updates)
    with actor_context(actor):
        _ban_for(confirmed)
    return confirmed


@transaction.atomic
def case_dismiss(*, case: AccountabilityCase, reason: str, actor) -> AccountabilityCase:
    """Dismiss a proposed case, with the reason. Cases the document makes binding cannot be dismissed."""
    _ensure_decider(actor, case)
    if not reason.strip():
        raise DomainError(_("Give the reason for dismissing the case."), field="reason")
    if case.mandatory:
        raise TransitionNotAllowed(
            _("This case follows a binding rule and cannot be dismissed."), field="status"
        )
    return transition(case, CaseStatus.DISMISSED, actor=actor, note=reason.strip(), updates={
        "dismissal_reason": reason.strip(), "decided_at": timezone.now(), "decided_by": actor,
    })  # fmt: skip


@transaction.atomic
def case_close(
    *, case: AccountabilityCase, actor, note: str = "", closed_on: dt.date | None = None
) -> AccountabilityCase:
    """Close a confirmed case once its measure has been carried out (a ban stays until its end date)."""
    _ensure_decider(actor, case)
    locked = _lock_for(case, CaseStatus.CLOSED)
    updates = {"closed_on": closed_on or today()}
    if note.strip():
        updates["decision"] = f"{locked.decision}\n{note.strip()}".strip()
    return transition(locked, CaseStatus.CLOSED, actor=actor, note=note.strip(), updates=updates)


def _ban_for(case: AccountabilityCase) -> PromotionBan | None:
    if case.case_type != CaseType.PROMOTION_BAN or case.status != CaseStatus.CONFIRMED:
        return None
    ban, _created = PromotionBan.objects.get_or_create(
        case=case,
        defaults={
            "officer_id": case.subject_officer_id,
            "starts_on": case.opened_on,
            "ends_on": case.ban_until,
        },
    )
    return ban


@transaction.atomic
def ban_lift(*, ban: PromotionBan, lifted_on: dt.date, reason: str, actor) -> PromotionBan:
    """Lift a ban early (e.g. the grade was corrected on appeal). The record stays."""
    _ensure_decider(actor, ban.case)
    if not reason.strip():
        raise DomainError(_("Give the reason for lifting the ban."), field="reason")
    locked = PromotionBan.objects.select_for_update().get(pk=ban.pk)
    if locked.lifted_on is not None:
        raise TransitionNotAllowed(_("This ban has already been lifted."), field="lifted_on")
    locked.lifted_on = lifted_on
    locked.lift_reason = reason.strip()
    full_clean(locked)
    with actor_context(actor):
        locked.save()
    return locked


def close_ended_ban_cases(*, on: dt.date) -> int:
    """Daily: a ban case whose ban has ended (or was lifted) is closed. Only confirmed cases move: safe to re-run."""
    ended = PromotionBan.objects.filter(ends_on__lt=on) | PromotionBan.objects.filter(lifted_on__lte=on)
    moved = transition_many(
        AccountabilityCase.objects.filter(pk__in=ended.values("case_id"), status=CaseStatus.CONFIRMED),
        CaseStatus.CLOSED, actor=None, note=_("The promotion ban has ended."), updates={"closed_on": on},
    )  # fmt: skip
    return len(moved)
