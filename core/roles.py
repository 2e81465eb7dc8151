"""Roles are groups; each app declares what its roles may do in its AppConfig.

`role_permissions = {Role.COUNTY_CLERK: ["households.add_household", ...]}` on an app's
config is collected here and written to the groups after every migration, so a new app
brings its permissions without touching core.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from .models import Role


def declared_role_permissions() -> dict[str, set[str]]:
    declared: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            declared[str(role)].update(perms)
    # The integration role reads the records a city leader reads (in the region of its service
    # account) and nothing more: plain view permissions only, none of the special ones
    # (cross-county duplicates, exports, full ID numbers) an app grants leaders besides.
    declared[Role.INTEGRATION.value].update(p for p in declared[Role.LEADER.value] if _is_model_view(p))
    return declared


def _is_model_view(perm: str) -> bool:
    """`app.view_<model>` of one of the app's models, or the app's own `app.view_<app>` (the
    dashboard's figures)."""
    app_label, _, codename = perm.partition(".")
    if not codename.startswith("view_"):
        return False
    if codename == f"view_{app_label}":
        return True
    try:
        apps.get_model(app_label, codename.removeprefix("view_"))
    except LookupError:
        return False
    return True


def sync_roles(sender=None, **_kwargs) -> None:
    """Each role's group holds the permissions the apps declare for it. After `migrate` (or a test
    database's flush), post_migrate is sent once per app with models: the groups are written once,
    for the last of them, when every app's permissions exist (it ran ~30 times, 1.5 s, per flush)."""
    if sender is not None:
        with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
        if with_models and sender.label != with_models[-1].label:
            return
    declared = declared_role_permissions()
    wanted = {p for perms in declared.values() for p in perms}
    by_name = {}
    for perm in Permission.objects.select_related("content_type").filter(
        content_type__app_label__in={p.split(".", 1)[0] for p in wanted}
    ):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role, perms in declared.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([by_name[p] for p in perms if p in by_name])
