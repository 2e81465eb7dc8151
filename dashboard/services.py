"""Rebuilding the dashboard's figures (the only writes of the dashboard app: its own aggregates)."""

from __future__ import annotations

import logging
import time

from django.db import connection, transaction
from django.utils import timezone

from .figures import METRICS, Metric
from .models import FigureRefresh, RegionFigure

logger = logging.getLogger(__name__)

DEPTHS = (2, 4, 6, 9, 12)

# Roll a metric's rows up to every level at or above the code's own level (a city-level
# fund counts for the city and the province, not for a made-up county "410800").
_ROLLUP = """
INSERT INTO {table} (region_code, depth, metric, key, value)
SELECT rpad(left(src.code, d.n), 12, '0'), d.n, %s, src.key, sum(src.value)
FROM (
    SELECT code::text AS code, coalesce(key::text, '') AS key, sum(value) AS value
    FROM ({sql}) AS raw(code, key, value)
    GROUP BY 1, 2
) AS src
CROSS JOIN (VALUES {depths}) AS d(n)
WHERE d.n <= CASE WHEN right(src.code, 3) <> '000' THEN 12 WHEN substr(src.code, 7, 3) <> '000' THEN 9
                  WHEN substr(src.code, 5, 2) <> '00' THEN 6 WHEN substr(src.code, 3, 2) <> '00' THEN 4 ELSE 2 END
GROUP BY 1, 2, 4
"""


def _existing_tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def _insert(metric: Metric) -> None:
    inner, params = metric.sql() if callable(metric.sql) else (metric.sql, ())
    depths = (metric.only_depth,) if metric.only_depth else [d for d in DEPTHS if d <= metric.max_depth]
    sql = _ROLLUP.format(
        table=RegionFigure._meta.db_table,
        sql=inner,
        depths=", ".join(f"({d})" for d in depths),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [metric.name, *params])


def figures_refresh() -> FigureRefresh:
    """Rebuild every figure in one transaction; readers keep the old ones until it commits."""
    started = time.monotonic()
    tables = _existing_tables()
    with transaction.atomic():
        # One refresh at a time; a second caller waits, then rebuilds from fresher data.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('dashboard.figures_refresh'))")
        RegionFigure.objects.all().delete()
        for metric in METRICS:
            if set(metric.tables) <= tables:
                _insert(metric)
        rows = RegionFigure.objects.count()
        refresh = FigureRefresh.objects.create(
            finished_at=timezone.now(), duration_ms=int((time.monotonic() - started) * 1000), rows=rows
        )
    logger.info("dashboard figures rebuilt: %s figures in %s ms", rows, refresh.duration_ms)
    return refresh
