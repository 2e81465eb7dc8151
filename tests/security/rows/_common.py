"""Helpers for the domain apps' rows: answers derived from who holds the permission.

Not a rows module itself (no ROWS): `answers()` turns "these roles hold the permission" into the
cells of `expect()` with the scoping rule applied — county personas (修武县) get `ok` in their
own county and `other` (404, or HIDDEN on lists) in 博爱县; city personas (inspector, leader,
admin) get `ok` on both sides; roles without the permission get 403; leaders never write.
"""

from __future__ import annotations

from tests.security.authz_matrix import (
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    SHOWN,
    UNAUTHORIZED,
    Case,
    expect,
)

COUNTY_ROLES = ("county_clerk", "assistance_officer", "first_secretary", "finance_officer", "auditor")
# The county administrator (县级管理员, issue 17.2): a county persona that keeps the county's officers,
# accounts and settings, and loads existing registers. Not one of ALL_ROLES (rows that let "every
# role" read mean the office roles): answers() gives it 403 unless a row names it in `allowed`.
COUNTY_ADMIN = "county_admin"
CITY_ROLES = ("inspector", "leader", "city_reviewer", "admin")
# The township officer (乡镇, issue 18.6): signs off one township — 修武县's first, where a row's "own"
# objects lie. Like the county administrator, not in ALL_ROLES: 403 unless a row names it in `allowed`.
TOWNSHIP_OFFICER = "township_officer"
# The bodies of issue 19.4, city personas: 组织部门 (spot checks, the annual assessment), 纪委 (decides
# cases), 市委督导组 (the monthly bulletin, proposes cases). Like the county administrator, not in
# ALL_ROLES: answers() gives them 403 unless a row names them in `allowed`.
BODY_ROLES = ("organisation_department", "discipline_commission", "supervision_group")
ALL_ROLES = COUNTY_ROLES + CITY_ROLES
# Every role but the city reviewer, whose one task is the city's queue of duplicates across counties
# (households): where an app lets "every role" read, it names these, and the reviewer gets 403.
OFFICE_ROLES = tuple(r for r in ALL_ROLES if r != "city_reviewer")


def answers(allowed, *, ok=OK, other=NOT_FOUND, api=False, sided=True, write=False, **overrides):
    """`allowed`: the roles holding the permission. `write`: leaders are refused (read-only).
    The admin persona is a superuser: it holds every permission, whatever its group grants."""
    allowed = {*allowed, "admin"}
    by_role = {}
    for role in (*ALL_ROLES, COUNTY_ADMIN, TOWNSHIP_OFFICER, *BODY_ROLES):
        if role not in allowed or (write and role == "leader"):
            by_role[role] = FORBIDDEN
        elif role in CITY_ROLES or role in BODY_ROLES or not sided:
            by_role[role] = ok
        else:
            by_role[role] = (ok, other)
    by_role.update(overrides)
    return expect(anonymous=UNAUTHORIZED if api else LOGIN, **by_role)


def shown(allowed, *, api=False, **overrides):
    """A list: the own row shown, the other county's hidden (city personas see both)."""
    return answers(allowed, ok=SHOWN, other=HIDDEN, api=api, **overrides)


def body(make, *, query=None, format="auto"):
    """No object in the URL, but a body that names the own or the other county (a create)."""

    def build(world, side):
        place = world.place(side)
        return Case(data=make(place), query=dict(query or {}), format=format)

    build.sided = True
    return build


def sided_case(make):
    """`make(place) -> Case`: any URL needing several objects of one side."""

    def build(world, side):
        return make(world.place(side))

    build.sided = True
    return build
