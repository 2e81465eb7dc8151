"""The demo gives each body its log-in (issue 19.4) and shows their work: 组织部 found a 修武县 first
secretary absent last month (a finding, its ledger item, a line in last month's bulletin), and the
supervision group proposed the hand-opened case for the discipline commission to decide."""

import io

import pytest

from accountability import demo
from accountability.models import AccountabilityCase, Bulletin, CaseStatus
from core import demo as core_demo
from core.models import Region, Role, UnitKind, User
from inspections.models import Finding, FindingSource, TeamCheck
from tests.factories.assistance import VillageTeamFactory
from tests.factories.core import UnitFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_log_in_per_body_and_shows_their_work(regions, monkeypatch):
    monkeypatch.setattr(demo, "SCORE_MONTHS", 1)
    core_demo.seed(stdout=io.StringIO())
    # The assistance demo's teams, in short: one current team serving a 修武县 village.
    village = Region.objects.filter(code__startswith="410821", level="village").order_by("code").first()
    bureau = UnitFactory(region_id="410821000000", kind=UnitKind.DISPATCHING, name="修武县财政局（派出）")
    VillageTeamFactory(dispatching_unit=bureau, villages=[village])
    demo.seed(stdout=io.StringIO())
    roles = {u: set(User.objects.get(username=u).groups.values_list("name", flat=True))
             for u in ("zuzhibu", "jiwei", "dudao")}  # fmt: skip
    assert roles == {
        "zuzhibu": {Role.ORGANISATION_DEPARTMENT},
        "jiwei": {Role.DISCIPLINE_COMMISSION},
        "dudao": {Role.SUPERVISION_GROUP, Role.INSPECTOR},
    }
    check = TeamCheck.objects.get(checked_by__username="zuzhibu")
    assert not check.secretary_present
    finding = Finding.objects.get(team_check=check, source=FindingSource.SPOT_CHECK)
    assert finding.rectification_items.count() == 1
    bulletin = Bulletin.objects.get()
    assert bulletin.month == check.checked_on.replace(day=1)
    assert [r["item_id"] for r in bulletin.content["absences"]["rows"]] == [
        finding.rectification_items.get().pk
    ]
    proposed = AccountabilityCase.objects.get(dedupe_key="demo:manual:1")
    assert proposed.status == CaseStatus.PROPOSED
    assert proposed.status_changes.get().actor.username == "dudao"
    # Running it again adds nothing.
    demo.seed(stdout=io.StringIO())
    assert TeamCheck.objects.filter(checked_by__username="zuzhibu").count() == 1
