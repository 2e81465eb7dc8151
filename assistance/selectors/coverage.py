"""The coverage rule: every poverty cause of a household is answered by a measure that is not
cancelled and whose kind answers that cause (the kinds' table, `models.fit.KindCause`: the
defaults and the household's county's extensions); late measures are open ones past their
planned completion."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, Expression, F, IntegerField, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..models import OPEN_STATUSES, AssistancePlan, KindCause, Measure, MeasureStatus

# --- coverage ----------------------------------------------------------------------------


class UncoveredCauses(Expression):
    """The household's causes not answered by any non-cancelled measure of the plan (an array).

    SQL, evaluated per row so that lists of any size filter on it in one query:
    ARRAY(SELECT c FROM unnest(main || secondary) c WHERE NOT EXISTS
          (SELECT 1 FROM measure m WHERE m.plan_id = plan AND m.status <> 'cancelled' AND c = ANY(m.causes)))
    With no plan (plan NULL) every cause is uncovered.
    """

    def __init__(self, plan, main, secondary):
        from django.contrib.postgres.fields import ArrayField
        from django.db.models import CharField

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
        answers = connection.ops.quote_name(KindCause._meta.db_table)
        plans = connection.ops.quote_name(AssistancePlan._meta.db_table)
        households = connection.ops.quote_name(
            AssistancePlan._meta.get_field("household").related_model._meta.db_table
        )
        # Only compiled column references and quoted table names are interpolated; values are params.
        sql = (
            f"ARRAY(SELECT c FROM unnest(array_prepend(({main_sql})::varchar, ({sec_sql})::varchar[])) AS c "  # noqa: S608
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} m WHERE m.plan_id = ({plan_sql}) "
            f"AND m.status <> %s AND c = ANY(m.causes) "
            f"AND EXISTS (SELECT 1 FROM {answers} k WHERE k.kind = m.kind AND k.cause = c "
            f"AND (k.county_id IS NULL OR k.county_id = (SELECT left(hh.village_id, 6) || '000000' "
            f"FROM {plans} pp JOIN {households} hh ON hh.id = pp.household_id WHERE pp.id = m.plan_id)))))"
        )
        return sql, (*main_params, *sec_params, *plan_params, MeasureStatus.CANCELLED.value)


def _late_count(plan_ref, today: dt.date):
    late = (
        Measure.objects.filter(plan_id=plan_ref, status__in=OPEN_STATUSES, planned_end__lt=today)
        .order_by()
        .values("plan_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(late, output_field=IntegerField()), Value(0))


def _late_count_if_due(plan_ref, next_due: str, today: dt.date):
    """The late count, counted only for plans whose stored earliest open date has passed (the
    others have none), so a list filtering on `next_due` counts only the rows it shows."""
    return Case(
        When(**{f"{next_due}__lt": today}, then=_late_count(plan_ref, today)),
        default=Value(0),
        output_field=IntegerField(),
    )


def county_of(village_code: str) -> str:
    """The county region code (12 digits) of a village (or any region) code."""
    return f"{village_code[:6]}000000"


def kind_answers(*, county: str | None) -> dict[str, set[str]]:
    """Kind → the causes it answers, in a county (the defaults and the county's own rows)."""
    qs = KindCause.objects.filter(county__isnull=True)
    if county:
        qs = KindCause.objects.filter(Q(county__isnull=True) | Q(county_id=county_of(county)))
    table: dict[str, set[str]] = {}
    for kind, cause in qs.values_list("kind", "cause"):
        table.setdefault(kind, set()).add(cause)
    return table


def unanswered_by_kind(measure: Measure, answers: dict[str, set[str]]) -> list[str]:
    """The causes a measure claims that its kind does not answer."""
    can = answers.get(measure.kind, set())
    return [c for c in measure.causes if c not in can]


def uncovered_causes(
    plan: AssistancePlan, *, measures: list[Measure] | None = None, answers: dict[str, set[str]] | None = None
) -> list[str]:
    """The same rule as `UncoveredCauses`, for one plan already in memory."""
    measures = list(plan.measures.all()) if measures is None else measures
    if answers is None:
        answers = kind_answers(county=plan.household.village_id)
    covered = {
        c
        for m in measures
        if m.status != MeasureStatus.CANCELLED
        for c in m.causes
        if c in answers.get(m.kind, ())
    }
    return [c for c in plan.household.causes if c not in covered]
