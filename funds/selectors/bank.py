"""Reads of the bank's files: banks, cards, payment files and return files in scope, and the
household payments that wait for a payment file."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from core.models import Region
from core.scoping import scope

from ..models import Bank, BankReturn, DisbursementRequest, PayeeBankAccount, PaymentFile, RequestStatus


def bank_list() -> QuerySet[Bank]:
    return Bank.objects.order_by("name")


def payment_file_list(*, actor) -> QuerySet[PaymentFile]:
    return scope(PaymentFile.objects.select_related("bank", "created_by"), actor=actor, field="region_id")


def payment_file_get(*, actor, pk: int) -> PaymentFile:
    return get_object_or_404(payment_file_list(actor=actor), pk=pk)


def bank_return_list(*, actor) -> QuerySet[BankReturn]:
    return scope(BankReturn.objects.select_related("bank", "uploaded_by"), actor=actor, field="region_id")


def bank_return_get(*, actor, pk: int) -> BankReturn:
    return get_object_or_404(bank_return_list(actor=actor), pk=pk)


def counties_in_scope(*, actor) -> QuerySet[Region]:
    return scope(Region.objects.filter(level="county"), actor=actor, field="code").order_by("code")


def awaiting_file(*, actor) -> dict:
    """Approved household payments not yet in a payment file: how many, how much, how many lack a card."""
    card = PayeeBankAccount.objects.filter(household_id=OuterRef("household_id"), active=True)
    qs = scope(DisbursementRequest.objects.all(), actor=actor, field="region_id").filter(
        status=RequestStatus.APPROVED, payee_kind="household"
    )
    agg = qs.annotate(has_card=Exists(card)).aggregate(
        n=Count("id"), total=Sum("amount"), without_card=Count("id", filter=Q(has_card=False))
    )
    sent = scope(DisbursementRequest.objects.all(), actor=actor, field="region_id").filter(
        status=RequestStatus.SENT
    )
    return {**agg, "sent": sent.count()}


def card_of(*, household) -> PayeeBankAccount | None:
    return PayeeBankAccount.objects.select_related("bank").filter(household=household, active=True).first()


def ready_to_send(*, actor, bank: Bank, county: Region) -> dict:
    """What a payment file to `bank` for `county` would hold now (the confirmation before sending):
    approved household payments whose household's card in use is at this bank."""
    card = PayeeBankAccount.objects.filter(household_id=OuterRef("household_id"), active=True, bank=bank)
    qs = scope(DisbursementRequest.objects.all(), actor=actor, field="region_id").filter(
        region__code__startswith=county.prefix, status=RequestStatus.APPROVED, payee_kind="household"
    )
    return qs.filter(Exists(card)).aggregate(n=Count("id"), total=Sum("amount"))
