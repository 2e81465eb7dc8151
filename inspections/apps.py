from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_ALL_MODELS = [
    "inspectiongroup", "visitplan", "visittarget", "visitreport", "finding", "findingphoto",
    "rectificationitem", "rectificationevidence", "itemstatuschange", "notification",
    "provinceproblemlist", "provinceproblem", "problemlistrecipient", "problemanswer",
    "surveyresponse", "teamcheck", "missedvisitmonth", "answerevidence",
]  # fmt: skip


def _perms(actions: str, models: list[str]) -> list[str]:
    return [f"inspections.{a}_{m}" for a in actions.split() for m in models]


# Readers of the ledger in the counties: they see confirmed findings and their own items.
_COUNTY_READ = _perms(
    "view",
    [
        "visitplan",
        "visitreport",
        "finding",
        "findingphoto",
        "rectificationitem",
        "notification",
        "surveyresponse",
        "teamcheck",
    ],
)


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    # Panels on other apps' pages (core.panels): the household page shows this app's part.
    # What waits for the user on their home page (core.inbox).
    inbox_items = ["inspections.inbox.items"]
    page_panels = {
        "household_detail": ["inspections.panels.household_findings"],
        # 一月一暗访: the supervision group's monthly visits on the leaders' and inspectors' home page.
        "home": ["inspections.panels.supervision_visits"],
    }

    # Navigation entries, shown to users holding `perm` (see core.context_processors).
    nav_section = "inspections"  # core.context_processors.SECTIONS
    nav_items: list[dict] = [
        {"label": _("Inspections"), "url": "inspections:finding_list", "perm": "inspections.view_finding"},
        {"label": _("Rectification ledger"), "url": "inspections:item_list", "perm": "inspections.view_rectificationitem"},
        {"label": _("Recognition and satisfaction"), "url": "inspections:survey_rates", "perm": "inspections.view_surveyresponse"},
        {"label": _("Work team spot checks"), "url": "inspections:team_check_list", "perm": "inspections.view_teamcheck"},
    ]  # fmt: skip
    # Permissions granted to each role (see core.roles).
    role_permissions: dict[str, list[str]] = {
        "inspector": _perms("view add change", _ALL_MODELS),
        "leader": _perms("view", _ALL_MODELS),
        "admin": [
            *_perms("view add change delete", _ALL_MODELS),
            "inspections.change_publicboardsettings",
            "inspections.view_publicboardsettings",
        ],
        "county_clerk": _COUNTY_READ
        + _perms("change", ["rectificationitem", "notification", "problemanswer"])
        + _perms("view", ["provinceproblemlist", "provinceproblem", "problemlistrecipient", "problemanswer"]),
        "assistance_officer": _COUNTY_READ,
        "first_secretary": _COUNTY_READ,
        # The bodies of issue 19.4 read the confirmed findings, the ledger and the filed visits of their
        # region; 组织部门 also spot-check first secretaries and work teams (随机抽查、突击检查: an
        # absence becomes a finding with its rectification item, services/absences.py).
        "organisation_department": [*_COUNTY_READ, "inspections.add_teamcheck"],
        "discipline_commission": _COUNTY_READ,
        "supervision_group": _COUNTY_READ,
        "finance_officer": _COUNTY_READ,
        "auditor": _COUNTY_READ,
    }
