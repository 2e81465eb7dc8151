"""一票否决 (issue 19.3): a vetoed month makes the year 差 and a stated grade cannot replace it silently; a county
graded 差 vetoes its 党政一把手's overall evaluation — shown in promotion eligibility with the reason, as the
organisation department's API reads it — and only the grade, through an appeal, lifts it."""

import datetime as dt

import pytest

from accountability.models import AnnualGrade, EvaluationVeto, MonthlyScore
from accountability.services import annual_grade_record
from core.exceptions import ConflictError, DomainError

pytestmark = pytest.mark.django_db


def test_a_stated_grade_cannot_replace_a_vetoed_months_poor(scheme, xiuwu_org):
    officer = xiuwu_org["deputy"]
    MonthlyScore.objects.create(scheme=scheme, officer=officer, region=officer.region, month=dt.date(2017, 2, 1),
                                score=96, grade="poor", vetoed=True, veto_reasons=["被省级媒体曝光"])  # fmt: skip
    with pytest.raises(DomainError) as refused:
        annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), officer=officer, grade="good",
                            reasons="委员会认为表现良好")  # fmt: skip
    assert (refused.value.field, refused.value.code) == ("grade", "vetoed")
    assert "被省级媒体曝光" in refused.value.message
    assert not AnnualGrade.objects.exists()
    grade, _cases = annual_grade_record(
        year=2017, decided_on=dt.date(2018, 1, 20), officer=officer, grade="poor"
    )
    assert grade.vetoed
    assert grade.grade == "poor"


def test_a_recorded_grade_changes_only_through_an_appeal(scheme, xiuwu_org):
    committee = xiuwu_org["committee"]
    MonthlyScore.objects.create(scheme=scheme, unit=committee, region=committee.region, month=dt.date(2017, 3, 1),
                                score=40, grade="poor")  # fmt: skip
    annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), unit=committee)
    with pytest.raises(ConflictError):
        annual_grade_record(
            year=2017, decided_on=dt.date(2018, 1, 20), unit=committee, grade="good", reasons="改判"
        )
    assert AnnualGrade.objects.get().grade == "poor"


def test_the_heads_veto_shows_in_eligibility_with_its_reason(api_as, decider, scheme, xiuwu_org):
    committee = xiuwu_org["committee"]
    MonthlyScore.objects.create(scheme=scheme, unit=committee, region=committee.region, month=dt.date(2017, 3, 1),
                                score=40, grade="poor")  # fmt: skip
    annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), unit=committee)
    assert set(EvaluationVeto.objects.values_list("officer", flat=True)) == {
        xiuwu_org["secretary"].pk, xiuwu_org["magistrate"].pk,
    }  # fmt: skip
    head = xiuwu_org["secretary"]
    body = api_as(decider).get(f"/api/v1/accountability/officers/{head.pk}/eligibility/?on=2018-03-01").json()
    veto = next(r for r in body["reasons"] if r["code"] == "evaluation_veto")
    assert "2017" in veto["message"]
    assert committee.name in veto["message"]
    deputy = xiuwu_org["deputy"]
    body = (
        api_as(decider).get(f"/api/v1/accountability/officers/{deputy.pk}/eligibility/?on=2018-03-01").json()
    )
    assert body["eligible"]
    vetoes = api_as(decider).get("/api/v1/accountability/vetoes/?year=2017").json()
    assert {v["officer_name"] for v in vetoes["results"]} == {head.name, xiuwu_org["magistrate"].name}
