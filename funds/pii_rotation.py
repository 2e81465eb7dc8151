"""Key rotation of households' card numbers (core rotate_pii_key; listed in FundsConfig.pii_rotations).

A card (`PayeeBankAccount`) and each payment-file line (`PaymentLine`) keep the number encrypted with
core.pii. A row whose token the key in use already opens is left alone, so a stopped run is run again
and a second run moves nothing. Batches are claimed with FOR UPDATE SKIP LOCKED, one commit each, so
payments go on meanwhile (a row locked by a payment is taken on the next pass).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from core import pii

from .models import PayeeBankAccount, PaymentLine


def rotate_card_numbers(*, batch_size: int, report: Callable[[str], None]) -> int:
    """Every stored card number under the key in use. Returns the rows moved."""
    moved = 0
    for model, label in ((PayeeBankAccount, "bank cards"), (PaymentLine, "payment-file lines")):
        for _pass in range(3):  # rows a payment held (skipped) are taken on a later pass
            moved_now = _rotate_table(model, batch_size)
            moved += moved_now
            if not moved_now:
                break
            report(f"{label}: {moved_now} re-encrypted")
    return moved


def _rotate_table(model, batch_size: int) -> int:
    moved, after = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                model.objects.filter(pk__gt=after)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "number_encrypted")[:batch_size]
            )
            if not rows:
                return moved
            for pk, token in rows:
                try:
                    new = pii.reencrypt(token.encode())
                except ValueError as exc:
                    raise ValueError(f"{model._meta.verbose_name} #{pk}: {exc}") from None
                if new is not None:
                    model.objects.filter(pk=pk).update(number_encrypted=new.decode())
                    moved += 1
            after = rows[-1][0]
