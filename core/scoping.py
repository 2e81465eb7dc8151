"""The one scoping rule: a user sees only rows under their region.

Leaders and administrators are given the city (or province) as their region, so they see
all of it; leaders cannot write. Every selector filters through `scope()`; a row outside
the scope is simply not there (404), never a 403 that would confirm it exists.
"""

from __future__ import annotations

import contextlib

from django.apps import apps
from django.db.models import QuerySet
from django.db.models.functions import Left
from django.http import Http404
from django.utils.module_loading import import_string
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


def restricted_villages(actor):
    """Village codes the actor is limited to inside their region, or None when not limited.

    Some roles see only certain villages (a first secretary: the villages their work team
    serves). The app that knows the rule names a function in its AppConfig:
    `village_restriction = "assistance.selectors.village_restriction"`, returning a queryset of
    village codes (`values("village_id")`) or None. Asked once per actor object.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    cached = getattr(actor, "_restricted_villages", _UNSET)
    if cached is not _UNSET:
        return cached
    result = None
    for config in apps.get_app_configs():
        path = getattr(config, "village_restriction", None)
        if path:
            found = import_string(path)(actor)
            if found is not None:
                result = found
                break
    with contextlib.suppress(AttributeError):
        actor._restricted_villages = result
    return result


_UNSET = object()


def under_prefix(qs: QuerySet, field: str, prefix: str, *, how: str = "like") -> QuerySet:
    """Rows whose region code (at `field`) starts with `prefix`, said in the words an index needs.

    - "like" (default): `LIKE '411525%'`, served by the varchar_pattern_ops indexes.
    - "range": `>= '411525' AND < '411526'`, the same rows for digit codes, served by the plain
      btree in code order — for lists sorted by the code (a LIKE there let PostgreSQL walk the
      whole btree from the start, filtering: 1 s for a county at 1M households).
    - "county": for a county prefix, `left(col, 6) = '411525'`, served by an expression index
      on left(col, 6) in another order (households by updated_at); other prefixes use "range".
    Never two of them at once: PostgreSQL would multiply their selectivities and misplan.
    """
    if not prefix:
        return qs
    column = field[:-3] if field.endswith("_id") else field
    if how == "county" and len(prefix) == 6:
        return qs.alias(scope_county=Left(column, 6)).filter(scope_county=prefix)
    if how in ("range", "county"):
        qs = qs.filter(**{f"{column}__gte": prefix})
        if set(prefix) != {"9"}:
            upper = str(int(prefix) + 1).zfill(len(prefix))
            qs = qs.filter(**{f"{column}__lt": upper})
        return qs
    if field.endswith("_id"):  # a foreign key to Region: filter its code without a join
        field = f"{column}__code"
    return qs.filter(**{f"{field}__startswith": prefix})


def scope(qs: QuerySet, *, actor, field: str, how: str = "like") -> QuerySet:
    """Filter `qs` to rows whose region code (at `field`) lies under the actor's region.

    `how`: which index the prefix is said for, see `under_prefix`."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return qs.none()
    villages = restricted_villages(actor)
    qs = under_prefix(qs, field, prefix, how=how)
    if field.endswith("_id"):
        field = f"{field[:-3]}__code"
    if villages is not None:
        qs = qs.filter(**{f"{field}__in": villages})
    return qs


def in_scope(actor, region_code: str | None) -> bool:
    prefix = scope_prefix(actor)
    if prefix is None or region_code is None:
        return prefix == ""
    if not region_code.startswith(prefix):
        return False
    villages = restricted_villages(actor)
    if villages is None:
        return True
    # A village-restricted actor may open a village they serve, or a region containing one
    # (their lists there show only their villages).
    return villages.filter(village__code__startswith=prefix_from_code(region_code)).exists()


def ensure_in_scope(actor, region_code: str | None) -> None:
    if not in_scope(actor, region_code):
        raise Http404(_("Not found."))


def ensure_can_write(actor, region_code: str | None = None) -> None:
    """Refuse writes from read-only roles and outside the actor's region."""
    if getattr(actor, "is_read_only", False):
        raise ReadOnlyActor(_("Your role can read but not change data."))
    if region_code is not None:
        ensure_in_scope(actor, region_code)
