"""households, 应退未退 and 漏评 (issue 17.3): the lists (page + API) and the decision on a possible
omission.

应退未退 is read by whoever reads procedures (households.view_procedurecase: clerks, the county
administrator, leaders, auditors, inspectors); 漏评 by clerks and the county administrator
(households.view_omissionreview); only clerks decide (households.review_omission).
"""

from __future__ import annotations

from decimal import Decimal

from households.models import HouseholdStatus, Income
from households.selectors.candidates import current_line
from tests.factories.households import HouseholdFactory, ensure_poverty_lines
from tests.security.authz_matrix import CREATED, REDIRECT, detail, listing, row, unique
from tests.security.rows._common import answers, shown

PROCEDURE_READERS = ("county_clerk", "county_admin", "leader", "auditor", "inspector")
OMISSION_READERS = ("county_clerk", "county_admin")
DECIDERS = ("county_clerk",)
MET = dict.fromkeys(
    ("food_secure", "clothing_secure", "education_secured", "medical_secured", "housing_secured"), True
)


def _with_income(household, delta: int):
    ensure_poverty_lines()  # a transactional test before may have flushed the migration's lines
    line = current_line()
    Income.objects.create(
        household=household, year=line.year, per_capita_net_income=line.amount + Decimal(delta)
    )
    return household


def exit_due_in(place):
    return _with_income(HouseholdFactory(village=place.village, head_name=unique("应退"), **MET), 1000)


def omission_in(place):
    household = HouseholdFactory(
        village=place.village, head_name=unique("漏评"), status=HouseholdStatus.REMOVED
    )
    return _with_income(household, -500)


DISMISS = {"decision": "dismissed", "reason": "核实收入已超过贫困线"}

ROWS = [
    row(
        "households:exit_due",
        case=listing(exit_due_in, marker=lambda h: h.head_name, query={"per_page": 200}),
        GET=shown(PROCEDURE_READERS),
    ),
    row(
        "households:omissions",
        case=listing(omission_in, marker=lambda h: h.head_name, query={"per_page": 200}),
        GET=shown(OMISSION_READERS),
    ),
    row(
        "households:omission_decide",
        case=detail(omission_in, data=DISMISS),
        POST=answers(DECIDERS, ok=REDIRECT),
    ),
    row(
        "api:exit_due_list",
        case=listing(exit_due_in, marker=lambda h: h.head_name, query={"page_size": 500}),
        GET=shown(PROCEDURE_READERS, api=True),
    ),
    row(
        "api:omission_list",
        case=listing(omission_in, marker=lambda h: h.head_name, query={"page_size": 500}),
        GET=shown(OMISSION_READERS, api=True),
    ),
    row(
        "api:omission_decide",
        case=detail(omission_in, data=DISMISS, format="json"),
        POST=answers(DECIDERS, ok=CREATED, api=True),
    ),
]
