"""Reads for core: every queryset goes through the scoping rule."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet

from .models import ApiToken, Officer, Region, SensitiveAccess, Unit, User
from .scoping import scope


def region_list(*, actor, level: str | None = None, parent: str | None = None) -> QuerySet[Region]:
    qs = scope(Region.objects.all(), actor=actor, field="code")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs.order_by("code")


def unit_list(*, actor) -> QuerySet[Unit]:
    return scope(Unit.objects.select_related("region"), actor=actor, field="region_id")


def officer_list(*, actor, search: str | None = None) -> QuerySet[Officer]:
    qs = scope(Officer.objects.select_related("unit", "region"), actor=actor, field="region_id")
    if search:
        qs = qs.filter(name__icontains=search.strip())
    return qs.order_by("region_id", "name", "id")


def officer_get(*, actor, pk: int) -> Officer:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(officer_list(actor=actor), pk=pk)


def account_list(*, actor, service_accounts: bool = False, search: str | None = None) -> QuerySet[User]:
    """Accounts an administrator manages: people (or service accounts) in the actor's region.
    Superusers and accounts without a region are shown to superusers only."""
    if not actor.has_perm("core.view_user"):
        return User.objects.none()
    qs = scope(User.objects.select_related("region"), actor=actor, field="region_id")
    if actor.is_superuser:
        qs = qs | User.objects.select_related("region").filter(region__isnull=True)
    else:
        qs = qs.filter(is_superuser=False)
    qs = qs.filter(is_service_account=service_accounts).prefetch_related("groups")
    if search:
        term = search.strip()
        qs = qs.filter(Q(username__icontains=term) | Q(full_name__icontains=term))
    return qs.order_by("username")


def account_get(*, actor, pk: int, service_account: bool = False) -> User:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(account_list(actor=actor, service_accounts=service_account), pk=pk)


def region_choices(*, actor) -> QuerySet[Region]:
    """Regions an administrator may give an account: their own and every region under it, down
    to townships (a village-level account is a first secretary's, whose villages come from
    their work team)."""
    return region_list(actor=actor).exclude(level="village")


def api_token_list(*, owner) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=owner).order_by("-created_at", "-id")


def reveal_list(
    *,
    actor,
    user: str | None = None,
    date_from=None,
    date_to=None,
    household_id: int | None = None,
) -> QuerySet[SensitiveAccess]:
    """The reveal log (every full ID number shown, and every "does this number exist?" answered),
    for those who audit it: rows whose record lies in the actor's region, or — for rows without a
    record region (written before it was kept, or a search by number) — whose user does.
    `date_from` / `date_to` are local dates, both included; `user` is a username."""
    if not actor.has_perm("core.view_sensitiveaccess"):
        return SensitiveAccess.objects.none()
    base = SensitiveAccess.objects.select_related("user", "region")
    qs = scope(base.filter(region__isnull=False), actor=actor, field="region_id") | scope(
        base.filter(region__isnull=True), actor=actor, field="user__region_id"
    )
    if user:
        qs = qs.filter(user__username=user.strip())
    if date_from:
        qs = reveals_from(qs, date_from)
    if date_to:
        qs = reveals_to(qs, date_to)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs.order_by("-at", "-id")


def reveals_from(qs, day):
    return qs.filter(at__gte=_day_start(day))


def reveals_to(qs, day):
    """Up to the end of `day` (a local date), included."""
    return qs.filter(at__lt=_day_start(day + timedelta(days=1)))


def _day_start(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.min))


def reveal_daily_summary(*, actor, day, top: int = 5) -> dict:
    """One day of the reveal log in the actor's region: how many, by how many people, who most."""
    from django.db.models import Count

    qs = reveal_list(actor=actor, date_from=day, date_to=day)
    by_user = list(
        qs.order_by()
        .values("user__username", "user__full_name")
        .annotate(n=Count("id"))
        .order_by("-n", "user__username")
    )
    return {
        "day": day,
        "count": sum(row["n"] for row in by_user),
        "users": len(by_user),
        "top": by_user[:top],
    }
