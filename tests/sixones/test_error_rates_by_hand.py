"""三个零差错 on a data set built by hand (conftest.world): the expected rates are written down,
not recomputed.

修武县, May 2017. 40 households identified (29 registered, 6 exited, 3 returned, 2 removed; two
applicants and a rejected application are not identified), 9 of them exited (6 exited + 3 returned).

Identification, 3 of 40 = 7.50%:
  X1 removed (清退) in May, the same household a confirmed vehicle flag found the day before: once;
  R1 corrected by re-verification in May; R2 named by a confirmed identification finding in May.
  Not counted: X2 removed in April (a May finding on it is not a new error), a dismissed and an open
  flag, a check confirming a file as it is, a payment-after-death flag (a fund error).
Exit, 2 of 9 = 22.22%:
  T1 returned in May for its illness, 3 months after its exit, also named by an exit finding: once;
  an exit finding naming no household. Not counted: T2 returned for its illness two years after
  exit; T3 returned within the year for a disaster it did not have at exit.
Funds, 3 of 7 payments = 42.86%:
  E2 paid twice while exited (no measure), also named by a funds finding: once; R7's payment reversed;
  R5's payment-after-death flag confirmed. Not errors: E1's payment for a measure of its own plan
  (脱贫不脱政策), E3 paid on 3 May while still registered (it exited on 20 May), R6 and an organisation.
"""

import datetime as dt

import pytest
from django.http import Http404

from core.models import Role
from dashboard import board
from funds import selectors as fund_selectors
from funds.models import DisbursementRequest
from inspections import error_rates
from tests.conftest import BOAI, XIUWU, make_user

pytestmark = pytest.mark.django_db

MAY = dt.date(2017, 5, 1)


def test_the_three_rates_of_a_hand_built_county(world):
    rates = error_rates.month_rates(prefix="410821", month=MAY)["410821000000"]
    assert (rates["identification"].part, rates["identification"].whole) == (3, 40)
    assert f"{rates['identification'].rate:.2%}" == "7.50%"
    assert (rates["exit"].part, rates["exit"].whole) == (2, 9)
    assert f"{rates['exit'].rate:.2%}" == "22.22%"
    assert (rates["funds"].part, rates["funds"].whole) == (3, 7)
    assert f"{rates['funds'].rate:.2%}" == "42.86%"
    # A household found by two sources is in both sources' counts and once in the rate.
    assert rates["identification"].sources == {"crosschecks": 1, "findings": 1, "removed": 1, "reverified": 1}
    assert rates["exit"].sources == {"findings": 2, "returns": 1}
    assert rates["funds"].sources == {"crosschecks": 1, "findings": 1, "off_register": 1, "reversed": 1}


def test_the_rows_behind_a_rate_name_each_household_once(world):
    rows = error_rates.error_rows(kind="identification", prefix="410821", start=MAY, end=dt.date(2017, 6, 1))
    assert sorted(r.household.head_name for r in rows) == ["R1", "R2", "X1"]
    x1 = next(r for r in rows if r.household.head_name == "X1")
    assert (x1.first_on, x1.sources) == (dt.date(2017, 5, 9), ["crosschecks", "removed"])
    exits = error_rates.error_rows(kind="exit", prefix="410821", start=MAY, end=dt.date(2017, 6, 1))
    assert [r.household.head_name if r.household else "finding" for r in exits] == ["T1", "finding"]
    assert exits[1].finding.household_id is None
    # April holds X2's removal; June the R8 finding.
    april = error_rates.month_rates(prefix="410821", month=dt.date(2017, 4, 1))["410821000000"]
    assert april["identification"].part == 1
    assert (
        error_rates.month_rates(prefix="410821", month=dt.date(2017, 6, 1))["410821000000"][
            "identification"
        ].part
        == 1
    )


def test_the_auditors_flags_use_the_same_definition(world):
    """The payment a policy still grants after exit and the one made before exit are not flagged."""
    flags = fund_selectors.fund_flags(actor=world["finance"])
    payees = dict(DisbursementRequest.objects.values_list("pk", "payee_name"))
    flagged = sorted(payees[f.request_id] for f in flags if f.code == "household_not_registered")
    assert flagged == ["E2", "E2"]


def test_a_county_sees_its_own_rates_only(world):
    boai_clerk = make_user(Role.COUNTY_CLERK, BOAI, username="boai_rates")
    shown = board.targets_for(actor=boai_clerk, region_code=None, month=MAY)
    assert [row["county"].code for row in shown["rows"]] == [BOAI]
    assert (shown["totals"]["identification"].part, shown["totals"]["identification"].whole) == (1, 1)
    with pytest.raises(Http404):
        board.target_rows(actor=boai_clerk, county_code=XIUWU, target="identification", month=MAY)
    mine = board.target_rows(actor=boai_clerk, county_code=BOAI, target="identification", month=MAY)
    assert len(mine["errors"]) == 1
    assert mine["whole"] == 1


def test_the_scores_error_indicators_count_the_same_errors(world):
    """A county's subjects answer for the errors first revealed under their regions; a department for
    those a finding names it for — counted as the rates count them, once per household."""
    from accountability.inputs import Scope, collect, collect_all
    from inspections.models import Finding
    from tests.factories.core import UnitFactory

    department = UnitFactory(region_id=XIUWU)
    Finding.objects.filter(household__head_name__in=["R2", "X2"]).update(responsible_unit=department)
    county, dept = Scope(prefixes=("410821",)), Scope(unit_ids=(department.pk,))
    counts = [
        {k: i.counts[k] for k in ("identification_errors", "exit_errors", "fund_errors")}
        for i in [collect(county, MAY), collect(dept, MAY), *collect_all([county, dept], MAY)]
    ]
    # The department: R2 (X2's removal in April came first: not May's).
    expected = [
        {"identification_errors": 3, "exit_errors": 2, "fund_errors": 3},
        {"identification_errors": 1, "exit_errors": 0, "fund_errors": 0},
    ]
    assert counts == expected * 2
