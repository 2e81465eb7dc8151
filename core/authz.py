"""Roles and permissions of a user, read once per change instead of three queries per request.

Every request asked PostgreSQL for the user's groups (roles), the permissions of those groups
and the user's own permissions. They change a few times a year, so `RoleBackend` reads them
from a per-process cache (`core.grants`) keyed by (user id, `User.authz_stamp`). The stamp is a
column of the user row, which the authentication middleware loads on every request anyway:
whatever changes a user's roles or a role's permissions gives the users concerned a new stamp
(signals below), so the very next request of any process misses the cache and reads the
database again. The database stays the one source of truth; nothing has to be told to every
gunicorn worker.

Writes that bypass Django's signals (raw SQL on the auth tables) are not seen until the entry
ages out (`core.grants.TTL_SECONDS`); `touch_all()` (or `manage.py shell -c "from core import authz;
authz.touch_all()"`) gives every user a new stamp at once.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.backends import ModelBackend

from .grants import clear, forget, grants_for
from .models import User


class RoleBackend(ModelBackend):
    """ModelBackend whose permission set comes from `grants_for` (one query per change, not three per request)."""

    def get_user(self, user_id):
        # The region comes with the user: every page shows its name, every selector its code.
        try:
            user = User._default_manager.select_related("region").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        """Service accounts never log in: no password log-in, and no session is honoured for one
        (get_user returns None, so a session of theirs is anonymous). They use API tokens only."""
        return super().user_can_authenticate(user) and not getattr(user, "is_service_account", False)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        return set(grants_for(user_obj).permissions)


# --- new stamps when roles or permissions change ------------------------------------------------


def touch_users(user_ids) -> uuid.UUID:
    stamp = uuid.uuid4()
    ids = list(user_ids)
    if ids:
        User.objects.filter(pk__in=ids).update(authz_stamp=stamp)
    return stamp


def touch_groups(group_ids) -> uuid.UUID:
    stamp = uuid.uuid4()
    ids = list(group_ids)
    if ids:
        User.objects.filter(pk__in=User.objects.filter(groups__in=ids).values("pk")).update(authz_stamp=stamp)
    return stamp


def touch_all() -> None:
    User.objects.update(authz_stamp=uuid.uuid4())
    clear()


def _field_to(through, model) -> str:
    """The through table's column pointing at `model` (user_id, group_id, permission_id)."""
    for field in through._meta.get_fields():
        if getattr(field, "related_model", None) is model:
            return field.attname
    raise LookupError(f"{through} has no column for {model}")


def _m2m_handler(touch, owner_model):
    """m2m_changed receiver for a through table whose `owner_model` side decides who is touched.

    `touch(ids)` is called with ids of `owner_model` rows: users for user.groups and
    user.user_permissions, groups for group.permissions.
    """

    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
            return
        if isinstance(instance, owner_model):  # user.groups.add(...), group.permissions.set(...)
            if action == "pre_clear":
                return
            stamp = touch([instance.pk])
            if hasattr(instance, "authz_stamp"):  # this very object must not keep its old grants
                forget(instance)
                instance.authz_stamp = stamp
            return
        # The other side: group.user_set.add(users), permission.group_set.add(groups)…
        owner_column = _field_to(sender, owner_model)
        if action == "pre_clear":
            instance._authz_cleared = list(
                sender.objects.filter(**{_field_to(sender, type(instance)): instance.pk}).values_list(
                    owner_column, flat=True
                )
            )
            return
        ids = instance.__dict__.pop("_authz_cleared", []) if action == "post_clear" else pk_set
        touch(list(ids or []))

    return handler


def group_saved_or_deleted(sender, instance, created=False, **kwargs):
    """A renamed role is another role; a deleted one takes its permissions with it."""
    if instance.pk and not created:
        touch_groups([instance.pk])


def connect() -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_save, pre_delete

    for through, touch, owner, uid in (
        (User.groups.through, touch_users, User, "user_groups"),
        (User.user_permissions.through, touch_users, User, "user_permissions"),
        (Group.permissions.through, touch_groups, Group, "group_perms"),
    ):
        m2m_changed.connect(
            _m2m_handler(touch, owner), sender=through, weak=False, dispatch_uid=f"core.authz.{uid}"
        )
    pre_delete.connect(
        lambda **kw: touch_all(), sender=Permission, weak=False, dispatch_uid="core.authz.perm_deleted"
    )
    post_save.connect(group_saved_or_deleted, sender=Group, dispatch_uid="core.authz.group_saved")
    pre_delete.connect(group_saved_or_deleted, sender=Group, dispatch_uid="core.authz.group_deleted")
