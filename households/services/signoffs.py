"""乡镇对数据真实性、准确性承担直接责任: the township officer signs off the township's data for a month.

The sign-off records what it covered (counts; each household with its status and last change as of
the signing) and the households changed since the township's previous sign-off, which the officer
saw listed before signing. It may be withdrawn, with a reason, until the month's bulletin is
published: whether it is, the app that publishes bulletins answers the signal `month_published_asked`
(township_code, month → True when a bulletin covering them is published) — the households app sits
left of it and never imports it.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError, TransitionNotAllowed
from core.models import RegionLevel
from core.scoping import ensure_can_write, region_rows
from core.transitions import record_created, transition

from ..models import (
    Household,
    Member,
    PoorVillage,
    SignOffHousehold,
    SignOffState,
    TownshipSignOff,
)

CHANGED_LISTED = 500  # the changed households a sign-off keeps by id (the count is always whole)


# Asked with township_code and month; a receiver returns True when a bulletin covering them is published.
month_published_asked = Signal()


def month_published(township_code: str, month: dt.date) -> bool:
    """Has a bulletin covering this township's month been published (asked of the apps that publish)?"""
    answers = month_published_asked.send(sender=TownshipSignOff, township_code=township_code, month=month)
    return any(answer for _receiver, answer in answers)


def parse_month(value, *, field: str = "month") -> dt.date:
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    try:
        return dt.date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        raise DomainError(_("Enter a month as YYYY-MM."), field=field) from None


def _township_of(actor):
    region = actor.region
    if region is None or region.level != RegionLevel.TOWNSHIP:
        raise DomainError(
            _("Only a township officer whose region is a township may sign off a township."), code="forbidden"
        )
    return region


def township_households(township_code: str):
    return region_rows(Household.objects.all(), field="village_id", region=township_code)


def with_last_change(qs):
    """Households with `last_change`: the later of their own change and their members' last one."""
    return qs.annotate(last_change=Greatest("updated_at", Coalesce(Max("members__updated_at"), "updated_at")))


def changed_since(*, township_code: str, at: dt.datetime):
    """The township's households changed (themselves or a member) after `at`."""
    members = Member.objects.filter(updated_at__gt=at).values("household_id")
    return township_households(township_code).filter(Q(updated_at__gt=at) | Q(pk__in=members))


def last_signoff(township_code: str) -> TownshipSignOff | None:
    return (
        TownshipSignOff.objects.filter(township_id=township_code, state=SignOffState.SIGNED)
        .order_by("-signed_at")
        .first()
    )


def _counts(township_code: str) -> dict:
    households = township_households(township_code)
    by_status = dict(households.order_by().values_list("status").annotate(n=Count("pk")))
    people = Member.objects.filter(
        household__in=households.filter(status__in=("registered", "returned")), is_active=True
    ).count()
    villages = dict(
        region_rows(PoorVillage.objects.all(), field="village_id", region=township_code)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {
        "households": by_status, "households_total": sum(by_status.values()), "poor_people": people,
        "poor_villages": villages,
    }  # fmt: skip


@transaction.atomic
def signoff_sign(*, actor, month=None, note: str = "") -> TownshipSignOff:
    """Sign off the actor's township for `month` (this month or the one before; default this month)."""
    if not actor.has_perm("households.sign_off_township"):
        raise DomainError(_("Your role may not sign off a township."), code="forbidden")
    ensure_can_write(actor)
    township = _township_of(actor)
    today = timezone.localdate()
    this_month = today.replace(day=1)
    month = this_month if month in (None, "") else parse_month(month)
    previous_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    if month not in (this_month, previous_month):
        raise DomainError(_("Sign off this month or the month before."), field="month")
    if month_published(township.code, month):
        raise TransitionNotAllowed(
            _("The bulletin of %(month)s is published: the month can no longer be signed off.")
            % {"month": f"{month.year}年{month.month}月"},
            field="month",
        )
    if TownshipSignOff.objects.filter(township=township, month=month, state=SignOffState.SIGNED).exists():
        raise DomainError(_("The township has already signed off this month."), field="month")
    previous = last_signoff(township.code)
    counts = _counts(township.code)
    if previous is not None:
        changed = changed_since(township_code=township.code, at=previous.signed_at)
        counts["changed_since_previous"] = changed.count()
        counts["changed_ids"] = list(changed.order_by("pk").values_list("pk", flat=True)[:CHANGED_LISTED])
        counts["previous_id"] = previous.pk
    now = timezone.now()
    try:
        with transaction.atomic():
            signoff = TownshipSignOff.objects.create(
                township=township, month=month, signed_by=actor, signed_at=now, counts=counts,
                note=(note or "").strip()[:2000],
            )  # fmt: skip
    except IntegrityError:  # signed at the same moment by another session (signoff_one_signed_per_month)
        raise DomainError(_("The township has already signed off this month."), field="month") from None
    record_created(signoff, actor=actor)
    rows = with_last_change(township_households(township.code)).values_list("pk", "status", "last_change")
    SignOffHousehold.objects.bulk_create(
        (SignOffHousehold(signoff=signoff, household_id=pk, household_status=status, last_change=last) for pk, status, last in rows.iterator()),
        batch_size=2000,
    )  # fmt: skip
    return signoff


@transaction.atomic
def signoff_withdraw(*, signoff: TownshipSignOff, actor, reason: str) -> TownshipSignOff:
    """Withdraw a sign-off with its reason, before the month's bulletin is published."""
    if not actor.has_perm("households.sign_off_township"):
        raise DomainError(_("Your role may not sign off a township."), code="forbidden")
    ensure_can_write(actor, signoff.township_id)
    signoff = TownshipSignOff.objects.select_for_update().get(pk=signoff.pk)
    reason = (reason or "").strip()[:2000]
    if len(reason) < 2:
        raise DomainError(_("Say why the sign-off is withdrawn."), field="reason")
    if signoff.state != SignOffState.SIGNED:
        raise TransitionNotAllowed(_("This sign-off has already been withdrawn."), field="reason")
    if month_published(signoff.township_id, signoff.month):
        raise TransitionNotAllowed(
            _("The bulletin of %(month)s is published: its sign-off can no longer be withdrawn.")
            % {"month": f"{signoff.month.year}年{signoff.month.month}月"},
            field="reason",
        )
    return transition(
        signoff, SignOffState.WITHDRAWN, actor=actor, note=reason, updates={"withdraw_reason": reason}
    )
