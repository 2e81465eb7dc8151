"""No role without the reveal permission can rebuild a member's ID number (issue 15.1).

The attack: take everything such a role is shown about one person — every page, export, API body
and history row that shows a member — and count the 18-digit numbers that agree with all of it
(the region, whatever digits a mask or a partial number shows, a full birth date written anywhere,
the sex, the check digit). The birth year is assumed known (it is shown on purpose). The count
must stay at or above 10,000, for the member's current number and for the one history remembers.
"""

import datetime as dt
import io
import json
import random
import re

import pytest
from openpyxl import load_workbook

from core import pii
from core.audit import actor_context
from core.idnumbers import check_digit, make_id_number
from core.models import Role
from core.roles import declared_role_permissions
from households.models import Relation
from households.services import duplicates_scan
from tests.conftest import CITY, XIUWU, make_user
from tests.factories.households import HouseholdFactory, MemberFactory, first_village

FLOOR = 10_000
ROLES_WITHOUT_REVEAL = sorted(
    role
    for role, perms in declared_role_permissions().items()
    if pii.REVEAL_PERMISSION not in perms and "households.view_household" in perms
)
CITY_WIDE = {Role.LEADER, Role.CITY_REVIEWER} if hasattr(Role, "CITY_REVIEWER") else {Role.LEADER}


def _birth(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def candidates(number: str, seen: str) -> int:
    """How many numbers agree with what was seen (counting stops at FLOOR)."""
    if number in seen or number.lower() in seen:
        return 1
    known: list[str | None] = [None] * 18
    known[:6] = number[:6]
    known[6:10] = number[6:10]  # the birth year: shown on purpose
    for token in re.findall(rf"{number[:6]}[0-9*]{{11}}[0-9Xx*]", seen):
        for i, ch in enumerate(token.upper()):
            if ch != "*":
                known[i] = ch
    birth = _birth(number)
    written = (
        birth.isoformat(),
        f"{birth:%Y%m%d}",
        f"{birth.year}年{birth.month}月{birth.day}日",
        f"{birth:%Y/%m/%d}",
    )
    if any(form in seen for form in written):
        known[6:14] = number[6:14]
    female = int(number[16]) % 2 == 0  # the sex is shown
    days = [dt.date(birth.year, 1, 1) + dt.timedelta(days=n) for n in range(366)]
    count = 0
    for day in days:
        if day.year != birth.year:
            continue
        digits = f"{day:%Y%m%d}"
        if any(known[6 + i] not in (None, d) for i, d in enumerate(digits)):
            continue
        for seq in range(1000):
            if (seq % 2 == 0) != female:
                continue
            s = f"{seq:03d}"
            if any(known[14 + i] not in (None, d) for i, d in enumerate(s)):
                continue
            first17 = number[:6] + digits + s
            if known[17] is not None and check_digit(first17) != known[17]:
                continue
            count += 1
            if count >= FLOOR:
                return count
    return count


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
    )


@pytest.fixture
def person(regions, clerk):
    """A member whose ID number a clerk corrected (so history holds the old number and birth date),
    and a second file in the same county with the same name and birth date (a possible duplicate)."""
    rng = random.Random(151)
    village = first_village("410821")
    old = make_id_number(rng, region6="410821", birth=dt.date(1987, 6, 15), female=True)
    new = make_id_number(rng, region6="410821", birth=dt.date(1987, 11, 3), female=True)
    household = HouseholdFactory(village=village, head_name="李秀梅", member_count=1)
    member = MemberFactory(household=household, relation=Relation.HEAD, name="李秀梅", id_number=old)
    with actor_context(clerk):
        member.set_id_number(new)
        member.birth_date = _birth(new)
        member.save()
    twin_house = HouseholdFactory(village=village, head_name="李秀梅", member_count=1)
    twin = make_id_number(rng, region6="410821", birth=_birth(new), female=True)
    MemberFactory(household=twin_house, relation=Relation.HEAD, name="李秀梅", id_number=twin)
    duplicates_scan(household_ids=[household.pk])
    return household, member, old, new


def _bodies(client, api_client, user, household, member) -> list[str]:
    client.force_login(user)
    api_client.force_authenticate(user)
    bodies = []
    pages = [
        f"/households/{household.pk}/",
        "/households/?q=李秀梅",
        "/households/duplicates/",
        "/households/duplicates/city/",
    ]
    for url in pages:
        response = client.get(url)
        if response.status_code == 200:
            bodies.append(response.content.decode())
    export = client.get("/households/export.xlsx?q=李秀梅")
    if export.status_code == 200:
        bodies.append(_xlsx_text(export.content))
    api = [
        f"/api/v1/households/{household.pk}/",
        f"/api/v1/households/{household.pk}/members/",
        f"/api/v1/households/{household.pk}/members/{member.pk}/",
        "/api/v1/households/?q=李秀梅",
        "/api/v1/households/duplicates/",
        "/api/v1/households/duplicates/city/",
    ]
    for url in api:
        response = api_client.get(url)
        if response.status_code == 200:
            bodies.append(json.dumps(response.json(), ensure_ascii=False))
    return bodies


@pytest.mark.parametrize("role", ROLES_WITHOUT_REVEAL)
def test_no_role_without_reveal_narrows_a_number_below_ten_thousand(client, api_client, person, role):
    household, member, old, new = person
    user = make_user(role, CITY if role in CITY_WIDE else XIUWU)
    bodies = _bodies(client, api_client, user, household, member)
    seen = "\n".join(bodies)
    if role == Role.LEADER:  # the city's read-only role sees the file: the test is not vacuous
        assert "李秀梅" in seen
        assert pii.mask_id(new) in seen
    for number in (new, old):
        assert candidates(number, seen) >= FLOOR, (role, number)


def test_the_attack_rebuilds_the_number_from_what_the_old_mask_and_date_showed():
    """The attacker is real: the old mask (digits 15–18) beside the full birth date gives one number."""
    rng = random.Random(7)
    number = make_id_number(rng, region6="410821", birth=dt.date(1990, 3, 7), female=False)
    old_page = f"{number[:6]}********{number[-4:]} 1990年3月7日 男"
    assert candidates(number, old_page) == 1
    assert candidates(number, f"{pii.mask_id(number)} 1990年 男") >= FLOOR


def test_a_role_that_may_reveal_still_sees_the_full_birth_date(client, person, clerk):
    household, _member, _old, new = person
    client.force_login(clerk)
    body = client.get(f"/households/{household.pk}/").content.decode()
    birth = _birth(new)
    assert f"{birth.year}年{birth.month}月{birth.day}日" in body
