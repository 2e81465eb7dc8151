"""A user's roles and permissions, cached per process under the user's `authz_stamp`.

The reading side of `core.authz` (which explains the stamp and renews it): one query per change
of roles instead of three per request. It needs no model, so `core.models.User.role_codes` reads
it from below.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db import connection

TTL_SECONDS = 300
MAX_ENTRIES = 10_000

_SQL = """
SELECT 'role', g.name FROM core_user_groups ug JOIN auth_group g ON g.id = ug.group_id
 WHERE ug.user_id = %(user)s
UNION ALL
SELECT 'perm', ct.app_label || '.' || p.codename
  FROM core_user_groups ug
  JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
  JOIN auth_permission p ON p.id = gp.permission_id
  JOIN django_content_type ct ON ct.id = p.content_type_id
 WHERE ug.user_id = %(user)s
UNION ALL
SELECT 'perm', ct.app_label || '.' || p.codename
  FROM core_user_user_permissions up
  JOIN auth_permission p ON p.id = up.permission_id
  JOIN django_content_type ct ON ct.id = p.content_type_id
 WHERE up.user_id = %(user)s
"""


@dataclass(frozen=True)
class Grants:
    roles: frozenset[str]
    permissions: frozenset[str]


_cache: dict[tuple[int, str], tuple[float, Grants]] = {}
_lock = threading.Lock()


def _load(user_id: int) -> Grants:
    roles, perms = set(), set()
    with connection.cursor() as cursor:
        cursor.execute(_SQL, {"user": user_id})
        for kind, value in cursor.fetchall():
            (roles if kind == "role" else perms).add(value)
    return Grants(frozenset(roles), frozenset(perms))


def grants_for(user) -> Grants:
    """The user's roles and permissions (inactive users and anonymous ones have none)."""
    if not getattr(user, "is_authenticated", False) or not user.pk:
        return Grants(frozenset(), frozenset())
    on_request = getattr(user, "_grants", None)
    if on_request is not None:
        return on_request
    key = (user.pk, str(user.authz_stamp))
    now = time.monotonic()
    found = _cache.get(key)
    if found is None or found[0] < now:
        # Safe inside a transaction too: a change of roles gives a new stamp in the same
        # transaction, so what is read under a stamp is never served under another one.
        grants = _load(user.pk)
        with _lock:
            if len(_cache) >= MAX_ENTRIES:
                _cache.clear()
            _cache[key] = (now + TTL_SECONDS, grants)
    else:
        grants = found[1]
    user._grants = grants
    return grants


def forget(user) -> None:
    """Drop what this user object holds (after its roles changed in the same request)."""
    for attr in ("_grants", "_perm_cache", "_user_perm_cache", "_group_perm_cache", "role_codes"):
        user.__dict__.pop(attr, None)


def clear() -> None:
    with _lock:
        _cache.clear()
