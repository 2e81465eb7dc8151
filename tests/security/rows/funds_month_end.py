"""funds, the month end (issue 20.3/20.4): batch review and the bank's files (pages and API).

Batch review is the checker's (funds.approve_disbursementrequest: finance officers); what a
confirmed page approved and a return file's lines are read by whoever reads requests (auditors,
leaders). Payment files carry card numbers: finance officers (funds.add_entry) only. A page is
confirmed only by the checker it was shown to: another finance officer is refused (400).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from funds import services
from funds.models import BankReturn
from tests.security.authz_matrix import BAD_REQUEST, CREATED, Case, detail, fixed, row, unique
from tests.security.rows._common import answers, body, sided_case
from tests.security.rows.funds import FINANCE, READERS, _finance_user, books_in


def month_end_in(place):
    """A county account with one pending household request, opened as a batch and shown once."""
    from tests.factories.households import HouseholdFactory

    books = books_in(place)
    services.allocate_to_county(actor=books.maker, fund=books.fund, county=place.county, amount="10000.00")
    account = services.county_account(books.fund, place.county)
    household = HouseholdFactory(village=place.village)
    request, _ = services.disbursement_request_create(
        actor=books.maker, idempotency_key=unique("key"), from_account=account, amount="500.00",
        purpose=unique("到户补贴"), payee_kind="household", household=household,
    )  # fmt: skip
    checker = _finance_user(place, "checker")
    batch = services.batch_open(actor=checker, from_account=account, month=timezone.localdate())
    page, _rows = services.page_show(actor=checker, batch=batch, number=1)
    return SimpleNamespace(books=books, account=account, household=household, request=request, batch=batch,
                           page=page, checker=checker)  # fmt: skip


def payment_file_in(place):
    world = month_end_in(place)
    bank = services.bank_create(name=unique("银行"))
    services.payee_bank_account_set(
        actor=world.books.maker, household=world.household, bank=bank, account_number="621700000000000001"
    )
    services.page_confirm(actor=world.checker, page=world.page, selected=[world.request.pk])
    payment_file, _left = services.payment_file_create(
        actor=world.books.maker, bank=bank, region=place.county
    )
    return payment_file


def bank_return_in(place):
    payment_file = payment_file_in(place)
    return BankReturn.objects.create(
        bank=payment_file.bank, region=place.county, file="funds/bank-returns/none.xlsx",
        original_name=unique("回盘"), uploaded_by=payment_file.created_by,
    )  # fmt: skip


def page_case(place):
    world = month_end_in(place)
    return Case(kwargs={"pk": world.batch.pk, "number": 1})


def confirm_case(place):
    world = month_end_in(place)
    return Case(
        kwargs={"pk": world.batch.pk, "page_pk": world.page.pk}, data={"selected": [world.request.pk]}
    )


def result_case(place):
    world = month_end_in(place)
    services.page_confirm(actor=world.checker, page=world.page, selected=[world.request.pk])
    return Case(kwargs={"pk": world.batch.pk, "page_pk": world.page.pk})


def card_body(place):
    """A household of the place and a bank: its card recorded (a 404 for the other county's household)."""
    from tests.factories.households import HouseholdFactory

    bank = services.bank_create(name=unique("银行"))
    household = HouseholdFactory(village=place.village)
    return {"household": household.pk, "bank": bank.pk, "account_number": "6217 0000 0000 0000 019"}


def return_without_file(world, side):
    """A multipart upload of the bank's return file with no file: 400 once the permission is checked."""
    return Case(data={"bank": ""}, format="multipart")


return_without_file.sided = False


NOT_YOURS = "the page was shown to another checker: another finance officer is refused (400)"

ROWS = [
    # --- pages --------------------------------------------------------------------------------
    row(
        "funds:batch_list",
        case=fixed(data={"month": ""}),
        GET=answers(FINANCE, sided=False),
        POST=answers(FINANCE, ok=BAD_REQUEST, sided=False),
        note="an invalid batch: 400 once the permission is checked",
    ),
    row("funds:batch_page", case=sided_case(page_case), GET=answers(FINANCE)),
    row(
        "funds:batch_confirm",
        case=sided_case(confirm_case),
        POST=answers(FINANCE, ok=BAD_REQUEST),
        note=NOT_YOURS,
    ),
    row("funds:batch_result", case=sided_case(result_case), GET=answers(READERS)),
    row(
        "funds:bank_home",
        case=fixed(data={"action": "file"}),
        GET=answers(FINANCE, sided=False),
        POST=answers(FINANCE, ok=BAD_REQUEST, sided=False),
        note="an invalid payment file: 400 once the permission is checked",
    ),
    row("funds:payment_file", case=detail(payment_file_in), GET=answers(FINANCE)),
    row("funds:payment_file_download", case=detail(payment_file_in), GET=answers(FINANCE)),
    row("funds:bank_return", case=detail(bank_return_in), GET=answers(READERS)),
    # --- API ----------------------------------------------------------------------------------
    row(
        "api:funds_batch_list",
        case=fixed(data={"month": ""}),
        GET=answers(FINANCE, api=True, sided=False),
        POST=answers(FINANCE, ok=BAD_REQUEST, api=True, sided=False),
        note="an invalid batch: 400 once the permission is checked",
    ),
    row("api:funds_batch_page", case=sided_case(page_case), GET=answers(FINANCE, api=True)),
    row(
        "api:funds_batch_confirm",
        case=sided_case(confirm_case),
        POST=answers(FINANCE, ok=BAD_REQUEST, api=True),
        note=NOT_YOURS,
    ),
    row(
        "api:funds_payment_file_list",
        case=fixed(data={"bank": ""}),
        POST=answers(FINANCE, ok=BAD_REQUEST, api=True, sided=False),
        note="an invalid payment file: 400 once the permission is checked",
    ),
    row("api:funds_payment_file_detail", case=detail(payment_file_in), GET=answers(FINANCE, api=True)),
    row(
        "api:funds_bank_return_list",
        case=return_without_file,
        POST=answers(FINANCE, ok=BAD_REQUEST, api=True, sided=False),
        note="an upload without its file: 400 once the permission is checked",
    ),
    row("api:funds_bank_return_detail", case=detail(bank_return_in), GET=answers(READERS, api=True)),
    row(
        "api:funds_bank_card",
        case=body(card_body),
        POST=answers(FINANCE, ok=CREATED, api=True),
        note="a household's card, recorded by a finance officer of its county",
    ),
]
