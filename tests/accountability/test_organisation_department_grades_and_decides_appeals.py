"""年度成效考核 as the organisation department would do it (issue 19.1): the grade recorded through the API with
its indicators and reasons, the consequences reaching the county's 党政正职 only, the graded head notified
and appealing within the set days, the department granting the appeal and the consequences withdrawn; the
annual bulletin published (page, print, .xlsx, API)."""

import datetime as dt
import io
import zipfile
from unittest import mock

import pytest

from accountability.models import (
    AccountabilitySettings,
    AnnualGrade,
    CaseRule,
    CaseStatus,
    EvaluationVeto,
    GradeAppeal,
    MonthlyScore,
    PromotionBan,
)
from accountability.selectors import promotion_eligibility
from core.models import Role
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/accountability/annual-grades/"


@pytest.fixture
def org_dept(regions):
    """市委组织部 考核办 (the organisation department role): records grades, decides appeals, publishes
    the annual bulletin."""
    return UserFactory(
        region_id="410800000000", username="zuzhibu_kaohe", roles=[Role.ORGANISATION_DEPARTMENT]
    )


@pytest.fixture
def county_head_user(xiuwu_org):
    """修武县委书记's own account: notified of the county's grade, may appeal it."""
    return UserFactory(region_id="410821000000", username="xiuwu_shuji", officer=xiuwu_org["secretary"])


def scores(scheme, unit, values, year=2017):
    for i, value in enumerate(values, start=1):
        MonthlyScore.objects.create(scheme=scheme, unit=unit, region=unit.region, month=dt.date(year, i, 1),
                                    score=value, grade="good")  # fmt: skip


def record(api, unit, **extra):
    body = {"year": 2017, "decided_on": "2018-01-20", "unit": unit.pk, **extra}
    return api.post(URL, body, format="json")


def test_the_department_grades_a_county_average_and_its_heads_not_deputies_get_the_talk(
    api_as, org_dept, scheme, xiuwu_org
):
    committee = xiuwu_org["committee"]
    scores(scheme, committee, [88, 86, 90])
    response = record(api_as(org_dept), committee, grade="average", reasons="第三方评估偏低，群众满意度不高",
                      indicators=[{"name": "第三方评估", "source": "third_party", "value": "72分"},
                                  {"name": "年终满意度", "source": "satisfaction_survey", "value": "81%"}])  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["grade"] == "average"
    assert body["basis"]["computed_grade"] == "fairly_good"
    assert body["basis"]["overridden"]
    assert [i["source"] for i in body["indicators"]] == ["third_party", "satisfaction_survey"]
    grade = AnnualGrade.objects.get(pk=body["id"])
    talks = grade.cases.all()
    assert {c.subject_officer for c in talks} == {xiuwu_org["secretary"], xiuwu_org["magistrate"]}
    assert all(c.rule == CaseRule.GRADE_AVERAGE and c.status == CaseStatus.CONFIRMED for c in talks)


def test_a_grade_other_than_computed_needs_reasons(api_as, org_dept, scheme, xiuwu_org):
    committee = xiuwu_org["committee"]
    scores(scheme, committee, [88])
    response = record(api_as(org_dept), committee, grade="good")
    assert response.status_code == 400
    assert "reasons" in response.json()["errors"]
    assert not AnnualGrade.objects.exists()


def test_others_read_grades_but_cannot_record_them(api_as, county_decider, clerk, scheme, xiuwu_org):
    committee = xiuwu_org["committee"]
    scores(scheme, committee, [88])
    assert record(api_as(clerk), committee).status_code == 403
    assert not AnnualGrade.objects.exists()


def test_the_head_appeals_within_the_days_and_a_granted_appeal_withdraws_the_ban_and_the_veto(
    api_as, org_dept, county_head_user, scheme, xiuwu_org, client
):
    committee = xiuwu_org["committee"]
    scores(scheme, committee, [50, 55])
    grade = AnnualGrade.objects.get(pk=record(api_as(org_dept), committee).json()["id"])
    assert grade.grade == "poor"
    bans = PromotionBan.objects.filter(case__annual_grade=grade)
    assert {b.officer for b in bans} == {xiuwu_org["secretary"], xiuwu_org["magistrate"]}
    assert {b.ends_on for b in bans} == {dt.date(2020, 1, 19)}
    veto = EvaluationVeto.objects.get(grade=grade, officer=xiuwu_org["secretary"])
    codes = [
        r.code for r in promotion_eligibility(officer=xiuwu_org["secretary"], on=dt.date(2018, 3, 1)).reasons
    ]
    assert codes == ["promotion_ban", "evaluation_veto"]

    # Notified on the home page, with the last day to appeal (15 days: the setting).
    client.force_login(county_head_user)
    with mock.patch("accountability.panels.today", return_value=dt.date(2018, 1, 22)):
        home = client.get("/").content.decode()
    assert 'id="my-annual-grades"' in home
    assert "2018年2月4日" in home

    api = api_as(county_head_user)
    late = AccountabilitySettings.objects.create(appeal_days=3)

    with mock.patch("accountability.services.appeals.today", return_value=dt.date(2018, 1, 25)):
        refused = api.post(f"{URL}{grade.pk}/appeal/", {"grounds": "满意度样本不足"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "appeal_late"
    late.appeal_days = 15
    late.save()
    with mock.patch("accountability.services.appeals.today", return_value=dt.date(2018, 1, 25)):
        lodged = api.post(f"{URL}{grade.pk}/appeal/", {"grounds": "满意度样本不足"}, format="json")
    assert lodged.status_code == 201, lodged.json()
    appeal_id = lodged.json()["id"]

    # Only the department decides; the head cannot.
    decide = f"/api/v1/accountability/appeals/{appeal_id}/decide/"
    assert (
        api.post(decide, {"granted": True, "new_grade": "good", "reasons": "x"}, format="json").status_code
        == 403
    )
    with mock.patch("accountability.services.appeals.today", return_value=dt.date(2018, 2, 10)):
        decided = api_as(org_dept).post(
            decide,
            {"granted": True, "new_grade": "average", "reasons": "复核：逾期项已于年底销号"},
            format="json",
        )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "granted"
    grade.refresh_from_db()
    assert (grade.grade, grade.vetoed) == ("average", False)
    assert all(b.lifted_on is not None for b in PromotionBan.objects.filter(case__annual_grade=grade))
    veto.refresh_from_db()
    assert veto.lifted_on is not None
    assert "复核" in veto.lift_reason
    assert set(grade.cases.filter(rule=CaseRule.GRADE_POOR).values_list("status", flat=True)) == {
        CaseStatus.CLOSED
    }
    # 一般 now: the talk the new grade requires is opened.
    assert grade.cases.filter(rule=CaseRule.GRADE_AVERAGE).count() == 2
    assert promotion_eligibility(officer=xiuwu_org["secretary"], on=dt.date(2018, 3, 1)).eligible
    assert GradeAppeal.objects.get(pk=appeal_id).status_changes.count() == 2


def test_a_refused_appeal_keeps_the_grade(api_as, org_dept, county_head_user, scheme, xiuwu_org):
    committee = xiuwu_org["committee"]
    scores(scheme, committee, [50])
    grade = AnnualGrade.objects.get(pk=record(api_as(org_dept), committee).json()["id"])
    from accountability.services import appeal_lodge

    appeal = appeal_lodge(grade=grade, grounds="申诉", actor=county_head_user, on=dt.date(2018, 1, 22))
    response = api_as(org_dept).post(f"/api/v1/accountability/appeals/{appeal.pk}/decide/",
                                     {"granted": False, "reasons": "理由不成立"}, format="json")  # fmt: skip
    assert response.json()["status"] == "refused"
    grade.refresh_from_db()
    assert grade.grade == "poor"
    assert not PromotionBan.objects.filter(case__annual_grade=grade, lifted_on__isnull=False).exists()


def test_the_annual_bulletin_is_published_printed_and_downloaded(
    api_as, org_dept, scheme, xiuwu_org, client, leader
):
    committee = xiuwu_org["committee"]
    scores(scheme, committee, [88])
    record(api_as(org_dept), committee, grade="average", reasons="满意度不高")
    published = api_as(org_dept).post(
        "/api/v1/accountability/annual-bulletins/", {"year": 2017}, format="json"
    )
    assert published.status_code == 201, published.json()
    pk = published.json()["id"]
    assert published.json()["content"]["units"][0]["grade"] == "average"
    again = api_as(org_dept).post("/api/v1/accountability/annual-bulletins/", {"year": 2017}, format="json")
    assert again.status_code == 400
    assert "reason" in again.json()["errors"]
    client.force_login(leader)
    page = client.get(f"/accountability/annual-bulletins/{pk}/")
    assert page.status_code == 200
    assert "中共修武县委员会" in page.content.decode()
    assert "data-print" in page.content.decode()
    xlsx = client.get(f"/accountability/annual-bulletins/{pk}/xlsx/")
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as z:
        text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert "中共修武县委员会" in text
    assert client.get(f"/api/v1/accountability/annual-bulletins/{pk}/xlsx/").status_code == 200


def test_the_grade_page_lets_the_department_record_and_the_head_appeal(
    client, org_dept, county_head_user, scheme, xiuwu_org
):
    committee = xiuwu_org["committee"]
    scores(scheme, committee, [88])
    client.force_login(org_dept)
    assert client.get("/accountability/grades/add/").status_code == 200
    response = client.post("/accountability/grades/add/", {
        "year": 2017, "unit": committee.pk, "decided_on": "2018-01-20", "grade": "average", "reasons": "满意度不高",
        "indicator_0_name": "第三方评估", "indicator_0_source": "third_party", "indicator_0_value": "75分",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    grade = AnnualGrade.objects.get()
    assert grade.indicators.get().value == "75分"
    client.force_login(county_head_user)
    from unittest import mock

    with mock.patch("accountability.annual_views.today", return_value=dt.date(2018, 1, 22)), \
         mock.patch("accountability.services.appeals.today", return_value=dt.date(2018, 1, 22)):  # fmt: skip
        page = client.get(f"/accountability/grades/{grade.pk}/")
        assert 'name="grounds"' in page.content.decode()
        assert (
            client.post(f"/accountability/grades/{grade.pk}/appeal/", {"grounds": "申诉理由"}).status_code
            == 302
        )
    assert GradeAppeal.objects.get().lodged_by == county_head_user
    # The appeal's decision page is the appealed grade's page: its number is the appeal's, not a
    # grade's (it showed whichever grade had that number, or none).
    appeal = GradeAppeal.objects.get()
    client.force_login(org_dept)
    page = client.get(f"/accountability/appeals/{appeal.pk}/decide/")
    assert page.status_code == 200
    assert page.context["grade"] == grade
    assert page.context["lodged"] == appeal  # with its decision form
