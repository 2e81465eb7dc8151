"""Aggregates behind the leaders' dashboard.

The dashboard never scans the registry on a request. A Celery task rebuilds `RegionFigure`
from the source tables (one INSERT … SELECT per metric, rolled up to every region level with
one GROUP BY), inside one transaction, so readers see either the old or the new figures.
A figure for a region is then one index lookup, whatever the size of the province.
"""

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionFigure(models.Model):
    """One number: `metric` (with an optional `key`, e.g. a status or a month) for a region."""

    region_code = models.CharField(_("region"), max_length=12)
    depth = models.PositiveSmallIntegerField(
        _("code digits")
    )  # 2 province, 4 city, 6 county, 9 township, 12 village
    metric = models.CharField(_("metric"), max_length=40)
    key = models.CharField(_("key"), max_length=40, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("region figure")
        verbose_name_plural = _("region figures")
        permissions = [("view_dashboard", _("Can view the leaders' dashboard"))]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "metric", "key"], name="region_figure_unique"),
        ]
        indexes = [
            # Drill-down: the children of a region (depth = next level, code LIKE 'prefix%').
            models.Index(
                "depth",
                "metric",
                OpClass("region_code", name="varchar_pattern_ops"),
                name="region_figure_children_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.metric}[{self.key}] = {self.value}"


class FigureRefresh(models.Model):
    """When the figures were last rebuilt, and how long it took."""

    finished_at = models.DateTimeField(_("as of"), db_index=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    rows = models.PositiveIntegerField(_("figures"))

    class Meta:
        verbose_name = _("figure refresh")
        verbose_name_plural = _("figure refreshes")
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.rows})"
