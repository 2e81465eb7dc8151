"""A disbursement request's status moves through core.transitions: every move is one append-only
status-change row (who, when, from → to, why), a refused move names both statuses, the request
page shows the rows in words, and the rows of requests made before were filled from pghistory."""

import importlib

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from core.exceptions import TransitionNotAllowed
from core.transitions import can_transition, next_statuses
from funds import services
from funds.models import DisbursementRequest, DisbursementStatusChange, RequestStatus

pytestmark = pytest.mark.django_db


def _request(account, maker, key="sc-1", amount="100.00"):
    request, created = services.disbursement_request_create(
        actor=maker, idempotency_key=key, from_account=account, amount=amount, purpose="到户产业补贴",
        payee_kind="organisation", payee_name="甲合作社",
        confirmed_different=True,  # several alike on purpose: the maker confirms each (issue 20.2)
    )  # fmt: skip
    assert created
    return request


def _moves(request):
    return [
        (c.from_status, c.to_status, c.actor_id, c.note)
        for c in DisbursementStatusChange.objects.filter(request=request).order_by("at", "id")
    ]


def test_each_move_writes_one_row_with_who_and_why(funded_project, finance, finance2):
    request = _request(funded_project, finance)
    services.disbursement_approve(actor=finance2, request=request)
    services.disbursement_reverse(actor=finance2, request=request, reason="重复拨付")
    assert _moves(request) == [
        ("", "pending", finance.pk, ""),
        ("pending", "approved", finance2.pk, ""),
        ("approved", "reversed", finance2.pk, "重复拨付"),
    ]
    request.refresh_from_db()
    assert request.status == RequestStatus.REVERSED


def test_a_rejection_keeps_its_reason_on_the_row(funded_project, finance, auditor):
    request = _request(funded_project, finance)
    services.disbursement_reject(actor=auditor, request=request, reason="材料不全")
    assert _moves(request)[-1] == ("pending", "rejected", auditor.pk, "材料不全")


def test_a_refused_move_names_both_statuses_and_writes_nothing(funded_project, finance, finance2, auditor):
    request = _request(funded_project, finance)
    services.disbursement_reject(actor=auditor, request=request, reason="材料不全")
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        services.disbursement_approve(actor=finance2, request=request)
    assert "rejected" in str(refused.value)
    assert "approved and paid" in str(refused.value)
    assert refused.value.params == {"from": "rejected", "to": "approved"}
    with translation.override("zh-hans"):
        rejected, paid = str(RequestStatus.REJECTED.label), str(RequestStatus.APPROVED.label)
        with pytest.raises(TransitionNotAllowed) as refused:
            services.disbursement_approve(actor=finance2, request=request)
    assert f"“{rejected}”" in str(refused.value)
    assert "“已拨付”" in str(refused.value)
    assert paid == "已拨付"
    assert len(_moves(request)) == 2  # created, rejected: the refusal wrote no row
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert request.checker_id == auditor.pk


def test_the_maker_is_offered_no_decision_and_the_checker_is(funded_project, finance, finance2):
    request = _request(funded_project, finance)
    assert not can_transition(request, RequestStatus.APPROVED, finance)
    # The maker decides nothing; they may only take their own request back (issue 20.2).
    assert [value for value, _label in next_statuses(request, finance)] == ["withdrawn"]
    assert [value for value, _label in next_statuses(request, finance2)] == ["approved", "rejected"]


def test_status_change_rows_are_append_only_in_the_database(funded_project, finance, finance2):
    request = _request(funded_project, finance)
    services.disbursement_approve(actor=finance2, request=request)
    changes = DisbursementStatusChange.objects.filter(request=request)
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        changes.update(note="改写")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        changes.delete()
    with pytest.raises(IntegrityError, match="moves"), transaction.atomic():
        DisbursementStatusChange.objects.create(request=request, from_status="approved", to_status="approved")
    assert len(_moves(request)) == 2


def test_the_request_page_shows_the_status_changes_in_words(client, funded_project, finance, finance2):
    request = _request(funded_project, finance)
    services.disbursement_approve(actor=finance2, request=request)
    client.force_login(finance)
    page = client.get(reverse("funds:request_detail", args=[request.pk])).content.decode()
    section = page.split("status-changes", 1)[1].split("</table>", 1)[0]
    assert "待审核 → 已拨付" in section
    assert str(finance2) in section
    assert str(finance) in section
    assert "pending" not in section
    assert "approved" not in section


def test_the_backfill_rebuilds_the_rows_from_pghistory(funded_project, finance, finance2, auditor):
    """The data migration's SQL, run into a scratch table, gives the rows the helper writes
    (who, from → to, a rejection's reason) for requests moved through the services."""
    paid, rejected, waiting = (_request(funded_project, finance, key=f"bf-{i}") for i in range(3))
    services.disbursement_approve(actor=finance2, request=paid)
    services.disbursement_reverse(actor=finance2, request=paid, reason="重复拨付")
    services.disbursement_reject(actor=auditor, request=rejected, reason="材料不全")
    migration = importlib.import_module("funds.migrations.0004_disbursement_status_changes")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE backfill (LIKE funds_disbursementstatuschange INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        cursor.execute(migration.BACKFILL.replace("INTO funds_disbursementstatuschange", "INTO backfill", 1))
        cursor.execute(
            "SELECT request_id, from_status, to_status, actor_id, note FROM backfill"
            " WHERE request_id = ANY(%s) ORDER BY request_id, id",
            [[paid.pk, rejected.pk, waiting.pk]],
        )
        rebuilt = cursor.fetchall()
        cursor.execute("DROP TABLE backfill")
    written = [
        (c.request_id, c.from_status, c.to_status, c.actor_id, "" if c.to_status == "reversed" else c.note)
        for c in DisbursementStatusChange.objects.filter(request__in=[paid, rejected, waiting]).order_by(
            "request_id", "at", "id"
        )
    ]
    assert rebuilt == written
    assert (rejected.pk, "pending", "rejected", auditor.pk, "材料不全") in rebuilt
    assert DisbursementRequest.objects.get(pk=waiting.pk).status == RequestStatus.PENDING


def test_the_migration_fills_the_rows_of_requests_made_before_it(funded_project, finance, finance2, auditor):
    """Requests made and decided before the status-change table (history by pghistory only: written
    straight to the table, as the code of then did), then the migration's own SQL: each request gets
    its rows, who and why included. The migration runs that SQL right after creating the table.

    (This test used to migrate every app back to funds 0003 and forward again: 85 s of one worker of
    `make test`, for a data migration whose SQL reads the same event table either way; every test
    database is still migrated through it from empty.)"""
    from django.db import migrations

    from core.audit import actor_context

    module = importlib.import_module("funds.migrations.0004_disbursement_status_changes")
    migration, backfill_sql = module.Migration, module.BACKFILL
    kinds = [type(op) for op in migration.operations]
    create = next(i for i, op in enumerate(migration.operations) if isinstance(op, migrations.CreateModel))
    backfill = next(
        i
        for i, op in enumerate(migration.operations)
        if isinstance(op, migrations.RunSQL) and op.sql == backfill_sql
    )
    assert create < backfill, kinds
    made = {}
    for key in ("paid", "rejected", "waiting"):
        with actor_context(finance):
            made[key] = DisbursementRequest.objects.create(
                idempotency_key=f"old-{key}", from_account_id=funded_project.pk, project=funded_project.project,
                payee_kind="organisation", payee_name="甲合作社", amount="10.00", purpose="x",
                region_id=funded_project.region_id, maker_id=finance.pk,
            ).pk  # fmt: skip
    with actor_context(finance2):
        DisbursementRequest.objects.filter(pk=made["paid"]).update(status="approved", checker_id=finance2.pk)
        DisbursementRequest.objects.filter(pk=made["paid"]).update(purpose="x (edited)")
    with actor_context(auditor):
        DisbursementRequest.objects.filter(pk=made["rejected"]).update(
            status="rejected", checker_id=auditor.pk, rejection_reason="材料不全"
        )
    assert not DisbursementStatusChange.objects.filter(request__in=made.values()).exists()
    with connection.cursor() as cursor:
        cursor.execute(backfill_sql)
    assert _moves(made["paid"]) == [("", "pending", finance.pk, ""), ("pending", "approved", finance2.pk, "")]
    assert _moves(made["rejected"]) == [
        ("", "pending", finance.pk, ""),
        ("pending", "rejected", auditor.pk, "材料不全"),
    ]
    assert _moves(made["waiting"]) == [("", "pending", finance.pk, "")]
