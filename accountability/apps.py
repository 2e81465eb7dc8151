from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
# What the 组织部 / 纪委 officers who run accountability may do (see ACCOUNTABILITY_GROUP).
ACCOUNTABILITY_OFFICER_PERMS = [
    *VIEW_ALL,
    "accountability.add_responsibility",
    "accountability.change_responsibility",
    "accountability.add_accountabilitycase",
    "accountability.decide_accountabilitycase",
    "accountability.add_annualgrade",
    "accountability.add_rectificationreview",
    "accountability.add_monthlyscore",
    "accountability.regenerate_bulletin",
]
# A role of this app: the organisation department / discipline commission officers who assign
# responsibilities, record grades and reviews, and confirm or dismiss cases. City leaders are
# read-only by the core rule, so decisions are taken by holders of this role (or an administrator).
ACCOUNTABILITY_GROUP = "accountability_officer"
# 组织部门 running the annual assessment (年度成效考核, 考评办法): records the year's grades with their
# indicators and reasons, decides appeals, publishes the annual bulletin, exports the vetoes for cadre
# evaluation. Narrowly named so that a later split of the bodies (issue 19.4) can keep it.
ORGANISATION_DEPARTMENT_GROUP = "organisation_department_assessment"
ORGANISATION_DEPARTMENT_PERMS = [
    *VIEW_ALL,
    "accountability.add_annualgrade",
    "accountability.change_annualgrade",
    "accountability.decide_gradeappeal",
    "accountability.publish_annualbulletin",
]
# 市脱贫攻坚领导小组's reviewers (the city reviewer role): the rectification acceptance of each county.
LEADING_GROUP_PERMS = ["accountability.view_rectificationreview", "accountability.add_rectificationreview"]


def sync_accountability_group(**_kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    for name, perms in (
        (ACCOUNTABILITY_GROUP, ACCOUNTABILITY_OFFICER_PERMS),
        (ORGANISATION_DEPARTMENT_GROUP, ORGANISATION_DEPARTMENT_PERMS),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        codenames = [p.split(".", 1)[1] for p in perms]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="accountability", codename__in=codenames)
        )
        # core's roles give view rights on the organisation chart; the role needs them too.
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="core", codename__in=["view_region", "view_unit", "view_officer"]
            )
        )


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Accountability")

    # Navigation entries, shown to users holding `perm` (see core.context_processors).
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
        "admin": [*ACCOUNTABILITY_OFFICER_PERMS, *ORGANISATION_DEPARTMENT_PERMS,
                  "accountability.change_assessmentscheme", "accountability.add_assessmentscheme",
                  "accountability.change_accountabilitysettings", "accountability.view_accountabilitysettings"],
        "city_reviewer": LEADING_GROUP_PERMS,
        "county_clerk": ["accountability.view_responsibility"],
        "inspector": ["accountability.view_responsibility"],
        "assistance_officer": ["accountability.view_responsibility"],
        "first_secretary": ["accountability.view_responsibility"],
    }  # fmt: skip

    def ready(self) -> None:
        from .receivers import connect

        post_migrate.connect(sync_accountability_group, dispatch_uid="accountability.sync_group")
        connect()  # inspections.Finding confirmed → 三个一律 and 责任倒查 (see receivers.py)
