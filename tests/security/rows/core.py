"""core: the organisation pages and the core API (me, tokens, regions, units, officers)."""

from __future__ import annotations

from core.models import ApiToken
from tests.factories.core import OfficerFactory, UnitFactory
from tests.security.authz_matrix import (
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SHOWN,
    UNAUTHORIZED,
    detail,
    expect,
    fixed,
    listing,
    owned,
    row,
    unique,
)

# Their region is the whole city.
CITY_WIDE = {"inspector": OK, "leader": OK, "city_reviewer": OK, "admin": OK}
# The bodies of issue 19.4 (city personas) read the organisation chart of their region too.
BODIES = ("organisation_department", "discipline_commission", "supervision_group")
CITY_WIDE |= dict.fromkeys(BODIES, OK)
BODIES_SHOWN = dict.fromkeys(BODIES, SHOWN)
# A first secretary sees the villages their work team serves, not the county's regions, units
# and officers (core.scoping.restricted_villages; the persona's team: rows/assistance.py).
SECRETARY_HIDDEN = {"first_secretary": HIDDEN}
SECRETARY_NOT_FOUND = {"first_secretary": NOT_FOUND}
# The township officer (issue 18.6) signs off their township's data and holds no core permission:
# the org chart is not theirs to read.
TOWNSHIP_REFUSED = {"township_officer": FORBIDDEN}


def officer_in(place):
    unit = UnitFactory(region=place.county, name=unique("单位"))
    return OfficerFactory(unit=unit, region=place.county, name=unique("干部"))


def unit_in(place):
    return UnitFactory(region=place.county, name=unique("单位"))


def officer_form(officer, place):
    return {"name": officer.name, "position": "科员", "phone": "0391-1234567", "is_active": "on"}


ROWS = [
    # --- pages --------------------------------------------------------------------------------
    row(
        "core:officer_list",
        case=listing(officer_in, marker=lambda o: o.name),
        GET=expect(
            anonymous=LOGIN,
            default=(SHOWN, HIDDEN),
            inspector=SHOWN,
            leader=SHOWN,
            city_reviewer=SHOWN,
            admin=SHOWN,
            **BODIES_SHOWN,
            **SECRETARY_HIDDEN,
            **TOWNSHIP_REFUSED,
        ),
    ),
    row(
        "core:officer_detail",
        case=detail(officer_in),
        GET=expect(
            anonymous=LOGIN, default=(OK, NOT_FOUND), **CITY_WIDE, **SECRETARY_NOT_FOUND, **TOWNSHIP_REFUSED
        ),
    ),
    row(
        "core:officer_edit",
        case=detail(officer_in, data=officer_form),
        GET=expect(
            anonymous=LOGIN,
            default=FORBIDDEN,
            county_clerk=(OK, NOT_FOUND),
            county_admin=(OK, NOT_FOUND),
            admin=OK,
        ),
        POST=expect(
            anonymous=LOGIN,
            default=FORBIDDEN,
            county_clerk=(REDIRECT, NOT_FOUND),
            county_admin=(REDIRECT, NOT_FOUND),
            admin=REDIRECT,
        ),
        note="only clerks and county administrators (own county) and administrators change officers; "
        "leaders read only",
    ),
    # --- API ----------------------------------------------------------------------------------
    row(
        "api:me",
        GET=expect(anonymous=UNAUTHORIZED, default=OK),
        POST=expect(anonymous=UNAUTHORIZED, default=NOT_ALLOWED),
    ),
    row(
        "api:token_list",
        case=fixed(data={"name": "village sync", "days": 30}),
        GET=expect(anonymous=UNAUTHORIZED, default=OK),
        POST=expect(anonymous=UNAUTHORIZED, default=NOT_ALLOWED),
        note="everyone lists their own tokens; a token cannot mint one (issued on /accounts/tokens/ only)",
    ),
    row(
        "api:token_revoke",
        case=owned(lambda user: ApiToken.issue(user=user, name=unique("token"))[0]),
        GET=expect(anonymous=UNAUTHORIZED, default=NOT_ALLOWED),
        POST=expect(anonymous=UNAUTHORIZED, default=(OK, NOT_FOUND)),
        note="another user's token is 404, even for an administrator",
    ),
    row(
        "api:region_list",
        case=listing(lambda place: place.county, marker=lambda r: r.name, query={"level": "county"}),
        GET=expect(
            anonymous=UNAUTHORIZED,
            default=(SHOWN, HIDDEN),
            inspector=SHOWN,
            leader=SHOWN,
            city_reviewer=SHOWN,
            admin=SHOWN,
            **BODIES_SHOWN,
            **SECRETARY_HIDDEN,
            **TOWNSHIP_REFUSED,
        ),
    ),
    row(
        "api:unit_list",
        case=listing(unit_in, marker=lambda u: u.name, query={"page_size": 500}),
        GET=expect(
            anonymous=UNAUTHORIZED,
            default=(SHOWN, HIDDEN),
            inspector=SHOWN,
            leader=SHOWN,
            city_reviewer=SHOWN,
            admin=SHOWN,
            **BODIES_SHOWN,
            **SECRETARY_HIDDEN,
            **TOWNSHIP_REFUSED,
        ),
    ),
    row(
        "api:officer_list",
        case=listing(officer_in, marker=lambda o: o.name, query={"page_size": 500}),
        GET=expect(
            anonymous=UNAUTHORIZED,
            default=(SHOWN, HIDDEN),
            inspector=SHOWN,
            leader=SHOWN,
            city_reviewer=SHOWN,
            admin=SHOWN,
            **BODIES_SHOWN,
            **SECRETARY_HIDDEN,
            **TOWNSHIP_REFUSED,
        ),
    ),
    row(
        "api:officer_detail",
        case=detail(officer_in, data={"phone": "0391-7654321"}),
        GET=expect(
            anonymous=UNAUTHORIZED,
            default=(OK, NOT_FOUND),
            **CITY_WIDE,
            **SECRETARY_NOT_FOUND,
            **TOWNSHIP_REFUSED,
        ),
        PATCH=expect(
            anonymous=UNAUTHORIZED,
            default=FORBIDDEN,
            county_clerk=(OK, NOT_FOUND),
            county_admin=(OK, NOT_FOUND),
            admin=OK,
        ),
        DELETE=expect(anonymous=UNAUTHORIZED, default=FORBIDDEN, admin=NOT_ALLOWED),
        note="a role without the permission gets 403 whatever the region (the answer reveals nothing)",
    ),
]
