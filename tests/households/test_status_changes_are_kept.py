"""Every status move of a household record leaves one row that cannot be changed or removed, and
the records that had no status-change table get their past back from their history (issue 16)."""

from __future__ import annotations

import importlib
import types

import pghistory
import pytest
from django.db import DatabaseError, connection, transaction

from core.exceptions import ConflictError, TransitionNotAllowed
from core.transitions import transition
from households.models import (
    CampaignStatus,
    CaseState,
    DuplicateCandidate,
    DuplicateCandidateStatusChange,
    DuplicateReason,
    HouseholdStatus,
    HouseholdStatusChange,
    HouseholdTransfer,
    HouseholdTransferStatusChange,
    PoorVillage,
    PoorVillageStatus,
    PoorVillageStatusChange,
    ProcedureCase,
    ProcedureKind,
    TransferStatus,
    VerificationCampaignStatusChange,
)
from households.services import (
    campaign_close,
    campaign_create,
    household_mark_returned,
    household_register,
    household_remove,
    household_transition,
    poor_village_exit,
)
from tests.factories.households import first_village, household_with_members

pytestmark = pytest.mark.django_db


def _moves(rows) -> list[tuple[str, str]]:
    return [(r.from_status, r.to_status) for r in rows]


def test_a_refused_move_writes_nothing_and_names_both_statuses(clerk):
    household = household_with_members(members=1, status=HouseholdStatus.REGISTERED)
    before = HouseholdStatusChange.objects.count()
    with pytest.raises(TransitionNotAllowed, match="“在册”变为“返贫”"):
        household_mark_returned(household=household, actor=clerk, reason="因病返贫")
    assert HouseholdStatusChange.objects.count() == before


def test_removal_stops_the_open_procedure_with_its_own_status_row(clerk):
    household = household_with_members(members=1, status=HouseholdStatus.REGISTERED)
    case = ProcedureCase.objects.create(household=household, kind=ProcedureKind.EXIT, started_by=clerk)
    household_remove(household=household, actor=clerk, reason="识别不准，予以清退")
    case.refresh_from_db()
    assert (case.state, case.stop_reason) == (CaseState.STOPPED, "识别不准，予以清退")
    change = case.status_changes.get()
    assert (change.from_status, change.to_status, change.actor, change.note) == (
        CaseState.OPEN,
        CaseState.STOPPED,
        clerk,
        "识别不准，予以清退",
    )
    # Members leave the one-person-one-household rule with the household.
    assert not household.members.filter(is_current=True).exists()


def test_status_change_rows_cannot_be_edited_or_deleted(clerk):
    household = household_with_members(members=1, status=HouseholdStatus.REGISTERED)
    household_transition(household=household, to_status=HouseholdStatus.EXITED, actor=clerk, reason="达标")
    change = household.status_changes.latest("at")
    with pytest.raises(DatabaseError), transaction.atomic():
        HouseholdStatusChange.objects.filter(pk=change.pk).update(note="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        HouseholdStatusChange.objects.filter(pk=change.pk).delete()
    # A "move" that stays put is refused by the database too.
    with pytest.raises(DatabaseError), transaction.atomic():
        HouseholdStatusChange.objects.create(
            household=household, from_status="exited", to_status="exited", actor=clerk
        )


def test_a_household_that_moved_cannot_be_deleted(clerk, xiuwu):
    household = household_register(
        actor=clerk,
        village=first_village(),
        data={"attribute": "general", "identified_year": 2016, "main_cause": "illness"},
        members=[
            {"name": "张三", "id_number": "410821198001010015", "relation": "head", "education": "primary",
             "labour_ability": "ordinary"},
        ],
    )  # fmt: skip
    assert _moves(household.status_changes.all()) == [("", HouseholdStatus.APPLYING)]
    with pytest.raises(DatabaseError), transaction.atomic():
        HouseholdStatusChange.objects.filter(household=household).delete()


def test_campaign_open_and_close_are_kept(clerk, xiuwu):
    campaign = campaign_create(actor=clerk, name="2017年再核实", region=xiuwu)
    campaign_close(campaign=campaign, actor=clerk)
    with pytest.raises(ConflictError):
        campaign_close(campaign=campaign, actor=clerk)
    rows = VerificationCampaignStatusChange.objects.filter(campaign=campaign)
    assert _moves(rows) == [("", CampaignStatus.OPEN), (CampaignStatus.OPEN, CampaignStatus.CLOSED)]
    assert {r.actor for r in rows} == {clerk}


def test_poor_village_exit_sets_the_year_and_keeps_the_move(clerk):
    village = PoorVillage.objects.create(village=first_village(), identified_year=2014)
    poor_village_exit(poor_village=village, actor=clerk, year=2017, note="整村退出")
    village.refresh_from_db()
    assert (village.status, village.exit_year) == (PoorVillageStatus.EXITED, 2017)
    assert _moves(village.status_changes.all()) == [(PoorVillageStatus.POOR, PoorVillageStatus.EXITED)]
    with pytest.raises(TransitionNotAllowed):
        transition(village, PoorVillageStatus.EXITED, actor=clerk)


def _backfill():
    from django.apps import apps

    migration = importlib.import_module("households.migrations.0009_status_changes_backfill")
    migration.backfill(apps, types.SimpleNamespace(connection=connection))


def test_backfill_takes_the_past_from_the_history_events(clerk):
    """Rows written before the status-change tables existed (by plain saves, as the old code did)."""
    village = PoorVillage.objects.create(village=first_village(), identified_year=2014)
    with pghistory.context(user=clerk.pk):
        PoorVillage.objects.filter(pk=village.pk).update(identified_year=2015)  # no status move: no row
        PoorVillage.objects.filter(pk=village.pk).update(status="exited", exit_year=2017)
    a = household_with_members(members=1)
    b = household_with_members(members=1)
    pair = DuplicateCandidate.objects.create(
        household_a=min(a, b, key=lambda h: h.pk), household_b=max(a, b, key=lambda h: h.pk),
        reason=DuplicateReason.PHONE,
    )  # fmt: skip
    with pghistory.context(user=clerk.pk):
        DuplicateCandidate.objects.filter(pk=pair.pk).update(status="different", reviewed_by=clerk)
    transfer = HouseholdTransfer.objects.create(
        household=a, from_village_id=a.village_id, to_village=first_village("410822"), reason="marriage",
        released_by=clerk,
    )  # fmt: skip
    _backfill()
    _backfill()  # twice: nothing doubles
    rows = list(PoorVillageStatusChange.objects.filter(poor_village=village))
    assert _moves(rows) == [("", "poor"), ("poor", "exited")]
    assert (rows[0].actor, rows[1].actor) == (None, clerk)
    assert rows[1].at >= rows[0].at
    pair_rows = DuplicateCandidateStatusChange.objects.filter(candidate=pair)
    assert _moves(pair_rows) == [("", "open"), ("open", "different")]
    assert pair_rows.last().actor == clerk
    transfer_rows = HouseholdTransferStatusChange.objects.filter(transfer=transfer)
    assert _moves(transfer_rows) == [("", TransferStatus.PENDING)]
    assert transfer_rows.get().actor == clerk


def test_every_households_status_change_table_is_append_only_in_the_database():
    from django.apps import apps

    from core.transitions import StatusChange

    logs = [m for m in apps.get_app_config("households").get_models() if issubclass(m, StatusChange)]
    # The seven of issue 16, the omission reviews' (17.3), the cross-check flags' (17.6), the village
    # exits' (18.4) and the township sign-offs' (18.6).
    assert len(logs) == 11
    with connection.cursor() as cursor:
        for log in logs:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE %s",
                [log._meta.db_table, "pgtrigger_append_only_%"],
            )
            assert cursor.fetchone()[0] == 1, log.__name__
            cursor.execute(
                "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s",
                [log._meta.db_table, f"{log._meta.db_table}_moves"],
            )
            assert cursor.fetchone()[0] == 1, log.__name__
