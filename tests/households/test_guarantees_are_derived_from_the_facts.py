"""两不愁三保障 from facts, not tick boxes (issue 17.1): what each guarantee rests on, as the county
clerk records it — statements, insurance, the housing appraisal (C/D unmet until a housing measure is
done in assistance) — and what stays "to be confirmed" without evidence."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from assistance.models import MeasureKind
from core.exceptions import DomainError
from households.selectors.guarantees import MET, TO_CONFIRM, UNMET, guarantee_status, guarantees_met
from households.services.guarantees import (
    housing_appraisal_record,
    livelihood_statement_record,
    medical_cover_record,
)
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.households import HouseholdFactory, MemberFactory, valid_id_number

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _adults(**kwargs):
    household = HouseholdFactory(
        food_secure=True, clothing_secure=True, education_secured=True, medical_secured=True,
        housing_secured=True, **kwargs,
    )  # fmt: skip
    for relation in ("head", "spouse"):
        MemberFactory(
            household=household, relation=relation, id_number=valid_id_number(birth=dt.date(1975, 5, 1))
        )
    return household


def _states(household):
    return {k: s.state for k, s in guarantee_status(household).items()}


def test_ticked_boxes_without_evidence_are_to_be_confirmed(clerk):
    household = _adults()
    assert _states(household) == {
        "food": TO_CONFIRM, "clothing": TO_CONFIRM, "education": MET, "medical": TO_CONFIRM,
        "housing": TO_CONFIRM,
    }  # fmt: skip
    assert not guarantees_met(household)


def test_recorded_facts_make_each_guarantee_met_and_refresh_the_snapshot(clerk):
    household = _adults()
    today = timezone.localdate()
    livelihood_statement_record(
        household=household, actor=clerk, date=today, food_secure=True, clothing_secure=True, stated_by="户主"
    )
    ids = list(household.members.values_list("id", flat=True))
    medical_cover_record(
        household=household,
        actor=clerk,
        year=today.year,
        insured_member_ids=ids,
        serious_illness_covered=True,
    )
    housing_appraisal_record(
        household=household, actor=clerk, grade="B", date=today, appraiser="县住建局张工",
        photo=SimpleUploadedFile("house.png", PNG, content_type="image/png"),
    )  # fmt: skip
    assert set(_states(household).values()) == {MET}
    household.refresh_from_db()
    assert guarantees_met(household)
    assert household.housing_secured
    assert household.housing_appraisals.get().photo.name  # stored through core.uploads


def test_one_member_not_insured_makes_basic_medical_care_unmet(clerk):
    household = _adults()
    head = household.members.get(relation="head")
    medical_cover_record(
        household=household, actor=clerk, year=timezone.localdate().year, insured_member_ids=[head.pk],
        serious_illness_covered=True,
    )  # fmt: skip
    spouse = household.members.get(relation="spouse")
    state = guarantee_status(household)["medical"]
    assert state.state == UNMET
    assert spouse.name in " ".join(state.reasons)
    assert head.name not in " ".join(state.reasons)


def test_a_dangerous_house_is_unmet_until_a_housing_measure_is_done(clerk, days_ago):
    household = _adults()
    housing_appraisal_record(
        household=household, actor=clerk, grade="D", date=days_ago(100), appraiser="县住建局"
    )
    state = guarantee_status(household)["housing"]
    assert state.state == UNMET
    assert "D" in " ".join(state.reasons)
    plan = PlanFactory(household=household)
    MeasureFactory(plan=plan, kind=MeasureKind.HOUSING_REPAIR, causes=["disaster"], title="危房改造")
    assert guarantee_status(household)["housing"].state == UNMET  # planned, not done
    MeasureFactory(
        plan=plan, kind=MeasureKind.HOUSING_REPAIR, causes=["disaster"], title="危房改造（完工）",
        status="done", actual_start=days_ago(60), actual_end=days_ago(10),
    )  # fmt: skip
    state = guarantee_status(household)["housing"]
    assert state.state == MET
    assert "危房改造（完工）" in " ".join(state.evidence)


def test_a_fact_is_refused_with_its_field_named(clerk):
    household = _adults()
    with pytest.raises(DomainError) as exc:
        housing_appraisal_record(
            household=household, actor=clerk, grade="E", date=timezone.localdate() + dt.timedelta(days=1),
            appraiser="",
        )  # fmt: skip
    assert set(exc.value.as_dict()) == {"grade", "date", "appraiser"}


def test_an_outsider_cannot_record_a_fact(other_clerk):
    household = _adults()
    with pytest.raises(Http404):  # outside the clerk's county: as if it did not exist
        livelihood_statement_record(
            household=household, actor=other_clerk, date=timezone.localdate(), food_secure=True,
            clothing_secure=True, stated_by="户主",
        )  # fmt: skip
