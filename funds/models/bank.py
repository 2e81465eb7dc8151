"""The bank's files (惠民惠农一卡通, issue 20.4).

Approval commits the money (the ledger entry). Payments to households then leave in a payment
file for the bank, in the column layout that bank asks for; the bank's return file says, line by
line, paid or failed (with its reason). A failed payment posts a reversing entry that returns the
money to the account it left.

- `Bank`: a bank and its layouts — the payment file's columns (account number, name, amount,
  reference, in its order and headers; xlsx or CSV) and the return file's headers;
- `PayeeBankAccount`: a household's card (一卡通) — the number encrypted (core.pii), its last
  four digits to show; one active card per household;
- `PaymentFile` / `PaymentLine`: a file sent to a bank and its lines; a request is sent at most
  once (UNIQUE), each line has a reference the return file quotes;
- `BankReturn`: an uploaded return file (stored encrypted through core.uploads), its counts and
  the lines that matched nothing (listed, never guessed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region

from .catalogue import MONEY, ZERO
from .disbursements import DisbursementRequest

# What a payment file's column may hold.
PAYMENT_FIELDS = {
    "account_number": _("account number"),
    "name": _("account holder"),
    "amount": _("amount (yuan)"),
    "reference": _("reference"),
}
DEFAULT_COLUMNS = [
    {"field": "account_number", "header": "卡号"},
    {"field": "name", "header": "户名"},
    {"field": "amount", "header": "金额"},
    {"field": "reference", "header": "业务编号"},
]
DEFAULT_RETURN_HEADERS = {
    "reference": "业务编号",
    "result": "处理结果",
    "reason": "失败原因",
    "amount": "金额",
}

# The results a return file says, compared whole (case ignored): paid, or failed (the money goes
# back). Anything else — blank, a typo, a code the bank was not set up with — changes nothing.
DEFAULT_PAID_MARKS = "成功,success,0000"
DEFAULT_FAILED_MARKS = (
    "失败,交易失败,退回,已退回,退票,账户不符,户名不符,账号不存在,账户已销户,账户冻结,fail,failed"
)


class FileFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook (.xlsx)")
    CSV = "csv", _("CSV text (.csv)")


class LineResult(models.TextChoices):
    SENT = "", _("awaiting the bank")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed")


class Bank(models.Model):
    """A bank that pays households' cards, with the file layouts it uses."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    file_format = models.CharField(_("payment file format"), max_length=8, choices=FileFormat.choices,
                                   default=FileFormat.XLSX)  # fmt: skip
    columns = models.JSONField(
        _("payment file columns"), default=list,
        help_text=_('In order: [{"field": "account_number" | "name" | "amount" | "reference", "header": "…"}].'),
    )  # fmt: skip
    return_headers = models.JSONField(
        _("return file headers"), default=dict,
        help_text=_("The return file's header for reference, result, reason and amount."),
    )  # fmt: skip
    paid_marks = models.CharField(
        _("results meaning paid"), max_length=200, default=DEFAULT_PAID_MARKS,
        help_text=_("Comma-separated, compared whole and regardless of case."),
    )  # fmt: skip
    failed_marks = models.CharField(
        _("results meaning failed"), max_length=200, default=DEFAULT_FAILED_MARKS,
        help_text=_(
            "Comma-separated, compared whole and regardless of case; only these return the money. A result "
            "that is neither paid nor failed is listed as unreadable and changes nothing."
        ),
    )  # fmt: skip

    class Meta:
        verbose_name = _("bank")
        verbose_name_plural = _("banks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def marks(self) -> set[str]:
        """The results meaning paid, lower-cased."""
        return _mark_set(self.paid_marks)

    def failure_marks(self) -> set[str]:
        """The results meaning failed (the money goes back), lower-cased."""
        return _mark_set(self.failed_marks)


def _mark_set(text: str) -> set[str]:
    return {m.strip().lower() for m in (text or "").replace("，", ",").split(",") if m.strip()}


class PayeeBankAccount(models.Model):
    """A household's card: the number encrypted (personal data), its last four digits shown."""

    household = models.ForeignKey(
        "households.Household", verbose_name=_("household"), on_delete=models.PROTECT,
        related_name="bank_accounts",
    )  # fmt: skip
    bank = models.ForeignKey(
        Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="payee_accounts"
    )
    number_encrypted = models.TextField(_("account number (encrypted)"), editable=False)
    last_digits = models.CharField(_("last four digits"), max_length=4)
    holder_name = models.CharField(_("account holder"), max_length=100)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("payee bank account")
        verbose_name_plural = _("payee bank accounts")
        ordering = ["household_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(active=True), name="bank_account_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} ****{self.last_digits}"

    @property
    def masked(self) -> str:
        return f"****{self.last_digits}"


class PaymentFile(models.Model):
    """A payment file sent to a bank: its lines' requests moved approved → sent."""

    bank = models.ForeignKey(
        Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="payment_files"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    file_format = models.CharField(_("format"), max_length=8, choices=FileFormat.choices)
    columns = models.JSONField(_("columns"), default=list)  # the bank's layout when the file was made
    count = models.PositiveIntegerField(_("payments"), default=0)
    total = models.DecimalField(_("total (yuan)"), default=ZERO, **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.bank} #{self.pk}"


class PaymentLine(models.Model):
    """One payment in a file, with what the bank answered."""

    payment_file = models.ForeignKey(PaymentFile, verbose_name=_("payment file"), on_delete=models.PROTECT,
                                     related_name="lines")  # fmt: skip
    request = models.OneToOneField(
        DisbursementRequest, verbose_name=_("disbursement request"), on_delete=models.PROTECT,
        related_name="payment_line",
    )  # fmt: skip
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    number_encrypted = models.TextField(_("account number (encrypted)"), editable=False)
    last_digits = models.CharField(_("last four digits"), max_length=4)
    holder_name = models.CharField(_("account holder"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    result = models.CharField(_("bank's result"), max_length=8, choices=LineResult.choices, blank=True)
    reason = models.CharField(_("bank's reason"), max_length=300, blank=True)
    bank_return = models.ForeignKey(
        "BankReturn", verbose_name=_("return file"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="lines",
    )  # fmt: skip

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["payment_file_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_line_amount_positive"),
            models.CheckConstraint(
                condition=Q(result="", bank_return__isnull=True)
                | (~Q(result="") & Q(bank_return__isnull=False)),
                name="payment_line_result_iff_return",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class BankReturn(models.Model):
    """An uploaded return file: what it matched, and the lines it could not match."""

    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="returns")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    paid = models.PositiveIntegerField(_("paid"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    unmatched = models.JSONField(_("unmatched lines"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("bank return file")
        verbose_name_plural = _("bank return files")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.bank} {self.original_name}"
