from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

_READ = [
    "assistance.view_assistanceplan",
    "assistance.view_officerassignment",
    "assistance.view_visit",
    "assistance.view_presenceday",
    "assistance.view_measure",
    "assistance.view_evidence",
    "assistance.view_villageteam",
    "assistance.view_kindcause",
    "assistance.view_measurefitreview",
]
_KEEP_PLANS = [
    *_READ,
    "assistance.add_assistanceplan",
    "assistance.change_assistanceplan",
    "assistance.add_measure",
    "assistance.change_measure",
    "assistance.add_evidence",
    # 走访记录 and 驻村 days, from a phone: the services check the person is the household's
    # responsible officer, or the team's first secretary or member.
    "assistance.add_visit",
    "assistance.add_presenceday",
]
_MANAGE_TEAMS = ["assistance.add_villageteam", "assistance.change_villageteam"]
# The county's assistance settings (the causes each kind answers there) and the review of measures
# that do not fit their cause: the county administrator (县级管理员, who keeps the county's settings)
# and those who manage the county's teams (county clerks, administrators).
_COUNTY_SETTINGS = ["assistance.add_kindcause", "assistance.change_measurefitreview"]
_SETTINGS_READ = ["assistance.view_kindcause", "assistance.view_measurefitreview"]
# 帮扶责任人: who sets a household's responsible officer and hands a leaving officer's households on.
_ASSIGN = ["assistance.view_officerassignment", "assistance.add_officerassignment"]
# The county's fieldwork rules (days between visits, days in the village): the county administrator.
_FIELDWORK_SETTINGS = ["assistance.view_fieldworksettings", "assistance.change_fieldworksettings"]


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = _("Assistance")

    # Panels on other apps' pages (core.panels): the household page shows this app's part.
    # What waits for the user on their home page (core.inbox).
    inbox_items = ["assistance.inbox.items"]
    page_panels = {
        "household_detail": ["assistance.panels.household_plan"],
        # The printable 户卡 (households.views.card): the plan, its measures and the visits.
        "household_card": ["assistance.panels.household_card"],
    }
    # The scoping rule's village restriction (core.scoping): first secretaries see their villages.
    village_restriction = "assistance.selectors.village_restriction"

    # Navigation entries, shown to users holding `perm` (see core.context_processors).
    nav_section = "assistance"  # core.context_processors.SECTIONS
    nav_items: list[dict] = [
        {
            "label": _("Missing or late"),
            "url": "assistance:worklist",
            "perm": "assistance.view_assistanceplan",
        },
        {
            "label": _("Measures under review for their cause"),
            "url": "assistance:fit_reviews",
            "perm": "assistance.view_measurefitreview",
        },
        {
            "label": _("Causes each kind of measure answers"),
            "url": "assistance:kind_causes",
            "perm": "assistance.view_kindcause",
        },
        {
            "label": _("Visit a household"),
            "url": "assistance:visit_phone",
            "perm": "assistance.add_visit",
        },
        {
            "label": _("Days in the village"),
            "url": "assistance:presence_phone",
            "perm": "assistance.add_presenceday",
        },
        {
            "label": _("Visits"),
            "url": "assistance:visit_list",
            "perm": "assistance.view_visit",
        },
        {
            "label": _("Responsible officers"),
            "url": "assistance:officer_list",
            "perm": "assistance.add_officerassignment",
        },
        {
            "label": _("Days in the village by month"),
            "url": "assistance:presence_month",
            "perm": "assistance.view_presenceday",
        },
        {
            "label": _("Villages needing a work team"),
            "url": "assistance:villages_needing_team",
            "perm": "assistance.view_villageteam",
        },
        {
            "label": _("Village work teams"),
            "url": "assistance:team_list",
            "perm": "assistance.view_villageteam",
        },
        {
            "label": _("Village team coverage"),
            "url": "assistance:coverage",
            "perm": "assistance.view_villageteam",
        },
    ]
    # Permissions granted to each role (see core.roles). Leaders read; the region scope and
    # read-only rule are applied by the selectors and services.
    role_permissions: dict[str, list[str]] = {
        "assistance_officer": _KEEP_PLANS,
        "first_secretary": _KEEP_PLANS,
        "county_clerk": [*_KEEP_PLANS, *_MANAGE_TEAMS, *_COUNTY_SETTINGS, *_ASSIGN],
        "admin": [*_KEEP_PLANS, *_MANAGE_TEAMS, *_COUNTY_SETTINGS, *_ASSIGN, *_FIELDWORK_SETTINGS],
        "county_admin": [
            *_SETTINGS_READ,
            *_COUNTY_SETTINGS,
            *_ASSIGN,
            *_FIELDWORK_SETTINGS,
            "assistance.view_visit",
            "assistance.view_presenceday",
        ],
        "leader": _READ,
        "auditor": _READ,
        "inspector": _READ,
        "finance_officer": _READ,
    }

    def ready(self):
        # The kinds' default causes are data the coverage rule reads: written after every migrate
        # (and after a test's flush), like the roles' permissions (core.roles.sync_roles).
        post_migrate.connect(ensure_default_kind_causes, sender=self, dispatch_uid="assistance.kind_causes")


def ensure_default_kind_causes(using="default", **_kwargs) -> None:
    """Insert the defaults of `models.DEFAULT_KIND_CAUSES` that the table lacks (never removes)."""
    from django.db import connections

    from .models import DEFAULT_KIND_CAUSES, KindCause

    if KindCause._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the table (migration 0006)
    KindCause.objects.using(using).bulk_create(
        [
            KindCause(county=None, kind=str(kind), cause=str(cause))
            for kind, causes in DEFAULT_KIND_CAUSES.items()
            for cause in causes
        ],
        ignore_conflicts=True,
    )
