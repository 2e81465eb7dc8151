"""Measures written before the kinds' table (or around the services) that claim a cause their kind
does not answer are listed for the county, each reviewed to a decision — never deleted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import selectors, services
from assistance.models import AssistancePlan, FitDecision, Measure, MeasureFitReview, MeasureStatus
from core.exceptions import ConflictError, DomainError
from tests.factories.assistance import MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def legacy(household):
    """A plan whose training measure claims illness too (its kind answers lack of skills only)."""
    plan = PlanFactory(household=household, year=YEAR)
    measure = MeasureFactory(
        plan=plan, kind="skills_training", causes=["illness", "lack_skills"], title="旧培训"
    )
    MeasureFactory(plan=plan, kind="microcredit", causes=["lack_funds"])
    return measure


def test_the_unfit_measure_is_listed_and_not_counted_until_decided(client, clerk, other_clerk, legacy):
    assert AssistancePlan.objects.get(pk=legacy.plan_id).uncovered_count == 1  # illness
    assert services.fit_reviews_open(actor=clerk) == 1
    assert services.fit_reviews_open(actor=clerk) == 0  # one open review per measure
    review = MeasureFitReview.objects.get()
    assert (review.measure, review.causes, review.decision) == (legacy, ["illness"], "")

    client.force_login(clerk)
    page = client.get(reverse("assistance:fit_reviews"))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-review="{review.pk}"' in body
    assert "旧培训" in body
    assert page.context["open_count"] == 1
    # The plan page marks the measure.
    plan_page = client.get(reverse("assistance:plan", args=[legacy.plan.household_id]) + f"?year={YEAR}")
    assert 'data-flag="kind-does-not-answer"' in plan_page.content.decode()
    # Another county's clerk sees nothing of it.
    client.force_login(other_clerk)
    assert f'data-review="{review.pk}"' not in client.get(reverse("assistance:fit_reviews")).content.decode()
    assert (
        client.post(
            reverse("assistance:fit_review_decide", args=[review.pk]),
            {f"review-{review.pk}-decision": "kept"},
        ).status_code
        == 404
    )


def test_keeping_needs_a_reason_and_a_decided_review_stays_decided(client, clerk, legacy):
    services.fit_reviews_open(actor=clerk)
    review = MeasureFitReview.objects.get()
    client.force_login(clerk)
    url = reverse("assistance:fit_review_decide", args=[review.pk])
    refused = client.post(url, {f"review-{review.pk}-decision": "kept", f"review-{review.pk}-note": ""})
    assert refused.status_code == 400
    assert "note" in refused.context["page"][0].form.errors
    assert MeasureFitReview.objects.get().decision == ""

    assert (
        client.post(
            url,
            {f"review-{review.pk}-decision": "kept", f"review-{review.pk}-note": "培训后可从事轻体力工作"},
        ).status_code
        == 302
    )
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == (FitDecision.KEPT, clerk)
    # Kept as it is: still not counted for illness; listed under its decision, not as open.
    assert AssistancePlan.objects.get(pk=legacy.plan_id).uncovered_count == 1
    assert not selectors.fit_review_list(actor=clerk).exists()
    assert selectors.fit_review_list(actor=clerk, filters={"decision": "kept"}).get() == review
    with pytest.raises(ConflictError):
        services.fit_review_decide(review=review, actor=clerk, decision="cancelled", note="x")


def test_narrowing_keeps_the_causes_its_kind_answers(clerk, legacy):
    services.fit_reviews_open(actor=clerk)
    review = services.fit_review_decide(
        review=MeasureFitReview.objects.get(), actor=clerk, decision="narrowed"
    )
    assert review.decision == FitDecision.NARROWED
    assert Measure.objects.get(pk=legacy.pk).causes == ["lack_skills"]


def test_fits_only_when_it_does_and_cancelling_keeps_the_measure(clerk, legacy):
    services.fit_reviews_open(actor=clerk)
    review = MeasureFitReview.objects.get()
    with pytest.raises(DomainError) as err:
        services.fit_review_decide(review=review, actor=clerk, decision="fits")
    assert err.value.field == "decision"
    services.fit_review_decide(review=review, actor=clerk, decision="cancelled", note="改为医疗救助")
    measure = Measure.objects.get(pk=legacy.pk)  # never deleted
    assert (measure.status, measure.cancel_reason) == (MeasureStatus.CANCELLED, "改为医疗救助")


def test_the_api_lists_and_decides(api_as, clerk, other_clerk, legacy):
    services.fit_reviews_open(actor=clerk)
    review = MeasureFitReview.objects.get()
    rows = api_as(clerk).get("/api/v1/assistance/fit-reviews/", {"decision": "open"}).json()["results"]
    assert [(r["id"], r["causes"], r["kind"]) for r in rows] == [(review.pk, ["illness"], "skills_training")]
    assert api_as(other_clerk).get("/api/v1/assistance/fit-reviews/").json()["results"] == []
    url = f"/api/v1/assistance/fit-reviews/{review.pk}/decide/"
    assert api_as(other_clerk).post(url, {"decision": "kept", "note": "x"}, format="json").status_code == 404
    refused = api_as(clerk).post(url, {"decision": "kept"}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"note"}
    done = api_as(clerk).post(url, {"decision": "narrowed"}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["decision"] == "narrowed"


def test_the_clerk_looks_again_and_only_their_county_is_searched(client, clerk, other_clerk, legacy):
    client.force_login(other_clerk)
    assert client.post(reverse("assistance:fit_review_scan")).status_code == 302
    assert not MeasureFitReview.objects.exists()  # 博爱's look does not reach 修武's measures
    client.force_login(clerk)
    response = client.post(reverse("assistance:fit_review_scan"), follow=True)
    assert response.status_code == 200
    assert MeasureFitReview.objects.get().measure == legacy
    assert f'data-review="{MeasureFitReview.objects.get().pk}"' in response.content.decode()


def test_the_migration_lists_the_measures_written_before_the_table(legacy, xiuwu_village):
    """Migration 0007's own statement, run on measures already there: each unfit, live measure
    gets one open review; a cancelled one none; run twice, it adds nothing."""
    import importlib

    from django.db import connection

    from tests.factories.households import HouseholdFactory

    other = PlanFactory(household=HouseholdFactory(village=xiuwu_village), year=YEAR)
    MeasureFactory(
        plan=other, kind="education_relief", causes=["illness"], status="cancelled", cancel_reason="错录"
    )
    migration = importlib.import_module("assistance.migrations.0007_kind_causes_coverage_and_reviews")
    with connection.cursor() as cursor:
        cursor.execute(migration.OPEN_REVIEWS)
        cursor.execute(migration.OPEN_REVIEWS)
    assert list(MeasureFitReview.objects.values_list("measure_id", "causes", "decision")) == [
        (legacy.pk, ["illness"], "")
    ]
