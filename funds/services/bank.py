"""The bank's files (惠民惠农一卡通, issue 20.4): cards, payment files, return files.

- `payee_bank_account_set`: a household's card, the number encrypted (core.pii);
- `payment_file_create`: the approved household payments of a county whose household has a card
  at the bank go into one file; their requests move approved → sent (`transition_many`, one
  statement) and each gets a line with a reference the bank quotes back;
- `payment_file_content`: the file in the bank's layout (xlsx through core.xlsx, CSV through its
  CSV helper), written from the lines, so a second download is the same file;
- `bank_return_upload`: the bank's return file (an .xlsx or a CSV file in UTF-8 or GBK, through
  core.uploads, stored encrypted; read by core.xlsx's one workbook and one CSV reader)
  marks each line paid or failed with the bank's reason; a failure posts a reversing entry that
  returns the money to the account it left and moves the request sent → failed. Lines that match
  no line awaiting this bank (unknown reference, another amount, answered already) are listed,
  never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pii
from core.audit import actor_context
from core.exceptions import DomainError
from core.scoping import ensure_can_write, in_scope, scope
from core.transitions import transition, transition_many
from core.uploads import TABLES, delete_stored, read_stored, store_upload
from core.xlsx import (
    Uncomputed,
    UnreadableWorkbook,
    Workbook,
    csv_bytes,
    read_csv,
    read_sheet,
    uncomputed_message,
)

from ..models import (
    Bank,
    BankReturn,
    DisbursementRequest,
    Entry,
    EntryKind,
    FileFormat,
    LineResult,
    PayeeBankAccount,
    PayeeKind,
    PaymentFile,
    PaymentLine,
    RequestStatus,
)
from ..models.bank import (
    DEFAULT_COLUMNS,
    DEFAULT_FAILED_MARKS,
    DEFAULT_PAID_MARKS,
    DEFAULT_RETURN_HEADERS,
    PAYMENT_FIELDS,
)
from .ledger import household_payee_account, post_entry

MAX_RETURN_ROWS = 50_000


def _may_pay(actor, region_id: str | None = None) -> None:
    ensure_can_write(actor, region_id)
    if not actor.has_perm("funds.add_entry"):
        raise DomainError(_("Only finance officers may send payments to the bank."), code="permission_denied")


def bank_layout_check(*, columns, return_headers) -> None:
    """A bank's layouts, as the bank_create service and the admin's form both check them."""
    if (
        not isinstance(columns, list)
        or not columns
        or any(
            not isinstance(c, dict)
            or c.get("field") not in PAYMENT_FIELDS
            or not str(c.get("header", "")).strip()
            for c in columns
        )
    ):
        raise DomainError(
            _("Each column names one of: account number, name, amount, reference."), field="columns"
        )
    if "reference" not in {c["field"] for c in columns}:
        raise DomainError(
            _("The payment file must carry the reference the bank quotes back."), field="columns"
        )
    if not isinstance(return_headers, dict) or not all(
        str(return_headers.get(key) or "").strip() for key in ("reference", "result")
    ):
        raise DomainError(
            _("Name the return file's columns of the reference and of the result."), field="return_headers"
        )


def bank_create(*, name: str, file_format: str = FileFormat.XLSX, columns=None, return_headers=None,
                paid_marks: str = DEFAULT_PAID_MARKS, failed_marks: str = DEFAULT_FAILED_MARKS) -> Bank:  # fmt: skip
    """A bank and its layouts (set up by an administrator, funds/admin.py, or the demo): the return
    file's results meaning paid and those meaning failed (only these return the money)."""
    columns = list(columns or DEFAULT_COLUMNS)
    headers = {**DEFAULT_RETURN_HEADERS, **(return_headers or {})}
    bank_layout_check(columns=columns, return_headers=headers)
    return Bank.objects.create(name=name.strip(), file_format=file_format, columns=columns,
                               return_headers=headers, paid_marks=paid_marks, failed_marks=failed_marks)  # fmt: skip


def payee_bank_account_set(
    *, actor, household, bank: Bank, account_number: str, holder_name: str = ""
) -> PayeeBankAccount:
    """Record a household's card (一卡通); the previous card, if any, is no longer used."""
    ensure_can_write(actor, household.village_id)
    if not actor.has_perm("funds.add_disbursementrequest"):
        raise DomainError(_("Only finance officers may record bank accounts."), code="permission_denied")
    number = re.sub(r"[\s-]", "", account_number or "")
    if not re.fullmatch(r"\d{12,30}", number):
        raise DomainError(_("Enter the card number: 12 to 30 digits."), field="account_number")
    with transaction.atomic(), actor_context(actor):
        PayeeBankAccount.objects.filter(household=household, active=True).update(active=False)
        return PayeeBankAccount.objects.create(
            household=household, bank=bank, number_encrypted=pii.encrypt(number), last_digits=number[-4:],
            holder_name=(holder_name or household.head_name)[:100], created_by=actor,
        )  # fmt: skip


@transaction.atomic
def payment_file_create(
    *, actor, bank: Bank, region, requests=None
) -> tuple[PaymentFile, list[DisbursementRequest]]:
    """Put the approved household payments of `region` (or the given ones) whose household has a
    card at `bank` into a new payment file; returns (file, requests left out for want of a card).
    """
    _may_pay(actor, region.code)
    qs = scope(DisbursementRequest.objects.all(), actor=actor, field="region_id").filter(
        region__code__startswith=region.prefix, status=RequestStatus.APPROVED, payee_kind=PayeeKind.HOUSEHOLD
    )
    if requests is not None:
        qs = qs.filter(pk__in=[getattr(r, "pk", r) for r in requests])
    candidates = list(qs.select_related("household").order_by("id"))
    cards = {
        c.household_id: c
        for c in PayeeBankAccount.objects.filter(
            household_id__in={r.household_id for r in candidates}, active=True
        )
    }
    ready = [r for r in candidates if r.household_id in cards and cards[r.household_id].bank_id == bank.pk]
    left_out = [r for r in candidates if r.household_id not in cards]
    if not ready:
        raise DomainError(
            _("No approved household payment with a card at this bank awaits sending."), field="bank"
        )
    payment_file = PaymentFile.objects.create(
        bank=bank, region=region, file_format=bank.file_format, columns=bank.columns, created_by=actor
    )
    moved = set(
        transition_many(
            DisbursementRequest.objects.filter(pk__in=[r.pk for r in ready]), RequestStatus.SENT, actor=actor,
            note=_("Payment file #%(file)s to %(bank)s") % {"file": payment_file.pk, "bank": bank.name},
        )
    )  # fmt: skip
    lines = [
        PaymentLine(
            payment_file=payment_file,
            request=r,
            reference=f"FP{payment_file.pk:06d}-{r.pk}",
            number_encrypted=cards[r.household_id].number_encrypted,
            last_digits=cards[r.household_id].last_digits,
            holder_name=cards[r.household_id].holder_name,
            amount=r.amount,
        )
        for r in ready
        if r.pk in moved
    ]
    PaymentLine.objects.bulk_create(lines)
    payment_file.count = len(lines)
    payment_file.total = sum((line.amount for line in lines), Decimal("0.00"))
    payment_file.save(update_fields=["count", "total"])
    return payment_file, left_out


def payment_file_content(payment_file: PaymentFile) -> tuple[str, bytes]:
    """(file name, bytes) of the file in its bank's layout; the account numbers in full (the bank
    needs them: this file goes only to the bank)."""
    columns = payment_file.columns or DEFAULT_COLUMNS

    def value(line: PaymentLine, name: str):
        if name == "account_number":
            return pii.decrypt(line.number_encrypted)
        if name == "name":
            return line.holder_name
        if name == "amount":
            return line.amount
        return line.reference

    headers = [c["header"] for c in columns]
    rows = ([value(line, c["field"]) for c in columns] for line in payment_file.lines.order_by("id"))
    stem = f"payment-{payment_file.pk:06d}"
    if payment_file.file_format == FileFormat.CSV:
        return f"{stem}.csv", csv_bytes(rows, headers=headers)
    book = Workbook()
    sheet = book.sheet(_("Payments"), headers=headers, widths=[24, 12, 14, 20])
    for row in rows:
        # A card number is text: as a number Excel would round its last digits away.
        sheet.append([str(v) if isinstance(v, str) else v for v in row])
    return f"{stem}.xlsx", book.content()


def _amount(value) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", "").strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def _parse(bank: Bank, data: bytes, kind: str = "xlsx") -> list[dict]:
    headers = bank.return_headers or DEFAULT_RETURN_HEADERS
    try:
        # A CSV file (UTF-8 or GBK, detected) through core.xlsx's one CSV reader; else the workbook.
        rows = iter(read_csv(data, field="file") if kind == "csv" else read_sheet(data))
        header_row = next(rows, None)
        if header_row is None:
            raise DomainError(_("The file is empty."), field="file")
        titles = [str(v or "").strip() for v in header_row[1]]
        where = {}
        for key in ("reference", "result", "reason", "amount"):
            if headers.get(key) in titles:
                where[key] = titles.index(headers[key])
            elif key in ("reference", "result"):
                raise DomainError(
                    _("The file has no column “%(header)s” (the bank's %(what)s).")
                    % {"header": headers.get(key), "what": key},
                    field="file",
                )
        parsed = []
        for number, values in rows:
            if len(parsed) >= MAX_RETURN_ROWS:
                raise DomainError(
                    _("A return file has at most %(n)d lines.") % {"n": MAX_RETURN_ROWS}, field="file"
                )
            cell = {k: (values[i] if i < len(values) else None) for k, i in where.items()}
            if all(v in (None, "") for v in cell.values()):
                continue
            line = {"row": number, **{k: "" if v is None else str(v).strip() for k, v in cell.items()}}
            # A formula saved without its result (core.xlsx): the line is refused naming the cell.
            uncomputed = next((k for k, v in cell.items() if type(v) is Uncomputed), None)
            if uncomputed:
                line["refused"] = uncomputed_message(number, titles[where[uncomputed]])
            parsed.append(line)
        return parsed
    except UnreadableWorkbook as error:
        raise DomainError(
            _("The workbook cannot be read: %(error)s") % {"error": error}, field="file"
        ) from None


def _fail(actor, line: PaymentLine, reason: str, booked_on: dt.date) -> None:
    """Return the money to the account it left (a reversing entry), then sent → failed."""
    request = (
        DisbursementRequest.objects.select_for_update(of=("self",))
        .select_related("from_account__fund", "household")
        .get(pk=line.request_id)
    )
    source = request.from_account
    payee = household_payee_account(source.fund, request.household)
    post_entry(
        actor=actor, kind=EntryKind.REVERSAL, amount=request.amount, debit=source, credit=payee,
        booked_on=booked_on,
        memo=_("Returned by the bank: %(reason)s") % {"reason": reason}, reverses=Entry.objects.get(request=request),
    )  # fmt: skip
    transition(request, RequestStatus.FAILED, actor=actor, note=reason)


def bank_return_upload(*, actor, bank: Bank, region, upload, booked_on: dt.date | None = None) -> BankReturn:
    """Apply the bank's return file; returns the record with its counts and unmatched lines.
    `booked_on`: the date of the reversing entries of failed payments (today unless given)."""
    _may_pay(actor, region.code)
    stored = store_upload(upload, kinds=TABLES, folder="funds/bank-returns", field="file")
    try:
        with transaction.atomic(), actor_context(actor):
            parsed = _parse(bank, read_stored(stored.path), stored.kind)
            record = BankReturn.objects.create(
                bank=bank,
                region=region,
                file=stored.path,
                original_name=stored.original_name,
                uploaded_by=actor,
            )
            _apply(actor, bank, record, parsed, booked_on or timezone.localdate())
    except Exception:
        delete_stored(stored.path)
        raise
    return record


def _apply(actor, bank: Bank, record: BankReturn, parsed: list[dict], booked_on: dt.date) -> None:
    marks, failure_marks = bank.marks(), bank.failure_marks()
    references = [p["reference"] for p in parsed if p.get("reference")]
    lines = {
        line.reference: line
        for line in PaymentLine.objects.select_for_update(of=("self",))
        .select_related("payment_file", "request")
        .filter(reference__in=references, payment_file__bank=bank)
        .order_by("request_id")
    }
    seen: set[str] = set()
    unmatched: list[dict] = []
    for p in parsed:
        line = lines.get(p.get("reference", ""))
        amount = _amount(p["amount"]) if p.get("amount") else None
        why = None
        if p.get("refused"):
            why = p["refused"]
        elif line is None or not in_scope(actor, line.request.region_id):
            why = _("no payment sent to this bank has this reference")
        elif p["reference"] in seen or line.result:
            why = _("this payment was already answered")
        elif p.get("amount") and amount != line.amount:
            why = _("the amount differs from the payment sent (%(sent)s)") % {"sent": line.amount}
        elif not p.get("result", "").strip():
            # Only a recognised failure returns the money: a blank result is no answer.
            why = _("the bank's result is blank: neither paid nor failed")
        elif p["result"].strip().lower() not in marks | failure_marks:
            why = _(
                "the bank's result “%(result)s” is not one of this bank's marks (paid: %(paid)s; failed: "
                "%(failed)s)"
            ) % {"result": p["result"], "paid": bank.paid_marks, "failed": bank.failed_marks}
        if why:
            unmatched.append({"row": p["row"], "reference": p.get("reference", ""), "amount": p.get("amount", ""),
                              "result": p.get("result", ""), "why": str(why)})  # fmt: skip
            continue
        seen.add(p["reference"])
        paid = p["result"].strip().lower() in marks
        reason = (p.get("reason") or p.get("result") or "")[:300]
        if paid:
            transition(
                line.request,
                RequestStatus.PAID,
                actor=actor,
                note=_("Bank return file #%(id)s") % {"id": record.pk},
            )
            record.paid += 1
        else:
            _fail(actor, line, reason or _("refused by the bank"), booked_on)
            record.failed += 1
        PaymentLine.objects.filter(pk=line.pk).update(
            result=LineResult.PAID if paid else LineResult.FAILED,
            reason="" if paid else reason,
            bank_return=record,
        )
    record.unmatched = unmatched
    record.save(update_fields=["paid", "failed", "unmatched"])
