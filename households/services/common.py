"""Small helpers the household services share: one DomainError for many fields, the row lock.
(A model's own checks: `core.exceptions.full_clean`.)"""

from __future__ import annotations

from core.exceptions import DomainError

from ..models import Household
from ..validation import Errors


def _raise(errors: Errors) -> None:
    if errors:
        raise DomainError(errors=errors)


def _lock(household: Household) -> Household:
    return Household.objects.select_for_update().get(pk=household.pk)
