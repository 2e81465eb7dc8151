"""Writes around a payment's rules: the city finance office's settings per county (the province's
row holds the defaults), payees (收款单位) as records, and contract changes (补充协议)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError
from core.models import Region, RegionLevel
from core.scoping import ensure_can_write

from ..models import ContractChange, Payee, PaymentKind, PaymentLimit, PaymentSettings, Project
from .ledger import money


def _ensure_settings_editor(actor, region: Region) -> None:
    """A county's settings are the city's to set (not the county's own); the province's defaults
    the province's."""
    ensure_can_write(actor, region.code)
    if not actor.has_perm("funds.change_paymentsettings"):
        raise DomainError(_("Only the city finance office sets payment rules."), code="permission_denied")
    if region.level not in (RegionLevel.COUNTY, RegionLevel.PROVINCE):
        raise DomainError(
            _("Payment rules are set for a county, or for the province as defaults."), field="region"
        )
    own = actor.region.level if getattr(actor, "region", None) else None
    allowed = {
        RegionLevel.COUNTY: (RegionLevel.CITY, RegionLevel.PROVINCE),
        RegionLevel.PROVINCE: (RegionLevel.PROVINCE,),
    }
    if not actor.is_superuser and own not in allowed[region.level]:
        raise DomainError(
            _("Only the city finance office sets a county's payment rules."), code="permission_denied"
        )


@transaction.atomic
def payment_settings_set(*, actor, region: Region, review_threshold) -> PaymentSettings:
    _ensure_settings_editor(actor, region)
    if review_threshold in (None, ""):
        raise DomainError(_("Enter the investment review threshold."), field="review_threshold")
    threshold = money(review_threshold, field="review_threshold")
    with actor_context(actor):
        row, _created = PaymentSettings.objects.update_or_create(
            region=region, defaults={"review_threshold": threshold}
        )
    return row


@transaction.atomic
def payment_limit_set(*, actor, region: Region, kind: str, ceiling, soft_limit) -> PaymentLimit:
    _ensure_settings_editor(actor, region)
    if kind not in PaymentKind.values:
        raise DomainError(_("Choose the kind of payment."), field="kind")
    ceiling = money(ceiling, field="ceiling")
    soft_limit = money(soft_limit, field="soft_limit")
    if soft_limit > ceiling:
        raise DomainError(_("The limit needing a reason cannot be above the ceiling."), field="soft_limit")
    with actor_context(actor):
        row, _created = PaymentLimit.objects.update_or_create(
            region=region, kind=kind, defaults={"ceiling": ceiling, "soft_limit": soft_limit}
        )
    return row


def payee_record(*, county_id: str, name: str) -> Payee:
    """The payee of this name in the county, recorded when first named (a project's winner)."""
    name = (name or "").strip()[:100]
    if not name:
        raise DomainError(_("Name the enterprise or cooperative to be paid."), field="payee")
    try:
        with transaction.atomic():
            payee, _created = Payee.objects.get_or_create(county_id=county_id[:6] + "000000", name=name)
    except IntegrityError:  # a concurrent first naming: read the winner's row
        payee = Payee.objects.get(county_id=county_id[:6] + "000000", name=name)
    return payee


@transaction.atomic
def payee_create(*, actor, county: Region, name: str, credit_code: str = "", phone: str = "") -> Payee:
    ensure_can_write(actor, county.code)
    if not actor.has_perm("funds.add_disbursementrequest"):
        raise DomainError(_("Only finance officers record payees."), code="permission_denied")
    if county.level != RegionLevel.COUNTY:
        raise DomainError(_("Choose a county."), field="county")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the enterprise or cooperative to be paid."), field="name")
    if Payee.objects.filter(county=county, name=name).exists():
        raise DomainError(_("This county already has a payee of this name."), field="name")
    with actor_context(actor):
        return Payee.objects.create(
            county=county,
            name=name[:100],
            credit_code=(credit_code or "").strip()[:18],
            phone=(phone or "").strip()[:20],
        )


def contractor_record(project: Project) -> Payee | None:
    """The project's winner as its contractor payee (recorded from the winner, never typed per payment)."""
    if not project.winner:
        if project.contractor_id:
            Project.objects.filter(pk=project.pk).update(contractor=None)
            project.contractor = None
        return None
    # Read from the database, not the instance: a refused request rolls back a payee recorded in
    # its transaction, while the caller's project object still names it.
    payee = Payee.objects.filter(projects_won=project.pk, name=project.winner).first()
    if payee is not None:
        project.contractor = payee
        return payee
    payee = payee_record(county_id=project.county_id, name=project.winner)
    Project.objects.filter(pk=project.pk).update(contractor=payee)
    project.contractor = payee
    return payee


@transaction.atomic
def contract_change_record(
    *,
    actor,
    project: Project,
    amount,
    reason: str,
    approved_by: str,
    approval_document: str,
    signed_on: dt.date,
) -> ContractChange:
    """补充协议: changes the amount contractor payments may reach, with its reason and approval."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    ensure_can_write(actor, project.region_id)
    if not actor.has_perm("funds.change_project"):
        raise DomainError(_("Only finance officers record contract changes."), code="permission_denied")
    if project.contract_amount is None:
        raise DomainError(_("Record the contract before a change of it."), field="contract_amount")
    errors = {}
    for name, value in (
        ("reason", reason),
        ("approved_by", approved_by),
        ("approval_document", approval_document),
    ):
        if not (value or "").strip():
            errors[name] = [_("This field is required.")]
    if not signed_on:
        errors["signed_on"] = [_("This field is required.")]
    if errors:
        raise DomainError(errors=errors)
    text = str(amount).strip().replace(",", "")
    negative = text.startswith("-")
    delta = money(text.lstrip("-"), field="amount")
    delta = -delta if negative else delta
    from ..selectors.rules import contract_total

    if contract_total(project) + delta <= 0:
        raise DomainError(_("The contract amount would fall to zero or below."), field="amount")
    with actor_context(actor):
        return ContractChange.objects.create(
            project=project, amount=delta, reason=reason.strip()[:300], approved_by=approved_by.strip()[:100],
            approval_document=approval_document.strip()[:100], signed_on=signed_on, recorded_by=actor,
        )  # fmt: skip
