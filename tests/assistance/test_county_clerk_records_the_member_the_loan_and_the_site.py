"""因人施策: an employment measure names the member of the household it employs; a microcredit
measure records its loan; a relocation its site and move-in date. Bad input is refused naming the
field, in Chinese, and nothing is saved; a measure is done only once its facts are recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from assistance import services
from assistance.models import Measure, MeasureStatus
from core.exceptions import DomainError
from households.models import LabourAbility
from tests.factories.assistance import PlanFactory
from tests.factories.households import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + dt.timedelta(days=60)
YEAR = TODAY.year


@pytest.fixture
def plan(household):
    return PlanFactory(household=household, year=YEAR)


def add(plan, actor, kind, causes, **details):
    return services.measure_add(
        plan=plan, actor=actor, kind=kind, title="措施", causes=causes, planned_end=SOON, **details
    )


def test_employment_names_a_working_member_of_the_household(clerk, plan, xiuwu_village):
    worker = MemberFactory(household=plan.household, name="张强")
    stranger = MemberFactory(household=HouseholdFactory(village=xiuwu_village))
    elder = MemberFactory(household=plan.household, labour_ability=LabourAbility.LOST, relation="parent")
    with override("zh-hans"):
        with pytest.raises(DomainError) as err:
            add(plan, clerk, "employment", ["lack_skills"], employed_member=stranger)
        assert err.value.field == "employed_member"
        assert "本户" in str(err.value.message)
        with pytest.raises(DomainError) as err:
            add(plan, clerk, "employment", ["lack_skills"], employed_member=elder)
        assert err.value.field == "employed_member"
    assert not Measure.objects.exists()
    measure = add(plan, clerk, "employment", ["lack_skills"], employed_member=worker)
    assert measure.employed_member == worker


def test_a_loan_must_be_sound_and_only_on_microcredit(clerk, plan):
    with override("zh-hans"), pytest.raises(DomainError) as err:
        add(
            plan, clerk, "microcredit", ["lack_funds"], loan_amount=Decimal("50000"), loan_bank="农商行",
            loan_date=dt.date(YEAR, 3, 1), loan_due=dt.date(YEAR, 2, 1), interest_subsidy=Decimal("60000"),
        )  # fmt: skip
    assert set(err.value.errors) == {"loan_due", "interest_subsidy"}
    assert "到期" in err.value.errors["loan_due"][0]
    with pytest.raises(DomainError) as err:
        add(plan, clerk, "microcredit", ["lack_funds"], loan_amount=Decimal("0"))
    assert err.value.field == "loan_amount"
    with pytest.raises(DomainError) as err:
        add(plan, clerk, "industry", ["lack_funds"], loan_bank="农商行")
    assert err.value.field == "loan_bank"
    assert not Measure.objects.exists()


def test_a_measure_is_done_only_once_its_facts_are_recorded(clerk, plan):
    credit = add(plan, clerk, "microcredit", ["lack_funds"])
    services.measure_transition(measure=credit, to_status=MeasureStatus.IN_PROGRESS, actor=clerk)
    with pytest.raises(DomainError) as err:
        services.measure_transition(measure=credit, to_status=MeasureStatus.DONE, actor=clerk)
    assert set(err.value.errors) == {"loan_amount", "loan_bank", "loan_date", "loan_due", "interest_subsidy"}
    assert Measure.objects.get(pk=credit.pk).status == MeasureStatus.IN_PROGRESS
    services.measure_update(measure=credit, actor=clerk, data={
        "loan_amount": Decimal("50000"), "loan_bank": "修武县农商银行", "loan_date": dt.date(YEAR, 1, 5),
        "loan_due": dt.date(YEAR + 3, 1, 4), "interest_subsidy": Decimal("2175"),
    })  # fmt: skip
    done = services.measure_transition(measure=credit, to_status=MeasureStatus.DONE, actor=clerk)
    assert done.status == MeasureStatus.DONE


def test_a_relocation_is_done_once_the_household_has_moved_in(clerk, xiuwu_village):
    household = HouseholdFactory(village=xiuwu_village, main_cause="poor_transport")
    move = add(PlanFactory(household=household, year=YEAR), clerk, "relocation", ["poor_transport"],
               relocation_site="县城东区安置点", move_in_date=TODAY + dt.timedelta(days=10))  # fmt: skip
    services.measure_transition(measure=move, to_status=MeasureStatus.IN_PROGRESS, actor=clerk)
    with pytest.raises(DomainError) as err:
        services.measure_transition(measure=move, to_status=MeasureStatus.DONE, actor=clerk)
    assert err.value.field == "move_in_date"


def test_the_clerk_records_the_facts_on_the_plan_page(client, clerk, plan):
    worker = MemberFactory(household=plan.household, name="李梅")
    measure = add(plan, clerk, "employment", ["lack_skills"])
    client.force_login(clerk)
    page = client.get(reverse("assistance:plan", args=[plan.household_id]) + f"?year={YEAR}")
    assert f'name="measure-{measure.pk}-employed_member"' in page.content.decode()
    # The quick-add form marks each kind's own facts (shown only for that kind).
    assert 'data-for-kind="microcredit"' in page.content.decode()
    assert 'data-for-kind="relocation"' in page.content.decode()
    url = reverse("assistance:measure_details", args=[measure.pk])
    stranger = MemberFactory(household=HouseholdFactory(village=plan.household.village))
    refused = client.post(url, {f"measure-{measure.pk}-employed_member": stranger.pk})
    assert refused.status_code == 400  # not among the choices: refused beside the field
    assert Measure.objects.get(pk=measure.pk).employed_member is None
    assert client.post(url, {f"measure-{measure.pk}-employed_member": worker.pk}).status_code == 302
    assert Measure.objects.get(pk=measure.pk).employed_member == worker
    assert (
        "李梅"
        in client.get(reverse("assistance:plan", args=[plan.household_id]) + f"?year={YEAR}").content.decode()
    )


def test_the_api_refuses_a_foreign_member_naming_the_field(api_as, clerk, plan, xiuwu_village):
    stranger = MemberFactory(household=HouseholdFactory(village=xiuwu_village))
    body = {"plan": plan.pk, "kind": "employment", "title": "务工", "causes": ["lack_skills"],
            "planned_end": SOON.isoformat(), "employed_member": stranger.pk}  # fmt: skip
    response = api_as(clerk).post("/api/v1/assistance/measures/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"employed_member"}
    assert not Measure.objects.exists()
