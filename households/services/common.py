"""Small helpers the household services share: one DomainError for many fields, the row lock."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.exceptions import DomainError

from ..models import Household
from ..validation import Errors


def _raise(errors: Errors) -> None:
    if errors:
        raise DomainError(errors=errors)


def _full_clean(obj, **kwargs) -> None:
    """The model's own checks, refused as one DomainError naming each field."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise DomainError(errors=exc.message_dict) from None


def _lock(household: Household) -> Household:
    return Household.objects.select_for_update().get(pk=household.pk)
