from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = [
    "households.view_household",
    "households.view_member",
    "households.view_income",
    "households.view_poorvillage",
]
# 贫困村退出 (issue 18.4): run by the county's clerks and administrator; the county approves.
_VILLAGE_EXIT = [
    "households.view_villageexitcase",
    "households.run_village_exit",
    "households.view_villagepopulation",
    "households.view_townshipsignoff",
]
_CLERK = [
    *_READ,
    "households.add_household",
    "households.change_household",
    "households.add_member",
    "households.change_member",
    "households.add_income",
    "households.change_income",
    "households.change_poorvillage",
    "households.view_full_id_number",
    "households.run_procedure",
    "households.import_households",
    "households.export_households",
    "households.view_procedurecase",
    "households.view_duplicatecandidate",
    "households.change_duplicatecandidate",
    "households.view_verificationcampaign",
    "households.add_verificationcampaign",
    "households.change_verificationcampaign",
    "households.view_verificationcheck",
    "households.change_verificationcheck",
    "households.view_householdimport",
    "households.add_householdimport",
    # 漏评: possible omissions reviewed to a decision (issue 17.3).
    "households.view_omissionreview",
    "households.review_omission",
    # 贫困村退出 and the townships' sign-offs (issue 18.4, 18.6).
    *_VILLAGE_EXIT,
    "households.view_exittarget",
]

# The year's targets (issue 18.5): recorded by administrators (the city) and county administrators.
_TARGETS_RECORD = ["households.view_exittarget", "households.record_exit_target"]


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    # Navigation entries, shown to users holding `perm` (see core.context_processors).
    nav_section = "households"  # core.context_processors.SECTIONS
    nav_items: list[dict] = [
        {"label": _("Households"), "url": "households:list", "perm": "households.view_household"},
        {
            "label": _("Possible duplicates"),
            "url": "households:duplicates",
            "perm": "households.view_duplicatecandidate",
        },
        {
            "label": _("Duplicates across counties"),
            "url": "households:duplicate_city_queue",
            "perm": "households.view_cross_county_duplicates",
        },
        {"label": _("Transfers"), "url": "households:transfers", "perm": "households.change_household"},
        {
            "label": _("Re-verification"),
            "url": "households:campaigns",
            "perm": "households.view_verificationcampaign",
        },
        {"label": _("Excel import"), "url": "households:import", "perm": "households.import_households"},
        {"label": _("Cross-checks"), "url": "households:crosschecks", "perm": "households.run_crosscheck"},
        {
            "label": _("Should have exited (应退未退)"),
            "url": "households:exit_due",
            "perm": "households.view_procedurecase",
        },
        {"label": _("Poor villages"), "url": "households:villages", "perm": "households.view_poorvillage"},
        {
            "label": _("Township sign-offs"),
            "url": "households:signoffs",
            "perm": "households.view_townshipsignoff",
        },
        {
            "label": _("Possible omissions (漏评)"),
            "url": "households:omissions",
            "perm": "households.view_omissionreview",
        },
        {"label": _("The year's targets"), "url": "households:targets", "perm": "households.view_exittarget"},
    ]
    # The home page's 应退未退 and 漏评 figures (core.panels).
    # What waits for the user on their home page (core.inbox).
    inbox_items = ["households.inbox.items"]
    page_panels = {"home": ["households.panels.home_candidates"]}
    # Moves members' ID numbers and hashes to the PII key in use (core rotate_pii_key).
    pii_rotations: list[str] = ["households.pii_rotation.rotate_member_keys"]
    # Permissions granted to each role (see core.roles). Only clerks (and administrators)
    # write the register and see full ID numbers; everybody else reads it masked.
    role_permissions: dict[str, list[str]] = {
        "county_clerk": _CLERK,
        "admin": [
            *_CLERK,
            "households.view_cross_county_duplicates",
            "households.review_cross_county_duplicates",
            *_TARGETS_RECORD,
        ],
        # 县级管理员 (issue 17.2): loads an existing register (the migration mode, which clerks may
        # not choose) and reads what the county's imports and reviews did.
        "county_admin": [
            *_READ,
            "households.import_households",
            "households.migrate_register",
            # An import (like any write of the register) can tell whether an ID number exists: only
            # roles that may see full numbers (each view logged) import (test_id_number_probe_cap).
            "households.view_full_id_number",
            "households.view_householdimport",
            "households.add_householdimport",
            "households.view_procedurecase",
            "households.view_omissionreview",
            # 数据比对 (issue 17.6): uploads other departments' lists and decides the flags; a
            # confirmed flag starts the removal (清退) or the member's correction, which check the
            # region (services.crosschecks), not the clerks' change_household/change_member: least
            # privilege, the administrator does not edit the register by hand (the clerks do).
            "households.run_crosscheck",
            *_VILLAGE_EXIT,
            # The year's targets of their county (issue 18.5).
            *_TARGETS_RECORD,
        ],
        # 乡镇 (issue 18.6): signs off the township's data each month, and nothing else of the register.
        "township_officer": ["households.view_townshipsignoff", "households.sign_off_township"],
        "leader": [
            *_READ,
            "households.export_households",
            "households.view_procedurecase",
            "households.view_duplicatecandidate",
            "households.view_verificationcampaign",
            "households.view_verificationcheck",
            "households.view_cross_county_duplicates",
            "households.view_exittarget",
            "households.view_villageexitcase",
            "households.view_villagepopulation",
            "households.view_townshipsignoff",
        ],
        # The city reviewer decides pairs of households in two counties (households.selectors
        # duplicate_city_queue); nothing else of the register changes by their hand.
        "city_reviewer": [
            *_READ,
            "households.view_cross_county_duplicates",
            "households.review_cross_county_duplicates",
        ],
        "assistance_officer": _READ,
        "first_secretary": _READ,
        "finance_officer": _READ,
        "auditor": [*_READ, "households.view_procedurecase", "households.export_households"],
        "inspector": [*_READ, "households.view_procedurecase"],
    }
