import datetime as dt

import factory
from django.utils import timezone

from assistance.models import AssistancePlan, Measure, MeasureKind, TeamVillage, VillageTeam
from core.models import UnitKind
from tests.factories.core import OfficerFactory, UnitFactory
from tests.factories.households import HouseholdFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssistancePlan

    household = factory.SubFactory(HouseholdFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)


class MeasureFactory(factory.django.DjangoModelFactory):
    """A planned measure answering the household's main cause, due in a month."""

    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    kind = MeasureKind.EMPLOYMENT
    title = factory.Sequence(lambda n: f"措施{n}")
    causes = factory.LazyAttribute(lambda o: [o.plan.household.main_cause])
    planned_end = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class VillageTeamFactory(factory.django.DjangoModelFactory):
    """A current team. Pass `villages=[region, …]` to set the villages it serves."""

    class Meta:
        model = VillageTeam
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"驻村工作队{n}")
    dispatching_unit = factory.SubFactory(UnitFactory, kind=UnitKind.DISPATCHING)
    first_secretary = factory.SubFactory(
        OfficerFactory, position="驻村第一书记", unit=factory.SelfAttribute("..dispatching_unit")
    )
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))

    @factory.post_generation
    def villages(self, create, extracted, **kwargs):
        if create and extracted:
            TeamVillage.objects.bulk_create([TeamVillage(team=self, village=v) for v in extracted])
