"""The one scoping rule: a user sees only rows under their region.

Leaders and administrators are given the city (or province) as their region, so they see
all of it; leaders cannot write. Every selector filters through `scope()`; a row outside
the scope is simply not there (404), never a 403 that would confirm it exists.

What the apps use: `scope()` (a queryset; one field or several; `within=` a chosen region),
`scope_q()` (a condition inside a larger one), `scope_sql()` (raw SQL), `region_rows()` (the
rows behind a figure), `in_scope()` / `ensure_in_scope()` (one region code) and `scope_depth()`
(the reader's level). `scope_prefix` and `under_prefix` are this module's internals: they skip a
first secretary's village restriction, and ruff (TID251) refuses them outside core/.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Sequence

from django.apps import apps
from django.db.models import Q, QuerySet
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


def scope(
    qs: QuerySet, *, actor, field: str | Sequence[str], how: str = "like", within: str | None = None
) -> QuerySet:
    """Filter `qs` to rows whose region code (at `field`) lies under the actor's region — and,
    for a village-restricted actor (a first secretary), in one of their villages.

    - `field`: a region code column ("village_id", "plan__household__village_id", "code"), or
      several: a row that touches several regions (a pair of households) is the actor's only
      when every one of them is.
    - `how`: which index the prefix is said for, see `under_prefix`.
    - `within`: a region the reader narrowed the list to (a 12-digit code or a code prefix, as
      a filter form gives it). Said with the scope as one condition — the narrower prefix, once
      (two would multiply their estimates) — and a region outside the scope gives no rows.
    """
    prefix = scope_prefix(actor)
    if prefix is None:
        return qs.none()
    if within:
        prefix = _narrowed(prefix, within)
        if prefix is None:
            return qs.none()
    villages = restricted_villages(actor)
    for one in (field,) if isinstance(field, str) else tuple(field):
        qs = under_prefix(qs, one, prefix, how=how)
        if villages is not None:
            code = f"{one[:-3]}__code" if one.endswith("_id") else one
            qs = qs.filter(**{f"{code}__in": villages})
    return qs


def region_rows(qs: QuerySet, *, field: str, region: str, actor=None, how: str = "like") -> QuerySet:
    """The rows a figure of `region` (a code or a code prefix) counts, at `field`.

    With `actor` — a reader drilling down from the figure to its rows — they are `scope(...,
    within=region)`: only rows also in the reader's scope, said as one condition. Without (the
    figure itself, grouped by region, or a system job such as the monthly bulletin) the region
    alone; the caller has checked the region against the reader where there is one."""
    if actor is not None:
        return scope(qs, actor=actor, field=field, how=how, within=region or None)
    if not region:
        return qs
    prefix = _narrowed("", region)
    return qs.none() if prefix is None else under_prefix(qs, field, prefix, how=how)


def _narrowed(prefix: str, within: str) -> str | None:
    """The narrower of the scope's prefix and a chosen region; None when they do not overlap
    (or the region is not a region code: nothing matches it)."""
    within = str(within).strip()
    if not within.isdigit() or len(within) > 12:
        return None
    chosen = prefix_from_code(within) if len(within) == 12 else within
    if chosen.startswith(prefix):
        return chosen
    if prefix.startswith(chosen):
        return prefix
    return None


def scope_q(actor, field: str) -> Q:
    """The scope as a Q, for a condition combined with others (`scope_q(...) | Q(pk__in=…)`).
    Said as `LIKE 'prefix%'`; use `scope()` where the index needs another wording."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return Q(pk__in=[])
    column = field[:-3] if field.endswith("_id") else field
    code = f"{column}__code" if field.endswith("_id") else field
    # Everything as a condition that stays true inside an OR (an empty Q() would drop out of it).
    q = Q(**{f"{code}__startswith": prefix}) if prefix else ~Q(pk__in=[])
    villages = restricted_villages(actor)
    if villages is not None:
        q &= Q(**{f"{code}__in": villages})
    return q


_COLUMN_RE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")


def scope_sql(actor, column: str, *, how: str = "like", name: str | None = None) -> tuple[str, list | dict]:
    """The scope as a clause for raw SQL: `(sql, params)` to AND into a WHERE.

    `column` is a region code column as the SQL names it ("h.village_id"). Worded as
    `under_prefix` words it (`how`: "like", "range", "county"), so the same indexes serve it.
    Params are positional (`%s`, a list); with `name`, named (`%(name_0)s`, a dict) for SQL that
    uses named parameters. Nothing in scope: `FALSE`; everything: `TRUE`.
    """
    if not _COLUMN_RE.match(column):
        raise ValueError(f"not a column name: {column!r}")
    prefix = scope_prefix(actor)
    if prefix is None:
        return _named("FALSE", [], name)
    parts: list[str] = []
    params: list = []
    if prefix:
        if how == "county" and len(prefix) == 6:
            parts.append(f"left({column}, 6) = %s")
            params.append(prefix)
        elif how in ("range", "county"):
            parts.append(f"{column} >= %s")
            params.append(prefix)
            if set(prefix) != {"9"}:
                parts.append(f"{column} < %s")
                params.append(str(int(prefix) + 1).zfill(len(prefix)))
        else:
            parts.append(f"{column} LIKE %s")
            params.append(prefix + "%")
    villages = restricted_villages(actor)
    if villages is not None:
        sub, sub_params = villages.query.sql_with_params()
        parts.append(f"{column} IN ({sub})")
        params.extend(sub_params)
    return _named(" AND ".join(parts) or "TRUE", params, name)


def _named(sql: str, params: list, name: str | None) -> tuple[str, list | dict]:
    if name is None:
        return f"({sql})", params
    counter = iter(range(len(params)))
    # Django's compiled SQL writes a literal % as %%: only a lone %s is a placeholder.
    sql = re.sub(r"(?<!%)%s", lambda _m: f"%({name}_{next(counter)})s", sql)
    return f"({sql})", {f"{name}_{i}": p for i, p in enumerate(params)}


def scope_fingerprint(actor) -> str:
    """A short hash of what decides the actor's scope — the region prefix (or everything, or
    nothing) and a village-restricted actor's villages — for the households change feed: a token
    made under another scope answers "resync" instead of rows."""
    prefix = scope_prefix(actor)
    villages = restricted_villages(actor)
    codes = None if villages is None else sorted({str(next(iter(row.values()))) for row in villages})
    text = json.dumps([prefix, codes], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def scope_depth(actor) -> int | None:
    """How many digits of a region code the actor's scope fixes: 0 = everything, 6 = a county,
    12 = a village; None = nothing. For rules about the level of the actor (only a county may
    approve…), never to filter rows: that is `scope()` / `scope_sql()`."""
    prefix = scope_prefix(actor)
    return None if prefix is None else len(prefix)


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
