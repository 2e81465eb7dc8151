"""Whether an ID number exists is an answer too: roles that may not reveal numbers get a daily cap of
exact searches by a full number, each logged like a reveal (issue 15.1)."""

import threading

import pytest
from django.db import connection

from core import pii
from core.models import IdProbeCount, Role, SensitiveAccess
from tests.conftest import CITY, make_user
from tests.factories.households import household_with_members


@pytest.fixture
def cap(settings):
    settings.ID_PROBE_DAILY_LIMIT = 3
    return 3


def _search(api_client, number):
    return api_client.post("/api/v1/households/search/", {"id_number": number}, format="json")


def test_a_leader_gets_the_daily_cap_of_id_searches_then_a_clear_error(api_client, leader, cap):
    household = household_with_members()
    number = household.members.first().reveal_id_number()
    api_client.force_authenticate(leader)
    for _ in range(cap):
        response = _search(api_client, number)
        assert response.status_code == 200
        assert [r["id"] for r in response.json()["results"]] == [household.pk]
    refused = _search(api_client, number)
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "id_probe_limit"
    assert "上限" in body["message"]
    assert body["errors"]
    assert "results" not in body
    probes = SensitiveAccess.objects.filter(user=leader, object_type="id_number_probe")
    assert probes.count() == cap
    assert set(probes.values_list("object_id", flat=True)) == {pii.keyed_hash(number)[:50]}


def test_the_page_search_counts_against_the_same_cap(client, leader, cap):
    household = household_with_members()
    number = household.members.first().reveal_id_number()
    client.force_login(leader)
    for _ in range(cap):
        assert client.post("/households/", {"q": number}).status_code in (200, 302)
    refused = client.post("/households/", {"q": number})
    assert refused.status_code == 429
    assert "上限" in refused.content.decode()


def test_roles_that_may_reveal_are_not_counted(api_client, clerk, cap):
    household = household_with_members()
    number = household.members.first().reveal_id_number()
    api_client.force_authenticate(clerk)
    for _ in range(cap + 2):
        assert _search(api_client, number).status_code == 200
    assert not IdProbeCount.objects.filter(user=clerk).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_probes_cannot_pass_the_cap(regions, settings):
    settings.ID_PROBE_DAILY_LIMIT = 5
    auditor = make_user(Role.AUDITOR, CITY)
    outcomes: list[str] = []
    start = threading.Barrier(12)

    def probe():
        try:
            start.wait()
            pii.count_probe(auditor, number="41082119900307251X", what="test", channel="test")
            outcomes.append("answered")
        except pii.ProbeLimitReached:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=probe) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["answered"] * 5 + ["refused"] * 7
    assert IdProbeCount.objects.get(user=auditor).count == 5
    assert SensitiveAccess.objects.filter(user=auditor, object_type="id_number_probe").count() == 5


def test_only_roles_that_may_reveal_can_learn_of_a_number_by_writing():
    """Registration's uniqueness error, member creation and the duplicate scan also say whether a
    number exists; they are not capped because only roles holding the reveal permission reach
    them. A role given one of these without the reveal permission fails here."""
    from core.roles import declared_role_permissions

    writes = {"households.add_household", "households.add_member", "households.change_member",
              "households.change_household", "households.import_households",
              "households.change_duplicatecandidate"}  # fmt: skip
    for role, perms in declared_role_permissions().items():
        if perms & writes:
            assert pii.REVEAL_PERMISSION in perms, role
