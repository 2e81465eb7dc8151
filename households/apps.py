from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = [
    "households.view_household",
    "households.view_member",
    "households.view_income",
    "households.view_poorvillage",
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
]


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    # Navigation entries, shown to users holding `perm` (see core.context_processors).
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
    ]
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
        ],
        "leader": [
            *_READ,
            "households.export_households",
            "households.view_procedurecase",
            "households.view_duplicatecandidate",
            "households.view_verificationcampaign",
            "households.view_verificationcheck",
            "households.view_cross_county_duplicates",
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
