import factory
from django.contrib.auth.models import Group

from core.models import Officer, Region, Unit, UnitKind, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"4108{n:08d}")
    name = factory.Sequence(lambda n: f"区域{n}")
    level = "village"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = UnitKind.DEPARTMENT
    region = factory.LazyFunction(lambda: Region.objects.get(code="410821000000"))


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    name = factory.Sequence(lambda n: f"干部{n}")
    position = "科员"
    unit = factory.SubFactory(UnitFactory)
    region = factory.LazyAttribute(lambda o: o.unit.region)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Pass-word-123")
    region = None

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[str(r) for r in extracted]))
        self.save()
