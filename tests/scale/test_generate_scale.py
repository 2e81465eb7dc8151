"""The province-scale generator at small scale (~1,000 households of 焦作市): its data is valid data."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum

from core import pii
from core.idnumbers import parse_id_number
from core.models import Region, RegionLevel
from dashboard.models import RegionFigure
from dashboard.services import figures_refresh
from funds.models import Account, Entry, Line
from households.models import ACTIVE_STATUSES, Household, HouseholdStatusChange, Member
from inspections.models import Finding, RectificationItem
from scale.generator import generate, read_marker

# The generator commits county by county from two connections, so the test runs outside a
# wrapping transaction; generating once (~20 s) and checking everything keeps the suite quick.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def generated():
    report = generate(households=1000, prefix="4108", seed=7)
    yield report
    with connection.cursor() as cursor:  # the marker lives on the (reused) test database
        cursor.execute(
            "DO $$ BEGIN EXECUTE format('COMMENT ON DATABASE %I IS NULL', current_database()); END $$"
        )


def check_generates_the_requested_households_in_real_counties_with_a_marker(generated):
    assert Household.objects.count() == 1000 == generated.counts["households"]
    counties = set(
        Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="4108").values_list(
            "code", flat=True
        )
    )
    assert {h[:6].ljust(12, "0") for h in Household.objects.values_list("village_id", flat=True)} <= counties
    assert 2.5 < Member.objects.count() / 1000 < 3.5
    assert read_marker()["households"] == 1000
    # Causes and statuses are a mix, not one value.
    assert len(set(Household.objects.values_list("status", flat=True))) >= 4
    assert len(set(Household.objects.values_list("main_cause", flat=True))) >= 6


def check_every_id_number_is_valid_unique_and_stored_like_set_id_number(generated):
    numbers = []
    for m in Member.objects.select_related("household").iterator():
        number = pii.decrypt(m.id_number_cipher)
        info = parse_id_number(number)  # raises on a bad checksum or date
        assert m.id_number_hash == pii.keyed_hash(number)
        assert m.id_number_masked == pii.mask_id(number)
        assert info.sex == m.sex
        assert info.birth_date == m.birth_date
        assert number[:6] == m.household.village_id[:6]
        numbers.append(number)
    assert len(numbers) == len(set(numbers))


def check_every_member_is_in_one_current_household_with_one_head(generated):
    current = Member.objects.filter(is_current=True)
    assert not current.values("id_number_hash").annotate(n=Count("household", distinct=True)).filter(n__gt=1)
    assert current.count() == Member.objects.filter(household__status__in=ACTIVE_STATUSES).count()
    heads = Counter(Member.objects.filter(relation="head").values_list("household_id", flat=True))
    assert set(heads.values()) == {1}
    assert len(heads) == 1000
    for h in Household.objects.annotate(n=Count("members")):
        assert h.member_count == h.n


def check_status_history_ends_in_the_current_status(generated):
    last = {}
    for change in HouseholdStatusChange.objects.order_by("household_id", "at", "id"):
        last[change.household_id] = change.to_status
    assert last == dict(Household.objects.values_list("id", "status"))


def check_ledger_is_balanced_and_balances_equal_their_lines(generated):
    totals = Line.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"] > 0
    for entry in Entry.objects.annotate(d=Sum("lines__debit"), c=Sum("lines__credit")):
        assert entry.d == entry.c == entry.amount
    for account in Account.objects.annotate(d=Sum("lines__debit"), c=Sum("lines__credit")):
        d, c = account.d or Decimal(0), account.c or Decimal(0)
        assert account.balance == (c - d if account.kind == "source" else d - c) >= 0
    assert (
        Account.objects.filter(kind="payee").count() == Entry.objects.filter(kind="disbursement").count() > 0
    )
    # Per account, entry ids grow with booking dates (the ledger page's cursor relies on it).
    last: dict[int, dt.date] = {}
    for account_id, booked_on in Line.objects.order_by("account_id", "entry_id").values_list(
        "account_id", "entry__booked_on"
    ):
        assert booked_on >= last.get(account_id, booked_on)
        last[account_id] = booked_on


def check_findings_have_rectification_items_and_scores_exist(generated):
    from accountability.models import MonthlyScore

    assert Finding.objects.count() == generated.counts["findings"] > 0
    assert not Finding.objects.filter(rectification_items__isnull=True).exists()
    assert RectificationItem.objects.count() == generated.counts["rectification_items"]
    assert MonthlyScore.objects.count() == generated.counts["scores"] > 0


def check_dashboard_figures_equal_direct_counts_for_a_county(generated):
    figures_refresh()
    county = Household.objects.values_list("village_id", flat=True).first()[:6]
    direct = dict(
        Household.objects.filter(village__code__startswith=county)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    figures = {
        f.key: int(f.value)
        for f in RegionFigure.objects.filter(region_code=county.ljust(12, "0"), metric="households")
    }
    assert figures == direct
    people = Member.objects.filter(household__village__code__startswith=county, is_active=True).count()
    assert (
        sum(
            RegionFigure.objects.filter(region_code=county.ljust(12, "0"), metric="people").values_list(
                "value", flat=True
            )
        )
        == people
    )


def check_guarantees_rest_on_facts_the_snapshot_agrees_with(generated):
    from households.models import HousingAppraisal, IllnessCover, LivelihoodStatement, MedicalInsurance
    from households.selectors.guarantees import WATCHED_STATUSES, guarantee_status_many

    watched = list(Household.objects.filter(status__in=WATCHED_STATUSES))
    assert len(watched) > 800
    ids = [h.pk for h in watched]
    assert LivelihoodStatement.objects.filter(household_id__in=ids).count() == len(watched)
    assert HousingAppraisal.objects.filter(household_id__in=ids).count() == len(watched)
    assert IllnessCover.objects.filter(household_id__in=ids).count() == len(watched)
    assert MedicalInsurance.objects.count() == Member.objects.filter(household_id__in=ids).count()
    assert generated.counts["medical_insurance"] == MedicalInsurance.objects.count()
    states = guarantee_status_many(watched)
    fields = ("food_secure", "clothing_secure", "education_secured", "medical_secured", "housing_secured")
    keys = ("food", "clothing", "education", "medical", "housing")
    disagree = [
        h.file_number
        for h in watched
        if tuple(getattr(h, f) for f in fields) != tuple(states[h.pk][k].met for k in keys)
    ]
    assert disagree == []  # the snapshot is what the facts say today
    # A mix, as in the field: exited households met everything, some on the register lack one or two.
    kinds = Counter(s.state for h in watched for s in states[h.pk].values())
    assert kinds["met"] > kinds["unmet"] > 0
    assert kinds["to_confirm"] > 0  # a statement over a year old
    assert all(all(s.met for s in states[h.pk].values()) for h in watched if h.status == "exited")


def test_generated_province_data_is_valid(generated):
    check_generates_the_requested_households_in_real_counties_with_a_marker(generated)
    check_every_id_number_is_valid_unique_and_stored_like_set_id_number(generated)
    check_every_member_is_in_one_current_household_with_one_head(generated)
    check_status_history_ends_in_the_current_status(generated)
    check_ledger_is_balanced_and_balances_equal_their_lines(generated)
    check_findings_have_rectification_items_and_scores_exist(generated)
    check_dashboard_figures_equal_direct_counts_for_a_county(generated)
    check_guarantees_rest_on_facts_the_snapshot_agrees_with(generated)
