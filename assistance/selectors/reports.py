"""帮扶一项一项抓实: measures done on time (a line of the 六个一 board)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.scoping import region_rows

from ..models import Measure, MeasureStatus

# --- 帮扶一项一项抓实: measures done on time (a line of the 六个一 board) ----------------------


def measures_due_base(
    *, prefix: str, year: int, today: dt.date | None = None, actor=None
) -> QuerySet[Measure]:
    """Measures due this year by today (planned end in the year and passed), not cancelled, each
    marked `done` when finished on or before its planned end. Figure: count(done) / count(rows)."""
    from django.db.models import BooleanField, ExpressionWrapper
    from django.db.models.functions import Substr

    today = today or timezone.localdate()
    measures = region_rows(
        Measure.objects.all(), field="plan__household__village_id", region=prefix, actor=actor
    )
    return (
        measures.filter(planned_end__year=year, planned_end__lte=today)
        .exclude(status=MeasureStatus.CANCELLED)
        .annotate(
            done=ExpressionWrapper(
                Q(status=MeasureStatus.DONE, actual_end__lte=F("planned_end")), output_field=BooleanField()
            ),
            county=Substr("plan__household__village_id", 1, 6),
        )
        .order_by("planned_end", "id")
    )
