"""整改台账: open → submitted (with evidence) → closed by an inspector, or sent back with a reason."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from core.exceptions import DomainError, TransitionNotAllowed
from core.models import Role
from inspections import services
from inspections.models import (
    FindingStatus,
    ItemStatus,
    ItemStatusChange,
    Notification,
    NotificationKind,
    RectificationItem,
)
from tests.factories.inspections import FindingFactory, RectificationItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(inspector, xiuwu_office):
    finding = FindingFactory(responsible_unit=xiuwu_office)
    return services.rectification_item_create(
        actor=inspector, finding=finding, responsible_unit=xiuwu_office,
        deadline=timezone.localdate() + dt.timedelta(days=10), description="补齐档卡资料",
    )  # fmt: skip


def test_assignment_notifies_the_responsible_unit(item, clerk):
    note = Notification.objects.get(item=item, kind=NotificationKind.ASSIGNED)
    assert note.unit == item.responsible_unit
    from inspections.selectors import notification_list

    assert note in notification_list(actor=clerk)


def test_item_cannot_be_closed_without_evidence(item, inspector):
    with pytest.raises(TransitionNotAllowed):
        services.rectification_item_close(actor=inspector, item=item)
    with pytest.raises(DomainError) as exc:
        services.rectification_item_submit(actor=inspector, item=item, evidence_note="   ")
    assert exc.value.field == "evidence_note"
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_database_refuses_a_closed_item_without_evidence(item, inspector):
    with pytest.raises(IntegrityError):
        RectificationItem.objects.filter(pk=item.pk).update(
            status=ItemStatus.CLOSED, closed_by=inspector, closed_at=timezone.now()
        )


def test_database_refuses_a_closed_item_without_verifier(item):
    with pytest.raises(IntegrityError):
        RectificationItem.objects.filter(pk=item.pk).update(status=ItemStatus.CLOSED, evidence_note="证据")


def test_only_an_inspector_closes(item, clerk, leader, persona):
    services.rectification_item_submit(actor=clerk, item=item, evidence_note="已补齐档卡，附照片")
    admin_not_inspector = persona(Role.ADMIN, "410800000000", is_superuser=True)
    for actor in (clerk, admin_not_inspector):
        with pytest.raises(DomainError):
            services.rectification_item_close(actor=actor, item=item)
    with pytest.raises(DomainError):
        services.rectification_item_close(actor=leader, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED


def test_inspector_closes_a_submitted_item_with_history(item, clerk, inspector):
    services.rectification_item_submit(actor=clerk, item=item, evidence_note="已补齐档卡，附照片")
    closed = services.rectification_item_close(actor=inspector, item=item, note="现场核实")
    assert (closed.status, closed.closed_by) == (ItemStatus.CLOSED, inspector)
    moves = list(
        ItemStatusChange.objects.filter(item=item).values_list("from_status", "to_status", "actor_id")
    )
    assert moves == [
        ("", "open", inspector.pk),  # assigned: the item's first row
        ("open", "submitted", clerk.pk),
        ("submitted", "closed", inspector.pk),
    ]
    with pytest.raises(TransitionNotAllowed):
        services.rectification_item_send_back(actor=inspector, item=closed, reason="再看看")


def test_sent_back_item_returns_to_open_with_reason_kept(item, clerk, inspector):
    services.rectification_item_submit(actor=clerk, item=item, evidence_note="已整改")
    services.rectification_item_send_back(actor=inspector, item=item, reason="照片不能证明已入户核实")
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN
    assert item.sent_back_reason == "照片不能证明已入户核实"
    change = ItemStatusChange.objects.filter(item=item).last()
    assert (change.to_status, change.note) == ("open", "照片不能证明已入户核实")
    assert Notification.objects.filter(item=item, kind=NotificationKind.SENT_BACK).exists()
    # submitted again, the reason stays on record
    services.rectification_item_submit(actor=clerk, item=item, evidence_note="补充入户照片")
    item.refresh_from_db()
    assert item.sent_back_reason == "照片不能证明已入户核实"


def test_send_back_needs_a_reason(item, clerk, inspector):
    services.rectification_item_submit(actor=clerk, item=item, evidence_note="已整改")
    with pytest.raises(DomainError) as exc:
        services.rectification_item_send_back(actor=inspector, item=item, reason=" ")
    assert exc.value.field == "reason"


def test_items_only_on_confirmed_findings(inspector, xiuwu_office):
    pending = FindingFactory(status=FindingStatus.PENDING, confirmed_at=None)
    with pytest.raises(DomainError):
        services.rectification_item_create(
            actor=inspector, finding=pending, responsible_unit=xiuwu_office,
            deadline=timezone.localdate(), description="x",
        )  # fmt: skip


def test_only_inspectors_assign_items(clerk, xiuwu_office):
    with pytest.raises(DomainError):
        services.rectification_item_create(
            actor=clerk, finding=FindingFactory(), responsible_unit=xiuwu_office,
            deadline=timezone.localdate(), description="x",
        )  # fmt: skip


def test_pages_submit_close_and_send_back(client, item, clerk, inspector):
    client.force_login(clerk)
    url = reverse("inspections:item_detail", args=[item.pk])
    response = client.post(url, {"action": "submit", "evidence_note": ""})
    assert response.status_code == 400
    assert "evidence" in response.content.decode().lower() or "证据" in response.content.decode()
    assert client.post(url, {"action": "submit", "evidence_note": "已完成"}).status_code == 302
    assert client.post(url, {"action": "close"}).status_code == 400  # a clerk cannot close
    client.force_login(inspector)
    assert client.post(url, {"action": "close", "reason": "核实"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED


def test_api_close_refused_for_clerk_and_without_evidence(api_as, item, clerk, inspector):
    response = api_as(inspector).post(f"/api/v1/inspections/items/{item.pk}/close/", {}, format="json")
    assert response.status_code == 409
    api = api_as(clerk)
    assert (
        api.post(
            f"/api/v1/inspections/items/{item.pk}/submit/", {"evidence_note": "已完成"}, format="multipart"
        ).status_code
        == 200
    )
    response = api.post(f"/api/v1/inspections/items/{item.pk}/close/", {}, format="json")
    assert response.status_code in (400, 403)
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED


def test_ledger_export_escapes_formulas(client, inspector, xiuwu_office):
    import io

    from openpyxl import load_workbook

    RectificationItemFactory(description='=HYPERLINK("http://x")', responsible_unit=xiuwu_office)
    RectificationItemFactory(description="+1", responsible_unit=xiuwu_office)
    RectificationItemFactory(description="@SUM(A1)", responsible_unit=xiuwu_office)
    RectificationItemFactory(description="-2", responsible_unit=xiuwu_office)
    client.force_login(inspector)
    response = client.get(reverse("inspections:item_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value == "序号"
    descriptions = [row[5] for row in ws.iter_rows(min_row=3, values_only=True)]
    assert sorted(descriptions) == sorted(['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2"])
    assert all(ws.cell(row=r, column=6).data_type == "s" for r in range(3, 7))
    assert all(ws.cell(row=r, column=6).quotePrefix for r in range(3, 7))  # protected on edit
