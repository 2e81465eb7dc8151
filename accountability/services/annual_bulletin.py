"""成效考核通报: the annual assessment bulletin of a region, published by the organisation department as the
monthly bulletin is (a stored snapshot; publishing again needs a reason and keeps the earlier version)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.models import Region
from core.pii import mask_id_numbers
from core.scoping import ensure_can_write
from core.transitions import record_created, transition

from ..models import AnnualBulletin, AnnualBulletinStatus, AnnualGrade, Grade

PUBLISH_PERM = "accountability.publish_annualbulletin"


def build_annual_content(*, region: Region, year: int) -> dict:
    grades = (
        AnnualGrade.objects.filter(year=year, region__code__startswith=region.prefix)
        .select_related("unit", "officer", "region")
        .prefetch_related("indicators", "appeals", "cases")
        .order_by("grade", "-score", "region_id", "id")
    )

    def row(g: AnnualGrade) -> dict:
        appeal = next(iter(sorted(g.appeals.all(), key=lambda a: a.pk, reverse=True)), None)
        return {
            "id": g.pk, "subject": g.unit.name if g.unit_id else f"{g.officer.name}（{g.officer.position}）",
            "region": g.region.name, "score": str(g.score), "grade": g.grade, "grade_label": g.get_grade_display(),
            "vetoed": g.vetoed, "veto_reasons": g.veto_reasons, "reasons": mask_id_numbers(g.reasons)[:300],
            "indicators": [{"name": i.name, "source": i.get_source_display(), "value": i.value} for i in g.indicators.all()],
            "appeal": None if appeal is None else {"status": appeal.status, "label": appeal.get_status_display()},
            "consequences": [f"{c.get_case_type_display()} · {c.subject}" for c in g.cases.all()],
        }  # fmt: skip

    units = [row(g) for g in grades if g.unit_id]
    officers = [row(g) for g in grades if g.officer_id]
    counts = {value: sum(1 for g in grades if g.grade == value) for value in Grade.values}
    return {
        "year": year, "region": {"code": region.code, "name": region.name}, "built_at": timezone.now().isoformat(),
        "grades": [{"grade": v, "label": str(label), "count": counts[v]} for v, label in Grade.choices],
        "units": units, "officers": officers,
    }  # fmt: skip


@transaction.atomic
def annual_bulletin_publish(*, region: Region, year: int, actor, reason: str = "") -> AnnualBulletin:
    """Publish the year's bulletin; publishing again supersedes the current version (reason required)."""
    if actor is None or not actor.has_perm(PUBLISH_PERM):
        raise PermissionDenied
    ensure_can_write(actor, region.code)
    if not AnnualGrade.objects.filter(year=year, region__code__startswith=region.prefix).exists():
        raise DomainError(
            _("No annual grades of %(year)s have been recorded here.") % {"year": year}, field="year"
        )
    current = (
        AnnualBulletin.objects.select_for_update()
        .filter(region=region, year=year, status=AnnualBulletinStatus.PUBLISHED)
        .first()
    )
    reason = reason.strip()[:300]
    if current is not None:
        if not reason:
            raise DomainError(_("Say why the bulletin is published again."), field="reason")
        transition(current, AnnualBulletinStatus.SUPERSEDED, actor=actor, note=reason)
    last = AnnualBulletin.objects.filter(region=region, year=year).aggregate(v=Max("version"))["v"] or 0
    bulletin = AnnualBulletin.objects.create(
        region=region, year=year, version=last + 1, reason=reason if last else "",
        content=build_annual_content(region=region, year=year), published_by=actor,
    )  # fmt: skip
    record_created(bulletin, actor=actor, note=bulletin.reason)
    return bulletin
