"""乡镇对数据真实性、准确性承担直接责任 (issue 18.6), as the township officer: signs off the township's data
for the month (what it covered is recorded), sees a household changed afterwards on the next sign-off
page and signs again with that change listed, withdraws a sign-off with a reason — refused once the
month's bulletin is published; the county clerk sees which townships signed; another township's
officer finds nothing of it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import Bulletin
from core.exceptions import DomainError, TransitionNotAllowed
from core.models import Region, Role
from households.models import SignOffHousehold, SignOffState, TownshipSignOff
from households.services.signoffs import signoff_sign, signoff_withdraw
from tests.conftest import CITY, make_user
from tests.factories.households import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def township(xiuwu_village):
    return xiuwu_village.parent


@pytest.fixture
def officer(township):
    return make_user(Role.TOWNSHIP_OFFICER, township.code, username="township_officer_1")


@pytest.fixture
def other_township(township):
    return (
        Region.objects.filter(parent=township.parent, level="township")
        .exclude(pk=township.pk)
        .order_by("code")
        .first()
    )


@pytest.fixture
def households(xiuwu_village, other_township):
    own = [HouseholdFactory(village=xiuwu_village) for _ in range(2)]
    for h in own:
        MemberFactory(household=h, name=h.head_name)
    elsewhere = HouseholdFactory(
        village=Region.objects.filter(parent=other_township).order_by("code").first()
    )
    return own, elsewhere


def test_township_officer_signs_off_sees_a_later_change_and_signs_again(
    client, officer, township, households
):
    own, elsewhere = households
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    client.force_login(officer)
    assert client.get(reverse("households:signoffs")).url == reverse(
        "households:signoff_township", args=[township.code]
    )
    page = client.get(reverse("households:signoff_township", args=[township.code])).content.decode()
    assert "本乡镇尚未签认" in page

    answer = client.post(
        reverse("households:signoff_township", args=[township.code]), {"month": f"{last_month:%Y-%m}"}
    )
    assert answer.status_code == 302
    first = TownshipSignOff.objects.get()
    assert first.month == last_month
    assert first.counts["households_total"] == 2
    assert first.counts["poor_people"] == 2
    covered = dict(SignOffHousehold.objects.filter(signoff=first).values_list("household_id", "last_change"))
    assert set(covered) == {h.pk for h in own}  # not the other township's household
    assert elsewhere.pk not in covered

    # A household changed after the sign-off is listed on the next sign-off page.
    changed = own[0]
    changed.head_name = "改名后户主"
    changed.save()
    page = client.get(reverse("households:signoff_township", args=[township.code])).content.decode()
    assert "改名后户主" in page
    assert own[1].head_name not in page
    detail = client.get(reverse("households:signoff_detail", args=[first.pk])).content.decode()
    assert "改名后户主" in detail

    # The same month twice is refused; this month is signed with the change recorded.
    again = client.post(
        reverse("households:signoff_township", args=[township.code]), {"month": f"{last_month:%Y-%m}"}
    )
    assert again.status_code == 400
    assert "本月已签认" in again.content.decode()
    answer = client.post(
        reverse("households:signoff_township", args=[township.code]), {"month": f"{this_month:%Y-%m}"}
    )
    assert answer.status_code == 302
    second = TownshipSignOff.objects.get(month=this_month)
    assert second.counts["changed_since_previous"] == 1
    assert second.counts["changed_ids"] == [changed.pk]
    assert "改名后户主" in client.get(reverse("households:signoff_detail", args=[second.pk])).content.decode()

    # Withdrawn with a reason (none given: refused, nothing changed).
    refused = client.post(reverse("households:signoff_withdraw", args=[second.pk]), {"reason": ""})
    assert refused.status_code == 400
    second.refresh_from_db()
    assert second.state == SignOffState.SIGNED
    assert (
        client.post(
            reverse("households:signoff_withdraw", args=[second.pk]),
            {"reason": "一户收入录入有误，核实后重签"},
        ).status_code
        == 302
    )
    second.refresh_from_db()
    assert second.state == SignOffState.WITHDRAWN
    assert (
        second.status_changes.filter(to_status=SignOffState.WITHDRAWN).get().note
        == "一户收入录入有误，核实后重签"
    )


def test_a_sign_off_stands_once_the_month_bulletin_is_published(officer, households):
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    signoff = signoff_sign(actor=officer, month=last_month)
    Bulletin.objects.create(region_id=CITY, month=last_month, content={})
    with pytest.raises(TransitionNotAllowed):
        signoff_withdraw(signoff=signoff, actor=officer, reason="想撤回")
    signoff.refresh_from_db()
    assert signoff.state == SignOffState.SIGNED
    with pytest.raises(DomainError):  # and the month can no longer be signed by anyone
        signoff_sign(actor=officer, month=last_month)
    with pytest.raises(DomainError):  # only this month or the one before
        signoff_sign(actor=officer, month=this_month.replace(year=this_month.year - 1))


def test_county_sees_which_townships_signed_and_other_officers_see_nothing(
    client, api_as, clerk, officer, township, other_township, households
):
    signoff = signoff_sign(actor=officer)
    client.force_login(clerk)
    table = client.get(reverse("households:signoffs")).content.decode()
    assert township.name in table
    assert other_township.name in table
    assert "未签认" in table
    assert "已签认" in table
    assert client.post(reverse("households:signoff_township", args=[township.code]), {}).status_code == 403
    with pytest.raises(DomainError):  # a county clerk does not sign for a township
        signoff_sign(actor=clerk)

    neighbour = make_user(Role.TOWNSHIP_OFFICER, other_township.code, username="township_officer_2")
    client.force_login(neighbour)
    assert client.get(reverse("households:signoff_detail", args=[signoff.pk])).status_code == 404
    assert client.get(reverse("households:signoff_township", args=[township.code])).status_code == 404
    assert (
        client.post(
            reverse("households:signoff_withdraw", args=[signoff.pk]), {"reason": "不是我的"}
        ).status_code
        == 404
    )

    api = api_as(officer)
    listed = api.get("/api/v1/households/signoffs/").json()["results"]
    assert [row["id"] for row in listed] == [signoff.pk]
    assert api.get(f"/api/v1/households/signoffs/{signoff.pk}/").json()["changed_after"] == []
    assert (
        api.post("/api/v1/households/signoffs/", {}, format="json").status_code == 400
    )  # this month: signed
    answer = api.post(
        f"/api/v1/households/signoffs/{signoff.pk}/withdraw/", {"reason": "重新核对"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["state"] == SignOffState.WITHDRAWN
    assert api_as(neighbour).get(f"/api/v1/households/signoffs/{signoff.pk}/").status_code == 404
