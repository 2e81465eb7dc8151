"""The coverage rule: every poverty cause of a household is answered by a measure that is not
cancelled; late measures are open ones past their planned completion."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, Expression, F, IntegerField, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..models import OPEN_STATUSES, AssistancePlan, Measure, MeasureStatus

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
        # Only compiled column references and a quoted table name are interpolated; values are params.
        sql = (
            f"ARRAY(SELECT c FROM unnest(array_prepend(({main_sql})::varchar, ({sec_sql})::varchar[])) AS c "  # noqa: S608
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} m WHERE m.plan_id = ({plan_sql}) "
            f"AND m.status <> %s AND c = ANY(m.causes)))"
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


def uncovered_causes(plan: AssistancePlan, *, measures: list[Measure] | None = None) -> list[str]:
    """The same rule as `UncoveredCauses`, for one plan already in memory."""
    measures = list(plan.measures.all()) if measures is None else measures
    covered = {c for m in measures if m.status != MeasureStatus.CANCELLED for c in m.causes}
    return [c for c in plan.household.causes if c not in covered]
