"""因户施策: a measure answers a cause only if its kind can. The county clerk (who keeps the county's
assistance settings until the county administrator role lands) counts a kind for one more cause;
coverage follows at once; other counties and other roles cannot."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import selectors, services
from assistance.models import AssistancePlan, KindCause, Measure, MeasureKind
from core.exceptions import ConflictError, DomainError
from core.models import Role
from tests.conftest import XIUWU
from tests.factories.assistance import MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + dt.timedelta(days=60)
YEAR = timezone.localdate().year


def test_a_kind_that_does_not_answer_the_cause_is_refused_naming_the_field(assist, household):
    plan = services.plan_create(household=household, year=YEAR, actor=assist)
    with pytest.raises(DomainError) as err:
        services.measure_add(
            plan=plan, actor=assist, kind=MeasureKind.EDUCATION_RELIEF, title="助学", causes=["illness"],
            planned_end=SOON,
        )  # fmt: skip
    assert err.value.field == "kind"
    assert "因病" in str(err.value.message) or "illness" in str(err.value.message)
    assert not Measure.objects.exists()


def test_the_page_puts_the_refusal_beside_the_kind_and_keeps_the_input(client, clerk, household):
    plan = PlanFactory(household=household, year=YEAR)
    client.force_login(clerk)
    response = client.post(
        reverse("assistance:measure_add", args=[plan.pk]),
        {"kind": "microcredit", "title": "小额信贷", "causes": ["illness"], "planned_end": SOON.isoformat()},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["kind"]
    assert 'value="小额信贷"' in response.content.decode()
    assert not Measure.objects.exists()


def test_county_clerk_counts_a_kind_for_one_more_cause_and_coverage_follows(client, clerk, household):
    # A training measure claimed against lack of funds (from before the table): not counted.
    plan = PlanFactory(household=household, year=YEAR)
    MeasureFactory(plan=plan, kind=MeasureKind.SKILLS_TRAINING, causes=["lack_skills", "lack_funds"])
    MeasureFactory(plan=plan, kind=MeasureKind.MEDICAL_RELIEF, causes=["illness"])
    assert selectors.plan_get(actor=clerk, pk=plan.pk).uncovered == ["lack_funds"]
    assert AssistancePlan.objects.get(pk=plan.pk).uncovered_count == 1

    client.force_login(clerk)
    page = client.get(reverse("assistance:kind_causes"))
    assert page.status_code == 200
    assert page.context["form"] is not None
    response = client.post(
        reverse("assistance:kind_cause_add"),
        {"county": XIUWU, "kind": "skills_training", "cause": "lack_funds", "note": "培训后推荐创业贷款"},
    )
    assert response.status_code == 302
    row = KindCause.objects.get(county_id=XIUWU)
    assert (row.kind, row.cause, row.added_by) == ("skills_training", "lack_funds", clerk)
    # The database recomputed the stored coverage; the Python twin agrees.
    assert AssistancePlan.objects.get(pk=plan.pk).uncovered_count == 0
    assert selectors.plan_get(actor=clerk, pk=plan.pk).uncovered == []
    assert selectors.uncovered_causes(plan) == []
    assert (
        'data-county="410821000000" data-cause="lack_funds"'
        in client.get(reverse("assistance:kind_causes")).content.decode()
    )


def test_an_extension_holds_in_its_county_only(clerk, other_clerk, household, boai_household):
    services.kind_cause_add(actor=clerk, county=XIUWU, kind="microcredit", cause="illness", note="医疗贷")
    assert "illness" in selectors.kind_answers(county=household.village_id)["microcredit"]
    assert "illness" not in selectors.kind_answers(county=boai_household.village_id)["microcredit"]
    # The 博爱 clerk cannot set 修武's table (not found), nor read its extensions.
    from django.http import Http404

    with pytest.raises(Http404):
        services.kind_cause_add(
            actor=other_clerk, county=XIUWU, kind="microcredit", cause="disaster", note="x"
        )
    assert not selectors.kind_cause_extensions(actor=other_clerk).exists()


def test_a_refused_extension_names_its_field_and_changes_nothing(client, clerk):
    with pytest.raises(ConflictError) as err:
        services.kind_cause_add(
            actor=clerk, county=XIUWU, kind="medical_relief", cause="illness", note="重复"
        )
    assert err.value.field == "cause"
    with pytest.raises(DomainError) as err:
        services.kind_cause_add(actor=clerk, county=XIUWU, kind="industry", cause="lack_labour", note=" ")
    assert err.value.field == "note"
    client.force_login(clerk)
    response = client.post(
        reverse("assistance:kind_cause_add"),
        {"county": XIUWU, "kind": "industry", "cause": "lack_labour", "note": ""},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    assert not KindCause.objects.filter(county__isnull=False).exists()


def test_only_who_keeps_the_county_settings_may_extend(client, persona, leader, regions):
    officer = persona(Role.ASSISTANCE_OFFICER, XIUWU, username="assist_only")
    data = {"county": XIUWU, "kind": "industry", "cause": "lack_labour", "note": "合作社托管"}
    for user in (officer, leader):
        client.force_login(user)
        assert client.get(reverse("assistance:kind_causes")).context["form"] is None
        assert client.post(reverse("assistance:kind_cause_add"), data).status_code == 403
    assert not KindCause.objects.filter(county__isnull=False).exists()


def test_the_api_lists_the_table_and_adds_to_it(api_as, clerk, other_clerk):
    response = api_as(clerk).post(
        "/api/v1/assistance/kind-causes/",
        {"county": XIUWU, "kind": "asset_income", "cause": "lack_motivation", "note": "光伏收益带动"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    rows = api_as(clerk).get("/api/v1/assistance/kind-causes/", {"page_size": 500}).json()["results"]
    assert {"county": XIUWU, "kind": "asset_income", "cause": "lack_motivation"}.items() <= rows[-1].items()
    assert any(r["county"] is None and r["kind"] == "employment" for r in rows)
    # 博爱 sees the defaults only; a 修武 row added by 博爱 is not found.
    theirs = api_as(other_clerk).get("/api/v1/assistance/kind-causes/", {"page_size": 500}).json()["results"]
    assert all(r["county"] is None for r in theirs)
    refused = api_as(other_clerk).post(
        "/api/v1/assistance/kind-causes/",
        {"county": XIUWU, "kind": "industry", "cause": "lack_labour", "note": "x"},
        format="json",
    )
    assert refused.status_code == 404
    bad = api_as(clerk).post(
        "/api/v1/assistance/kind-causes/", {"county": "410821", "kind": "industry", "cause": "lack_labour",
                                            "note": "x"}, format="json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"county"}


def test_the_county_administrator_keeps_the_table_and_decides_reviews(client, persona, household):
    county_admin = persona(Role.COUNTY_ADMIN, XIUWU, username="countyadmin_xiuwu")
    plan = PlanFactory(household=household, year=YEAR)
    legacy = MeasureFactory(plan=plan, kind=MeasureKind.MICROCREDIT, causes=["lack_skills"], title="旧贷款")
    client.force_login(county_admin)
    response = client.post(
        reverse("assistance:kind_cause_add"),
        {"county": XIUWU, "kind": "microcredit", "cause": "lack_motivation", "note": "贷款带动发展"},
    )
    assert response.status_code == 302
    assert KindCause.objects.filter(county_id=XIUWU, added_by=county_admin).exists()
    assert client.post(reverse("assistance:fit_review_scan")).status_code == 302
    review = legacy.fit_reviews.get()
    decided = client.post(
        reverse("assistance:fit_review_decide", args=[review.pk]),
        {f"review-{review.pk}-decision": "kept", f"review-{review.pk}-note": "贷款用于技能培训"},
    )
    assert decided.status_code == 302
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == ("kept", county_admin)
    # Settings, not plans: the administrator does not keep households' plans.
    assert client.get(reverse("assistance:plan", args=[household.pk])).status_code == 403
