"""Writes of 问责 cases: open, confirm, dismiss, close; promotion bans follow confirmed ban cases."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError, TransitionNotAllowed
from core.models import Officer, Unit
from core.scoping import ensure_can_write

from ..models import (
    ALLOWED_TRANSITIONS,
    AccountabilityCase,
    CaseRule,
    CaseStatus,
    CaseStatusChange,
    CaseType,
    PromotionBan,
)
from ..periods import today

logger = logging.getLogger(__name__)

DECIDE_PERM = "accountability.decide_accountabilitycase"


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
    case.full_clean(validate_constraints=False, exclude=["dedupe_key"])
    try:
        with transaction.atomic(), actor_context(actor):
            case.save()
            CaseStatusChange.objects.create(
                case=case, from_status="", to_status=case.status, by=_user(actor),
                note=CaseRule(rule).label if rule != CaseRule.MANUAL else "",
            )  # fmt: skip
            if case.status == CaseStatus.CONFIRMED:
                case.decided_at = timezone.now()
                case.save(update_fields=["decided_at", "updated_at"])
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


def _transition(case: AccountabilityCase, to: str, *, actor, note: str = "") -> AccountabilityCase:
    locked = AccountabilityCase.objects.select_for_update().get(pk=case.pk)
    if to not in ALLOWED_TRANSITIONS[locked.status]:
        raise TransitionNotAllowed(
            _("A case that is %(current)s cannot become %(target)s.")
            % {"current": locked.get_status_display(), "target": CaseStatus(to).label},
            field="status",
        )
    CaseStatusChange.objects.create(
        case=locked, from_status=locked.status, to_status=to, by=_user(actor), note=note
    )
    locked.status = to
    return locked


@transaction.atomic
def case_confirm(
    *, case: AccountabilityCase, decision: str, actor, case_type: str | None = None, ban_until=None
) -> AccountabilityCase:
    """A decider (组织部 / 纪委) confirms a proposed case, possibly settling its type."""
    _ensure_decider(actor, case)
    if not decision.strip():
        raise DomainError(_("Write the decision."), field="decision")
    locked = _transition(case, CaseStatus.CONFIRMED, actor=actor, note=decision.strip())
    if case_type:
        locked.case_type = case_type
    if ban_until is not None:
        locked.ban_until = ban_until
    if locked.case_type == CaseType.PROMOTION_BAN and (
        locked.subject_officer_id is None or locked.ban_until is None
    ):
        raise DomainError(_("A promotion ban names an officer and an end date."), field="ban_until")
    locked.decision = decision.strip()
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.full_clean(exclude=["dedupe_key"])
    with actor_context(actor):
        locked.save()
        _ban_for(locked)
    return locked


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
    locked = _transition(case, CaseStatus.DISMISSED, actor=actor, note=reason.strip())
    locked.dismissal_reason = reason.strip()
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    with actor_context(actor):
        locked.save()
    return locked


@transaction.atomic
def case_close(
    *, case: AccountabilityCase, actor, note: str = "", closed_on: dt.date | None = None
) -> AccountabilityCase:
    """Close a confirmed case once its measure has been carried out (a ban stays until its end date)."""
    _ensure_decider(actor, case)
    locked = _transition(case, CaseStatus.CLOSED, actor=actor, note=note.strip())
    if note.strip():
        locked.decision = f"{locked.decision}\n{note.strip()}".strip()
    locked.closed_on = closed_on or today()
    with actor_context(actor):
        locked.save()
    return locked


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
    locked.full_clean()
    with actor_context(actor):
        locked.save()
    return locked


def close_ended_ban_cases(*, on: dt.date) -> int:
    """Daily: a ban case whose ban has ended (or was lifted) is closed. Conditional update: safe to re-run."""
    ended = PromotionBan.objects.filter(ends_on__lt=on) | PromotionBan.objects.filter(lifted_on__lte=on)
    case_ids = list(ended.values_list("case_id", flat=True))
    closed = 0
    for case in AccountabilityCase.objects.filter(pk__in=case_ids, status=CaseStatus.CONFIRMED):
        with transaction.atomic():
            updated = AccountabilityCase.objects.filter(pk=case.pk, status=CaseStatus.CONFIRMED).update(
                status=CaseStatus.CLOSED, closed_on=on, updated_at=timezone.now()
            )
            if updated:
                CaseStatusChange.objects.create(
                    case=case, from_status=CaseStatus.CONFIRMED, to_status=CaseStatus.CLOSED,
                    note=_("The promotion ban has ended."),
                )  # fmt: skip
                closed += 1
    return closed
