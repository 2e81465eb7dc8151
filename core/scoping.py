"""The one scoping rule: a user sees only rows under their region.

Leaders and administrators are given the city (or province) as their region, so they see
all of it; leaders cannot write. Every selector filters through `scope()`; a row outside
the scope is simply not there (404), never a 403 that would confirm it exists.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .exceptions import ReadOnlyActor
from .regions import prefix_from_code


def scope_prefix(actor) -> str | None:
    """'' = everything (a superuser without a region); None = nothing."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    if actor.region_id:
        return prefix_from_code(actor.region_id)
    return "" if actor.is_superuser else None


def scope(qs: QuerySet, *, actor, field: str) -> QuerySet:
    """Filter `qs` to rows whose region code (at `field`) lies under the actor's region."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return qs.none()
    if prefix == "":
        return qs
    if field.endswith("_id"):  # a foreign key to Region: filter its code without a join
        field = f"{field[:-3]}__code"
    return qs.filter(**{f"{field}__startswith": prefix})


def in_scope(actor, region_code: str | None) -> bool:
    prefix = scope_prefix(actor)
    if prefix is None or region_code is None:
        return prefix == ""
    return region_code.startswith(prefix)


def ensure_in_scope(actor, region_code: str | None) -> None:
    if not in_scope(actor, region_code):
        raise Http404(_("Not found."))


def ensure_can_write(actor, region_code: str | None = None) -> None:
    """Refuse writes from read-only roles and outside the actor's region."""
    if getattr(actor, "is_read_only", False):
        raise ReadOnlyActor(_("Your role can read but not change data."))
    if region_code is not None:
        ensure_in_scope(actor, region_code)
