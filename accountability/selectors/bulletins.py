"""Reads of monthly bulletins. A bulletin covers a region; users above or at that region see it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.scoping import scope

from ..models import Bulletin, BulletinStatus


def bulletin_list(*, actor, include_superseded: bool = True) -> QuerySet[Bulletin]:
    """A bulletin is visible to users whose region contains the bulletin's whole region (the city)."""
    qs = Bulletin.objects.select_related("region", "generated_by")
    if actor is None or not actor.has_perm("accountability.view_bulletin"):
        return qs.none()
    # The bulletin's region must lie inside the user's scope (a county clerk cannot read the city's).
    qs = scope(qs, actor=actor, field="region_id")
    if not include_superseded:
        qs = qs.filter(status=BulletinStatus.PUBLISHED)
    return qs.order_by("-month", "-version")


def bulletin_get(*, actor, pk: int) -> Bulletin:
    return get_object_or_404(bulletin_list(actor=actor), pk=pk)


def bulletin_latest(*, actor) -> Bulletin:
    bulletin = bulletin_list(actor=actor, include_superseded=False).first()
    if bulletin is None:
        raise Http404
    return bulletin


def bulletin_versions(*, actor, bulletin: Bulletin) -> list[Bulletin]:
    return list(
        bulletin_list(actor=actor).filter(region=bulletin.region, month=bulletin.month).order_by("version")
    )
