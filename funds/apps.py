from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_VIEW = [
    "funds.view_fund",
    "funds.view_project",
    "funds.view_account",
    "funds.view_entry",
    "funds.view_disbursementrequest",
]


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Funds")
    # Payments to a household after a member's death, for households' cross-checks (数据比对).
    crosscheck_payment_readers = ["funds.selectors.crosschecks.payments_after_death"]
    # Households' card numbers move to the PII key in use with core's rotate_pii_key.
    pii_rotations: list[str] = ["funds.pii_rotation.rotate_card_numbers"]

    # Navigation entries, shown to users holding `perm` (see core.context_processors).
    # What waits for the user on their home page (core.inbox).
    inbox_items = ["funds.inbox.items"]
    nav_section = "funds"  # core.context_processors.SECTIONS
    nav_items = [
        {"label": _("Funds"), "url": "funds:home", "perm": "funds.view_fund"},
        {"label": _("Disbursements"), "url": "funds:request_list", "perm": "funds.view_disbursementrequest"},
    ]
    # Permissions granted to each role (see core.roles). Finance officers make and check requests
    # (never the same request: the service and a CHECK constraint refuse it), post budget and
    # allocations and reverse entries; auditors read everything and reject with a reason.
    role_permissions = {
        "finance_officer": [
            *_VIEW,
            "funds.add_fund",
            "funds.change_fund",
            "funds.add_project",
            "funds.change_project",
            "funds.add_entry",
            "funds.add_disbursementrequest",
            "funds.approve_disbursementrequest",
            "funds.reject_disbursementrequest",
            "funds.view_payee",
            "funds.view_paymentsettings",
            "funds.change_paymentsettings",
            "funds.view_contractchange",
        ],
        "auditor": [*_VIEW, "funds.reject_disbursementrequest"],
        "leader": list(_VIEW),
        "admin": list(_VIEW),
        "inspector": ["funds.view_fund", "funds.view_project"],
    }
