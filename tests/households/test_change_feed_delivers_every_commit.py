"""An integrator mirrors a county's households with the change feed (GET /api/v1/households/feed/):
every committed change reaches it, however the writes interleave with its polls.

With `updated_after`, a household written by a transaction still open when the client polled (an
import's batch, one `updated_at` set at write time) was passed over for good once it committed. The
feed's token never passes a transaction still open, so a late commit comes on a later poll; rows that
left the reader's county come as "removed"; a reader whose scope changed is told to start again.

Transactional: the writers are real concurrent sessions (a second psycopg connection), committing
while the reader polls.
"""

from __future__ import annotations

import contextlib
import itertools
import time

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from core.models import Region
from core.roles import Role
from households.models import Household, HouseholdTombstone, Member
from households.selectors.feed import household_feed, read_token
from tests.factories.households import first_village, household_with_members

pytestmark = pytest.mark.django_db(transaction=True)

FEED = "/api/v1/households/feed/"
XIUWU = "410821000000"
BOAI = "410822000000"
_numbers = itertools.count(1)


def _session() -> psycopg.Connection:
    """Another client of the same database, in its own transactions (autocommit off)."""
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"], user=s["USER"] or None, password=s["PASSWORD"] or None,
        host=s["HOST"] or None, port=s["PORT"] or None,
    )  # fmt: skip


def _insert(session: psycopg.Connection, village: str, *, head: str | None = None, at=None) -> int:
    """A household written the way an import's batch writes it: one `updated_at` for the batch."""
    at = at or timezone.now()
    number = next(_numbers)
    row = session.execute(
        """INSERT INTO households_household (file_number, village_id, address, phone, head_name, member_count,
               attribute, identified_year, status, status_changed_at, main_cause, secondary_causes,
               food_secure, clothing_secure, education_secured, medical_secured, housing_secured,
               created_at, updated_at)
           VALUES (%s, %s, '', '', %s, 0, 'general', 2016, 'registered', %s, 'illness', '{}',
                   false, false, false, false, false, %s, %s) RETURNING id""",
        [f"F{number:09d}", village, head or f"户主{number}", at, at, at],
    ).fetchone()
    return row[0]


def poll(api, token: str = "", page_size: int = 100) -> dict:
    response = api.get(FEED, {"token": token, "page_size": page_size})
    assert response.status_code == 200, response.content
    return response.json()


def follow(api, token: str = "", page_size: int = 100, limit: int = 200) -> tuple[list[dict], str]:
    """Poll until `more` is false: every change delivered, and the token to poll with later."""
    changes: list[dict] = []
    for _ in range(limit):
        body = poll(api, token, page_size)
        assert not body["resync"]
        changes.extend(body["changes"])
        token = body["token"]
        if not body["more"]:
            return changes, token
    raise AssertionError("the walk did not end")


def ids(changes, kind="household") -> list[int]:
    return [c["id"] for c in changes if c["kind"] == kind]


@pytest.fixture
def api(api_as, clerk):
    return api_as(clerk)


def test_fill_and_follow_to_the_end_in_transaction_order(api, clerk, boai_village):
    mine = [household_with_members() for _ in range(7)]
    household_with_members(village=boai_village)  # 博爱县: not the clerk's
    changes, token = follow(api, page_size=3)
    assert sorted(ids(changes)) == sorted(h.pk for h in mine)
    first = next(c for c in changes if c["id"] == mine[0].pk)
    assert first["household"]["head_name"] == mine[0].head_name
    assert len(first["household"]["members"]) == 2
    assert "*" in first["household"]["members"][0]["id_number"]  # masked, as everywhere in the API
    # Caught up: nothing more until something changes; then only that.
    idle = poll(api, token)
    assert (idle["more"], idle["resync"], idle["changes"]) == (False, False, [])
    assert read_token(idle["token"])[0] == read_token(token)[0]  # the same position
    Household.objects.filter(pk=mine[3].pk).update(head_name="改名")
    again, _token = follow(api, token)
    assert [(c["id"], c["household"]["head_name"]) for c in again] == [(mine[3].pk, "改名")]


def test_a_commit_late_behind_the_poll_is_delivered_on_a_later_poll(api):
    early = household_with_members()
    writer = _session()
    try:
        late = _insert(writer, first_village().code)  # the writer's transaction is open
        after = household_with_members()  # committed after the writer began, before it commits
        changes, token = follow(api)
        # The open transaction holds the feed back: nothing at or after it is passed.
        assert ids(changes) == [early.pk]
        writer.commit()
        changes, token = follow(api, token)
        assert sorted(ids(changes)) == sorted([late, after.pk])
    finally:
        writer.close()


def test_a_long_import_transaction_open_while_another_client_polls(api):
    importer = _session()
    try:
        importer.execute("SELECT pg_current_xact_id()")  # an import's transaction, begun
        instant = timezone.now().replace(microsecond=0)
        batch = [_insert(importer, first_village().code, at=instant) for _ in range(30)]
        token = ""
        for _ in range(3):  # the client keeps polling while the import runs; meanwhile others commit
            household_with_members()
            changes, token = follow(api, token, page_size=5)
            assert not set(ids(changes)) & set(batch)
        with importer.cursor().copy(  # the import's next batch, by COPY
            "COPY households_household (file_number, village_id, head_name, attribute, identified_year, status,"
            " status_changed_at, main_cause, created_at, updated_at, address, phone, member_count,"
            " secondary_causes, food_secure, clothing_secure, education_secured, medical_secured,"
            " housing_secured) FROM STDIN"
        ) as copy:
            numbers = [next(_numbers) for _ in range(20)]
            for number in numbers:
                copy.write_row([
                    f"F{number:09d}", first_village().code, f"户主{number}", "general", 2016, "registered",
                    instant, "illness", instant, instant, "", "", 0, "{}", False, False, False, False, False,
                ])  # fmt: skip
        files = [f"F{number:09d}" for number in numbers]
        copied = [
            r[0]
            for r in importer.execute(
                "SELECT id FROM households_household WHERE file_number = ANY(%s)", [files]
            )
        ]
        assert len(copied) == 20
        importer.commit()
        changes, token = follow(api, token, page_size=7)
        assert set(batch) | set(copied) <= set(ids(changes))
    finally:
        importer.close()


def test_a_removed_member_delivers_the_household_again(api):
    household = household_with_members(members=3)
    other = household_with_members()
    _changes, token = follow(api)
    leaving = household.members.order_by("-pk").first()
    Member.objects.filter(pk=leaving.pk).delete()
    changes, token = follow(api, token)
    assert ids(changes) == [household.pk]
    assert len(changes[0]["household"]["members"]) == 2
    # A member's change by a bulk update (one statement, several households) re-delivers each.
    Member.objects.filter(household__in=[household, other]).update(migrant_months=3)
    changes, token = follow(api, token)
    assert sorted(ids(changes)) == sorted([household.pk, other.pk])


def test_a_household_moved_to_another_county_is_removed_for_the_first_countys_reader(
    api, api_client, persona, boai_village
):
    moving = household_with_members()
    villages = Region.objects.filter(code__startswith="410821", level="village").order_by("code")
    staying = household_with_members(village=villages.last())
    _changes, token = follow(api)
    boai_api = APIClient()
    boai_api.force_authenticate(persona(Role.COUNTY_CLERK, BOAI))
    _boai, boai_token = follow(boai_api)
    Household.objects.filter(pk=moving.pk).update(village_id=boai_village.code)
    # Within the county: a new village, still the reader's — delivered as a household, not removed.
    Household.objects.filter(pk=staying.pk).update(village_id=villages[1].code)
    assert HouseholdTombstone.objects.filter(household_id=moving.pk, deleted=False).exists()
    changes, token = follow(api, token)
    assert [(c["kind"], c["id"]) for c in changes] == [("removed", moving.pk), ("household", staying.pk)]
    assert changes[0]["household"] is None
    # The receiving county sees it arrive.
    boai_changes, _ = follow(boai_api, boai_token)
    assert [(c["kind"], c["id"]) for c in boai_changes] == [("household", moving.pk)]


def test_the_reader_is_told_to_resync_when_their_scope_changes(api, clerk):
    household_with_members()
    _changes, token = follow(api)
    clerk.region_id = BOAI
    clerk.save(update_fields=["region"])
    body = poll(api, token)
    assert (body["resync"], body["changes"], body["token"]) == (True, [], "")
    household_with_members(village=first_village("410822"))
    changes, _ = follow(api, body["token"])
    assert changes
    assert all(c["household"]["village"].startswith("410822") for c in changes)


def test_a_bad_token_or_page_size_is_a_400_naming_it(api):
    _changes, token = follow(api)
    for bad in ("garbage", token[:-3] + "abc", "e30"):
        response = api.get(FEED, {"token": bad})
        assert response.status_code == 400
        body = response.json()
        assert (body["code"], list(body["errors"])) == ("invalid", ["token"]), body
    for bad in ("0", "501", "abc"):
        response = api.get(FEED, {"page_size": bad})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["page_size"]


def test_an_outsider_gets_nothing(api_as, persona, regions):
    household_with_members()
    outsider = api_as(persona(Role.COUNTY_CLERK, BOAI))
    changes, _ = follow(outsider)
    assert changes == []
    anonymous = api_as(None)
    assert anonymous.get(FEED).status_code in (401, 403)


# --- the property: any interleaving of writes and polls ------------------------------------------

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("begin"), st.sampled_from("AB")),  # an xid taken before any write
        st.tuples(st.just("insert"), st.sampled_from("AB"), st.integers(1, 4), st.booleans()),
        st.tuples(st.just("touch"), st.sampled_from("AB")),  # update one of the session's own households
        st.tuples(st.just("member"), st.sampled_from("AB")),  # a member of the session's pool household
        st.tuples(st.just("commit"), st.sampled_from("AB")),
        st.tuples(st.just("rollback"), st.sampled_from("AB")),
        st.tuples(st.just("poll"), st.integers(1, 4)),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def sessions():
    made = {"A": _session(), "B": _session()}
    yield made
    for s in made.values():
        with contextlib.suppress(Exception):
            s.rollback()
        s.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
# The interleavings `updated_after` loses, always tried: a writer that began (or wrote) before another
# committed, polled past, then commits; same-instant batches; a member's change in a long transaction.
@example(
    actions=[("insert", "A", 2, True), ("insert", "B", 2, True), ("commit", "B"), ("poll", 1), ("poll", 4)]
)
@example(
    actions=[
        ("begin", "A"),
        ("insert", "B", 1, False),
        ("commit", "B"),
        ("poll", 2),
        ("insert", "A", 3, True),
    ]
)
@example(
    actions=[("member", "A"), ("touch", "B"), ("commit", "B"), ("poll", 1), ("rollback", "A"), ("poll", 3)]
)
def test_any_interleaving_of_writes_and_polls_delivers_every_commit(clerk, sessions, actions):
    village = first_village().code
    pool = {name: household_with_members(members=1) for name in "AB"}  # committed, one member each
    instant = timezone.now().replace(microsecond=0)  # every insert of an example at one instant
    pending: dict[str, dict[int, str]] = {"A": {}, "B": {}}  # id → head name, written, not committed
    committed: dict[int, str] = {pool[n].pk: pool[n].head_name for n in "AB"}
    owned: dict[str, list[int]] = {"A": [pool["A"].pk], "B": [pool["B"].pk]}
    delivered: dict[int, str] = {}
    token, position = "", None

    def take(page):
        nonlocal token, position
        assert not page.resync
        for change in page.changes:
            if change.kind == "household":
                delivered[change.id] = change.household.head_name
        if page.changes:
            new = read_token(page.token)[0]
            assert position is None or (new.xid, new.kind, new.id) > (
                position.xid,
                position.kind,
                position.id,
            )
            position = new
        token = page.token

    page = household_feed(clerk, "", 500)  # the examples before this one, and the pool
    take(page)
    while page.more:
        page = household_feed(clerk, token, 500)
        take(page)
    for step, action in enumerate(actions):
        kind, *args = action
        if kind == "begin":
            sessions[args[0]].execute("SELECT pg_current_xact_id()")
        elif kind == "insert":
            name, count, same = args
            for _ in range(count):
                head = f"户{step}{name}{next(_numbers)}"
                pk = _insert(sessions[name], village, head=head, at=instant if same else None)
                pending[name][pk] = head
        elif kind == "touch":
            name = args[0]
            pk = owned[name][-1]
            head = f"改{step}{name}"
            sessions[name].execute("UPDATE households_household SET head_name = %s WHERE id = %s", [head, pk])
            pending[name][pk] = head
        elif kind == "member":
            name = args[0]
            pk = pool[name].pk
            sessions[name].execute(
                "UPDATE households_member SET migrant_months = (migrant_months + 1) %% 12 WHERE household_id = %s",
                [pk],
            )
            pending[name].setdefault(pk, committed.get(pk, pool[name].head_name))
        elif kind in ("commit", "rollback"):
            name = args[0]
            if kind == "commit":
                sessions[name].commit()
                committed.update(pending[name])
                owned[name].extend(pk for pk in pending[name] if pk not in owned[name])
            else:
                sessions[name].rollback()
            pending[name] = {}
        else:
            take(household_feed(clerk, token, args[0]))
    for name in "AB":  # every writer ends
        sessions[name].commit()
        committed.update(pending[name])
    # Follow to the end, as an integrator does, and poll again while anything committed is missing:
    # a poll's horizon also stops below a transaction that ended between its snapshot and its reading
    # of pg_stat_activity (once ended it cannot be told from one of this database, whose rows that
    # snapshot does not see) — the feed says "no more for now", and the next poll goes on. Other
    # databases' transactions (the other test worker's) made this happen now and then.
    deadline = time.monotonic() + 10
    while True:
        for _ in range(500):  # the walk always ends
            page = household_feed(clerk, token, 4)
            take(page)
            if not page.more:
                break
        else:
            raise AssertionError("the walk did not end")
        if all(delivered.get(pk) == head for pk, head in committed.items()) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    # Every committed household delivered, each at its last committed state; nothing rolled back.
    assert {pk: delivered.get(pk) for pk in committed} == committed
    assert set(delivered) <= set(Household.objects.values_list("pk", flat=True))


def test_a_feed_page_is_one_repeatable_read_transaction_on_the_primary(clerk):
    household_with_members()
    with CaptureQueriesContext(connection) as queries:
        household_feed(clerk, "", 10)
    seen = [q["sql"] for q in queries.captured_queries]
    first = next(i for i, sql in enumerate(seen) if "pg_current_snapshot" in sql)
    assert seen[first - 1] == "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", seen
    # Rows written in one transaction share its change_xid; a later transaction's are larger.
    a, b = household_with_members(), household_with_members()
    assert Household.objects.get(pk=b.pk).change_xid > Household.objects.get(pk=a.pk).change_xid
