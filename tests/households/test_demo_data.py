"""seed_demo's households: thousands of valid files across the city, every state, idempotent."""

import io
import time

import pytest
from django.db import connection
from django.db.models import Count, F

from core.idnumbers import parse_id_number
from households import demo
from households.models import (
    CaseState,
    DuplicateCandidate,
    Household,
    HouseholdStatus,
    HouseholdTransfer,
    Member,
    ProcedureCase,
)
from households.selectors.guarantees import guarantees_met_many
from tests.conftest import BOAI

pytestmark = pytest.mark.django_db


def test_demo_seed_is_fast_valid_covers_every_state_and_runs_once(regions, clerk):
    from core.demo import seed as core_seed

    core_seed(stdout=io.StringIO())
    started = time.monotonic()
    out = io.StringIO()
    demo.seed(stdout=out)
    elapsed = time.monotonic() - started
    assert elapsed < 90
    assert Household.objects.count() == demo.HOUSEHOLDS + demo.IMPORTED  # the import waiting for review
    statuses = set(Household.objects.values_list("status", flat=True))
    assert statuses == set(HouseholdStatus.values)
    steps = set(ProcedureCase.objects.filter(state=CaseState.OPEN).values_list("kind", "last_step"))
    assert {("exit", "democratic_review"), ("exit", "verification"), ("exit", "exit_notice")} <= steps
    assert {("entry", "application"), ("entry", "village_review"), ("entry", "township_review")} <= steps
    counties = Household.objects.values("village_id").annotate(n=Count("id"))
    assert len({row["village_id"][:6] for row in counties}) == 11
    for member in Member.objects.order_by("?")[:50]:
        info = parse_id_number(member.reveal_id_number())
        assert info.birth_date == member.birth_date
    # The seed filled tables an earlier test may have ANALYZEd empty: fresh statistics, or PostgreSQL
    # plans the cross-county join below as nested loops over "empty" tables (minutes on a clean clone).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # A transfer awaiting 博爱县 and a pair across counties for the city reviewer (issue 15.4, 15.5).
    assert HouseholdTransfer.objects.filter(status="pending", to_village__parent__parent_id=BOAI).count() == 1
    assert DuplicateCandidate.objects.exclude(
        household_a__village__parent__parent=F("household_b__village__parent__parent")
    ).exists()
    # 应进则进, 应退则退 (issue 17.2, 17.3): a clerk's import whose applicants wait for the village
    # review, a household of 修武县 that should have exited, possible omissions to review.
    from core.models import User
    from households.models import HouseholdImport, ImportKind, Step
    from households.selectors.candidates import exit_due, omission_candidates

    job = HouseholdImport.objects.get(kind=ImportKind.APPLICATIONS)
    assert job.households_created == demo.IMPORTED
    waiting = ProcedureCase.objects.filter(
        state=CaseState.OPEN, kind="entry", household__file_number__startswith="IMP"
    )
    assert set(waiting.values_list("last_step", flat=True)) == {Step.APPLICATION}
    assert waiting.count() == demo.IMPORTED
    clerk_xiuwu = User.objects.get(username="clerk")
    due = list(exit_due(actor=clerk_xiuwu))
    assert due
    assert any(guarantees_met_many(due).values())  # by the recorded facts, not only the snapshot
    assert omission_candidates(actor=clerk_xiuwu).exists()
    before = Household.objects.count(), Member.objects.count()
    demo.seed(stdout=io.StringIO())
    assert (Household.objects.count(), Member.objects.count()) == before
