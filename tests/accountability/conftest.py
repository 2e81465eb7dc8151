import datetime as dt

import pytest

from accountability.models import ResponsibilityKind
from core.models import Region, Role, UnitKind
from tests.factories.accountability import ResponsibilityFactory, standard_scheme
from tests.factories.core import OfficerFactory, UnitFactory, UserFactory

XIUWU = "410821000000"
BOAI = "410822000000"


@pytest.fixture
def scheme(regions):
    return standard_scheme()


@pytest.fixture
def decider(regions):
    """纪委 officer of the city (the discipline commission role): confirms, dismisses and closes cases."""
    return UserFactory(region_id="410800000000", username="jiwei", roles=[Role.DISCIPLINE_COMMISSION])


@pytest.fixture
def county_decider(regions):
    """博爱县纪委's officer: an outsider for 修武县 cases."""
    return UserFactory(region_id=BOAI, username="boai_jiwei", roles=[Role.DISCIPLINE_COMMISSION])


@pytest.fixture
def xiuwu_org(regions):
    """修武县: its party committee and government, heads, deputies, a township with a contact leader."""
    county = Region.objects.get(code=XIUWU)
    township = Region.objects.filter(parent=county, level="township").order_by("code").first()
    village = Region.objects.filter(parent=township, level="village").order_by("code").first()
    committee = UnitFactory(region=county, name="中共修武县委员会", kind=UnitKind.PARTY_COMMITTEE)
    government = UnitFactory(region=county, name="修武县人民政府", kind=UnitKind.GOVERNMENT)
    township_unit = UnitFactory(region=township, name=f"{township.name}党委政府", kind=UnitKind.TOWNSHIP)
    secretary = OfficerFactory(unit=committee, name="县委书记甲", position="县委书记")
    magistrate = OfficerFactory(unit=government, name="县长乙", position="县长")
    deputy = OfficerFactory(unit=committee, name="副书记丙", position="县委副书记")
    vice = OfficerFactory(unit=government, name="副县长丁", position="分管副县长")
    old_leader = OfficerFactory(unit=government, name="原联系领导戊", position="副县长")
    new_leader = OfficerFactory(unit=government, name="现联系领导己", position="副县长")
    start = dt.date(2017, 1, 1)
    for officer in (secretary, magistrate):
        ResponsibilityFactory(kind=ResponsibilityKind.FIRST, officer=officer, region=county, valid_from=start)
    for officer in (deputy, vice):
        ResponsibilityFactory(
            kind=ResponsibilityKind.DIRECT, officer=officer, region=county, valid_from=start
        )
    # The township's contact leader changed on 2017-05-01.
    ResponsibilityFactory(kind=ResponsibilityKind.CONTACT_LEADER, officer=old_leader, region=township,
                          valid_from=start, valid_to=dt.date(2017, 4, 30))  # fmt: skip
    ResponsibilityFactory(kind=ResponsibilityKind.CONTACT_LEADER, officer=new_leader, region=township,
                          valid_from=dt.date(2017, 5, 1))  # fmt: skip
    ResponsibilityFactory(kind=ResponsibilityKind.TOWNSHIP_VILLAGE, officer=None, unit=township_unit,
                          region=township, valid_from=start)  # fmt: skip
    ResponsibilityFactory(
        kind=ResponsibilityKind.MAIN, officer=None, unit=committee, region=county, valid_from=start
    )
    return {
        "county": county, "township": township, "village": village, "committee": committee,
        "government": government, "township_unit": township_unit, "secretary": secretary,
        "magistrate": magistrate, "deputy": deputy, "vice": vice, "old_leader": old_leader,
        "new_leader": new_leader,
    }  # fmt: skip
