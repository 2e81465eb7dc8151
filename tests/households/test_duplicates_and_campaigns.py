"""Possible duplicates beyond the ID number, and re-verification campaigns (档卡一户一户校准)."""

import pytest

from core.exceptions import ConflictError, DomainError
from core.history import history_for
from households.models import (
    CheckStatus,
    DuplicateCandidate,
    DuplicateStatus,
    HouseholdStatus,
    VerificationCheck,
)
from households.selectors import campaign_progress
from households.services import campaign_check_record, campaign_create, duplicate_review, duplicates_scan
from tests.factories.households import MemberFactory, first_village, household_with_members, valid_id_number

pytestmark = pytest.mark.django_db


def twins():
    """Two households holding a person with the same name and birth date but different ID numbers."""
    import datetime as dt

    birth = dt.date(1966, 6, 6)
    a = household_with_members(head_name="甲户", phone="13811112222")
    b = household_with_members(head_name="乙户", phone="13811112222")
    MemberFactory(household=a, relation="parent", name="王同名", id_number=valid_id_number(birth=birth))
    MemberFactory(
        household=b, relation="parent", name="王同名", id_number=valid_id_number(birth=birth, female=True)
    )
    return a, b


def test_same_name_and_birth_date_and_same_phone_are_listed(clerk):
    a, b = twins()
    assert duplicates_scan(household_ids=[a.pk]) == 2
    reasons = set(DuplicateCandidate.objects.values_list("household_a", "household_b", "reason"))
    assert reasons == {(a.pk, b.pk, "name_birth"), (a.pk, b.pk, "phone")}
    assert duplicates_scan(household_ids=[a.pk, b.pk]) == 0  # idempotent


def test_marking_different_people_closes_the_pair(clerk):
    a, _b = twins()
    duplicates_scan(household_ids=[a.pk])
    pair = DuplicateCandidate.objects.get(reason="phone")
    duplicate_review(candidate=pair, actor=clerk, decision="different", note="兄弟分户，电话共用")
    pair.refresh_from_db()
    assert (pair.status, pair.reviewed_by_id) == (DuplicateStatus.DIFFERENT, clerk.pk)
    with pytest.raises(ConflictError):
        duplicate_review(candidate=pair, actor=clerk, decision="different")


def test_merging_keeps_one_file_and_removes_the_other(clerk):
    a, b = twins()
    duplicates_scan(household_ids=[a.pk])
    pair = DuplicateCandidate.objects.get(reason="name_birth")
    moved = b.members.filter(relation="spouse").get()
    duplicate_review(candidate=pair, actor=clerk, decision="merge", keep_id=a.pk)
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.status == HouseholdStatus.REMOVED
    assert a.file_number in b.status_changes.latest("at").note
    assert not b.members.filter(is_current=True).exists()
    # The other household's people who were not already in the kept file now belong to it.
    assert a.members.filter(id_number_hash=moved.id_number_hash, is_current=True).exists()
    assert a.members.filter(name="王同名").count() == 1


def test_outsider_cannot_review_a_pair_of_another_county(clerk, other_clerk):
    a, _b = twins()
    duplicates_scan(household_ids=[a.pk])
    pair = DuplicateCandidate.objects.first()
    with pytest.raises(DomainError):
        duplicate_review(candidate=pair, actor=other_clerk, decision="different")


def test_campaign_creates_one_check_per_active_household_and_tracks_progress(clerk, xiuwu):
    households = [household_with_members(members=1) for _ in range(3)]
    household_with_members(members=1, status=HouseholdStatus.REMOVED)
    household_with_members(members=1, village=first_village("410822"))  # another county
    campaign = campaign_create(actor=clerk, name="2017年再核实", region=xiuwu)
    assert VerificationCheck.objects.filter(campaign=campaign).count() == 3
    check = VerificationCheck.objects.get(campaign=campaign, household=households[0])
    campaign_check_record(
        check=check, actor=clerk, findings="实地核实，门牌已变", corrections={"address": "二组3号"}
    )
    other = VerificationCheck.objects.get(campaign=campaign, household=households[1])
    campaign_check_record(check=other, actor=clerk, findings="无误")
    progress = campaign_progress(actor=clerk, campaign=campaign)
    assert (progress["total"], progress["done"], progress["percent"]) == (3, 2, 66)
    assert progress["counties"][0]["corrected"] == 1
    check.refresh_from_db()
    before = households[0].address
    assert (check.status, check.corrections) == (CheckStatus.CORRECTED, {"address": [before, "二组3号"]})
    households[0].refresh_from_db()
    assert households[0].address == "二组3号"
    # The correction is in the household's history, with who made it and in which campaign.
    change = next(e for e in history_for(households[0]) if any(f == "address" for f, _b, _a in e.changes))
    assert change.actor == str(clerk)


def test_corrections_need_findings_and_only_file_fields(clerk, xiuwu):
    household_with_members(members=1)
    campaign = campaign_create(actor=clerk, name="复查", region=xiuwu)
    check = VerificationCheck.objects.get(campaign=campaign)
    with pytest.raises(DomainError, match="请填写核实发现"):
        campaign_check_record(check=check, actor=clerk, findings="", corrections={"phone": "13900001111"})
    with pytest.raises(DomainError, match="不能在此更正"):
        campaign_check_record(check=check, actor=clerk, findings="x", corrections={"status": "exited"})
    with pytest.raises(DomainError, match="housing_secured"):  # 两不愁三保障: facts, never a tick box
        campaign_check_record(
            check=check, actor=clerk, findings="住房已改造", corrections={"housing_secured": True}
        )
    check.refresh_from_db()
    assert check.status == CheckStatus.PENDING


def test_campaign_pages_and_api_are_scoped(client, api_as, clerk, other_clerk, xiuwu):
    from django.urls import reverse

    household_with_members(members=1)
    campaign = campaign_create(actor=clerk, name="复查", region=xiuwu)
    check = VerificationCheck.objects.get(campaign=campaign)
    client.force_login(clerk)
    assert client.get(reverse("households:campaign", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("households:check", args=[check.pk])).status_code == 200
    response = api_as(clerk).patch(
        f"/api/v1/households/checks/{check.pk}/", {"findings": "无误"}, format="json"
    )
    assert response.json()["status"] == "confirmed"
    client.force_login(other_clerk)
    assert client.get(reverse("households:campaign", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("households:check", args=[check.pk])).status_code == 404
    assert api_as(other_clerk).get(f"/api/v1/households/campaigns/{campaign.pk}/").status_code == 404
    assert api_as(other_clerk).get(f"/api/v1/households/checks/{check.pk}/").status_code == 404


def test_daily_job_counts_notices_that_ended(clerk, minutes, days_ago):
    from django.conf import settings

    from households.services import procedure_step_record
    from households.tasks import flag_ended_notices
    from tests.factories.households import ready_to_exit

    household = ready_to_exit()
    for step, data, files in [
        (
            "democratic_review",
            {"date": days_ago(20), "attendance": 9, "votes_for": 8, "votes_against": 0},
            [minutes()],
        ),
        ("verification", {"date": days_ago(19), "year": 2016, "household_agrees": True}, []),
        ("exit_notice", {"date": days_ago(18), "notice_start": days_ago(18), "notice_end": days_ago(10)}, []),
    ]:
        procedure_step_record(
            household=household, kind="exit", step=step, actor=clerk, data=data, files=files
        )
    assert flag_ended_notices() == {"ready_for_county": 1}
    assert settings.CELERY_BEAT_SCHEDULE["households-flag-ended-notices"]["task"] == flag_ended_notices.name
