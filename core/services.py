"""Writes for core. Every write names its actor and checks the scoping rule."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import actor_context
from .exceptions import DomainError
from .models import ApiToken, Officer, Region, Role, Unit, User
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


def api_token_issue(
    *, actor: User, name: str, days: int = 90, password: str | None = None, owner: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for the actor, or for a service account `owner` the actor administers.

    Only a person can mint a token, with their password re-entered (`password`): a token never
    mints another (the API has no creation endpoint), so revoking a token leaves no children.
    `password=None` is for trusted code only (management commands, tests' set-up).
    """
    owner = owner or actor
    if actor.is_service_account:
        raise DomainError(_("A service account cannot issue tokens."))
    if password is not None and not actor.check_password(password):
        raise DomainError(_("Password: this is not your password."), field="password")
    if owner.pk != actor.pk:
        _ensure_administers(actor, owner)
        if not owner.is_service_account:
            raise DomainError(_("Tokens for another person cannot be issued; they issue their own."))
    if not owner.is_active:
        raise DomainError(_("The account is deactivated."))
    if not name.strip():
        raise DomainError(_("A token needs a name."), field="name")
    if not 1 <= days <= 365:
        raise DomainError(_("A token lasts between 1 and 365 days."), field="days")
    return ApiToken.issue(user=owner, name=name.strip(), days=days)


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.user_id != actor.pk:
        owner = token.user
        if not owner.is_service_account:
            raise DomainError(_("You can revoke only your own tokens."))
        _ensure_administers(actor, owner)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


# --- accounts: what an administrator does to the accounts of their region ------------------------


def _ensure_administers(actor: User, user: User) -> None:
    """The actor manages accounts, and `user` lies in the actor's region (else 404)."""
    from django.http import Http404

    if not actor.has_perm("core.change_user"):
        raise PermissionDenied
    if not actor.is_superuser and (user.is_superuser or user.region_id is None):
        raise Http404
    if user.region_id is not None:
        ensure_can_write(actor, user.region_id)


def assignable_roles(actor: User) -> list[str]:
    """Roles an administrator may give a person: not the service accounts' role, and the
    administrator role only by a superuser."""
    excluded = {Role.INTEGRATION} if actor.is_superuser else {Role.INTEGRATION, Role.ADMIN}
    if not (actor.is_superuser or actor.has_role(Role.ADMIN)):
        excluded.add(Role.COUNTY_ADMIN)  # a county administrator does not make more of themselves
    return [role.value for role in Role if role not in excluded]


def _check_password(password: str, user: User, field: str = "password1") -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field=field) from None


def _new_account_checks(*, actor: User, username: str, region: Region) -> str:
    """What every new account needs, a person's or a service account: an administrator of that
    region, and a user name not yet taken. Returns the name as it will be stored."""
    if not actor.has_perm("core.add_user"):
        raise PermissionDenied
    ensure_can_write(actor, region.code)
    username = username.strip()
    if not username:
        raise DomainError(_("Username: required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("Username: this username is taken."), field="username")
    return username


@transaction.atomic
def user_create(
    *, actor: User, username: str, full_name: str, region: Region, roles: list[str], password: str
) -> User:
    """A person's account, made by an administrator: the person must change the password at first log-in."""
    username = _new_account_checks(actor=actor, username=username, region=region)
    allowed = assignable_roles(actor)
    wrong = [r for r in roles if r not in allowed]
    if wrong or not roles:
        raise DomainError(_("Roles: choose at least one role you may give."), field="roles")
    user = User(username=username, full_name=full_name.strip(), region=region, must_change_password=True)
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    with actor_context(actor):
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
    return user


@transaction.atomic
def user_password_reset(*, actor: User, user: User, password: str) -> User:
    """A temporary password an administrator gives; the person must change it at next log-in.
    Their sessions end (Django ties a session to the password hash)."""
    _ensure_administers(actor, user)
    if user.is_service_account:
        raise DomainError(_("A service account has no password."))
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    with actor_context(actor):
        user.save(update_fields=["password", "must_change_password"])
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account. Deactivating ends its sessions and revokes its tokens."""
    _ensure_administers(actor, user)
    if user.pk == actor.pk and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    user.is_active = active
    with actor_context(actor):
        user.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), updated_at=timezone.now()
        )
    return user


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The person's own change: the old password, then the configured validators."""
    if user.is_service_account:
        raise DomainError(_("A service account has no password."))
    if not user.check_password(old_password):
        raise DomainError(_("Current password: this is not your password."), field="old_password")
    if old_password == new_password:
        raise DomainError(_("New password: choose a password you did not use now."), field="new_password1")
    _check_password(new_password, user, field="new_password1")
    user.set_password(new_password)
    user.must_change_password = False
    with actor_context(user):
        user.save(update_fields=["password", "must_change_password"])
    return user


@transaction.atomic
def service_account_create(*, actor: User, username: str, full_name: str, region: Region) -> User:
    """An integrator's account: the read-only integration role in `region` (within the
    administrator's own), no password (it cannot log in), tokens issued by the administrator."""
    username = _new_account_checks(actor=actor, username=username, region=region)
    user = User(username=username, full_name=full_name.strip(), region=region, is_service_account=True)
    user.set_unusable_password()
    user.full_clean()
    with actor_context(actor):
        user.save()
        user.groups.set(Group.objects.filter(name=Role.INTEGRATION))
    return user
