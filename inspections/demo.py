"""Demo data for inspections: the four groups, three months of covert visit plans (the current
month's still secret), filed reports with findings, ledger items in every state, a public
complaint, and a sample province problem list sent to the counties and departments.
Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid

from django.db import transaction
from django.utils import timezone

from core import xlsx
from core.models import Region, Role, Unit, UnitKind, User

from . import services
from .models import (
    AnswerStatus,
    FindingCategory,
    ItemKind,
    ItemStatus,
    ProvinceProblemList,
    RectificationItem,
    Severity,
    VisitPlan,
)
from .services.supervision import add_months

NS = uuid.UUID("6f1c3b1e-2f7a-4d6b-9d0e-410800000000")
SAMPLE_PROBLEMS = [
    ("识别不精准", "有的贫困户识别程序不规范，民主评议走过场"),
    ("识别不精准", "有的地方存在应纳未纳、优亲厚友现象"),
    ("帮扶不精准", "帮扶措施与致贫原因不对应，一户一策流于形式"),
    ("帮扶不精准", "产业扶贫项目带贫益贫机制不健全"),
    ("退出不精准", "有的贫困户达不到脱贫标准即被退出"),
    ("退出不精准", "退出程序不完整，公告公示不到位"),
    ("资金使用", "扶贫资金拨付滞后，资金闲置"),
    ("资金使用", "项目资金未按规定公告公示"),
    ("档卡不规范", "档卡信息填写不全、前后矛盾"),
    ("档卡不规范", "贫困户收入计算不准确"),
    ("作风问题", "帮扶干部入户走访不经常"),
    ("政策落实", "健康扶贫、教育扶贫政策落实不到位"),
]
FINDINGS = [
    (FindingCategory.IDENTIFICATION, Severity.SERIOUS, "走访发现一户家庭有车有房，仍在建档立卡名单中"),
    (FindingCategory.ASSISTANCE, Severity.MINOR, "因病致贫户的帮扶措施只有产业扶贫，未落实健康扶贫"),
    (FindingCategory.FILES, Severity.MINOR, "档卡中家庭人口与户籍不一致"),
    (FindingCategory.FUNDS, Severity.GRAVE, "村级扶贫项目资金未公示，群众不知情"),
    (FindingCategory.EXIT, Severity.SERIOUS, "一户已脱贫户人均纯收入低于当年贫困线"),
    (FindingCategory.CONDUCT, Severity.MINOR, "驻村工作队成员不在岗"),
]


def _uuid(*parts) -> uuid.UUID:
    return uuid.uuid5(NS, "/".join(str(p) for p in parts))


def _seed_for(*parts) -> str:
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()[:32]


def _workbook() -> io.BytesIO:
    book = xlsx.Workbook()
    sheet = book.sheet("Sheet", headers=["序号", "类别", "问题描述"])
    for i, (category, text) in enumerate(SAMPLE_PROBLEMS, start=1):
        sheet.append([i, category, text])
    buf = io.BytesIO(book.content())
    buf.name = "省通报共性问题.xlsx"
    return buf


def demo_months(today: dt.date) -> list[dt.date]:
    """The first days of the month before last, last month and this month (calendar months: 31 days
    back from 1 December is 31 October, which skipped November)."""
    return [add_months(today.replace(day=1), -k) for k in (2, 1, 0)]


def _evidence_file(name: str = "自查佐证.pdf") -> io.BytesIO:
    f = io.BytesIO(b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    f.name = name
    return f


def _unit(region: Region, kind: str) -> Unit | None:
    return Unit.objects.filter(region=region, kind=kind).order_by("id").first()


@transaction.atomic
def seed(*, stdout) -> None:
    from .models import GroupKind

    groups = [g for g in services.inspection_group_sync() if g.kind == GroupKind.INSPECTION]
    inspector = User.objects.filter(username="inspector").first()
    if inspector is None or not groups:
        stdout.write("inspections: no demo inspector or inspection groups (run the core demo first)")
        return
    admin = User.objects.filter(groups__name=Role.ADMIN).order_by("id").first() or inspector
    counties = list(Region.objects.filter(level="county", code__startswith="4108").order_by("code"))
    today = timezone.localdate()
    months = demo_months(today)

    # Plans: each group visits a county each month; the 修武县 plan of group 1 rotates in.
    plans = []
    for m_index, month in enumerate(months):
        for g_index, group in enumerate(groups[:4]):
            county = counties[(g_index + m_index) % len(counties)]
            plan = VisitPlan.objects.filter(group=group, county=county, month=month).first()
            if plan is None:
                plan = services.visit_plan_draw(
                    actor=inspector, group=group, county=county, month=month,
                    seed=_seed_for(group.pk, county.code, month),
                )  # fmt: skip
            plans.append((m_index, g_index, plan))

    # Reports for the two earlier months are filed; this month's plans stay secret.
    items: list[RectificationItem] = []
    for m_index, g_index, plan in plans:
        if m_index == 2:
            continue
        village_target = plan.targets.filter(kind="village").select_related("region").first()
        village = village_target.region if village_target else None
        households = list(plan.targets.filter(kind="household").values_list("household_id", flat=True)[:3])
        office = _unit(plan.county, UnitKind.POVERTY_OFFICE) or _unit(plan.county, UnitKind.GOVERNMENT)
        findings = []
        for k in range(2):
            category, severity, text = FINDINGS[(m_index * 4 + g_index * 2 + k) % len(FINDINGS)]
            findings.append({
                "client_uuid": str(_uuid(plan.pk, "finding", k)), "category": category, "severity": severity,
                "description": text, "household": households[k] if k < len(households) else None,
                "responsible_unit": office.pk if office else None,
            })  # fmt: skip
        report, _created = services.visit_report_submit(
            actor=inspector,
            data={
                "client_uuid": str(_uuid(plan.pk, "report")), "plan": plan.pk,
                "county": plan.county_id, "village": village.code if village else "",
                "visit_date": (plan.month + dt.timedelta(days=9 + g_index)).isoformat(),
                "place": f"{village.name if village else plan.county.name}（暗访）",
                "households_visited": households, "households_visited_count": len(households) + 2,
                "summary": "按照“四不两直”要求直奔现场，入户走访，查阅档卡。", "findings": findings, "file": True,
            },
        )  # fmt: skip
        if office is None:
            continue
        for finding in report.findings.order_by("id"):
            existing = finding.rectification_items.first()
            if existing is None:
                existing = services.rectification_item_create(
                    actor=inspector, finding=finding, responsible_unit=office, deadline=today + dt.timedelta(days=20),
                    description=f"对照问题立行立改：{finding.description[:20]}",
                    kind=ItemKind.KEY if finding.severity == Severity.GRAVE else ItemKind.COMMON,
                )  # fmt: skip
            items.append(existing)

    # Move items through every state (only once: the state is checked first).
    clerk = User.objects.filter(username="clerk").first() or admin
    for n, item in enumerate(items):
        item.refresh_from_db()
        moved = item.status_changes.exclude(from_status="").exists()  # beyond its first row
        if item.status != ItemStatus.OPEN or moved or item.overdue_since:
            continue
        step = n % 5
        submitter = (
            clerk if item.region_id.startswith(clerk.region_id[:6] if clerk.region_id else "") else admin
        )
        if step == 1:  # submitted, waiting for the inspector
            services.rectification_item_submit(
                actor=submitter, item=item, evidence_note="已入户核实并更新档卡，附照片。"
            )
        elif step == 2:  # verified and closed
            item = services.rectification_item_submit(
                actor=submitter, item=item, evidence_note="已整改到位，附会议记录。"
            )
            services.rectification_item_close(actor=inspector, item=item, note="现场核实无误")
        elif step == 3:  # sent back: open again with the reason kept
            item = services.rectification_item_submit(actor=submitter, item=item, evidence_note="已整改。")
            services.rectification_item_send_back(
                actor=inspector, item=item, reason="佐证材料不足，请补充入户照片"
            )
        elif step == 4:  # overdue: the deadline passed
            RectificationItem.objects.filter(pk=item.pk).update(deadline=today - dt.timedelta(days=3))
    services.rectification_flag_overdue(today=today)

    # A public complaint from a board, awaiting the inspectors.
    village = Region.objects.filter(code__startswith="410821", level="village").order_by("code").first()
    from .models import Finding, FindingSource

    if village and not Finding.objects.filter(source=FindingSource.PUBLIC_COMPLAINT, region=village).exists():
        services.complaint_submit(village=village, content="我村低保评定不公开，有干部亲属被评上。")

    # A sample province problem list, sent and partly answered.
    plist = ProvinceProblemList.objects.filter(title__startswith="【示例】").first()
    if plist is None:
        plist = services.problem_list_import(
            actor=admin if admin.has_role(Role.ADMIN) else inspector, upload=_workbook(),
            title="【示例】省脱贫攻坚第三次推进会议通报的共性问题", issued_by="河南省脱贫攻坚领导小组办公室",
            issued_on=months[1], answer_deadline=today + dt.timedelta(days=30),
        )  # fmt: skip
        services.problem_list_send(actor=inspector, problem_list=plist)
        recipient = plist.recipients.filter(region_id="410821000000").first()
        if recipient is not None and clerk.region_id:
            answers = list(recipient.answers.order_by("problem__number")[:4])
            for i, answer in enumerate(answers):
                if i == 0:
                    services.problem_answer_set(
                        actor=clerk, answer=answer, status=AnswerStatus.PRESENT, note="部分村存在",
                        root_cause="村级民主评议程序把关不严，乡镇审核流于形式",
                        rectification_plan="乡镇逐村复核评议记录，县扶贫办抽查，6月10日前完成",
                        items=[{"description": "逐村开展民主评议复核", "deadline": today + dt.timedelta(days=25),
                                "kind": ItemKind.COMMON}],
                    )  # fmt: skip
                else:
                    # "Not present here" with its evidence: awaiting the city's review (the first is accepted).
                    answer = services.problem_answer_set(
                        actor=clerk, answer=answer, status=AnswerStatus.ABSENT, note="经自查不存在",
                        files=[_evidence_file()],
                    )  # fmt: skip
                    if i == 1:
                        services.problem_answer_review(
                            actor=inspector, answer=answer, accept=True, note="佐证充分"
                        )
    _surveys_and_team_checks(plans, inspector)
    _supervision_group(inspector, counties, months, today)
    stdout.write(
        f"inspections: {len(groups)} groups, {VisitPlan.objects.count()} plans, "
        f"{Finding.objects.count()} findings, {RectificationItem.objects.count()} ledger items"
    )


def _surveys_and_team_checks(plans, inspector) -> None:
    """Each visited household of a filed visit answers the survey; drawn work teams are checked (all
    but the first are found with the first secretary absent; a team drawn in both filed months gives
    a repeated absence). Idempotent: existing rows are kept."""
    from .models import ReportStatus, Satisfaction, SurveyResponse, SurveyResult, TeamCheck

    answers = list(Satisfaction.values)
    n = 0
    for m_index, _g_index, plan in plans:
        if m_index == 2:
            continue
        for report in plan.reports.filter(status=ReportStatus.FILED):
            for household in report.households_visited.order_by("id"):
                n += 1
                if SurveyResponse.objects.filter(report=report, household=household).exists():
                    continue
                result = SurveyResult.EXIT if household.status == "exited" else SurveyResult.IDENTIFICATION
                services.survey_record(
                    report=report, household_id=household.pk, result=result, recognises=n % 6 != 0,
                    satisfaction=answers[n % 7 % len(answers)], actor=inspector,
                )  # fmt: skip
        for k, target in enumerate(plan.targets.filter(kind="team").select_related("team")):
            day = plan.month + dt.timedelta(days=10 + k)
            if TeamCheck.objects.filter(team=target.team, checked_on=day).exists():
                continue
            services.team_check_record(
                team=target.team, plan=plan, actor=inspector, checked_on=day, secretary_present=m_index == 0 and k == 0,
                members_present=1, records_state="complete" if k % 2 == 0 else "incomplete",
                note="突击检查：查看驻村日志和工作台账。",
            )  # fmt: skip


def _supervision_group(inspector, counties, months, today) -> None:
    """一月一暗访: the city supervision group visited a township the month before last (filed on its
    visit day), missed last month (the daily job flags it) and has this month's visit planned."""
    from .models import GroupKind, InspectionGroup, PlanStatus

    city = Region.objects.filter(level="city", code__startswith="4108").order_by("code").first()
    if city is None or not counties:
        return
    unit, _ = Unit.objects.get_or_create(
        region=city, name="市委脱贫攻坚督导组", defaults={"kind": UnitKind.INSPECTION_GROUP}
    )
    group, _ = InspectionGroup.objects.get_or_create(
        unit=unit, defaults={"name": unit.name, "region": city, "kind": GroupKind.SUPERVISION}
    )
    inspector_officer = getattr(inspector, "officer", None)
    if inspector_officer is not None:
        group.inspectors.add(inspector_officer)
    county = counties[-1]
    for month, filed in ((months[0], True), (months[2], False)):
        plan = VisitPlan.objects.filter(group=group, county=county, month=month).first()
        if plan is None:
            plan = services.visit_plan_draw(
                actor=inspector, group=group, county=county, month=month,
                seed=_seed_for(group.pk, county.code, month), counts={"households_per_village": 1},
            )  # fmt: skip
        if filed and plan.status == PlanStatus.PLANNED:
            village = plan.targets.filter(kind="village").select_related("region").first()
            visit_day = month + dt.timedelta(days=14)
            services.visit_report_submit(
                actor=inspector,
                data={
                    "client_uuid": str(_uuid(plan.pk, "report")), "plan": plan.pk, "county": county.code,
                    "village": village.region_id if village else "", "visit_date": visit_day.isoformat(),
                    "place": f"{village.region.name if village else county.name}（督导组暗访）",
                    "households_visited": [], "households_visited_count": 3,
                    "summary": "抓乡带村促县：暗访一个乡镇及其所辖村。", "findings": [], "file": True,
                },
            )  # fmt: skip
            # The demo's visit was filed on its visit day, within its month.
            VisitPlan.objects.filter(pk=plan.pk).update(
                filed_at=timezone.make_aware(dt.datetime.combine(visit_day, dt.time(18)))
            )
    services.supervision_flag_missed_months(today=today)
