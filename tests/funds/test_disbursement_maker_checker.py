"""资金一笔一笔审核: one finance officer requests, another approves; an auditor may reject."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.exceptions import DomainError, ReadOnlyActor, TransitionNotAllowed
from funds import services
from funds.models import DisbursementRequest, Entry, EntryKind, RequestStatus

pytestmark = pytest.mark.django_db


def _request(account, maker, amount="1000.00", key="k-1", **kwargs):
    request, created = services.disbursement_request_create(
        actor=maker, idempotency_key=key, from_account=account, amount=amount,
        purpose="到户产业补贴", payee_kind=kwargs.pop("payee_kind", "organisation"),
        payee_name=kwargs.pop("payee_name", "甲建设公司"), **kwargs,
    )  # fmt: skip
    assert created
    return request


def test_maker_cannot_approve_own_request(funded_project, finance):
    request = _request(funded_project, finance)
    with pytest.raises(DomainError) as err:
        services.disbursement_approve(actor=finance, request=request)
    assert err.value.code == "maker_is_checker"
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert not Entry.objects.filter(kind=EntryKind.DISBURSEMENT).exists()


def test_database_refuses_checker_equal_to_maker(funded_project, finance):
    request = _request(funded_project, finance)
    with pytest.raises(IntegrityError, match="request_maker_is_not_checker"), transaction.atomic():
        DisbursementRequest.objects.filter(pk=request.pk).update(
            checker=finance, status="rejected", rejection_reason="x"
        )


def test_second_officer_approves_and_only_then_money_moves(funded_project, finance, finance2):
    request = _request(funded_project, finance, amount="1234.56")
    funded_project.refresh_from_db()
    assert funded_project.balance == Decimal("300000.00")  # a request alone moves nothing
    services.disbursement_approve(actor=finance2, request=request)
    request.refresh_from_db()
    funded_project.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.checker == finance2
    assert request.entry.amount == Decimal("1234.56")
    assert funded_project.balance == Decimal("298765.44")


def test_auditor_rejects_with_a_reason_and_nothing_is_paid(funded_project, finance, auditor):
    request = _request(funded_project, finance)
    with pytest.raises(DomainError) as err:
        services.disbursement_reject(actor=auditor, request=request, reason="  ")
    assert err.value.field == "reason"
    services.disbursement_reject(actor=auditor, request=request, reason="缺少验收单")
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert request.rejection_reason == "缺少验收单"
    assert not Entry.objects.filter(request=request).exists()


def test_rejected_request_cannot_be_approved(funded_project, finance, finance2, auditor):
    request = _request(funded_project, finance)
    services.disbursement_reject(actor=auditor, request=request, reason="重复申报")
    with pytest.raises(TransitionNotAllowed):
        services.disbursement_approve(actor=finance2, request=request)
    funded_project.refresh_from_db()
    assert funded_project.balance == Decimal("300000.00")


def test_auditor_cannot_approve(funded_project, finance, auditor):
    request = _request(funded_project, finance)
    with pytest.raises(DomainError) as err:
        services.disbursement_approve(actor=auditor, request=request)
    assert err.value.code == "permission_denied"
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_leader_reads_but_cannot_request_or_approve(funded_project, finance, leader):
    with pytest.raises(ReadOnlyActor):
        _request(funded_project, leader)
    request = _request(funded_project, finance)
    with pytest.raises(ReadOnlyActor):
        services.disbursement_approve(actor=leader, request=request)


def test_other_county_officer_cannot_approve(funded_project, finance, boai_finance):
    from django.http import Http404

    request = _request(funded_project, finance)
    with pytest.raises(Http404):
        services.disbursement_approve(actor=boai_finance, request=request)


def test_amounts_are_exact_fen(funded_project, finance):
    for bad in ("12.345", "0", "-5", "abc", 1.5):
        with pytest.raises(DomainError) as err:
            _request(funded_project, finance, amount=bad, key=f"bad-{bad}")
        assert err.value.field == "amount"


def test_household_payee_must_live_in_the_county(funded_project, finance):
    from tests.factories.households import HouseholdFactory, first_village

    outsider = HouseholdFactory(village=first_village("410822"))
    with pytest.raises(DomainError) as err:
        _request(funded_project, finance, payee_kind="household", household=outsider)
    assert err.value.field == "household"
