from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = ["policies.view_policy", "policies.view_policytask", "policies.view_policyevidence"]
_ANSWER = [*_READ, "policies.change_policytask", "policies.add_policyevidence"]


class PoliciesConfig(AppConfig):
    """政策一条一条落地: the policy system (e.g. "1+16") and what each recipient must do."""

    name = "policies"
    verbose_name = _("Policies")

    nav_section = "assistance"  # core.context_processors.SECTIONS
    nav_items: list[dict] = [
        {"label": _("Policy implementation"), "url": "policies:policy_list", "perm": "policies.view_policy"},
    ]
    # County clerks answer their county's tasks (issue the implementing document, attach it);
    # the city's poverty office (admin) keeps the policy system; leaders and inspectors read.
    role_permissions: dict[str, list[str]] = {
        "county_clerk": _ANSWER,
        "admin": [
            *_ANSWER,
            "policies.add_policy",
            "policies.change_policy",
            "policies.add_policytask",
        ],
        "leader": _READ,
        "inspector": _READ,
        "auditor": _READ,
    }
