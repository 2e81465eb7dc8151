import datetime as dt
import io
import uuid

import factory
from django.utils import timezone

from core.models import Officer, Region, Role, Unit, UnitKind
from inspections.models import (
    Finding,
    FindingCategory,
    FindingSource,
    FindingStatus,
    InspectionGroup,
    ItemKind,
    RectificationItem,
    ReportStatus,
    VisitReport,
)
from tests.factories.core import UserFactory

CITY = "410800000000"

# The smallest valid JPEG header plus padding: enough for the type check.
JPEG_BYTES = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200 + b"\xff\xd9"
)


def jpeg_upload(name: str = "photo.jpg", size: int | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = JPEG_BYTES if size is None else JPEG_BYTES[:4] + b"\x00" * (size - 4)
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def jpeg_file(name: str = "photo.jpg") -> io.BytesIO:
    f = io.BytesIO(JPEG_BYTES)
    f.name = name
    return f


def inspection_group(numeral: str = "一") -> InspectionGroup:
    city = Region.objects.get(code=CITY)
    unit, _ = Unit.objects.get_or_create(
        region=city, name=f"市专职督查巡查第{numeral}组", defaults={"kind": UnitKind.INSPECTION_GROUP}
    )
    group, _ = InspectionGroup.objects.get_or_create(unit=unit, defaults={"name": unit.name, "region": city})
    return group


def inspector_user(group: InspectionGroup | None = None, **kwargs):
    group = group or inspection_group()
    officer = Officer.objects.create(name="督查员", position="组员", unit=group.unit, region=group.region)
    group.inspectors.add(officer)
    return UserFactory(roles=[Role.INSPECTOR], region_id=CITY, officer=officer, **kwargs)


def county_office(county_code: str = "410821000000") -> Unit:
    region = Region.objects.get(code=county_code)
    unit, _ = Unit.objects.get_or_create(
        region=region, name=f"{region.name}扶贫开发办公室", defaults={"kind": UnitKind.POVERTY_OFFICE}
    )
    return unit


class VisitReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitReport

    client_uuid = factory.LazyFunction(uuid.uuid4)
    group = factory.LazyFunction(inspection_group)
    county = factory.LazyFunction(lambda: Region.objects.get(code="410821000000"))
    visit_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    place = "某村"
    author = factory.LazyFunction(lambda: UserFactory(roles=[Role.INSPECTOR], region_id=CITY))
    status = ReportStatus.DRAFT


class FindingFactory(factory.django.DjangoModelFactory):
    """A confirmed finding from a province notice in 修武县 (pass status/report for others)."""

    class Meta:
        model = Finding

    source = FindingSource.PROVINCE_OFFICE_NOTICE
    category = FindingCategory.IDENTIFICATION
    description = factory.Sequence(lambda n: f"问题描述{n}：识别不精准")
    region = factory.LazyFunction(lambda: Region.objects.get(code="410821000000"))
    status = FindingStatus.CONFIRMED
    confirmed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == FindingStatus.CONFIRMED else None
    )


class RectificationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RectificationItem

    finding = factory.SubFactory(FindingFactory)
    description = factory.Sequence(lambda n: f"整改措施{n}")
    responsible_unit = factory.LazyFunction(county_office)
    region = factory.LazyAttribute(lambda o: o.responsible_unit.region)
    kind = ItemKind.COMMON
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
