"""A move into another county is two-sided (issue 15.4): the 修武县 clerk moved a household into a
博爱县 village at once (200). Now the source county releases it, a 博爱县 clerk accepts or declines,
and only an acceptance moves it; the household's page tells both steps in words."""

import pytest
from django.http import Http404
from django.urls import reverse

from core.exceptions import DomainError, TransitionNotAllowed
from core.models import Region, Role
from households.models import HouseholdMove, HouseholdTransfer, TransferStatus
from households.selectors import transfer_list
from households.services import (
    household_move,
    household_transfer_accept,
    household_transfer_cancel,
    household_transfer_decline,
)
from tests.factories.households import first_village, household_with_members

pytestmark = pytest.mark.django_db

WUZHI = "410823"  # a third county: neither side of the transfer


def release(clerk, boai_village):
    household = household_with_members(village=first_village("410821"))
    transfer = household_move(
        household=household, to_village=boai_village.code, reason="marriage", actor=clerk
    )
    return household, transfer


def test_a_clerk_cannot_move_a_household_into_another_county_by_themselves(clerk, boai_village):
    household, done = release(clerk, boai_village)
    household.refresh_from_db()
    assert household.village_id.startswith("410821"), "the household must stay until 博爱县 accepts"
    assert isinstance(done, HouseholdTransfer)
    assert (done.status, done.released_by_id, done.to_village_id) == (
        TransferStatus.PENDING, clerk.pk, boai_village.code,
    )  # fmt: skip
    assert not HouseholdMove.objects.filter(household=household).exists()


def test_the_receiving_county_accepts_and_the_move_names_both_sides(clerk, other_clerk, boai_village):
    household, transfer = release(clerk, boai_village)
    assert list(transfer_list(actor=other_clerk)) == [transfer]
    assert list(transfer_list(actor=clerk)) == []  # not clerk's to accept
    move = household_transfer_accept(transfer=transfer, actor=other_clerk, note="已核实户籍")
    household.refresh_from_db()
    transfer.refresh_from_db()
    assert household.village_id == boai_village.code
    assert (transfer.status, transfer.decided_by_id) == (TransferStatus.ACCEPTED, other_clerk.pk)
    assert move.actor_id == other_clerk.pk
    assert str(clerk) in move.note


def test_the_household_page_tells_both_steps_in_words(client, clerk, other_clerk, boai_village):
    household, transfer = release(clerk, boai_village)
    household_transfer_accept(transfer=transfer, actor=other_clerk)
    client.force_login(other_clerk)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    transfers = page[page.index('id="transfers"') :]
    assert str(clerk) in transfers
    assert str(other_clerk) in transfers
    assert "修武县" in page
    assert "博爱县" in page
    # The source county no longer sees it.
    client.force_login(clerk)
    assert client.get(reverse("households:detail", args=[household.pk])).status_code == 404


def test_only_a_clerk_of_the_destination_decides(clerk, persona, boai_village):
    _household, transfer = release(clerk, boai_village)
    wuzhi_clerk = persona(Role.COUNTY_CLERK, WUZHI + "000000")
    for actor in (clerk, wuzhi_clerk):
        with pytest.raises(Http404):
            household_transfer_accept(transfer=transfer, actor=actor)
        with pytest.raises(Http404):
            household_transfer_decline(transfer=transfer, actor=actor, note="不接收")
    with pytest.raises(Http404):
        household_transfer_cancel(transfer=transfer, actor=wuzhi_clerk)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING


def test_a_decline_needs_a_reason_and_keeps_the_household(clerk, other_clerk, boai_village):
    household, transfer = release(clerk, boai_village)
    with pytest.raises(DomainError):
        household_transfer_decline(transfer=transfer, actor=other_clerk, note="")
    household_transfer_decline(transfer=transfer, actor=other_clerk, note="户籍未迁入")
    household.refresh_from_db()
    transfer.refresh_from_db()
    assert household.village_id.startswith("410821")
    assert (transfer.status, transfer.decision_note) == (TransferStatus.DECLINED, "户籍未迁入")
    with pytest.raises(TransitionNotAllowed):
        household_transfer_accept(transfer=transfer, actor=other_clerk)


def test_one_release_at_a_time_and_the_source_may_withdraw_it(clerk, boai_village):
    household, transfer = release(clerk, boai_village)
    with pytest.raises(DomainError) as error:
        household_move(
            household=household, to_village=first_village("410821").code, reason="other", actor=clerk
        )
    assert "to_village" in error.value.as_dict()
    household_transfer_cancel(transfer=transfer, actor=clerk)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED


def test_a_move_inside_the_county_is_done_at_once(clerk):
    household = household_with_members(village=first_village("410821"))
    target = (
        Region.objects.filter(code__startswith="410821", level="village")
        .exclude(code=household.village_id)
        .order_by("code")
        .first()
    )
    move = household_move(household=household, to_village=target.code, reason="relocation", actor=clerk)
    household.refresh_from_db()
    assert isinstance(move, HouseholdMove)
    assert household.village_id == target.code


def test_the_pages_release_list_and_accept(client, clerk, other_clerk, boai_village):
    household = household_with_members(village=first_village("410821"))
    client.force_login(clerk)
    response = client.post(
        reverse("households:move", args=[household.pk]),
        {"to_village": boai_village.code, "reason": "marriage", "note": "嫁入"},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.village_id.startswith("410821")
    transfer = HouseholdTransfer.objects.get(household=household)
    client.force_login(other_clerk)
    inbox = client.get(reverse("households:transfers"))
    assert inbox.status_code == 200
    assert household.file_number in inbox.content.decode()
    response = client.post(reverse("households:transfer_decide", args=[transfer.pk]), {"decision": "accept"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.village_id == boai_village.code


def test_the_api_releases_with_202_and_the_other_county_accepts(api_as, clerk, other_clerk, boai_village):
    household = household_with_members(village=first_village("410821"))
    response = api_as(clerk).post(
        reverse("api:move", args=[household.pk]), {"to_village": boai_village.code, "reason": "marriage"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 202, response.content
    transfer_id = response.json()["id"]
    refused = api_as(clerk).post(
        reverse("api:transfer_decide", args=[transfer_id]), {"decision": "accept"}, format="json"
    )
    assert refused.status_code == 404
    receiving = api_as(other_clerk)
    listed = receiving.get(reverse("api:transfer_list")).json()["results"]
    assert [t["id"] for t in listed] == [transfer_id]
    accepted = receiving.post(
        reverse("api:transfer_decide", args=[transfer_id]), {"decision": "accept"}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    household.refresh_from_db()
    assert household.village_id == boai_village.code


def test_the_transfers_inbox_costs_the_same_for_one_transfer_or_many(
    client, clerk, other_clerk, boai_village
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    release(clerk, boai_village)
    client.force_login(other_clerk)
    url = reverse("households:transfers")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        release(clerk, boai_village)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert body.count('name="decision" value="accept"') == 5
    assert len(many) == len(one)
