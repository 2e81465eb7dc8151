"""The rules around a payment: the city's payment settings per county (with the province's
defaults), the organisations a project may pay (payees, a project's winner among them) and the
recorded changes of a project's contract (补充协议).

`PaymentSettings` and `PaymentLimit` belong to a region: a county's row wins over the province's
row (its defaults); the city finance office edits the counties' rows."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Region, TimeStampedModel

from .catalogue import MONEY, Project

# Used when neither the county nor the province has a row (a fresh installation).
DEFAULT_REVIEW_THRESHOLD = Decimal("500000.00")


class PaymentKind(models.TextChoices):
    SUBSIDY = "subsidy", _("household subsidy")  # 到户补贴
    PROGRESS = "progress", _("progress payment")  # 工程进度款
    RETENTION = "retention", _("retention money")  # 质保金
    OTHER = "other", _("other payment")  # 其他


CONTRACTOR_KINDS = (PaymentKind.PROGRESS, PaymentKind.RETENTION)

# The province's defaults (ceiling, softer limit) per kind of payment, yuan.
DEFAULT_LIMITS = {
    PaymentKind.SUBSIDY: (Decimal("50000.00"), Decimal("10000.00")),
    PaymentKind.PROGRESS: (Decimal("50000000.00"), Decimal("10000000.00")),
    PaymentKind.RETENTION: (Decimal("5000000.00"), Decimal("1000000.00")),
    PaymentKind.OTHER: (Decimal("5000000.00"), Decimal("500000.00")),
}


@tracked()
class PaymentSettings(TimeStampedModel):
    """A county's (or, as defaults, the province's) investment-review threshold."""

    region = models.OneToOneField(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="payment_settings",
        help_text=_("A county, or the province for its defaults."),
    )  # fmt: skip
    review_threshold = models.DecimalField(
        _("investment review threshold (yuan)"), **MONEY,
        help_text=_("A project whose budget is above this needs an investment review before it pays."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("payment settings")
        verbose_name_plural = _("payment settings")
        constraints = [
            models.CheckConstraint(condition=Q(review_threshold__gte=0), name="payment_settings_threshold_not_negative"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.region_id}: {self.review_threshold}"


@tracked()
class PaymentLimit(TimeStampedModel):
    """The ceiling (refused above) and the softer limit (a stated reason above) of one kind of payment."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of payment"), max_length=16, choices=PaymentKind.choices)
    ceiling = models.DecimalField(_("ceiling (yuan)"), **MONEY)
    soft_limit = models.DecimalField(_("limit needing a reason (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("payment limit")
        verbose_name_plural = _("payment limits")
        ordering = ["region_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="payment_limit_one_per_region_kind"),
            models.CheckConstraint(
                condition=Q(soft_limit__gt=0) & Q(soft_limit__lte=F("ceiling")), name="payment_limit_soft_within_ceiling"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind}: {self.soft_limit} / {self.ceiling}"


@tracked()
class Payee(TimeStampedModel):
    """An enterprise or cooperative a county pays (收款单位), chosen from a list, never typed per payment."""

    county = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": "county"},
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")
        ordering = ["county_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="payee_one_name_per_county"),
            models.CheckConstraint(condition=~Q(name=""), name="payee_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


@tracked()
class ContractChange(TimeStampedModel):
    """补充协议: a change of a project's contract amount, with its reason and its approval."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="contract_changes"
    )
    amount = models.DecimalField(
        _("change of the contract amount (yuan)"), **MONEY, help_text=_("Negative when the contract shrinks.")
    )
    reason = models.CharField(_("reason"), max_length=300)
    approved_by = models.CharField(_("approved by"), max_length=100)
    approval_document = models.CharField(_("approval document no."), max_length=100)
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contract change")
        verbose_name_plural = _("contract changes")
        ordering = ["project_id", "signed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="contract_change_amount_not_zero"),
            models.CheckConstraint(
                condition=~Q(reason="") & ~Q(approved_by="") & ~Q(approval_document=""),
                name="contract_change_reason_and_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.amount}"
