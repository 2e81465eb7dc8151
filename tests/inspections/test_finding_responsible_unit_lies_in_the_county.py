"""Who answers for a finding touches a region too (issue 15.4): a finding in 修武县 took any unit and
officer as responsible, so its rectification and accountability landed on another county."""

import pytest

from core.exceptions import DomainError
from core.models import Region
from inspections.models import Finding
from inspections.services.reports import finding_confirm, finding_create
from tests.factories.core import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db


def data(**extra):
    return {
        "source": "audit", "county": "410821000000", "category": Finding._meta.get_field("category").choices[0][0],
        "description": "危房改造未完成", **extra,
    }  # fmt: skip


def test_another_countys_unit_or_officer_cannot_answer_for_a_finding(inspector, xiuwu_office, boai_office):
    boai_officer = OfficerFactory(unit=boai_office)
    with pytest.raises(DomainError) as refused:
        finding_create(actor=inspector, data=data(responsible_unit=boai_office.pk))
    assert refused.value.field == "responsible_unit"
    with pytest.raises(DomainError) as refused:
        finding_create(actor=inspector, data=data(responsible_officers=[boai_officer.pk]))
    assert refused.value.field == "responsible_officers"
    city_unit = UnitFactory(region=Region.objects.get(code="410800000000"), name="焦作市住建局")
    finding = finding_create(
        actor=inspector,
        data=data(responsible_unit=xiuwu_office.pk, responsible_officers=[OfficerFactory(unit=city_unit).pk]),
    )
    assert finding.responsible_unit_id == xiuwu_office.pk


def test_confirming_a_finding_names_a_unit_of_its_county(inspector, xiuwu_office, boai_office, xiuwu_village):
    finding = finding_create(actor=inspector, data=data())
    Finding.objects.filter(pk=finding.pk).update(status="pending")
    with pytest.raises(DomainError):
        finding_confirm(actor=inspector, finding=finding, responsible_unit=boai_office)
    finding_confirm(actor=inspector, finding=finding, responsible_unit=xiuwu_office)


def test_a_rectification_item_goes_to_a_unit_of_the_findings_county(inspector, xiuwu_office, boai_office):
    import datetime as dt

    from django.utils import timezone

    from inspections.services.ledger import rectification_item_create

    finding = finding_create(actor=inspector, data=data())
    due = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(DomainError) as refused:
        rectification_item_create(
            actor=inspector, finding=finding, responsible_unit=boai_office, deadline=due, description="整改"
        )
    assert refused.value.field == "responsible_unit"
    item = rectification_item_create(
        actor=inspector, finding=finding, responsible_unit=xiuwu_office, deadline=due, description="整改"
    )
    assert item.region_id == xiuwu_office.region_id
