"""因户施策 reads: the kinds' table as a county sees it, the measures under review for their cause,
and 应保尽保 — the causes of a household that call for relief and have none in its plan."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db.models import BooleanField, CharField, Expression, F, QuerySet
from django.shortcuts import get_object_or_404

from core.models import Region, RegionLevel
from core.scoping import scope
from households.models import PovertyCause

from ..models import (
    RELIEF_FOR_CAUSE,
    FitDecision,
    KindCause,
    Measure,
    MeasureFitReview,
    MeasureKind,
    MeasureStatus,
)

# --- 应保尽保 ------------------------------------------------------------------------------


def relief_missing(causes: list[str], measures: list[Measure]) -> list[str]:
    """The causes (in the household's order) that call for relief with no live relief measure of
    a matching kind among `measures` — the same rule as `ReliefMissing`."""
    kinds = {m.kind for m in measures if m.status != MeasureStatus.CANCELLED}
    return [c for c in causes if c in RELIEF_FOR_CAUSE and not kinds.intersection(RELIEF_FOR_CAUSE[c])]


class ReliefMissing(Expression):
    """The household's causes that call for relief (因病 因学 因灾 因残 缺劳力) with no measure of a
    matching relief kind, not cancelled, in the plan (an array; no plan: every such cause).

    ARRAY(SELECT c FROM unnest(main || secondary) c JOIN (VALUES (cause, kinds), …) r ON r.cause = c
          WHERE NOT EXISTS (SELECT 1 FROM measure m WHERE m.plan = plan AND m.status <> 'cancelled'
                            AND m.kind = ANY (r.kinds)))
    """

    def __init__(self, plan, main, secondary):
        super().__init__(output_field=ArrayField(CharField(max_length=20)))
        self.plan, self.main, self.secondary = (
            F(e) if isinstance(e, str) else e for e in (plan, main, secondary)
        )

    def get_source_expressions(self):
        return [self.plan, self.main, self.secondary]

    def set_source_expressions(self, exprs):
        self.plan, self.main, self.secondary = exprs

    def as_sql(self, compiler, connection):
        plan_sql, plan_params = compiler.compile(self.plan)
        main_sql, main_params = compiler.compile(self.main)
        sec_sql, sec_params = compiler.compile(self.secondary)
        table = connection.ops.quote_name(Measure._meta.db_table)
        values = ", ".join("(%s, %s::varchar[])" for _ in RELIEF_FOR_CAUSE)
        value_params = [
            p for cause, kinds in RELIEF_FOR_CAUSE.items() for p in (str(cause), [str(k) for k in kinds])
        ]
        # Only compiled column references and a quoted table name are interpolated; values are params.
        sql = (
            f"ARRAY(SELECT c FROM unnest(array_prepend(({main_sql})::varchar, ({sec_sql})::varchar[])) AS c "  # noqa: S608
            f"JOIN (VALUES {values}) AS r(cause, kinds) ON r.cause = c "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} m WHERE m.plan_id = ({plan_sql}) "
            f"AND m.status <> %s AND m.kind = ANY (r.kinds)))"
        )
        return sql, (*main_params, *sec_params, *value_params, *plan_params, MeasureStatus.CANCELLED.value)


class ReliefLacking(Expression):
    """True when the household has a cause that calls for relief with no matching relief measure
    (not cancelled) in the plan — `ReliefMissing` as a condition, for counts and filters over a
    whole county: a household without such a cause is passed over by an array test, and the
    others stop at the first cause lacking relief (no array is built).

    (main = ANY(:causes) OR secondary && :causes) AND EXISTS (SELECT 1 FROM (VALUES …) r(cause, kinds)
      WHERE (r.cause = main OR r.cause = ANY(secondary)) AND NOT EXISTS (SELECT 1 FROM measure m
      WHERE m.plan = plan AND m.status <> 'cancelled' AND m.kind = ANY(r.kinds)))
    """

    conditional = True

    def __init__(self, plan, main, secondary):
        super().__init__(output_field=BooleanField())
        self.plan, self.main, self.secondary = (
            F(e) if isinstance(e, str) else e for e in (plan, main, secondary)
        )

    def get_source_expressions(self):
        return [self.plan, self.main, self.secondary]

    def set_source_expressions(self, exprs):
        self.plan, self.main, self.secondary = exprs

    def as_sql(self, compiler, connection):
        plan_sql, plan_params = compiler.compile(self.plan)
        main_sql, main_params = compiler.compile(self.main)
        sec_sql, sec_params = compiler.compile(self.secondary)
        table = connection.ops.quote_name(Measure._meta.db_table)
        causes = [str(c) for c in RELIEF_FOR_CAUSE]
        values = ", ".join("(%s, %s::varchar[])" for _ in RELIEF_FOR_CAUSE)
        value_params = [
            p for cause, kinds in RELIEF_FOR_CAUSE.items() for p in (str(cause), [str(k) for k in kinds])
        ]
        # Only compiled column references and a quoted table name are interpolated; values are params.
        sql = (
            f"((({main_sql})::varchar = ANY (%s::varchar[]) OR ({sec_sql})::varchar[] && %s::varchar[]) "  # noqa: S608
            f"AND EXISTS (SELECT 1 FROM (VALUES {values}) AS r(cause, kinds) "
            f"WHERE (r.cause = ({main_sql})::varchar OR r.cause = ANY (({sec_sql})::varchar[])) "
            f"AND NOT EXISTS (SELECT 1 FROM {table} m WHERE m.plan_id = ({plan_sql}) "
            f"AND m.status <> %s AND m.kind = ANY (r.kinds))))"
        )
        params = (
            *main_params, causes, *sec_params, causes, *value_params, *main_params, *sec_params,
            *plan_params, MeasureStatus.CANCELLED.value,
        )  # fmt: skip
        return sql, params


def plans_lacking_relief(qs: QuerySet, lacking: bool = True) -> QuerySet:
    """Plans (not) flagged 应保尽保, as a condition (no array built for the plans passed over)."""
    qs = qs.alias(relief_lacking=ReliefLacking("pk", "household__main_cause", "household__secondary_causes"))
    return qs.filter(relief_lacking=True) if lacking else qs.filter(relief_lacking=False)


# --- the kinds' table --------------------------------------------------------------------


@dataclass
class KindRow:
    kind: str
    label: str
    defaults: list[str]  # cause labels
    extensions: list[KindCause]


def counties_in_scope(*, actor) -> QuerySet[Region]:
    """The counties the actor may set the table for (their own; an administrator: each under them)."""
    return scope(Region.objects.filter(level=RegionLevel.COUNTY), actor=actor, field="code").order_by("code")


def kind_cause_extensions(*, actor) -> QuerySet[KindCause]:
    """The counties' own rows of the table, in the actor's scope."""
    qs = KindCause.objects.filter(county__isnull=False).select_related("county", "added_by")
    return scope(qs, actor=actor, field="county_id").order_by("county_id", "kind", "cause")


def kind_table(*, actor) -> list[KindRow]:
    """Every kind with the causes it answers by default and the extensions of the actor's counties."""
    labels = dict(PovertyCause.choices)
    extensions: dict[str, list[KindCause]] = {}
    for row in kind_cause_extensions(actor=actor):
        row.cause_label = labels.get(row.cause, row.cause)
        extensions.setdefault(row.kind, []).append(row)
    defaults: dict[str, list[str]] = {}
    for kind, cause in KindCause.objects.filter(county__isnull=True).values_list("kind", "cause"):
        defaults.setdefault(kind, []).append(cause)
    return [
        KindRow(
            kind=kind.value,
            label=kind.label,
            defaults=[labels[c] for c in PovertyCause.values if c in defaults.get(kind.value, ())],
            extensions=extensions.get(kind.value, []),
        )
        for kind in MeasureKind
    ]


# --- measures under review ---------------------------------------------------------------


def fit_review_list(*, actor, filters: dict | None = None) -> QuerySet[MeasureFitReview]:
    """Measures under review for their cause, in the actor's scope (open ones by default)."""
    filters = filters or {}
    qs = scope(
        MeasureFitReview.objects.select_related(
            "measure__plan__household__village", "measure__responsible_officer", "decided_by"
        ),
        actor=actor,
        field="measure__plan__household__village_id",
        within=filters.get("region"),
    )
    decision = filters.get("decision")
    if decision == "open" or decision is None:
        qs = qs.filter(decision=FitDecision.PENDING)
    elif decision in FitDecision.values:
        qs = qs.filter(decision=decision)
    # decision == "all": every review
    return qs.order_by("measure__plan__household__village_id", "id")


def fit_review_get(*, actor, pk: int) -> MeasureFitReview:
    return get_object_or_404(fit_review_list(actor=actor, filters={"decision": "all"}), pk=pk)


def open_fit_review_count(*, actor) -> int:
    return fit_review_list(actor=actor).count()
