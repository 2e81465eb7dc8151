"""Cases have deadlines (issue 19.8): a proposed case not decided within the set days is flagged to the deciding
office (the 纪委 officer's home page) and in the monthly bulletin; a case a binding rule opened confirmed never is."""

import datetime as dt

import pytest

from accountability.models import AccountabilitySettings, CaseStatus
from accountability.periods import today
from accountability.services import bulletin_generate, case_confirm
from accountability.services.bulletin import cases_section
from core.models import Region
from tests.factories.accountability import CaseFactory

pytestmark = pytest.mark.django_db
CITY = "410800000000"


def test_the_deciding_office_sees_a_proposed_case_past_its_deadline(client, decider, xiuwu_org):
    late = CaseFactory(
        subject_officer=xiuwu_org["vice"], opened_on=today() - dt.timedelta(days=31), grounds="逾期未决"
    )
    CaseFactory(
        subject_officer=xiuwu_org["deputy"], opened_on=today() - dt.timedelta(days=5), grounds="新近提出"
    )
    client.force_login(decider)
    home = client.get("/").content.decode()
    assert 'id="overdue-cases"' in home
    assert f"/accountability/cases/{late.pk}/" in home
    listed = client.get("/accountability/?overdue=1").content.decode()
    assert f"/accountability/cases/{late.pk}/" in listed
    assert "新近提出" not in listed
    case_page = client.get(f"/accountability/cases/{late.pk}/").content.decode()
    assert 'id="decision-due"' in case_page
    assert "badge-bad" in case_page.split('id="decision-due"')[1].split("</dd>")[0]
    # The days are a setting: with 60 days nothing is late yet.
    AccountabilitySettings.objects.create(case_decision_days=60)
    assert 'id="overdue-cases"' not in client.get("/").content.decode()


def test_others_are_not_flagged(client, clerk, xiuwu_org):
    CaseFactory(subject_officer=xiuwu_org["vice"], opened_on=today() - dt.timedelta(days=90))
    client.force_login(clerk)
    assert 'id="overdue-cases"' not in client.get("/").content.decode()


def test_a_bulletin_made_before_deadlines_shows_no_such_line(client, leader, regions):
    from accountability.models import Bulletin

    bulletin = Bulletin.objects.create(region_id=CITY, month=dt.date(2017, 4, 1), content=_old_content())
    client.force_login(leader)
    page = client.get(f"/accountability/bulletins/{bulletin.pk}/")
    assert page.status_code == 200
    assert 'id="overdue-proposed"' not in page.content.decode()


def _old_content() -> dict:
    from accountability.services import build_content

    content = build_content(region=Region.objects.get(code=CITY), month=dt.date(2017, 4, 1))
    for key in ("overdue_proposed", "decision_days"):
        content["cases"].pop(key)
    content["cases"]["totals"].pop("overdue_proposed")
    return content


def test_the_bulletin_lists_cases_undecided_past_the_deadline_at_month_end(
    decider, xiuwu_org, client, leader
):
    city = Region.objects.get(code=CITY)
    case = CaseFactory(subject_officer=xiuwu_org["vice"], opened_on=dt.date(2017, 5, 10), grounds="五月提出")
    CaseFactory(subject_officer=xiuwu_org["deputy"], opened_on=dt.date(2017, 5, 10), status=CaseStatus.CONFIRMED,
                decided_at=dt.datetime(2017, 5, 10, tzinfo=dt.UTC), grounds="规则直接确认")  # fmt: skip
    assert cases_section(city, dt.date(2017, 5, 1))["totals"]["overdue_proposed"] == 0  # 30 days not yet over
    june = cases_section(city, dt.date(2017, 6, 1))
    assert june["totals"]["overdue_proposed"] == 1
    assert [r["id"] for r in june["overdue_proposed"]] == [case.pk]
    assert june["overdue_proposed"][0]["due"] == "2017-06-09"
    bulletin, _created = bulletin_generate(region=city, month=dt.date(2017, 6, 1))
    client.force_login(leader)
    page = client.get(f"/accountability/bulletins/{bulletin.pk}/").content.decode()
    assert 'id="overdue-proposed"' in page
    assert xiuwu_org["vice"].name in page.split('id="overdue-proposed"')[1]
    # Decided later, the month it was late in still shows it late.
    case_confirm(case=case, decision="确认问责", actor=decider)
    assert cases_section(city, dt.date(2017, 6, 1))["totals"]["overdue_proposed"] == 1
