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
    guarantee_facts(
        household, **{k: v for k, v in {**GUARANTEES_MET, **kwargs}.items() if k in GUARANTEES_MET}
    )
    return household


def guarantee_facts(household: Household, *, on: dt.date | None = None, **met: bool) -> Household:
    """The facts 两不愁三保障 rests on, dated `on` (90 days ago: exit tests record steps in the past;
    insurance for this year and last): each guarantee met unless passed False
    (`housing_secured=False`: a grade-D appraisal and no housing measure; `education_secured=False`:
    a 12-year-old who dropped out). School-age members are put in school first."""
    from django.utils import timezone

    from core.models import User
    from households.models import (
        HousingAppraisal,
        IllnessCover,
        LivelihoodStatement,
        MedicalInsurance,
        Schooling,
    )
    from households.selectors.guarantees import age_on, compulsory_school_ages
    from households.services.guarantees import guarantees_snapshot_refresh

    on = on or timezone.localdate() - dt.timedelta(days=90)
    years = sorted({on.year, timezone.localdate().year - 1, timezone.localdate().year})
    ok = {k: met.get(k, True) for k in GUARANTEES_MET}
    officer = User.objects.filter(is_active=True).order_by("id").first() or User.objects.create(
        username="facts"
    )
    low, high = compulsory_school_ages()
    for m in household.members.filter(is_active=True):
        if low <= age_on(m.birth_date, on) <= high:
            m.schooling = Schooling.JUNIOR
            m.save(update_fields=["schooling"])
        for year in years:
            MedicalInsurance.objects.create(
                member=m, year=year, insured=ok["medical_secured"], recorded_by=officer
            )
    for year in years:
        IllnessCover.objects.create(household=household, year=year, covered=True, recorded_by=officer)
    LivelihoodStatement.objects.create(
        household=household, date=on, food_secure=ok["food_secure"], clothing_secure=ok["clothing_secure"],
        stated_by=household.head_name, officer=officer,
    )  # fmt: skip
    HousingAppraisal.objects.create(
        household=household, grade="A" if ok["housing_secured"] else "D", date=on, appraiser="县住建局", recorded_by=officer
    )  # fmt: skip
    if not ok["education_secured"]:
        birth = dt.date(on.year - 12, 3, 1)
        MemberFactory(
            household=household, relation=Relation.SON, name="辍学的孩子", schooling=Schooling.DROPPED_OUT,
            id_number=valid_id_number(birth=birth), education=Education.PRIMARY, labour_ability=LabourAbility.NONE,
        )  # fmt: skip
        for year in years:
            MedicalInsurance.objects.create(
                member=household.members.get(name="辍学的孩子"), year=year, insured=True, recorded_by=officer
            )
    guarantees_snapshot_refresh(household=household)
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
