"""整改评估验收 as the city's leading group records it (issue 19.2): a failed acceptance, recorded by the city
reviewer through the API or the page, bars the county's 党政正职 and 分管副职 this year (ban to 31 December),
opens their cases, vetoes the heads' overall evaluation (19.3), and makes the county's annual grade 差."""

import datetime as dt

import pytest

from accountability.models import CaseRule, EvaluationVeto, MonthlyScore, PromotionBan, RectificationReview
from accountability.services import annual_grade_record
from core.exceptions import DomainError
from core.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/accountability/reviews/"


@pytest.fixture
def city_reviewer(regions):
    """市脱贫攻坚领导小组's reviewer (the city reviewer role)."""
    return make_user(Role.CITY_REVIEWER, "410800000000", username="lingdao_xiaozu")


def body(**extra):
    return {"region": "410821000000", "year": 2017, "reviewed_on": "2017-11-20", "passed": False,
            "reviewers": "市领导小组 张三、李四", "items_checked": "暗访3个村的整改台账\n入户核实5户",
            "reasons": "7个重点问题有3个未整改到位", **extra}  # fmt: skip


def test_a_failed_acceptance_bars_heads_and_deputies_this_year_and_vetoes_the_heads(
    api_as, city_reviewer, xiuwu_org
):
    response = api_as(city_reviewer).post(URL, body(), format="json")
    assert response.status_code == 201, response.json()
    review = RectificationReview.objects.get(pk=response.json()["id"])
    assert review.reviewers.startswith("市领导小组")
    assert "入户核实" in review.items_checked
    assert review.recorded_by == city_reviewer
    cases = list(review.cases.all())
    assert {c.subject_officer for c in cases} == {
        xiuwu_org[k] for k in ("secretary", "magistrate", "deputy", "vice")
    }
    assert {c.rule for c in cases} == {CaseRule.REVIEW_FAILED}
    assert set(PromotionBan.objects.filter(case__review=review).values_list("ends_on", flat=True)) == {
        dt.date(2017, 12, 31)
    }
    assert {v.officer for v in EvaluationVeto.objects.filter(review=review)} == {
        xiuwu_org["secretary"],
        xiuwu_org["magistrate"],
    }
    assert len(response.json()["cases"]) == 4


def test_the_acceptance_needs_its_reasons_and_a_county(api_as, city_reviewer, xiuwu_org):
    response = api_as(city_reviewer).post(URL, body(reasons=""), format="json")
    assert response.status_code == 400
    assert "reasons" in response.json()["errors"]
    township = xiuwu_org["township"].code
    assert api_as(city_reviewer).post(URL, body(region=township), format="json").status_code == 404
    assert not RectificationReview.objects.exists()


def test_a_clerk_cannot_record_an_acceptance(api_as, clerk, xiuwu_org):
    assert api_as(clerk).post(URL, body(), format="json").status_code == 403


def test_the_failed_acceptance_is_an_indicator_of_the_county_grade(api_as, city_reviewer, scheme, xiuwu_org):
    api_as(city_reviewer).post(URL, body(), format="json")
    committee = xiuwu_org["committee"]
    MonthlyScore.objects.create(scheme=scheme, unit=committee, region=committee.region, month=dt.date(2017, 3, 1),
                                score=95, grade="good")  # fmt: skip
    with pytest.raises(DomainError) as refused:
        annual_grade_record(
            year=2017, decided_on=dt.date(2018, 1, 20), unit=committee, grade="good", reasons="x"
        )
    assert refused.value.field == "grade"
    grade, _cases = annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), unit=committee)
    assert (grade.grade, grade.vetoed) == ("poor", True)
    indicator = grade.indicators.get(source="rectification_review")
    assert indicator.value == "未通过"  # an acceptance (pgettext "acceptance"), not an import's 失败


def test_the_page_records_an_acceptance(client, city_reviewer, xiuwu_org):
    client.force_login(city_reviewer)
    assert client.get("/accountability/reviews/add/").status_code == 200
    form = {k: v for k, v in body().items() if k != "passed"} | {"passed": "no"}
    response = client.post("/accountability/reviews/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get("/accountability/reviews/?year=2017").content.decode()
    assert "7个重点问题有3个未整改到位" in page


def test_the_department_sees_the_vetoes_and_exports_them(api_as, city_reviewer, xiuwu_org, client):
    api_as(city_reviewer).post(URL, body(), format="json")
    org = make_user(Role.ORGANISATION_DEPARTMENT, "410800000000", username="org_export")
    client.force_login(org)
    page = client.get("/accountability/vetoes/?year=2017").content.decode()
    assert xiuwu_org["secretary"].name in page
    export = client.get("/accountability/vetoes/xlsx/?year=2017")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
