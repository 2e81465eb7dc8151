"""The demo's month end (issue 20.3/20.4): the household subsidies go to the bank in a payment
file, the bank's return file comes back with one failure (its money returned by a reversing
entry) and one line that matches nothing; next month's requests wait in a batch whose page shows
a flagged row (a household already paid this month)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from core.uploads import in_memory
from core.xlsx import Workbook

from . import services
from .models import DisbursementRequest, PaymentFile, RequestStatus

BANK = "修武县农村商业银行"
FAILED_REASON = "账户已冻结"


def _return_file(payment_file: PaymentFile) -> bytes:
    """What the bank sends back: every line paid but the second, and a line of another bank's file."""
    book = Workbook()
    sheet = book.sheet("回盘", headers=["业务编号", "金额", "处理结果", "失败原因"])
    for i, line in enumerate(payment_file.lines.order_by("id")):
        failed = i == 1 or payment_file.count == 1
        sheet.append(
            [line.reference, line.amount, "失败" if failed else "成功", FAILED_REASON if failed else ""]
        )
    sheet.append(["FP000000-0", Decimal("100.00"), "成功", ""])  # not ours: listed, never guessed
    return book.content()


def bank_month_end(*, account, county, households, maker, checker, booked_on: dt.date) -> dict:
    """Cards for the paid households, the payment file, its return file; then a batch for the checker."""
    bank = services.bank_create(name=BANK)
    for household in households:
        services.payee_bank_account_set(
            actor=maker, household=household, bank=bank, account_number=f"62170088{household.pk:011d}"
        )
    payment_file, _left_out = services.payment_file_create(actor=maker, bank=bank, region=county)
    record = services.bank_return_upload(
        actor=maker, bank=bank, region=county, upload=in_memory(_return_file(payment_file), "回盘文件.xlsx"),
        booked_on=booked_on,
    )  # fmt: skip

    # Next month's subsidies, queued for review: the first household again (flagged: it already
    # has a payment this month), and the next ones.
    pending = []
    for i, household in enumerate(households[:1] + households[-3:]):
        request, _created = services.disbursement_request_create(
            actor=maker, idempotency_key=f"demo-batch-{household.pk}-{i}", from_account=account,
            amount=Decimal("600.00") + i, purpose="到户产业发展补贴", payee_kind="household", household=household,
            confirmed_different=True,
        )  # fmt: skip
        pending.append(request)
    batch = services.batch_open(actor=checker, from_account=account, month=timezone.localdate())
    page, _rows = services.page_show(actor=checker, batch=batch, number=1)
    return {
        "payment_file": payment_file,
        "return": record,
        "batch": batch,
        "flagged": len(page.flagged),
        "pending": DisbursementRequest.objects.filter(
            pk__in=[r.pk for r in pending], status=RequestStatus.PENDING
        ).count(),
    }
