"""core.scoping is the one place that says which rows a reader may see: `scope()` on one or two
fields and narrowed to a chosen region, `scope_q()` inside a larger condition, `scope_sql()` for
raw SQL. Each gives a first secretary only the villages their work team serves."""

import pytest
from django.db import connection

from core.models import Region, Role
from core.scoping import scope, scope_depth, scope_q, scope_sql
from households.models import DuplicateCandidate, DuplicateReason, Household
from tests.conftest import BOAI, XIUWU, make_user
from tests.factories.assistance import VillageTeamFactory
from tests.factories.core import OfficerFactory, UnitFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


def _villages(prefix, n):
    return list(Region.objects.filter(code__startswith=prefix, level="village").order_by("code")[:n])


@pytest.fixture
def world(regions):
    served, unserved = _villages(XIUWU[:6], 2)
    (boai_village,) = _villages(BOAI[:6], 1)
    unit = UnitFactory(region_id=XIUWU)
    officer = OfficerFactory(unit=unit, region_id=XIUWU)
    VillageTeamFactory(dispatching_unit=unit, first_secretary=officer, villages=[served])
    secretary = make_user(Role.FIRST_SECRETARY, XIUWU, username="scope_secretary", officer=officer)
    households = {
        "served": HouseholdFactory(village=served),
        "unserved": HouseholdFactory(village=unserved),
        "boai": HouseholdFactory(village=boai_village),
    }
    return {
        "secretary": secretary,
        "clerk": make_user(Role.COUNTY_CLERK, XIUWU, username="scope_clerk_xiuwu"),
        "boai_clerk": make_user(Role.COUNTY_CLERK, BOAI, username="scope_clerk_boai"),
        "nobody": make_user(Role.COUNTY_CLERK, None, username="scope_no_region"),
        "households": households,
        "served": served,
        "unserved": unserved,
    }


def _names(world, ids):
    return {name for name, h in world["households"].items() if h.pk in set(ids)}


def _sql_ids(actor, how="like", name=None):
    clause, params = scope_sql(actor, "h.village_id", how=how, name=name)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT h.id FROM households_household h WHERE {clause}", params)
        return [r[0] for r in cursor.fetchall()]


@pytest.mark.parametrize("how", ["like", "range", "county"])
def test_scope_sql_gives_each_reader_the_rows_scope_gives(world, how):
    for who, expected in [
        ("secretary", {"served"}),
        ("clerk", {"served", "unserved"}),
        ("boai_clerk", {"boai"}),
        ("nobody", set()),
    ]:
        actor = world[who]
        assert _names(world, _sql_ids(actor, how=how)) == expected, (who, how)
        assert _names(world, _sql_ids(actor, how=how, name="scope")) == expected, (who, how, "named")
        orm = scope(Household.objects.all(), actor=actor, field="village_id", how=how)
        assert _names(world, orm.values_list("pk", flat=True)) == expected, (who, how, "orm")


def test_scope_sql_is_said_in_the_words_of_the_index(world):
    assert scope_sql(world["clerk"], "village_id") == ("(village_id LIKE %s)", ["410821%"])
    assert scope_sql(world["clerk"], "village_id", how="range") == (
        "(village_id >= %s AND village_id < %s)",
        ["410821", "410822"],
    )
    assert scope_sql(world["clerk"], "v", how="county", name="s") == (
        "(left(v, 6) = %(s_0)s)",
        {"s_0": "410821"},
    )
    assert scope_sql(world["nobody"], "village_id") == ("(FALSE)", [])
    with pytest.raises(ValueError):
        scope_sql(world["clerk"], "village_id; DROP TABLE x")


def test_scope_on_two_fields_needs_both_in_scope(world):
    h = world["households"]
    inside = DuplicateCandidate.objects.create(
        household_a=h["served"], household_b=h["unserved"], reason=DuplicateReason.PHONE
    )
    DuplicateCandidate.objects.create(  # across the counties: neither clerk's
        household_a=h["unserved"], household_b=h["boai"], reason=DuplicateReason.PHONE
    )
    fields = ("household_a__village_id", "household_b__village_id")

    def seen(who):
        return set(scope(DuplicateCandidate.objects.all(), actor=world[who], field=fields))

    assert seen("clerk") == {inside}
    assert seen("boai_clerk") == set()
    assert seen("secretary") == set()  # the unserved village is outside a first secretary's scope


def test_scope_within_a_chosen_region_never_widens_it(world):
    qs = Household.objects.all()
    clerk, secretary = world["clerk"], world["secretary"]
    ids = scope(qs, actor=clerk, field="village_id", within=world["unserved"].code).values_list(
        "pk", flat=True
    )
    assert _names(world, ids) == {"unserved"}
    # a region outside the scope, or not a region code at all: nothing (never the other county)
    for within in (BOAI, "410822", "x'; --", "4108220000001"):
        assert not scope(qs, actor=clerk, field="village_id", within=within).exists(), within
    # the city chosen by a county clerk: still the county
    ids = scope(qs, actor=clerk, field="village_id", how="range", within="410800000000").values_list(
        "pk", flat=True
    )
    assert _names(world, ids) == {"served", "unserved"}
    ids = scope(qs, actor=secretary, field="village_id", within=XIUWU).values_list("pk", flat=True)
    assert _names(world, ids) == {"served"}


def test_scope_q_combines_with_other_conditions(world):
    for who, expected in [("secretary", {"served"}), ("boai_clerk", {"boai"}), ("nobody", set())]:
        ids = Household.objects.filter(scope_q(world[who], "village_id")).values_list("pk", flat=True)
        assert _names(world, ids) == expected, who


def test_scope_depth_tells_the_level_of_the_reader(world, leader):
    assert scope_depth(world["clerk"]) == 6
    assert scope_depth(leader) == 4
    assert scope_depth(world["nobody"]) is None


def test_a_duplicate_scan_covers_the_scanners_scope_only(world):
    """The scan's raw SQL takes its region clause from scope_sql: a 博爱县 clerk's scan does not
    pair two 修武县 households; a 修武县 clerk's does."""
    from households.services import duplicates_scan

    h = world["households"]
    Household.objects.filter(pk__in=[h["served"].pk, h["unserved"].pk]).update(phone="13900000001")
    assert duplicates_scan(actor=world["boai_clerk"]) == 0
    assert duplicates_scan(actor=world["nobody"]) == 0
    assert duplicates_scan(actor=world["clerk"]) == 1


def test_region_rows_of_a_figure_are_the_readers_only_when_a_reader_drills_down(world):
    """A figure counts every row of its region (no reader: the bulletin, the figures refresh); the
    rows a reader opens behind it are those in their scope as well."""
    from core.scoping import region_rows

    qs = Household.objects.all()

    def names(**kwargs):
        return _names(world, region_rows(qs, field="village_id", **kwargs).values_list("pk", flat=True))

    assert names(region=XIUWU) == {"served", "unserved"}
    assert names(region=XIUWU[:6], actor=world["secretary"]) == {"served"}
    assert names(region=XIUWU, actor=world["boai_clerk"]) == set()
    assert names(region="") == {"served", "unserved", "boai"}
