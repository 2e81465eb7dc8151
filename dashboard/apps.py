from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    nav_section = "figures"  # core.context_processors.SECTIONS
    nav_items = [
        {"label": _("Dashboard"), "url": "dashboard:overview", "perm": "dashboard.view_dashboard"},
        {"label": _("Six ones"), "url": "dashboard:board", "perm": "dashboard.view_dashboard"},
    ]
    role_permissions = {
        role: ["dashboard.view_dashboard"]
        for role in ("leader", "admin", "inspector", "auditor", "county_clerk")
    }
