from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW_ALL = [
    "accountability.view_responsibility",
    "accountability.view_assessmentscheme",
    "accountability.view_monthlyscore",
    "accountability.view_annualgrade",
    "accountability.view_rectificationreview",
    "accountability.view_accountabilitycase",
    "accountability.view_promotionban",
    "accountability.view_bulletin",
    "accountability.view_gradeappeal",
    "accountability.view_evaluationveto",
    "accountability.view_annualbulletin",
]
_ORG_CHART = ["core.view_region", "core.view_unit", "core.view_officer"]
# The bodies that do each job (issue 19.4; core.models.Role). Each reads the whole app in its region.
# 市县组织部门: assigns the responsibilities (五个责任) and runs the annual assessment (年度成效考核,
# 考评办法) — records the year's grades with their indicators and reasons, decides appeals, publishes
# the annual bulletin, exports the vetoes for cadre evaluation. Its spot checks: inspections/apps.py.
ORGANISATION_DEPARTMENT_PERMS = [
    *VIEW_ALL,
    *_ORG_CHART,
    "accountability.add_responsibility",
    "accountability.change_responsibility",
    "accountability.add_annualgrade",
    "accountability.change_annualgrade",
    "accountability.decide_gradeappeal",
    "accountability.publish_annualbulletin",
]
# 纪委: decides (confirms, dismisses) and follows up (closes, lifts bans) accountability cases.
DISCIPLINE_COMMISSION_PERMS = [
    *VIEW_ALL,
    *_ORG_CHART,
    "accountability.add_accountabilitycase",
    "accountability.decide_accountabilitycase",
]
# 市委督导组: 一月一通报 — publishes (regenerates) the monthly bulletin; 一月一问责 — proposes the month's
# cases, which the discipline commission decides.
SUPERVISION_GROUP_PERMS = [
    *VIEW_ALL,
    *_ORG_CHART,
    "accountability.add_accountabilitycase",
    "accountability.regenerate_bulletin",
]
# 市脱贫攻坚领导小组's reviewers (the city reviewer role): the rectification acceptance of each county.
LEADING_GROUP_PERMS = ["accountability.view_rectificationreview", "accountability.add_rectificationreview"]
# The two groups every accountability write once went through (accountability_officer, "组织部/纪委",
# and organisation_department_assessment of 19.1): migration 0005 moved their members to the roles
# above and deleted them.


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Accountability")

    # Navigation entries, shown to users holding `perm` (see core.context_processors).
    nav_section = "accountability"  # core.context_processors.SECTIONS
    nav_items: list[dict] = [
        {"label": _("Accountability"), "url": "accountability:case_list", "perm": "accountability.view_accountabilitycase"},
        {"label": _("Monthly bulletin"), "url": "accountability:bulletin_list", "perm": "accountability.view_bulletin"},
        {"label": _("Annual assessment"), "url": "accountability:grade_list", "perm": "accountability.view_annualgrade"},
        {"label": _("Rectification acceptance"), "url": "accountability:review_list",
         "perm": "accountability.view_rectificationreview"},
        {"label": _("Responsibilities"), "url": "accountability:responsibility_list",
         "perm": "accountability.view_responsibility"},
        {"label": _("My record"), "url": "accountability:my_record", "perm": None},
    ]  # fmt: skip
    # Panels of other pages (core.panels): the graded are notified of their grade and the days to appeal;
    # the deciding office sees the proposed cases past their deadline, the department the appeals to decide.
    # What waits for the user on their home page (core.inbox).
    inbox_items = ["accountability.inbox.items"]
    page_panels = {
        "home": [
            "accountability.panels.my_annual_grades",
            "accountability.panels.overdue_cases",
            "accountability.panels.appeals_to_decide",
        ]
    }
    # Permissions granted to each role (see core.roles).
    role_permissions: dict[str, list[str]] = {
        "leader": VIEW_ALL,
        "admin": [*ORGANISATION_DEPARTMENT_PERMS, *DISCIPLINE_COMMISSION_PERMS, *SUPERVISION_GROUP_PERMS,
                  *LEADING_GROUP_PERMS, "accountability.add_monthlyscore",
                  "accountability.change_assessmentscheme", "accountability.add_assessmentscheme",
                  "accountability.change_accountabilitysettings", "accountability.view_accountabilitysettings"],
        "organisation_department": ORGANISATION_DEPARTMENT_PERMS,
        "discipline_commission": DISCIPLINE_COMMISSION_PERMS,
        "supervision_group": SUPERVISION_GROUP_PERMS,
        "city_reviewer": LEADING_GROUP_PERMS,
        "county_clerk": ["accountability.view_responsibility"],
        "inspector": ["accountability.view_responsibility"],
        "assistance_officer": ["accountability.view_responsibility"],
        "first_secretary": ["accountability.view_responsibility"],
    }  # fmt: skip

    def ready(self) -> None:
        from .receivers import connect

        connect()  # inspections.Finding confirmed → 三个一律 and 责任倒查 (see receivers.py)
