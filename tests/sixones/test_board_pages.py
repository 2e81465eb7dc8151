"""The leaders' 六个一 board: pages and API, scope (other county 404), read-only, pinned query count,
and the monthly bulletin carrying the board and the three targets."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accountability.services.bulletin import bulletin_generate
from core.models import Region
from policies import services as policy_services
from tests.factories.core import UnitFactory

pytestmark = pytest.mark.django_db
XIUWU, BOAI = "410821000000", "410822000000"


@pytest.fixture
def tasks(admin_user):
    """One policy task per county: 修武县's implemented, 博爱县's pending."""
    policy = policy_services.policy_create(
        system="1+16", number=0, title="关于打赢脱贫攻坚战的实施意见", issued_on=dt.date(2016, 3, 1),
        region=Region.objects.get(code="410800000000"), actor=admin_user,
    )  # fmt: skip
    out = {}
    for code in (XIUWU, BOAI):
        unit = UnitFactory(region=Region.objects.get(code=code), kind="government")
        out[code] = policy_services.policy_task_assign(
            policy=policy, recipient=unit, requirement="出台实施办法",
            deadline=timezone.localdate().replace(month=12, day=31), actor=admin_user,
        )  # fmt: skip
    policy_services.policy_task_add_evidence(
        task=out[XIUWU], actor=admin_user, title="办法", url="https://x.cn/1"
    )
    return out


def test_leader_sees_every_county_and_drills_into_the_rows(client, leader, tasks):
    client.force_login(leader)
    page = client.get("/dashboard/six-ones/").content.decode()
    assert page.count("data-line=") == 6
    assert f'href="/dashboard/six-ones/{XIUWU}/lines/policies/' in page
    rows = client.get(f"/dashboard/six-ones/{XIUWU}/lines/policies/").content.decode()
    assert "1/1" in rows
    assert tasks[XIUWU].recipient.name in rows
    assert tasks[BOAI].recipient.name not in rows
    api = client.get("/api/v1/dashboard/six-ones/").json()
    line = next(x for x in api["sixones"]["lines"] if x["code"] == "policies")
    codes = [c["code"] for c in api["sixones"]["counties"]]
    assert line["counties"][codes.index(XIUWU)] == {"part": 1, "whole": 1, "rate": 1.0}
    assert line["counties"][codes.index(BOAI)] == {"part": 0, "whole": 1, "rate": 0.0}


def test_county_user_sees_own_county_and_other_county_is_404(client, api_as, clerk, tasks):
    client.force_login(clerk)
    assert client.get("/dashboard/six-ones/").status_code == 200
    assert client.get(f"/dashboard/six-ones/{XIUWU}/lines/policies/").status_code == 200
    assert client.get(f"/dashboard/six-ones/{BOAI}/").status_code == 404
    assert client.get(f"/dashboard/six-ones/{BOAI}/lines/policies/").status_code == 404
    assert client.get(f"/dashboard/six-ones/{BOAI}/targets/satisfaction/").status_code == 404
    assert client.get(f"/dashboard/six-ones/{XIUWU}/lines/nonsense/").status_code == 404
    api = api_as(clerk)
    assert api.get(f"/api/v1/dashboard/six-ones/?region={BOAI}").status_code == 404
    counties = [c["code"] for c in api.get("/api/v1/dashboard/six-ones/").json()["sixones"]["counties"]]
    assert counties == [XIUWU]


def test_leader_cannot_write(client, api_as, leader):
    client.force_login(leader)
    assert client.post("/dashboard/six-ones/").status_code == 403
    assert api_as(leader).post("/api/v1/dashboard/six-ones/").status_code in (403, 405)


def test_board_query_count_is_pinned(client, leader, tasks, django_assert_num_queries):
    client.force_login(leader)
    client.get("/dashboard/six-ones/")  # warm the session and permission caches
    # session and user (2: roles and permissions are cached until they change, core.authz); board: regions
    # (2), 6 lines; targets: regions (2), the errors of every source (one union), households identified
    # and exited, payments, surveys. The same for 1 or 11 counties.
    with django_assert_num_queries(16):
        assert client.get("/dashboard/six-ones/").status_code == 200


def test_target_rows_page_shows_the_rows_behind_the_figure(client, leader, tasks):
    client.force_login(leader)
    month = timezone.localdate().replace(day=1)
    page = client.get(f"/dashboard/six-ones/{XIUWU}/targets/funds/?month={month:%Y-%m}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="part"' in html
    assert tasks[XIUWU].region.name in html


def test_monthly_bulletin_includes_the_board_and_the_three_targets(client, leader, tasks):
    city = Region.objects.get(code="410800000000")
    month = timezone.localdate().replace(day=1)
    bulletin, created = bulletin_generate(region=city, month=month)
    assert created
    six = bulletin.content["sixones"]
    assert [x["code"] for x in six["lines"]] == [
        "villages",
        "files",
        "measures",
        "funds",
        "policies",
        "responsibilities",
    ]
    line = next(x for x in six["lines"] if x["code"] == "policies")
    assert line["total"] == {"part": 1, "whole": 2, "rate": 0.5}
    assert [t["code"] for t in bulletin.content["targets"]["targets"]] == [
        "identification",
        "exit",
        "funds",
        "recognition",
        "satisfaction",
    ]
    assert len(bulletin.content["targets"]["rows"]) == 11
    client.force_login(leader)
    html = client.get(f"/accountability/bulletins/{bulletin.pk}/").content.decode()
    assert 'id="sixones"' in html
    assert 'id="targets"' in html
    assert 'data-total="policies">1/2<' in html
    xlsx = client.get(f"/accountability/bulletins/{bulletin.pk}/xlsx/")
    wb = load_workbook(BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content))
    assert len(wb.sheetnames) >= 2
    six_sheet = wb.worksheets[-2]
    values = [c.value for row in six_sheet.iter_rows() for c in row if c.value]
    assert any("1/2" in str(v) for v in values)
