"""A responsibility touches the holder's region as well as the region answered for (issue 15.4): a
city user could make a 博爱县 officer answer for a 修武县 village, and trace-back then opened cases
against them. The holder belongs to the region or to one above it (a city leader 包县)."""

import datetime as dt

import pytest

from accountability.models import ResponsibilityKind
from accountability.services import responsibility_assign
from core.exceptions import DomainError
from core.models import Region
from tests.factories.core import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_another_countys_officer_or_unit_cannot_answer_for_a_village(decider, xiuwu_village):
    boai_unit = UnitFactory(region=Region.objects.get(code="410822000000"), name="博爱县某局")
    kind = ResponsibilityKind.values[0]
    with pytest.raises(DomainError) as refused:
        responsibility_assign(
            actor=decider, kind=kind, region=xiuwu_village, valid_from=dt.date(2017, 1, 1),
            officer=OfficerFactory(unit=boai_unit),
        )  # fmt: skip
    assert refused.value.field == "officer"
    with pytest.raises(DomainError) as refused:
        responsibility_assign(
            actor=decider, kind=kind, region=xiuwu_village, valid_from=dt.date(2017, 1, 1), unit=boai_unit
        )
    assert refused.value.field == "unit"
    city_officer = OfficerFactory(unit=UnitFactory(region=Region.objects.get(code="410800000000")))
    held = responsibility_assign(
        actor=decider, kind=kind, region=xiuwu_village, valid_from=dt.date(2017, 1, 1), officer=city_officer
    )
    assert held.officer_id == city_officer.pk
