"""A city leader (or the supervision group that regenerated it) compares two versions of a month's
bulletin side by side: what changed between them is marked and shows both values, a row in one version
only is marked added or removed, identical versions say so; only versions of the same month are
compared, and a bad parameter is refused with a clear error."""

import datetime as dt
import re

import pytest

from accountability.bulletin_compare import ADDED, CHANGED, REMOVED, compare, unlabelled_keys
from accountability.models import Bulletin
from accountability.services import bulletin_generate, bulletin_regenerate
from core.models import Region, Role
from tests.conftest import make_user
from tests.factories.accountability import CaseFactory

pytestmark = pytest.mark.django_db
CITY, XIUWU = "410800000000", "410821000000"
MAY = dt.date(2017, 5, 1)


@pytest.fixture
def versions(regions, supervisor, xiuwu_officer):
    """v1 published with no case in May; a case opened after it; v2 regenerated with it."""
    v1, _created = bulletin_generate(region=Region.objects.get(code=CITY), month=MAY)
    CaseFactory(subject_officer=xiuwu_officer, opened_on=dt.date(2017, 5, 10), grounds="暗访发现帮扶不实")
    v2 = bulletin_regenerate(bulletin=v1, reason="补录本月立案的问责", actor=supervisor)
    v1.refresh_from_db()
    return v1, v2


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr class=\"cmp-[a-z]+\">.*?</tr>", html, re.S)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_the_leader_sees_the_changed_figure_with_both_values(client, leader, versions):
    v1, v2 = versions
    client.force_login(leader)
    response = client.get(f"/accountability/bulletins/{v2.pk}/compare/", {"a": v1.pk, "b": v2.pk})
    assert response.status_code == 200
    html = response.content.decode()
    # The cases opened this month: 0 in v1, 1 in v2 — that row is marked changed, both values shown,
    # and "已变更" is there for a screen reader.
    total = next(r for r in _rows(html) if "合计 › 新立案" in _text(r))
    assert 'class="cmp-changed"' in total
    cells = re.findall(r"<td[^>]*>(.*?)</td>", total, re.S)
    assert [_text(c) for c in cells[1:]] == ["0 已变更", "1 已变更"]
    assert total.count('class="changed"') == 2
    assert total.count('<span class="sr-only">已变更</span>') == 2
    # The case itself is a row of v2 only: marked added, with its grounds.
    added = [r for r in _rows(html) if 'class="cmp-added"' in r]
    assert len(added) == 1
    assert "新增行" in added[0]
    assert "暗访发现帮扶不实" in added[0]
    assert "本版无此行" in added[0]
    # Each version's reason, author and time (local time, house style).
    a_card = re.search(r'<div class="card version-card" id="version-a">(.*?)</div>', html, re.S).group(1)
    b_card = re.search(r'<div class="card version-card" id="version-b">(.*?)</div>', html, re.S).group(1)
    assert "第1版" in a_card
    assert "已被替代" in _text(a_card)
    assert "每月定时任务" in a_card
    assert "第2版" in b_card
    assert "补录本月立案的问责" in b_card
    assert str(v2.generated_by) in b_card
    local = v2.generated_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}" in b_card
    assert "已变更" in html
    assert "两个版本内容相同" not in html
    # The selects: both versions offered, the compared ones chosen.
    assert re.search(rf'<select id="cmp-a" name="a"><option value="{v1.pk}" selected>', html)
    assert re.search(rf'<option value="{v2.pk}" selected>', html.split('id="cmp-b"')[1])


def test_without_parameters_the_latest_is_compared_with_the_one_before(client, supervisor, versions):
    v1, v2 = versions
    client.force_login(supervisor)
    html = client.get(f"/accountability/bulletins/{v1.pk}/compare/").content.decode()
    assert re.search(rf'<select id="cmp-a" name="a"><option value="{v1.pk}" selected>', html)
    assert re.search(rf'<option value="{v2.pk}" selected>', html.split('id="cmp-b"')[1])


def test_the_bulletin_page_links_to_the_comparison_with_the_previous_version(client, leader, versions):
    v1, v2 = versions
    client.force_login(leader)
    html = client.get(f"/accountability/bulletins/{v2.pk}/").content.decode()
    link = re.search(r'<a id="compare-previous" href="([^"]+)">与上一版比较</a>', html)
    assert link
    assert (
        link.group(1).replace("&amp;", "&")
        == f"/accountability/bulletins/{v2.pk}/compare/?a={v1.pk}&b={v2.pk}"
    )
    assert client.get(link.group(1).replace("&amp;", "&")).status_code == 200


def test_only_what_differs(client, leader, versions):
    v1, v2 = versions
    client.force_login(leader)
    html = client.get(
        f"/accountability/bulletins/{v2.pk}/compare/", {"a": v1.pk, "b": v2.pk, "changes": "1"}
    ).content.decode()
    rows = _rows(html)
    assert rows
    assert all('class="cmp-same"' not in r for r in rows)
    assert 'id="cmp-cases"' in html
    assert 'id="cmp-findings"' not in html


def test_identical_versions_say_so(client, leader, versions):
    _v1, v2 = versions
    client.force_login(leader)
    html = client.get(
        f"/accountability/bulletins/{v2.pk}/compare/", {"a": v2.pk, "b": v2.pk}
    ).content.decode()
    assert "两个版本内容相同" in html
    assert "cmp-changed" not in html
    assert "cmp-added" not in html


def test_a_version_of_another_bulletin_is_404(client, leader, versions):
    v1, v2 = versions
    june, _created = bulletin_generate(region=Region.objects.get(code=CITY), month=dt.date(2017, 6, 1))
    client.force_login(leader)
    url = f"/accountability/bulletins/{v2.pk}/compare/"
    assert client.get(url, {"a": v1.pk, "b": june.pk}).status_code == 404
    assert client.get(url, {"a": june.pk, "b": v2.pk}).status_code == 404
    assert client.get(url, {"a": v1.pk, "b": 999999}).status_code == 404


def test_a_bad_parameter_is_a_clear_error(client, leader, versions):
    _v1, v2 = versions
    client.force_login(leader)
    response = client.get(f"/accountability/bulletins/{v2.pk}/compare/", {"a": "v1", "b": v2.pk})
    assert response.status_code == 400
    assert "请从列表中选择本期通报的两个版本。" in response.content.decode()


def test_outside_the_city_or_without_the_permission(client, versions):
    _v1, v2 = versions
    url = f"/accountability/bulletins/{v2.pk}/compare/"
    # A county's discipline commission reads bulletins, but not the city's: 404, as the bulletin page.
    client.force_login(make_user(Role.DISCIPLINE_COMMISSION, XIUWU, username="jiwei_xiuwu"))
    assert client.get(f"/accountability/bulletins/{v2.pk}/").status_code == 404
    assert client.get(url).status_code == 404
    # A county clerk does not read bulletins at all.
    client.force_login(make_user(Role.COUNTY_CLERK, XIUWU, username="clerk_xiuwu"))
    assert client.get(url).status_code == 403


def test_every_figure_of_a_bulletin_has_words(versions):
    _v1, v2 = versions
    assert unlabelled_keys(v2.content) == set()
    assert Bulletin.objects.count() == 2


def test_rows_are_matched_by_their_identity_not_their_place():
    a = {
        "findings": {
            "rows": [{"code": "1", "county": "甲县", "total": 1}, {"code": "2", "county": "乙县", "total": 2}]
        }
    }
    b = {
        "findings": {
            "rows": [{"code": "2", "county": "乙县", "total": 5}, {"code": "3", "county": "丙县", "total": 0}]
        }
    }
    lines = {(line.label, line.state) for line in compare(a, b).sections[0].lines}
    assert ("甲县", REMOVED) in lines
    assert ("丙县", ADDED) in lines
    assert ("乙县 › 合计", CHANGED) in lines
