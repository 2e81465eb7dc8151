"""资金拨付: a request to pay, made by one finance officer and decided by another.

A disbursement's checker is not its maker (CHECK), an idempotency key pays once (UNIQUE). Its
status moves only through `core.transitions` (`DisbursementRequest.transitions`), and every move
writes one append-only `DisbursementStatusChange` row.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Region, TimeStampedModel
from core.transitions import StatusChange, Transitions

from .catalogue import MONEY, Project
from .ledger import Account, PayeeKind
from .rules import Payee, PaymentKind


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("awaiting review")  # 待审核
    # 已拨付: the money has left the account. An organisation is paid by the treasury then; a
    # household's payment goes on to the bank (sent → paid / failed, issue 20.4).
    APPROVED = "approved", _("approved and paid")  # 已拨付
    REJECTED = "rejected", pgettext_lazy("payment", "rejected")  # 已驳回
    REVERSED = "reversed", _("reversed")  # 已冲销
    WITHDRAWN = "withdrawn", _("withdrawn")  # 已撤回 (by its maker, before it was checked)
    # Household payments after approval (惠民惠农一卡通, issue 20.4): the money is committed by the
    # approval's entry; the bank's payment file sends it, the bank's return file says paid or failed.
    SENT = "sent", _("sent to the bank")  # 已报送银行
    PAID = "paid", _("paid by the bank")  # 银行已支付
    FAILED = "failed", _("returned by the bank")  # 银行退回


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.PENDING: {RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN},
    RequestStatus.APPROVED: {RequestStatus.REVERSED, RequestStatus.SENT},
    RequestStatus.REJECTED: set(),
    RequestStatus.REVERSED: set(),
    RequestStatus.SENT: {RequestStatus.PAID, RequestStatus.FAILED},
    RequestStatus.PAID: {RequestStatus.REVERSED},
    RequestStatus.FAILED: set(),  # the bank's refusal posted the reversing entry
    RequestStatus.WITHDRAWN: set(),
}

# The permission each move needs; a decision is also never the maker's own (maker ≠ checker).
MOVE_PERMISSIONS = {
    RequestStatus.APPROVED: "funds.approve_disbursementrequest",
    RequestStatus.REJECTED: "funds.reject_disbursementrequest",
    RequestStatus.REVERSED: "funds.add_entry",
    RequestStatus.SENT: "funds.add_entry",
    RequestStatus.PAID: "funds.add_entry",
    RequestStatus.FAILED: "funds.add_entry",
    RequestStatus.WITHDRAWN: "funds.add_disbursementrequest",
}


def may_move(request: DisbursementRequest, to_status: str, actor) -> bool:
    """May `actor` make this move? (Asked by pages; the services refuse with their own words.)"""
    if getattr(actor, "is_read_only", True) or not actor.has_perm(MOVE_PERMISSIONS[to_status]):
        return False
    if to_status == RequestStatus.WITHDRAWN:
        return request.maker_id == actor.pk  # only its maker withdraws a request
    return to_status not in (RequestStatus.APPROVED, RequestStatus.REJECTED) or request.maker_id != actor.pk


@tracked()
class DisbursementRequest(TimeStampedModel):
    """A request to pay (资金拨付申请): made by one finance officer, decided by another."""

    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, unique=True,
        help_text=_("Sending the same request again with this key pays once."),
    )  # fmt: skip
    from_account = models.ForeignKey(
        Account, verbose_name=_("paid from"), on_delete=models.PROTECT, related_name="requests"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="requests",
    )  # fmt: skip
    payee_kind = models.CharField(_("payee kind"), max_length=16, choices=PayeeKind.choices)
    household = models.ForeignKey(
        "households.Household", verbose_name=_("household"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="fund_requests",
    )  # fmt: skip
    payee_name = models.CharField(_("payee"), max_length=100)
    payee = models.ForeignKey(
        Payee, verbose_name=_("payee (enterprise or cooperative)"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="requests",
    )  # fmt: skip
    kind = models.CharField(
        _("kind of payment"), max_length=16, choices=PaymentKind.choices, default=PaymentKind.OTHER
    )
    limit_reason = models.CharField(
        _("reason for the amount"), max_length=300, blank=True,
        help_text=_("Required when the amount is above the softer limit of its kind."),
    )  # fmt: skip
    confirmed_different = models.BooleanField(
        _("confirmed a different payment"), default=False,
        help_text=_("The maker confirmed this is not a repeat of a request for the same payee and amount."),
    )  # fmt: skip
    measure = models.ForeignKey(
        "assistance.Measure", verbose_name=_("assistance measure"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="fund_requests",
        help_text=_("The measure of the household's plan this payment carries out."),
    )  # fmt: skip
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    purpose = models.CharField(_("purpose"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("payment check", "decided by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(pgettext_lazy("payment check", "decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)

    transitions = Transitions(ALLOWED_TRANSITIONS, log="DisbursementStatusChange", permits=may_move)

    class Meta:
        verbose_name = _("disbursement request")
        verbose_name_plural = _("disbursement requests")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_disbursementrequest", _("Can approve disbursement requests (checker)")),
            ("reject_disbursementrequest", _("Can reject disbursement requests")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="request_amount_positive"),
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=F("maker")), name="request_maker_is_not_checker"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "withdrawn"], checker__isnull=True)
                | (~Q(status__in=["pending", "withdrawn"]) & Q(checker__isnull=False)),
                name="request_decided_iff_checker",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="request_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(payee_kind="household", household__isnull=False)
                | Q(payee_kind="organisation", household__isnull=True),
                name="request_household_iff_household_payee",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="request_region_prefix_idx"),
            # The checker's queue: pending requests, oldest first.
            models.Index(fields=["created_at"], condition=Q(status="pending"), name="request_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.amount}（{self.get_status_display()}）"


class DisbursementStatusChange(StatusChange):
    """One move of a request's status: who, when, from → to and why (the reason of a rejection
    or reversal). Append-only in the database."""

    request = models.ForeignKey(
        DisbursementRequest, verbose_name=_("disbursement request"), on_delete=models.PROTECT,
        related_name="status_changes",
    )  # fmt: skip
    from_status = models.CharField(_("from"), max_length=16, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=RequestStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("disbursement status change")
        verbose_name_plural = _("disbursement status changes")
        indexes = [models.Index(fields=["request", "at"], name="request_status_change_idx")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status or '—'} → {self.to_status}"
