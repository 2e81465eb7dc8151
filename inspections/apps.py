from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    # Navigation entries, shown to users holding `perm` (see core.context_processors).
    nav_items: list[dict] = []
    # Permissions granted to each role (see core.roles).
    role_permissions: dict[str, list[str]] = {}
