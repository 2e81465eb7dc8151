"""Every move of a plan, report, finding, ledger item or self-check answer writes one status-change
row (core.transitions) that the database keeps for good; the rows of a plan or report are as secret
as the record itself, and the rows of records made before the change table existed are filled in
from their history."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pghistory
import pytest
from django.apps import apps as django_apps
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.models import Region
from inspections import selectors, services
from inspections.models import (
    FindingStatus,
    ItemStatus,
    ItemStatusChange,
    PlanStatus,
    ReportStatus,
    ReportStatusChange,
    VisitReport,
)
from tests.factories.inspections import FindingFactory, VisitReportFactory

pytestmark = pytest.mark.django_db

backfill_migration = importlib.import_module("inspections.migrations.0006_backfill_status_changes")


@pytest.fixture
def filed_visit(inspector, xiuwu_households, xiuwu_office):
    xiuwu = Region.objects.get(code="410821000000")
    group = inspector.officer.inspection_groups.get()
    plan = services.visit_plan_draw(
        actor=inspector, group=group, county=xiuwu, month=timezone.localdate().replace(day=1)
    )
    target = plan.targets.filter(kind="household").first()
    report, _ = services.visit_report_submit(
        actor=inspector,
        data={
            "client_uuid": "5a0e8a52-3f7e-4d0a-9a43-6f0c8f1b0001", "plan": plan.pk,
            "village": target.region_id, "visit_date": timezone.localdate().isoformat(), "place": "村委会",
            "findings": [{"category": "files", "description": "档卡不全", "household": target.household_id,
                          "responsible_unit": xiuwu_office.pk}],
        },
    )  # fmt: skip
    return plan, report


def _moves(obj):
    return list(obj.status_changes.order_by("at", "id").values_list("from_status", "to_status", "actor_id"))


def test_filing_writes_one_row_per_move_of_report_plan_and_finding(filed_visit, inspector):
    plan, report = filed_visit
    assert _moves(report) == [("", ReportStatus.DRAFT, inspector.pk)]
    services.visit_report_file(actor=inspector, report=report)
    services.visit_report_file(actor=inspector, report=report)  # filing again moves nothing
    assert _moves(report) == [("", "draft", inspector.pk), ("draft", "filed", inspector.pk)]
    assert _moves(plan) == [("", "planned", inspector.pk), ("planned", "filed", inspector.pk)]
    finding = report.findings.get()
    assert _moves(finding) == [("", "pending", inspector.pk), ("pending", "confirmed", inspector.pk)]


def test_plan_and_report_moves_stay_hidden_from_the_county_until_filed(filed_visit, inspector, clerk):
    plan, report = filed_visit
    for record in (plan, report, report.findings.get()):
        with pytest.raises(Http404):
            selectors.status_changes(actor=clerk, obj=record)
        assert selectors.status_changes(actor=inspector, obj=record).exists()
    services.visit_report_file(actor=inspector, report=report)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FILED
    assert selectors.status_changes(actor=clerk, obj=report).count() == 2


def test_status_change_rows_cannot_be_edited_or_deleted(inspector, xiuwu_office):
    finding = FindingFactory(responsible_unit=xiuwu_office)
    item = services.rectification_item_create(
        actor=inspector, finding=finding, responsible_unit=xiuwu_office,
        deadline=timezone.localdate() + dt.timedelta(days=5), description="补齐档卡",
    )  # fmt: skip
    row = item.status_changes.get()
    assert (row.from_status, row.to_status) == ("", ItemStatus.OPEN)
    with pytest.raises(DatabaseError), transaction.atomic():
        ItemStatusChange.objects.filter(pk=row.pk).update(note="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        ItemStatusChange.objects.filter(pk=row.pk).delete()
    # A move that stays put is refused by the database too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemStatusChange.objects.create(item=item, from_status="open", to_status="open", actor=inspector)
    # An item that has status history is kept (its rows protect it).
    with pytest.raises(ProtectedError), transaction.atomic():
        item.delete()


def test_finding_dismissal_is_a_recorded_move_with_its_reason(inspector):
    finding = FindingFactory(status=FindingStatus.PENDING)
    services.finding_dismiss(actor=inspector, finding=finding, reason="经核实不属实")
    change = finding.status_changes.get()
    assert (change.from_status, change.to_status, change.note) == ("pending", "dismissed", "经核实不属实")


def test_backfill_fills_the_moves_from_history(inspector):
    """Rows of records made before the change tables: from the pghistory events, status moves only."""
    report = VisitReportFactory()
    VisitReport.objects.filter(pk=report.pk).update(summary="补记")  # no move: no row
    with pghistory.context(user=inspector.pk):
        VisitReport.objects.filter(pk=report.pk).update(status=ReportStatus.FILED, filed_at=timezone.now())
    assert not ReportStatusChange.objects.filter(report=report).exists()
    backfill_migration.backfill(django_apps, SimpleNamespace(connection=connection))
    assert _moves(report) == [("", "draft", None), ("draft", "filed", inspector.pk)]


def test_report_and_plan_pages_show_the_moves_in_words(filed_visit, inspector, client):
    plan, report = filed_visit
    services.visit_report_file(actor=inspector, report=report)
    client.force_login(inspector)
    page = client.get(reverse("inspections:report_detail", args=[report.pk])).content.decode()
    assert "草稿 → 已提交" in page
    page = client.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert "计划中 → 已报告" in page
    finding = report.findings.get()
    page = client.get(reverse("inspections:finding_detail", args=[finding.pk])).content.decode()
    assert "待核实 → 已确认" in page
