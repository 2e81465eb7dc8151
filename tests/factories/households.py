import datetime as dt
import random

import factory

from core.idnumbers import make_id_number
from core.models import Region
from households.models import (
    Education,
    Household,
    HouseholdAttribute,
    HouseholdStatus,
    LabourAbility,
    Member,
    PovertyCause,
    Relation,
)

_rng = random.Random(11643)


def first_village(prefix: str = "410821") -> Region:
    return Region.objects.filter(code__startswith=prefix, level="village").order_by("code").first()


def valid_id_number(*, region6: str = "410821", birth: dt.date | None = None, female: bool = False) -> str:
    birth = birth or dt.date(1970, 1, 1) + dt.timedelta(days=_rng.randint(0, 15000))
    return make_id_number(_rng, region6=region6, birth=birth, female=female)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    file_number = factory.Sequence(lambda n: f"T{n:08d}")
    village = factory.LazyFunction(first_village)
    head_name = factory.Sequence(lambda n: f"户主{n}")
    attribute = HouseholdAttribute.GENERAL
    identified_year = 2016
    status = HouseholdStatus.REGISTERED
    main_cause = PovertyCause.ILLNESS
    secondary_causes = factory.LazyFunction(list)


class MemberFactory(factory.django.DjangoModelFactory):
    """A member with a valid, unique ID number. Pass `id_number=` to choose it."""

    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    relation = Relation.HEAD
    education = Education.PRIMARY
    labour_ability = LabourAbility.ORDINARY
    id_number = factory.LazyFunction(valid_id_number)
    sex = factory.LazyAttribute(lambda o: "M" if int(o.id_number[16]) % 2 else "F")
    birth_date = factory.LazyAttribute(
        lambda o: dt.date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14]))
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        number = kwargs.pop("id_number", None) or valid_id_number()
        member = model_class(*args, **kwargs)
        member.set_id_number(number)
        member.save()
        return member


def household_with_members(*, village=None, members: int = 2, **kwargs) -> Household:
    household = HouseholdFactory(village=village or first_village(), **kwargs)
    MemberFactory(household=household, relation=Relation.HEAD, name=household.head_name)
    for _ in range(members - 1):
        MemberFactory(household=household, relation=Relation.SPOUSE)
    household.member_count = members
    household.save(update_fields=["member_count", "updated_at"])
    return household


def member_data(
    *, relation: str = Relation.HEAD, name: str | None = None, id_number: str | None = None, **extra
) -> dict:
    """Input for the register/update services, the API and the forms (one member)."""
    return {
        "name": name or f"成员{_rng.randint(1000, 9999)}",
        "id_number": id_number or valid_id_number(),
        "relation": relation,
        "education": Education.PRIMARY,
        "labour_ability": LabourAbility.ORDINARY,
        **extra,
    }


def household_data(**extra) -> dict:
    return {
        "attribute": HouseholdAttribute.GENERAL,
        "identified_year": 2016,
        "main_cause": PovertyCause.ILLNESS,
        "secondary_causes": [PovertyCause.LACK_FUNDS],
        "address": "一组12号",
        **extra,
    }


GUARANTEES_MET = {
    "food_secure": True,
    "clothing_secure": True,
    "education_secured": True,
    "medical_secured": True,
    "housing_secured": True,
}


def ready_to_exit(*, village=None, year: int = 2016, income: str = "4200.00", **kwargs) -> Household:
    """A registered household with members, all five guarantees met and an income above the line."""
    from decimal import Decimal

    from households.models import Income

    household = household_with_members(village=village, **{**GUARANTEES_MET, **kwargs})
    Income.objects.create(household=household, year=year, per_capita_net_income=Decimal(income))
    return household


def ensure_poverty_lines() -> None:
    """The lines come from a data migration; transactional tests flush them, so put them back."""
    import importlib

    from households.models import PovertyLine

    lines = importlib.import_module("households.migrations.0003_poverty_lines").LINES
    if PovertyLine.objects.count() < len(lines):
        for year, amount in lines.items():
            PovertyLine.objects.get_or_create(year=year, defaults={"amount": amount})


def minutes_file(name: str = "minutes.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 minutes", content_type="application/pdf")
