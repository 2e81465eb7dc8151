"""资金一笔一笔审核 at month end: a checker reviews a batch a page at a time, each request approved
on its own; an auditor reads "approved in batch B by C" on every payment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ConflictError, DomainError
from funds import selectors
from funds.models import PAGE_ROWS, BatchApproval, Entry, EntryKind, RequestStatus
from funds.services import batches as batch_services
from tests.funds.batch_world import county_allocation, household_requests, refreshed

pytestmark = pytest.mark.django_db


def _month():
    return timezone.localdate().replace(day=1)


def test_checker_approves_a_page_one_by_one_and_the_auditor_reads_the_trail(
    client, api_as, fund, xiuwu, finance, finance2, auditor
):
    account = county_allocation(fund, xiuwu, finance)
    requests = household_requests(account, finance, 5)
    batch = batch_services.batch_open(actor=finance2, from_account=account, month=_month())
    assert batch.count == 5
    assert batch.total == Decimal("4000.00")
    page, rows = batch_services.page_show(actor=finance2, batch=batch, number=1)
    assert [r.request.pk for r in rows] == [r.pk for r in requests]
    assert page.flagged == {}
    # The checker leaves one out.
    page = batch_services.page_confirm(actor=finance2, page=page, selected=[r.pk for r in requests[:4]])
    assert sorted(page.approved_ids) == [r.pk for r in requests[:4]]
    assert page.failures == {}
    after = refreshed(requests)
    assert [r.status for r in after] == [RequestStatus.APPROVED] * 4 + [RequestStatus.PENDING]
    assert Entry.objects.filter(kind=EntryKind.DISBURSEMENT).count() == 4
    # The auditor, on each payment: approved in batch B, page 1, by the checker.
    for request in after[:4]:
        approval = selectors.batch_approval_of(request=request)
        assert (approval.batch, approval.page.number, approval.checker) == (batch, 1, finance2)
        change = request.status_changes.get(to_status=RequestStatus.APPROVED)
        assert change.actor == finance2
        assert f"#{batch.pk}" in change.note
    assert selectors.batch_approval_of(request=after[4]) is None
    # The auditor reads it on each payment's page: "approved in batch B (page 1) by C".
    client.force_login(auditor)
    for request in after:
        body = client.get(
            reverse("funds:request_detail", args=[request.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
        trail = f"由{finance2}在批次#{batch.pk}（第1页）审核通过"
        api = api_as(auditor).get(reverse("api:funds_request_detail", args=[request.pk])).json()
        if request.status == RequestStatus.APPROVED:
            assert 'data-k="batch"' in body
            assert trail in body
            assert (api["batch"], api["batch_page"], api["batch_checker_name"]) == (
                batch.pk,
                1,
                str(finance2),
            )
        else:
            assert 'data-k="batch"' not in body
            assert (api["batch"], api["batch_page"], api["batch_note"]) == (None, None, None)


def test_the_makers_own_request_and_an_empty_account_fail_row_by_row_and_the_rest_are_approved(
    fund, xiuwu, finance, finance2
):
    account = county_allocation(fund, xiuwu, finance, amount="2000.00")
    by_finance = household_requests(account, finance, 3, amount="800.00", prefix="f")
    by_checker = household_requests(account, finance2, 1, amount="100.00", prefix="c")
    batch = batch_services.batch_open(actor=finance2, from_account=account, month=_month())
    page, rows = batch_services.page_show(actor=finance2, batch=batch, number=1)
    flags = {row.request.pk: row.flags for row in rows}
    assert "own_request" in flags[by_checker[0].pk]
    notes = {pk: "已核实" for pk, f in flags.items() if f}
    page = batch_services.page_confirm(
        actor=finance2, page=page, selected=[r.pk for r in by_finance + by_checker], notes=notes
    )
    # 2,000 covers two payments of 800: the third is refused for want of money, the checker's own too.
    assert sorted(page.approved_ids) == [by_finance[0].pk, by_finance[1].pk]
    assert set(page.failures) == {str(by_finance[2].pk), str(by_checker[0].pk)}
    assert "申请人与审核人不得为同一人" in page.failures[str(by_checker[0].pk)]  # maker ≠ checker, in words
    assert "元" in page.failures[str(by_finance[2].pk)]  # the balance left and the amount asked
    account.refresh_from_db()
    assert account.balance == Decimal("400.00")


def test_a_flagged_row_needs_its_own_note_and_nothing_is_approved_without_it(fund, xiuwu, finance, finance2):
    account = county_allocation(fund, xiuwu, finance)
    fine = household_requests(account, finance, 2, prefix="ok")
    exited = household_requests(account, finance, 1, prefix="ex", status="exited")
    batch = batch_services.batch_open(actor=finance2, from_account=account, month=_month())
    page, _rows = batch_services.page_show(actor=finance2, batch=batch, number=1)
    assert page.flagged == {str(exited[0].pk): ["household_not_registered"]}
    with pytest.raises(DomainError) as refused:
        batch_services.page_confirm(actor=finance2, page=page, selected=[r.pk for r in fine + exited])
    assert refused.value.field == "notes"
    assert f"#{exited[0].pk}" in str(refused.value.message)
    assert all(r.status == RequestStatus.PENDING for r in refreshed(fine + exited))
    page = batch_services.page_confirm(
        actor=finance2,
        page=page,
        selected=[r.pk for r in fine + exited],
        notes={exited[0].pk: "已返贫复核，补发"},
    )
    assert len(page.approved_ids) == 3
    approval = BatchApproval.objects.get(request=exited[0])
    assert approval.flags == ["household_not_registered"]
    assert approval.note == "已返贫复核，补发"
    # The page is confirmed once: a double click is refused, nothing is approved twice.
    with pytest.raises(ConflictError):
        batch_services.page_confirm(actor=finance2, page=page, selected=[fine[0].pk])


def test_only_requests_shown_on_the_page_can_be_confirmed_and_pages_hold_at_most_200(
    fund, xiuwu, finance, finance2, monkeypatch
):
    account = county_allocation(fund, xiuwu, finance)
    requests = household_requests(account, finance, 5)
    monkeypatch.setattr("funds.models.batches.PAGE_ROWS", 2)
    batch = batch_services.batch_open(actor=finance2, from_account=account, month=_month())
    assert batch.pages == 3
    page, rows = batch_services.page_show(actor=finance2, batch=batch, number=2)
    assert [r.request.pk for r in rows] == [requests[2].pk, requests[3].pk]
    with pytest.raises(DomainError) as refused:
        batch_services.page_confirm(actor=finance2, page=page, selected=[requests[0].pk])
    assert refused.value.field == "selected"
    with pytest.raises(DomainError):
        batch_services.page_show(actor=finance2, batch=batch, number=4)
    assert PAGE_ROWS == 200


def test_a_request_approved_meanwhile_is_listed_not_approved_again(fund, xiuwu, finance, finance2, regions):
    from funds import services
    from tests.conftest import XIUWU, make_user

    third = make_user("finance_officer", XIUWU, username="finance3_xiuwu")
    account = county_allocation(fund, xiuwu, finance)
    requests = household_requests(account, finance, 2)
    batch = batch_services.batch_open(actor=finance2, from_account=account, month=_month())
    page, _rows = batch_services.page_show(actor=finance2, batch=batch, number=1)
    services.disbursement_approve(actor=third, request=requests[0])
    page = batch_services.page_confirm(actor=finance2, page=page, selected=[r.pk for r in requests])
    assert page.approved_ids == [requests[1].pk]
    assert (
        third.username in page.failures[str(requests[0].pk)]
        or str(third) in page.failures[str(requests[0].pk)]
    )
    assert Entry.objects.filter(request=requests[0]).count() == 1


def test_a_contractor_payment_queued_before_the_project_rules_is_flagged_in_its_rules_words(
    funded_project, finance, finance2
):
    from funds import services
    from funds.models import Project

    request, _created = services.disbursement_request_create(
        actor=finance, idempotency_key="queued-1", from_account=funded_project, amount="1000.00",
        purpose="工程进度款", payee_kind="organisation", payee_name="甲建设公司",
    )  # fmt: skip
    # The contract record is missing now (as for a request queued before the rule started).
    Project.objects.filter(pk=funded_project.project_id).update(contract_date=None)
    batch = batch_services.batch_open(actor=finance2, from_account=funded_project, month=_month())
    page, rows = batch_services.page_show(actor=finance2, batch=batch, number=1)
    assert page.flagged == {str(request.pk): ["payment_rules"]}
    assert any("合同" in label for label in rows[0].flag_labels)  # the missing step, named
    with pytest.raises(DomainError):
        batch_services.page_confirm(actor=finance2, page=page, selected=[request.pk])


def test_a_household_that_left_the_register_after_its_page_was_shown_is_not_approved_without_a_note(
    fund, xiuwu, finance, finance2
):
    from households.models import HouseholdStatus
    from households.services.status import household_remove, household_transition
    from tests.conftest import XIUWU, make_user

    clerk = make_user("county_clerk", XIUWU, username="clerk_xiuwu")
    account = county_allocation(fund, xiuwu, finance)
    requests = household_requests(account, finance, 4)
    batch = batch_services.batch_open(actor=finance2, from_account=account, month=_month())
    page, _rows = batch_services.page_show(actor=finance2, batch=batch, number=1)
    assert page.flagged == {}  # nothing to warn of when the page was shown
    # Between showing and confirming: one household exits (脱贫), another is removed (清退).
    household_transition(
        household=requests[1].household, to_status=HouseholdStatus.EXITED, actor=clerk, reason="稳定脱贫"
    )
    household_remove(household=requests[2].household, actor=clerk, reason="识别不准")
    page = batch_services.page_confirm(actor=finance2, page=page, selected=[r.pk for r in requests])
    # Those two are listed row by row with the reason, in Chinese; the others are approved.
    assert sorted(page.approved_ids) == [requests[0].pk, requests[3].pk]
    assert set(page.failures) == {str(requests[1].pk), str(requests[2].pk)}
    for request in requests[1:3]:
        why = page.failures[str(request.pk)]
        assert "该户不在册" in why
        assert "说明" in why
    after = refreshed(requests)
    assert [r.status for r in after] == [RequestStatus.APPROVED, RequestStatus.PENDING, RequestStatus.PENDING,
                                         RequestStatus.APPROVED]  # fmt: skip
    assert not Entry.objects.filter(request__in=requests[1:3]).exists()
    assert not BatchApproval.objects.filter(request__in=requests[1:3]).exists()
    # Shown again, the rows carry their flag; approved with a note, the flag is recorded with it.
    batch = batch_services.batch_open(actor=finance2, from_account=account, month=_month())
    page, _rows = batch_services.page_show(actor=finance2, batch=batch, number=1)
    assert page.flagged == {str(requests[1].pk): ["household_not_registered"],
                            str(requests[2].pk): ["household_not_registered"]}  # fmt: skip
    page = batch_services.page_confirm(
        actor=finance2, page=page, selected=[requests[1].pk], notes={requests[1].pk: "脱贫当月补发，已核实"}
    )
    assert page.approved_ids == [requests[1].pk]
    assert BatchApproval.objects.get(request=requests[1]).flags == ["household_not_registered"]


def test_a_flagged_row_flagged_anew_is_approved_with_its_note_and_every_flag_recorded(
    fund, xiuwu, finance, finance2
):
    from funds import services

    account = county_allocation(fund, xiuwu, finance)
    (exited,) = household_requests(account, finance, 1, prefix="ex", status="exited")
    batch = batch_services.batch_open(actor=finance2, from_account=account, month=_month())
    page, _rows = batch_services.page_show(actor=finance2, batch=batch, number=1)
    assert page.flagged == {str(exited.pk): ["household_not_registered"]}
    # Meanwhile a second payment to the same household is requested this month.
    services.disbursement_request_create(
        actor=finance, idempotency_key="again", from_account=account, amount="300.00", purpose="务工补贴",
        payee_kind="household", household=exited.household,
    )  # fmt: skip
    page = batch_services.page_confirm(
        actor=finance2, page=page, selected=[exited.pk], notes={exited.pk: "政策延续，已核实"}
    )
    assert page.approved_ids == [exited.pk]
    approval = BatchApproval.objects.get(request=exited)
    assert approval.flags == ["household_not_registered", "paid_this_month"]  # what the auditor sees
    assert approval.note == "政策延续，已核实"
