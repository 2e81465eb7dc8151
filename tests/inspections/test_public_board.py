"""公示栏: no login, masked personal data, objections reach inspectors, throttled, can be switched off."""

import datetime as dt
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import selectors
from inspections.models import Finding, FindingSource, FindingStatus, PublicBoardSettings
from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db

ID18 = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture
def notice(xiuwu_village, clerk):
    """A household of the village in its exit notice period (read from households' procedure cases)."""
    from households.models import CaseState, ProcedureCase, ProcedureKind, Step

    household = household_with_members(village=xiuwu_village, members=3, head_name="李建国", phone="13912345678",
                                       address="村东头13912345678号")  # fmt: skip
    today = timezone.localdate()
    return ProcedureCase.objects.create(
        household=household, kind=ProcedureKind.EXIT, state=CaseState.OPEN, last_step=Step.EXIT_NOTICE,
        notice_start=today - dt.timedelta(days=2), notice_end=today + dt.timedelta(days=5), started_by=clerk,
    )  # fmt: skip


@pytest.fixture
def address():
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def test_board_shows_notices_without_login_and_no_unmasked_personal_data(client, notice, xiuwu_village):
    response = client.get(reverse("inspections:board", args=[xiuwu_village.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "李**" in html
    assert "李建国" not in html
    assert not ID18.findall(html)
    assert not PHONE.findall(html)
    for member in notice.household.members.all():
        assert member.reveal_id_number() not in html
        assert member.name not in html


def test_objection_becomes_a_pending_finding_that_inspectors_see(
    client, notice, xiuwu_village, inspector, clerk, address
):
    url = reverse("inspections:board", args=[xiuwu_village.code])
    response = client.post(
        url, {"content": "他家儿子在城里开店，收入不低，不该算脱贫户", "contact": "13800000000", "case": notice.pk},
        REMOTE_ADDR=address,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["sent"] is True
    finding = Finding.objects.get()
    assert (finding.source, finding.status, finding.household_id) == (
        FindingSource.PUBLIC_COMPLAINT, FindingStatus.PENDING, notice.household_id,
    )  # fmt: skip
    assert finding.procedure_case == notice  # the objection is tied to the notice it objects to
    assert finding.complainant_contact == "13800000000"
    assert finding in selectors.finding_list(actor=inspector)
    assert finding not in selectors.finding_list(
        actor=clerk
    )  # unverified complaints stay with the inspectors
    client.force_login(inspector)
    page = client.get(reverse("inspections:finding_list"), {"source": "public_complaint"})
    assert "收入不低" in page.content.decode()


def test_objection_stops_the_notice(client, notice, xiuwu_village, address):
    from households.models import CaseState, Step

    client.post(reverse("inspections:board", args=[xiuwu_village.code]),
                {"content": "公示信息与实际不符", "case": notice.pk}, REMOTE_ADDR=address)  # fmt: skip
    notice.refresh_from_db()
    assert notice.state == CaseState.STOPPED
    step = notice.steps.get(step=Step.OBJECTION)
    assert step.note == "公示信息与实际不符"


def test_bad_objection_saves_nothing(client, xiuwu_village, address):
    response = client.post(
        reverse("inspections:board", args=[xiuwu_village.code]), {"content": ""}, REMOTE_ADDR=address
    )
    assert response.status_code == 400
    assert Finding.objects.count() == 0


def test_submissions_are_throttled_per_address(client, xiuwu_village, address):
    url = reverse("inspections:board", args=[xiuwu_village.code])
    statuses = [
        client.post(url, {"content": f"第{i}条意见：低保评定不公"}, REMOTE_ADDR=address).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert Finding.objects.count() == 10
    other = client.post(url, {"content": "另一个地址的意见"}, REMOTE_ADDR=address + "9")
    assert other.status_code == 200


def test_administrator_switches_the_board_off(client, xiuwu_village):
    PublicBoardSettings.objects.update_or_create(id=1, defaults={"enabled": False})
    assert client.get(reverse("inspections:board", args=[xiuwu_village.code])).status_code == 404


def test_board_only_for_villages(client, xiuwu):
    assert client.get(reverse("inspections:board", args=[xiuwu.code])).status_code == 404


def test_admin_switch_in_django_admin(client, admin_user, xiuwu_village):
    PublicBoardSettings.current()
    client.force_login(admin_user)
    url = reverse("admin:inspections_publicboardsettings_changelist")
    response = client.get(url)
    assert response.status_code == 200
    client.post(reverse("admin:inspections_publicboardsettings_change", args=[1]), {"enabled": ""})
    assert PublicBoardSettings.current().enabled is False
    client.logout()
    assert client.get(reverse("inspections:board", args=[xiuwu_village.code])).status_code == 404


def test_only_admins_switch_through_the_service(clerk, admin_user):
    from core.exceptions import DomainError
    from inspections.services import public_board_set

    with pytest.raises(DomainError):
        public_board_set(actor=clerk, enabled=False)
    assert public_board_set(actor=admin_user, enabled=False).enabled is False
