"""Domain errors raised by services and turned into API responses / form errors in one place."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the operation. `field` names the input it concerns."""

    status_code = 400
    default_code = "invalid"

    def __init__(
        self, message=None, *, field: str | None = None, code: str | None = None, params=None, errors=None
    ):
        """`errors`: several fields at once ({field: [messages]}); `message` then defaults to the first."""
        self.errors = {
            k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])]
            for k, v in (errors or {}).items()
        }
        if message is None:
            first = next(iter(self.errors.items()), (None, [""]))
            field = field or first[0]
            message = first[1][0]
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code or self.default_code
        self.params = params or {}

    def as_dict(self) -> dict[str, list[str]]:
        if self.errors:
            return self.errors
        return {self.field or "non_field_errors": [str(self.message)]}


class TransitionNotAllowed(DomainError):
    status_code = 409
    default_code = "transition_not_allowed"


class ConflictError(DomainError):
    status_code = 409
    default_code = "conflict"


class ReadOnlyActor(DomainError):
    status_code = 403
    default_code = "read_only"


def from_validation_error(exc) -> DomainError:
    """A Django ValidationError (a model's `full_clean()`, a validator) as one DomainError naming every
    field it refused; Django's `__all__` becomes `non_field_errors`, the API's and forms' name for it."""
    from django.core.exceptions import NON_FIELD_ERRORS

    if hasattr(exc, "error_dict"):
        errors = {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
            for name, messages in exc.message_dict.items()
        }
    else:
        errors = {"non_field_errors": list(exc.messages)}
    return DomainError(errors=errors)


def full_clean(obj, **kwargs) -> None:
    """The model's own checks, refused as a DomainError (services never hand a ValidationError on)."""
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
