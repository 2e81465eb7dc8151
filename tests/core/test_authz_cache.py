"""Roles and permissions are cached per process (core.authz), and every change is seen at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import authz
from core.models import Role, User
from tests.conftest import XIUWU, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/households/"


@pytest.fixture
def clerk_client(regions):
    user = make_user(Role.COUNTY_CLERK, XIUWU, username="authz_clerk")
    client = Client()
    client.force_login(user)
    return user, client


def _auth_queries(ctx) -> list[str]:
    return [
        q["sql"] for q in ctx.captured_queries if "auth_group" in q["sql"] or "auth_permission" in q["sql"]
    ]


def test_second_request_reads_no_roles_or_permissions(clerk_client):
    _, client = clerk_client
    assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    assert _auth_queries(ctx) == []


def test_role_removed_elsewhere_is_refused_on_the_next_request(clerk_client):
    user, client = clerk_client
    assert client.get(URL).status_code == 200  # warm the cache
    User.objects.get(pk=user.pk).groups.remove(Group.objects.get(name=Role.COUNTY_CLERK))
    assert client.get(URL).status_code == 403


def test_role_removed_from_the_group_side_is_refused(clerk_client):
    user, client = clerk_client
    assert client.get(URL).status_code == 200
    Group.objects.get(name=Role.COUNTY_CLERK).user_set.remove(user)
    assert client.get(URL).status_code == 403


def test_group_cleared_of_users_is_refused(clerk_client):
    _, client = clerk_client
    assert client.get(URL).status_code == 200
    Group.objects.get(name=Role.COUNTY_CLERK).user_set.clear()
    assert client.get(URL).status_code == 403


def test_permission_taken_from_the_role_is_refused(clerk_client):
    _, client = clerk_client
    assert client.get(URL).status_code == 200
    view = Permission.objects.get(content_type__app_label="households", codename="view_household")
    Group.objects.get(name=Role.COUNTY_CLERK).permissions.remove(view)
    assert client.get(URL).status_code == 403


def test_permission_taken_from_the_permission_side_is_refused(clerk_client):
    _, client = clerk_client
    assert client.get(URL).status_code == 200
    view = Permission.objects.get(content_type__app_label="households", codename="view_household")
    view.group_set.clear()
    assert client.get(URL).status_code == 403


def test_permission_granted_is_seen_on_the_next_request(regions):
    user = make_user(Role.COUNTY_CLERK, XIUWU, username="authz_grant")
    user.groups.clear()
    client = Client()
    client.force_login(user)
    assert client.get(URL).status_code == 403  # cached: no permissions
    view = Permission.objects.get(content_type__app_label="households", codename="view_household")
    User.objects.get(pk=user.pk).user_permissions.add(view)
    assert client.get(URL).status_code == 200


def test_role_codes_follow_a_renamed_role(regions):
    user = make_user(Role.LEADER, XIUWU, username="authz_leader")
    assert User.objects.get(pk=user.pk).is_read_only
    group = Group.objects.get(name=Role.LEADER)
    group.name = "leader_renamed"
    group.save()
    fresh = User.objects.get(pk=user.pk)
    assert fresh.role_codes == frozenset({"leader_renamed"})
    assert not fresh.is_read_only


def test_the_same_object_sees_its_own_role_change(regions):
    user = make_user(Role.COUNTY_CLERK, XIUWU, username="authz_same")
    assert user.has_perm("households.view_household")
    user.groups.clear()
    assert not user.has_perm("households.view_household")
    assert user.role_codes == frozenset()


def test_inactive_users_have_no_permissions(regions):
    user = make_user(Role.COUNTY_CLERK, XIUWU, username="authz_inactive")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not User.objects.get(pk=user.pk).has_perm("households.view_household")


def test_a_new_stamp_writes_no_user_history(regions):
    from django.apps import apps

    UserEvent = apps.get_model("core", "UserEvent")
    user = make_user(Role.COUNTY_CLERK, XIUWU, username="authz_history")
    before = UserEvent.objects.filter(pgh_obj_id=user.pk).count()
    authz.touch_users([user.pk])
    user.groups.clear()
    assert UserEvent.objects.filter(pgh_obj_id=user.pk).count() == before
