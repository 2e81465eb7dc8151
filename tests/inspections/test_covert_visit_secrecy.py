"""四不两直: a covert visit plan, its targets and its unfiled report are invisible to the inspected
county — pages, API, search, counts, exports, notifications — until the report is filed."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Region, Role
from inspections import selectors, services
from inspections.models import Notification, NotificationKind, PlanStatus
from tests.factories.inspections import RectificationItemFactory, jpeg_upload

pytestmark = pytest.mark.django_db

SECRET_WORD = "暗访发现问题甲"


@pytest.fixture
def visit(inspector, xiuwu_households, xiuwu_office):
    """A drawn plan for 修武县, a draft report on it with one finding on a drawn household and a photo."""
    xiuwu = Region.objects.get(code="410821000000")
    group = inspector.officer.inspection_groups.get()
    plan = services.visit_plan_draw(
        actor=inspector, group=group, county=xiuwu, month=timezone.localdate().replace(day=1)
    )
    target = plan.targets.filter(kind="household").select_related("household", "region").first()
    report, _ = services.visit_report_submit(
        actor=inspector,
        data={
            "client_uuid": "0b6d3d56-7c1e-4a53-9c55-2b1e33c0a001",
            "plan": plan.pk,
            "village": target.region_id,
            "visit_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "place": f"{target.region.name}村委会",
            "households_visited": [target.household_id],
            "findings": [
                {
                    "client_uuid": "0b6d3d56-7c1e-4a53-9c55-2b1e33c0a002",
                    "category": "identification",
                    "severity": "serious",
                    "description": f"{SECRET_WORD}：户籍人口与档卡不符",
                    "household": target.household_id,
                    "responsible_unit": xiuwu_office.pk,
                }
            ],
        },
    )
    finding = report.findings.get()
    photo, _ = services.finding_photo_add(
        actor=inspector,
        finding=finding,
        client_uuid="0b6d3d56-7c1e-4a53-9c55-2b1e33c0a003",
        upload=jpeg_upload(),
    )
    # An item on the still-secret finding (as if assigned early) must not leak through the ledger either.
    item = RectificationItemFactory(
        finding=finding, responsible_unit=xiuwu_office, description=f"{SECRET_WORD}整改"
    )
    # A notification tied to the plan, addressed to the county: hidden while the plan is secret.
    Notification.objects.create(
        unit=xiuwu_office, region_id=xiuwu_office.region_id, kind=NotificationKind.PLAN_DRAWN,
        message=f"{SECRET_WORD} 暗访计划", plan=plan,
    )  # fmt: skip
    return {
        "plan": plan,
        "report": report,
        "finding": finding,
        "photo": photo,
        "item": item,
        "target": target,
    }


def _ledger_rows(client_or_api, url) -> list[str]:
    response = client_or_api.get(url)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    return [
        " ".join(str(c) for c in row if c is not None)
        for row in wb.active.iter_rows(min_row=3, values_only=True)
    ]


def _pages_show_nothing(client, v):
    for name in ["plan_list", "report_list", "finding_list", "item_list", "notification_list"]:
        response = client.get(reverse(f"inspections:{name}"))
        assert response.status_code == 200
        assert SECRET_WORD not in response.content.decode(), name
        assert response.context["page"].paginator.count == 0, name
    for name, pk in [
        ("plan_detail", v["plan"].pk), ("report_detail", v["report"].pk), ("finding_detail", v["finding"].pk),
        ("photo", v["photo"].pk), ("item_detail", v["item"].pk),
    ]:  # fmt: skip
        assert client.get(reverse(f"inspections:{name}", args=[pk])).status_code == 404, name


def _search_finds_nothing(client, v):
    village_name = v["target"].region.name
    for name, q in [("plan_list", village_name), ("report_list", village_name), ("finding_list", SECRET_WORD),
                    ("item_list", SECRET_WORD)]:  # fmt: skip
        response = client.get(reverse(f"inspections:{name}"), {"q": q})
        assert response.context["page"].paginator.count == 0, name


def _api_shows_nothing(api, v):
    for path in ["plans/", "reports/", "findings/", "items/", "notifications/"]:
        response = api.get(f"/api/v1/inspections/{path}")
        assert response.status_code == 200, path
        assert response.json()["results"] == [], path
        assert SECRET_WORD not in response.content.decode()
    assert api.get("/api/v1/inspections/findings/", {"q": SECRET_WORD}).json()["results"] == []
    for path in [f"plans/{v['plan'].pk}/", f"plans/{v['plan'].pk}/verify/", f"reports/{v['report'].pk}/",
                 f"findings/{v['finding'].pk}/", f"items/{v['item'].pk}/"]:  # fmt: skip
        assert api.get(f"/api/v1/inspections/{path}").status_code == 404, path


def test_inspected_county_clerk_sees_nothing_before_filing(client, api_as, clerk, visit):
    client.force_login(clerk)
    _pages_show_nothing(client, visit)
    _search_finds_nothing(client, visit)
    _api_shows_nothing(api_as(clerk), visit)
    # counts
    counts = selectors.finding_counts(actor=clerk)
    assert (counts.total, counts.open_items) == (0, 0)
    assert selectors.plan_list(actor=clerk).count() == 0
    # exports
    assert _ledger_rows(client, reverse("inspections:item_list") + "?format=xlsx") == []
    assert _ledger_rows(api_as(clerk), "/api/v1/inspections/items/export.xlsx") == []
    # notifications
    assert selectors.notification_list(actor=clerk).count() == 0
    # the household's page
    assert list(selectors.findings_for_household(actor=clerk, household=visit["target"].household)) == []


def test_city_inspector_and_leader_see_the_unfiled_plan(client, inspector, leader, visit):
    for user in (inspector, leader):
        client.force_login(user)
        assert client.get(reverse("inspections:plan_detail", args=[visit["plan"].pk])).status_code == 200
        response = client.get(reverse("inspections:finding_list"), {"q": SECRET_WORD})
        assert response.context["page"].paginator.count == 1


def test_county_leader_or_inspector_role_in_the_county_still_sees_nothing(persona, visit):
    """Secrecy is by level, not only by role: an inspector-role user of the county sees no secrets."""
    county_inspector = persona(Role.INSPECTOR, "410821000000")
    assert selectors.plan_list(actor=county_inspector).count() == 0
    assert selectors.finding_list(actor=county_inspector).count() == 0


def test_everything_appears_to_the_county_after_filing(client, api_as, clerk, inspector, visit):
    services.visit_report_file(actor=inspector, report=visit["report"])
    visit["plan"].refresh_from_db()
    assert visit["plan"].status == PlanStatus.FILED

    client.force_login(clerk)
    for name, pk in [("plan_detail", visit["plan"].pk), ("report_detail", visit["report"].pk),
                     ("finding_detail", visit["finding"].pk), ("photo", visit["photo"].pk),
                     ("item_detail", visit["item"].pk)]:  # fmt: skip
        assert client.get(reverse(f"inspections:{name}", args=[pk])).status_code == 200, name
    response = client.get(reverse("inspections:finding_list"), {"q": SECRET_WORD})
    assert response.context["page"].paginator.count == 1
    response = client.get(reverse("inspections:plan_list"), {"q": visit["target"].region.name})
    assert response.context["page"].paginator.count == 1

    api = api_as(clerk)
    assert [r["id"] for r in api.get("/api/v1/inspections/plans/").json()["results"]] == [visit["plan"].pk]
    assert api.get(f"/api/v1/inspections/reports/{visit['report'].pk}/").status_code == 200
    assert api.get(f"/api/v1/inspections/plans/{visit['plan'].pk}/verify/").json()["matches"] is True

    assert selectors.finding_counts(actor=clerk).total == 1
    assert any(
        SECRET_WORD in row for row in _ledger_rows(client, reverse("inspections:item_list") + "?format=xlsx")
    )
    kinds = set(selectors.notification_list(actor=clerk).values_list("kind", flat=True))
    assert NotificationKind.VISIT_FILED in kinds
    assert NotificationKind.PLAN_DRAWN in kinds  # the plan-linked one is no longer secret
    assert [
        f.pk for f in selectors.findings_for_household(actor=clerk, household=visit["target"].household)
    ] == [visit["finding"].pk]


def test_other_county_clerk_sees_nothing_even_after_filing(client, api_as, other_clerk, inspector, visit):
    services.visit_report_file(actor=inspector, report=visit["report"])
    client.force_login(other_clerk)
    _pages_show_nothing(client, visit)
    _api_shows_nothing(api_as(other_clerk), visit)
    assert selectors.notification_list(actor=other_clerk).count() == 0
