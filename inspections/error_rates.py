"""三个零差错: the identification, exit and fund error rates, defined once.

The board, the monthly bulletin, the scores' error indicators and the auditors' flags read these
definitions; this module sits in inspections, the left-most app that sees every source (findings
here, the register's sources in `households.selectors.errors`, payments in `funds.selectors.errors`).

An error is counted once per household and kind of error, in the period it was first revealed,
whichever source revealed it (a household confirmed by a cross-check and then removed is one
identification error). Sources:

- identification — confirmed findings of inaccurate identification; households removed as wrongly
  identified (清退); files corrected by a re-verification campaign; confirmed cross-check flags
  showing the file wrong. Over households identified (建档立卡: registered, exited, returned, removed).
- exit — confirmed findings of inaccurate exit; households returning to poverty within a year of
  exit for a cause they had at exit. Over households that exited (exited or returned).
- funds — confirmed findings on the use of funds; payments in error (reversed, or paid to a
  household off the register when paid — a payment a policy still grants after exit, 脱贫不脱政策,
  is not one); confirmed cross-check flags of a payment after a member's death. Over the payments
  approved in the period.

A finding naming no household counts as one error of its own; a payment to an organisation too.
Denominators are today's register (households) and the period's payments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import connection
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, Substr, TruncDate
from django.utils.translation import gettext_lazy as _

from core.scoping import region_rows
from funds.selectors.errors import off_register_payments, payments, reversed_payments
from households.models import Household
from households.selectors.errors import (
    EXITED,
    corrected_checks,
    early_returns,
    exited_households,
    identification_flags,
    identified_households,
    payment_flags,
    removed_households,
)

from .models import Finding, FindingCategory, FindingStatus
from .targets import Rate

KINDS = ("identification", "exit", "funds")
KIND_LABELS = {
    "identification": _("identification error rate"),
    "exit": _("exit error rate"),
    "funds": _("fund error rate"),
}
WHOLE_LABELS = {
    "identification": _("households identified"),
    "exit": _("households exited"),
    "funds": _("payments approved"),
}


def _key(prefix: str, field: str):
    return Concat(Value(prefix), Cast(field, CharField()), output_field=CharField())


def finding_rows(category: str, *, prefix: str, actor=None) -> QuerySet[Finding]:
    """Confirmed findings of the category, keyed by their household (else by the finding)."""
    findings = region_rows(Finding.objects.all(), field="region_id", region=prefix, actor=actor)
    return findings.filter(status=FindingStatus.CONFIRMED, category=category).annotate(
        key=Case(When(household_id__isnull=False, then=_key("h", "household_id")), default=_key("f", "id")),
        on=TruncDate("confirmed_at"),
        code=F("region_id"),
    )


def _payment_rows(payments: QuerySet) -> QuerySet:
    """Payments in error, keyed by the household paid (else by the request), on the day decided."""
    return payments.annotate(
        key=Case(When(payee_kind="household", then=_key("h", "household_id")), default=_key("r", "id")),
        on=TruncDate("decided_at"),
        code=F("region_id"),
    )


def reversed_rows(*, prefix: str, actor=None) -> QuerySet:
    return _payment_rows(reversed_payments(prefix=prefix, actor=actor))


def off_register_rows(*, prefix: str, actor=None) -> QuerySet:
    return _payment_rows(off_register_payments(prefix=prefix, actor=actor))


@dataclass(frozen=True)
class Source:
    code: str
    label: object  # lazy text
    rows: Callable[..., QuerySet]  # (prefix=, actor=) → rows annotated key, on, code


SOURCES: dict[str, list[Source]] = {
    "identification": [
        Source("findings", _("confirmed inspection findings"), partial(finding_rows, FindingCategory.IDENTIFICATION)),
        Source("removed", _("households removed as wrongly identified"), removed_households),
        Source("reverified", _("files corrected by re-verification"), corrected_checks),
        Source("crosschecks", _("confirmed registry cross-check flags"), identification_flags),
    ],
    "exit": [
        Source("findings", _("confirmed inspection findings"), partial(finding_rows, FindingCategory.EXIT)),
        Source("returns", _("returned within a year of exit for a cause present at exit"), early_returns),
    ],
    "funds": [
        Source("findings", _("confirmed inspection findings"), partial(finding_rows, FindingCategory.FUNDS)),
        Source("reversed", _("payments reversed after approval"), reversed_rows),
        Source("off_register", _("payments to a household off the register (not a policy kept after exit)"),
               off_register_rows),
        Source("crosschecks", _("confirmed payments after a member's death"), payment_flags),
    ],
}  # fmt: skip


def _events_sql(*, kinds, prefix: str, actor, end: dt.date) -> tuple[str, list]:
    """UNION ALL of every source's rows revealed before `end`: (kind, src, err_key, err_on, err_region)."""
    parts, params = [], []
    for kind in kinds:
        for source in SOURCES[kind]:
            qs = source.rows(prefix=prefix, actor=actor).order_by().values("key", "on", "code")
            sql, p = qs.query.sql_with_params()
            parts.append(
                f'SELECT %s AS kind, %s AS src, u."key" AS err_key, u."on" AS err_on, u."code" AS err_region'  # noqa: S608
                f' FROM ({sql}) u WHERE u."on" < %s'
            )
            params += [kind, source.code, *p, end]
    return " UNION ALL ".join(parts), params


def _first_revealed_sql(*, kinds, prefix: str, actor, start: dt.date, end: dt.date) -> tuple[str, list]:
    """One row per (kind, key) first revealed in [start, end), with its sources and region."""
    events, params = _events_sql(kinds=kinds, prefix=prefix, actor=actor, end=end)
    sql = f"""SELECT kind, err_key, MIN(err_on) AS first_on, MIN(err_region) AS region,
                     array_agg(DISTINCT src ORDER BY src) AS srcs
                FROM ({events}) e GROUP BY kind, err_key
              HAVING MIN(err_on) >= %s"""  # noqa: S608 - the parts are compiled querysets, values are parameters
    return sql, [*params, start]


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class ErrorRate(Rate):
    """A Rate with the households (or payments) each source revealed; a household revealed by two
    sources is in both `sources` counts and once in `part`."""

    sources: dict | None = None

    def as_dict(self) -> dict:
        return {**super().as_dict(), "sources": dict(self.sources or {})}


def error_counts(*, prefix: str, start: dt.date, end: dt.date, kinds=KINDS) -> dict[tuple[str, str], dict]:
    """{(kind, county code of 12 digits): {"part": n, "sources": {src: n}}} — one query."""
    first, params = _first_revealed_sql(kinds=kinds, prefix=prefix, actor=None, start=start, end=end)
    rows = _fetch(
        f"""WITH f AS ({first})
            SELECT kind, LEFT(region, 6) AS county, s.src, COUNT(DISTINCT err_key)
              FROM f CROSS JOIN LATERAL unnest(f.srcs) AS s(src)
             GROUP BY GROUPING SETS ((kind, LEFT(region, 6)), (kind, LEFT(region, 6), s.src))""",  # noqa: S608
        params,
    )
    out: dict[tuple[str, str], dict] = {}
    for kind, county, src, n in rows:
        cell = out.setdefault((kind, county.ljust(12, "0")), {"part": 0, "sources": {}})
        if src is None:
            cell["part"] = n
        else:
            cell["sources"][src] = n
    return out


def denominators(*, prefix: str, start: dt.date, end: dt.date) -> dict[tuple[str, str], int]:
    """{(kind, county): whole}: households identified and exited (today), payments in the period. 2 queries."""
    out: dict[tuple[str, str], int] = {}
    households = (
        identified_households(prefix=prefix)
        .annotate(county=Substr("village_id", 1, 6))
        .values("county")
        .annotate(identified=Count("pk"), exited=Count("pk", filter=Q(status__in=EXITED)))
        .order_by()
    )
    for row in households:
        code = row["county"].ljust(12, "0")
        out[("identification", code)] = row["identified"]
        out[("exit", code)] = row["exited"]
    paid = (
        payments(prefix=prefix, start=start, end=end)
        .annotate(county=Substr("region_id", 1, 6))
        .values("county")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in paid:
        out[("funds", row["county"].ljust(12, "0"))] = row["n"]
    return out


def error_rates(*, prefix: str, start: dt.date, end: dt.date) -> dict[str, dict[str, ErrorRate]]:
    """{county code: {kind: ErrorRate}} for every county with errors or a denominator. 3 queries."""
    counts = error_counts(prefix=prefix, start=start, end=end)
    wholes = denominators(prefix=prefix, start=start, end=end)
    out: dict[str, dict[str, ErrorRate]] = {}
    for kind, county in set(counts) | set(wholes):
        cell = counts.get((kind, county), {"part": 0, "sources": {}})
        out.setdefault(county, {})[kind] = ErrorRate(
            cell["part"], wholes.get((kind, county), 0), cell["sources"]
        )
    return out


def sum_rates(rates) -> ErrorRate:
    sources: dict[str, int] = {}
    part = whole = 0
    for r in rates:
        part, whole = part + r.part, whole + r.whole
        for src, n in (getattr(r, "sources", None) or {}).items():
            sources[src] = sources.get(src, 0) + n
    return ErrorRate(part, whole, sources)


@dataclass
class ErrorRow:
    """One counted error: the household (or finding, or payment) and every source that revealed it."""

    key: str
    first_on: dt.date
    region: str
    sources: list[str]
    household: Household | None = None
    finding: Finding | None = None
    request: object | None = None


def error_rows(*, kind: str, prefix: str, start: dt.date, end: dt.date, actor=None) -> list[ErrorRow]:
    """The errors behind a figure, as the reader may see them (2-4 queries)."""
    first, params = _first_revealed_sql(kinds=[kind], prefix=prefix, actor=actor, start=start, end=end)
    rows = [
        ErrorRow(key, on, region, list(srcs))
        for _kind, key, on, region, srcs in _fetch(f"{first} ORDER BY first_on, err_key", params)
    ]
    ids = {p: [int(r.key[1:]) for r in rows if r.key[0] == p] for p in "hfr"}
    households = Household.objects.select_related("village").in_bulk(ids["h"]) if ids["h"] else {}
    findings = Finding.objects.select_related("region").in_bulk(ids["f"]) if ids["f"] else {}
    requests = {}
    if ids["r"]:
        from funds.models import DisbursementRequest

        requests = DisbursementRequest.objects.in_bulk(ids["r"])
    for r in rows:
        pk = int(r.key[1:])
        r.household = households.get(pk) if r.key[0] == "h" else None
        r.finding = findings.get(pk) if r.key[0] == "f" else None
        r.request = requests.get(pk) if r.key[0] == "r" else None
    return rows


def error_keys(*, start: dt.date, end: dt.date, prefix: str = "", kinds=KINDS) -> list[tuple[str, str, str]]:
    """(kind, key, region code) of every error first revealed in [start, end): what the scores'
    error indicators count for a subject's regions. One query."""
    first, params = _first_revealed_sql(kinds=kinds, prefix=prefix, actor=None, start=start, end=end)
    return [(kind, key, region) for kind, key, _on, region, _srcs in _fetch(first, params)]


def finding_key(finding_id: int, household_id: int | None) -> str:
    """The key a confirmed finding counts under (as `finding_rows` says it in SQL)."""
    return f"h{household_id}" if household_id else f"f{finding_id}"


def whole_rows(*, kind: str, prefix: str, start: dt.date, end: dt.date, actor=None) -> QuerySet:
    """What a kind's rate is over, as rows: households identified or exited, or the period's payments."""
    if kind == "identification":
        return identified_households(prefix=prefix, actor=actor)
    if kind == "exit":
        return exited_households(prefix=prefix, actor=actor)
    return payments(prefix=prefix, start=start, end=end, actor=actor)


def source_labels(kind: str) -> dict[str, str]:
    return {s.code: str(s.label) for s in SOURCES[kind]}


def month_rates(*, prefix: str, month: dt.date) -> dict[str, dict[str, ErrorRate]]:
    start = month.replace(day=1)
    return error_rates(prefix=prefix, start=start, end=(start + dt.timedelta(days=32)).replace(day=1))


__all__ = [
    "KINDS", "KIND_LABELS", "SOURCES", "WHOLE_LABELS", "ErrorRate", "ErrorRow", "Source", "denominators",
    "error_counts", "error_keys", "error_rates", "error_rows", "finding_key", "month_rates", "source_labels", "sum_rates", "whole_rows",
]  # fmt: skip
