"""Writes for core. Every write names its actor and checks the scoping rule."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import actor_context
from .exceptions import DomainError
from .models import ApiToken, Officer, Unit, User
from .scoping import ensure_can_write

OFFICER_EDITABLE = ("name", "position", "unit", "region", "phone", "is_active")


@transaction.atomic
def officer_update(*, officer: Officer, actor: User, data: dict) -> Officer:
    ensure_can_write(actor, officer.region_id)
    unknown = set(data) - set(OFFICER_EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for field, value in data.items():
        setattr(officer, field, value)
    ensure_can_write(actor, officer.region_id)  # may not move an officer out of one's own region
    if officer.unit_id and not officer.region_id.startswith(_unit_prefix(officer.unit)):
        raise DomainError(_("The officer's region must lie within the unit's region."), field="region")
    officer.full_clean()
    with actor_context(actor):
        officer.save()
    return officer


def _unit_prefix(unit: Unit) -> str:
    from .regions import prefix_from_code

    return prefix_from_code(unit.region_id)


def api_token_issue(*, actor: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    if not name.strip():
        raise DomainError(_("A token needs a name."), field="name")
    if not 1 <= days <= 365:
        raise DomainError(_("A token lasts between 1 and 365 days."), field="days")
    return ApiToken.issue(user=actor, name=name.strip(), days=days)


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.user_id != actor.pk and not actor.is_superuser:
        raise DomainError(_("You can revoke only your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token
