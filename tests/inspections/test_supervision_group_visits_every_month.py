"""一月一暗访 (issue 19.5): the city supervision group (市委督导组) files a covert visit each month —
one township and its villages (抓乡带村促县); a month that ends without one is flagged by the daily
job, on the leaders' home page and for the monthly bulletin. Inspection groups may inspect a city
department (领导小组成员单位): drawn the same way, and as secret."""

import datetime as dt
import io
import uuid
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.exceptions import DomainError
from core.models import Officer, Region, Role, Unit, UnitKind
from inspections import selectors, services, tasks
from inspections.demo import demo_months
from inspections.models import (
    GroupKind,
    InspectionGroup,
    MissedVisitMonth,
    Notification,
    PlanStatus,
    VisitPlan,
)
from inspections.services.supervision import add_months
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db

CITY = "410800000000"
XIUWU = "410821000000"
# The fixed "today" of the cadence: 5 December 2026, so October and November have ended.
TODAY = dt.date(2026, 12, 5)


@pytest.fixture
def supervision_group(regions):
    city = Region.objects.get(code=CITY)
    unit = Unit.objects.create(region=city, name="市委脱贫攻坚督导组", kind=UnitKind.INSPECTION_GROUP)
    return InspectionGroup.objects.create(unit=unit, name=unit.name, region=city, kind=GroupKind.SUPERVISION)


@pytest.fixture
def supervisor(supervision_group):
    """A member of the city supervision group (an inspector of the city, in the group's unit)."""
    officer = Officer.objects.create(
        name="督导员", position="组长", unit=supervision_group.unit, region=supervision_group.region
    )
    supervision_group.inspectors.add(officer)
    return UserFactory(roles=[Role.INSPECTOR], region_id=CITY, officer=officer, username="supervisor_city")


def _backdate_group(group, day: dt.date) -> None:
    InspectionGroup.objects.filter(pk=group.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    )


def _file_visit(actor, plan: VisitPlan, filed_on: dt.date) -> None:
    village = plan.targets.filter(kind="village").first()
    services.visit_report_submit(
        actor=actor,
        data={
            "client_uuid": str(uuid.uuid4()), "plan": plan.pk, "county": plan.county_id,
            "village": village.region_id, "visit_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "place": "暗访", "households_visited_count": 3, "findings": [], "file": True,
        },
    )  # fmt: skip
    # The visit was filed on `filed_on` (the test's calendar, not the machine's).
    VisitPlan.objects.filter(pk=plan.pk).update(
        filed_at=timezone.make_aware(dt.datetime.combine(filed_on, dt.time(17)))
    )


def test_a_supervision_visit_takes_one_township_and_its_villages(
    supervisor, supervision_group, xiuwu_households
):
    xiuwu = Region.objects.get(code=XIUWU)
    plan = services.visit_plan_draw(
        actor=supervisor, group=supervision_group, county=xiuwu, month=dt.date(2026, 11, 1),
        counts={"townships": 3, "villages_per_township": 2},
    )  # fmt: skip
    townships = list(plan.targets.filter(kind="township").values_list("region_id", flat=True))
    assert len(townships) == 1  # 抓乡: one township, whatever was asked
    villages = plan.targets.filter(kind="village").values_list("region_id", flat=True)
    assert villages
    assert all(v.startswith(townships[0][:9]) for v in villages)
    matches, _redrawn, _stored = services.visit_plan_verify_draw(plan=plan)
    assert matches


def test_a_month_without_a_filed_visit_is_flagged_once_by_the_daily_job(
    client, supervisor, supervision_group, leader, xiuwu_households
):
    """October: visited and filed in October. November: a visit drawn but filed only on 2 December —
    not by the month's end, so November is flagged; December has not ended."""
    xiuwu = Region.objects.get(code=XIUWU)
    _backdate_group(supervision_group, dt.date(2026, 10, 1))
    october = services.visit_plan_draw(
        actor=supervisor, group=supervision_group, county=xiuwu, month=dt.date(2026, 10, 1)
    )
    _file_visit(supervisor, october, dt.date(2026, 10, 20))
    november = services.visit_plan_draw(
        actor=supervisor, group=supervision_group, county=xiuwu, month=dt.date(2026, 11, 1)
    )
    _file_visit(supervisor, november, dt.date(2026, 12, 2))

    result = tasks.flag_missed_supervision_months.apply(kwargs={"today": TODAY.isoformat()}).get()

    assert result["flagged"] == 1
    assert list(MissedVisitMonth.objects.values_list("group_id", "month")) == [
        (supervision_group.pk, dt.date(2026, 11, 1))
    ]
    note = Notification.objects.get(unit=supervision_group.unit, kind="visit_missed")
    assert "2026-11" in note.message
    # A second run (the next day, or the same day again) flags nothing more.
    assert (
        tasks.flag_missed_supervision_months.apply(kwargs={"today": TODAY.isoformat()}).get()["flagged"] == 0
    )
    assert services.supervision_flag_missed_months(today=TODAY + dt.timedelta(days=1)) == []
    assert MissedVisitMonth.objects.count() == 1
    # The bulletin asks for the month it reports.
    assert [m.group_id for m in selectors.missed_supervision_months(month=dt.date(2026, 11, 1))] == [
        supervision_group.pk
    ]
    assert not selectors.missed_supervision_months(month=dt.date(2026, 10, 1)).exists()
    # The leaders' home page shows it (a panel of core.panels).
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert supervision_group.name in page
    assert "2026年11月" in page


def test_the_inspection_groups_are_not_held_to_the_monthly_cadence(regions, supervision_group):
    city = Region.objects.get(code=CITY)
    unit = Unit.objects.create(region=city, name="市专职督查巡查第九组", kind=UnitKind.INSPECTION_GROUP)
    group = InspectionGroup.objects.create(unit=unit, name=unit.name, region=city)
    _backdate_group(group, dt.date(2026, 9, 1))
    _backdate_group(supervision_group, dt.date(2026, 11, 3))
    services.supervision_flag_missed_months(today=TODAY)
    assert list(MissedVisitMonth.objects.values_list("group_id", "month")) == [
        (supervision_group.pk, dt.date(2026, 11, 1))
    ]


def test_the_job_is_on_the_daily_beat_schedule():
    entry = next(
        e for e in django_settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "inspections.tasks.flag_missed_supervision_months"
    )  # fmt: skip
    assert entry["schedule"].hour == {1}


def test_demo_months_are_calendar_months():
    """`this_month - 31*k days` skipped November on 1 December; the demo counts calendar months."""
    assert demo_months(dt.date(2026, 12, 1)) == [
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
    ]
    assert demo_months(dt.date(2027, 3, 31)) == [
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
        dt.date(2027, 3, 1),
    ]
    assert demo_months(dt.date(2027, 1, 15)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
    ]
    assert add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)


# --- a city department as the target of an inspection group ---------------------------------


@pytest.fixture
def department(regions):
    return Unit.objects.create(
        region=Region.objects.get(code=CITY),
        name="焦作市民政局",
        kind=UnitKind.DEPARTMENT,
        department="civil_affairs",
    )


def test_an_inspection_group_inspects_a_city_department_in_secret(
    api_as, inspector, group, department, clerk, xiuwu_households
):
    department_clerk = UserFactory(roles=[Role.COUNTY_CLERK], region_id=CITY, username="civil_affairs_clerk")
    api = api_as(inspector)
    response = api.post("/api/v1/inspections/plans/", {
        "group": group.pk, "county": XIUWU, "department": department.pk, "month": "2026-11-01",
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    plan = VisitPlan.objects.get(pk=response.json()["id"])
    assert plan.department == department
    assert plan.status == PlanStatus.PLANNED
    assert plan.draw_inputs["department"] == department.pk
    assert services.visit_plan_verify_draw(plan=plan)[0]  # the draw re-runs to the same targets
    # 四不两直: neither the department's own users nor the county's see it before the visit is filed.
    for outsider in (department_clerk, clerk):
        assert not selectors.plan_list(actor=outsider).filter(pk=plan.pk).exists()
        assert api_as(outsider).get(f"/api/v1/inspections/plans/{plan.pk}/").status_code == 404
    # A second plan for the same department and month is refused; another county's is not needed.
    again = api_as(inspector).post("/api/v1/inspections/plans/", {
        "group": group.pk, "county": "410822000000", "department": department.pk, "month": "2026-11-01",
    }, format="json")  # fmt: skip
    assert again.status_code == 409


def test_only_a_department_of_the_city_is_inspected_and_not_by_the_supervision_group(
    inspector, group, supervision_group, department, xiuwu_office, xiuwu_households
):
    xiuwu = Region.objects.get(code=XIUWU)
    with pytest.raises(DomainError) as exc:
        services.visit_plan_draw(actor=inspector, group=group, county=xiuwu, month=dt.date(2026, 11, 1),
                                 department=xiuwu_office)  # fmt: skip
    assert exc.value.field == "department"
    with pytest.raises(DomainError) as exc:
        services.visit_plan_draw(actor=inspector, group=supervision_group, county=xiuwu,
                                 month=dt.date(2026, 11, 1), department=department)  # fmt: skip
    assert exc.value.field == "department"
    assert "督查巡查组" in str(exc.value.message) or "department" in str(exc.value.message)


def test_the_plan_draw_page_offers_city_departments(client, inspector, department):
    client.force_login(inspector)
    with mock.patch("inspections.services.plans.secrets.token_hex", return_value="ab" * 16):
        page = client.get(reverse("inspections:plan_create"))
    assert page.status_code == 200
    assert department.name in page.content.decode()


def test_the_monthly_bulletin_names_the_missed_month_and_late_answers(
    supervision_group, inspector, regions, client, leader
):
    """The bulletin of November (generated on 1 December) carries the supervision line: in its content,
    on its page and in its .xlsx, as the city's leader reads them."""
    from accountability.services.bulletin import bulletin_generate
    from inspections.models import ProblemListRecipient

    _backdate_group(supervision_group, dt.date(2026, 10, 20))
    services.supervision_flag_missed_months(today=TODAY)
    plist = services.problem_list_import(
        actor=inspector, upload=_problem_sheet(), title="省通报的共性问题", issued_on=dt.date(2026, 10, 1),
        answer_deadline=dt.date(2026, 11, 10),
    )  # fmt: skip
    county_gov = Unit.objects.create(
        region=Region.objects.get(code=XIUWU), name="修武县人民政府", kind=UnitKind.GOVERNMENT
    )
    services.problem_list_send(actor=inspector, problem_list=plist, units=[county_gov])
    assert ProblemListRecipient.objects.filter(problem_list=plist).count() == 1

    bulletin, _created = bulletin_generate(region=Region.objects.get(code=CITY), month=dt.date(2026, 11, 1))

    line = bulletin.content["supervision"]
    assert [(m["group"], m["month"]) for m in line["missed_visits"]] == [
        (supervision_group.name, "2026-11-01")
    ]
    assert [(r["unit"], r["owed"], r["late"]) for r in line["late_answers"]] == [("修武县人民政府", 1, 0)]

    client.force_login(leader)
    page = client.get(reverse("accountability:bulletin_detail", args=[bulletin.pk])).content.decode()
    section = page.split('id="supervision"', 1)[1].split("</section>", 1)[0]
    missed = section.split('id="missed-visits"', 1)[1].split("</table>", 1)[0]
    assert supervision_group.name in missed
    assert "2026年11月" in missed
    late = section.split('id="late-answers"', 1)[1].split("</table>", 1)[0]
    row = next(r for r in late.split("<tr>") if "修武县人民政府" in r)
    assert "修武县" in row
    assert "省通报的共性问题" in row
    assert "2026年11月10日" in row

    xlsx = client.get(reverse("accountability:bulletin_xlsx", args=[bulletin.pk]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content))
    summary = {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True) if r[0]}
    assert summary["本月未开展暗访的督导组"] == 1
    assert summary["问题清单逾期答复或尚未答复"] == 1
    missed_rows = [r for r in book["未暗访"].iter_rows(values_only=True) if r[0] == supervision_group.name]
    assert [(r[1].date(), r[2].date()) for r in missed_rows] == [(dt.date(2026, 11, 1), TODAY)]
    (late_row,) = [r for r in book["逾期答复"].iter_rows(values_only=True) if r[0] == "修武县人民政府"]
    assert late_row[1:3] == (Region.objects.get(code=XIUWU).name, "省通报的共性问题")
    assert (late_row[3].date(), late_row[4], late_row[5]) == (dt.date(2026, 11, 10), 1, 0)


def _problem_sheet():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["序号", "类别", "问题描述"])
    wb.active.append([1, "识别不精准", "有的地方识别不精准"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "list.xlsx"
    return buf
