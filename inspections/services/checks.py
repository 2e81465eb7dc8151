"""A model's own checks (`full_clean`) refused as one DomainError naming every field."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.exceptions import DomainError


def full_clean(obj, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        raise DomainError(errors=errors) from None
