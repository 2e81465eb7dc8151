from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    # Navigation entries: shown to users holding `perm`.
    nav_section = "organisation"  # core.context_processors.SECTIONS
    nav_items = [
        {"label": _("Home"), "url": "home", "perm": None, "section": None},
        {"label": _("Organisation"), "url": "core:officer_list", "perm": "core.view_officer"},
        {"label": _("Accounts"), "url": "core:user_list", "perm": "core.view_user"},
        {"label": _("Reveal log"), "url": "core:reveal_list", "perm": "core.view_sensitiveaccess"},
    ]

    # Panels of other pages (core.panels): yesterday's reveals on an auditor's or administrator's home.
    page_panels = {
        "home": ["core.reveals.home_daily_summary"],
    }

    role_permissions = {
        "county_clerk": ["core.view_region", "core.view_unit", "core.view_officer", "core.change_officer"],
        "assistance_officer": ["core.view_region", "core.view_unit", "core.view_officer"],
        "first_secretary": ["core.view_region", "core.view_unit", "core.view_officer"],
        "finance_officer": ["core.view_region", "core.view_unit", "core.view_officer"],
        "auditor": ["core.view_region", "core.view_unit", "core.view_officer", "core.view_sensitiveaccess"],
        "inspector": ["core.view_region", "core.view_unit", "core.view_officer"],
        "leader": ["core.view_region", "core.view_unit", "core.view_officer"],
        "city_reviewer": ["core.view_region", "core.view_unit", "core.view_officer"],
        "admin": [
            "core.view_region",
            "core.view_unit",
            "core.add_unit",
            "core.change_unit",
            "core.view_officer",
            "core.add_officer",
            "core.change_officer",
            "core.view_user",
            "core.add_user",
            "core.change_user",
            "core.view_sensitiveaccess",
        ],
        # 县级管理员: the county's units, officers and accounts (never the administrator roles:
        # core.services.assignable_roles).
        "county_admin": [
            "core.view_region",
            "core.view_unit",
            "core.add_unit",
            "core.change_unit",
            "core.view_officer",
            "core.add_officer",
            "core.change_officer",
            "core.view_user",
            "core.add_user",
            "core.change_user",
        ],
    }

    def ready(self) -> None:
        from . import authz
        from .roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="core.sync_roles")
        authz.connect()
        name_choice_sets()


def name_choice_sets() -> None:
    """Give every TextChoices of our apps a stable OpenAPI enum name (HouseholdsHouseholdStatusEnum).

    Without it drf-spectacular names enums after the field ("status", "kind") and, as the
    apps share field names, invents names like Status4b2Enum and warns (W001), which fails
    `check --deploy`. Explicit entries in settings win.
    """
    from importlib import import_module

    from django.conf import settings
    from django.db.models import Choices

    overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
    taken = set(overrides.values())
    for app in settings.DOMAIN_APPS:
        try:
            module = import_module(f"{app}.models")
        except ModuleNotFoundError:
            continue
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, Choices) and obj.__module__ == module.__name__:
                path = f"{app}.models.{name}"
                if path not in taken:
                    overrides.setdefault(f"{app.title()}{name}Enum", path)
