"""Reads for core: every queryset goes through the scoping rule."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import ApiToken, Officer, Region, Unit, User
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
