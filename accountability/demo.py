"""Demo data for accountability: the five responsibilities of 焦作市's officers, the 考评办法,
three months of scores, a few cases and the last bulletin. Running it twice changes nothing new."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from core.demo import CITY_CODE, DEMO_PASSWORD
from core.models import Officer, Region, RegionLevel, Role, Unit, UnitKind, User
from inspections.models import Finding

from .models import (
    AccountabilityCase,
    AssessmentIndicator,
    AssessmentScheme,
    CaseType,
    IndicatorCode,
    MonthlyScore,
    RectificationReview,
    Responsibility,
    ResponsibilityKind,
    VetoCondition,
)
from .periods import previous_month, today

START = dt.date(2016, 1, 1)
# Months of scores the demo computes (the last ones before this month); months already scored are kept.
SCORE_MONTHS = 3
K = ResponsibilityKind

INDICATORS = [
    (IndicatorCode.FINDINGS, "minor", "1", "10"),
    (IndicatorCode.FINDINGS, "serious", "3", "15"),
    (IndicatorCode.FINDINGS, "grave", "5", None),
    (IndicatorCode.OVERDUE_RECTIFICATIONS, "", "2", "10"),
    (IndicatorCode.IDENTIFICATION_ERRORS, "", "4", "20"),
    (IndicatorCode.EXIT_ERRORS, "", "4", "20"),
    (IndicatorCode.FUND_ERRORS, "", "5", "20"),
    (IndicatorCode.PLAN_GAPS, "", "0.2", "10"),
    (IndicatorCode.REPEATED_ABSENCES, "", "3", "15"),
]
VETOES = [
    (IndicatorCode.THREE_ALWAYS_CASES, 1, "被中央、省媒体曝光或被省级扶贫部门、督查巡查组通报批评"),
    (IndicatorCode.FUND_ERRORS, 3, "当月扶贫资金差错三笔以上"),
]


def _scheme() -> AssessmentScheme:
    scheme, created = AssessmentScheme.objects.get_or_create(
        code="xiangxiang-zhengzhi", version=1,
        defaults={"title": "县乡党政正职履行脱贫攻坚责任考评办法", "effective_from": START},
    )  # fmt: skip
    if created:
        for code, severity, weight, cap in INDICATORS:
            AssessmentIndicator.objects.create(scheme=scheme, code=code, severity=severity, weight=Decimal(weight),
                                               cap=Decimal(cap) if cap else None)  # fmt: skip
        for code, threshold, text in VETOES:
            VetoCondition.objects.create(scheme=scheme, code=code, threshold=threshold, description=text)
    else:
        # Indicators added to the scheme later (repeated absences, issue 11): once, idempotent.
        for code, severity, weight, cap in INDICATORS:
            AssessmentIndicator.objects.get_or_create(scheme=scheme, code=code, severity=severity, defaults={
                "weight": Decimal(weight), "cap": Decimal(cap) if cap else None})  # fmt: skip
    return scheme


def _assign(wanted: list, kind, region, *, officer=None, unit=None, duty="") -> None:
    """Queue a responsibility from START (written by `_assign_queued`, like get_or_create on its keys)."""
    if officer is None and unit is None:
        return
    wanted.append((kind, region, officer, unit, duty))


def _assign_queued(wanted: list) -> None:
    """The queued responsibilities that do not exist yet, in one INSERT (one get_or_create each took
    most of the demo's time)."""
    seen = set(
        Responsibility.objects.filter(valid_from=START).values_list(
            "kind", "region_id", "officer_id", "unit_id"
        )
    )
    new = []
    for kind, region, officer, unit, duty in wanted:
        key = (kind, region.pk, getattr(officer, "pk", None), getattr(unit, "pk", None))
        if key not in seen:
            seen.add(key)
            new.append(Responsibility(kind=kind, region=region, officer=officer, unit=unit, valid_from=START,
                                      duty=duty))  # fmt: skip
    Responsibility.objects.bulk_create(new)


def _officer(unit: Unit | None, position: str) -> Officer | None:
    return unit.officers.filter(position=position).order_by("id").first() if unit else None


def _responsibilities() -> None:
    wanted: list[tuple] = []
    city = Region.objects.get(code=CITY_CODE)
    city_officers = list(Officer.objects.filter(region=city, unit__kind__in=[UnitKind.PARTY_COMMITTEE,
                                                                              UnitKind.GOVERNMENT]).order_by("id"))  # fmt: skip
    groups = list(Unit.objects.filter(region=city, kind=UnitKind.INSPECTION_GROUP).order_by("name"))
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="4108").order_by("code"))
    for i, county in enumerate(counties):
        committee = Unit.objects.filter(region=county, kind=UnitKind.PARTY_COMMITTEE).first()
        government = Unit.objects.filter(region=county, kind=UnitKind.GOVERNMENT).first()
        _assign(wanted, K.MAIN, county, unit=committee, duty="脱贫攻坚主体责任")
        _assign(wanted, K.MAIN, county, unit=government, duty="脱贫攻坚主体责任")
        _assign(wanted, K.FIRST, county, officer=_officer(committee, "县委书记"), duty="党委正职，第一责任人")
        _assign(wanted, K.FIRST, county, officer=_officer(government, "县长"), duty="政府正职，第一责任人")
        _assign(
            wanted, K.DIRECT, county, officer=_officer(committee, "县委副书记"), duty="党委副书记，直接责任人"
        )
        deputy = _officer(government, "分管副县长")
        _assign(wanted, K.DIRECT, county, officer=deputy, duty="政府分管领导，直接责任人")
        if city_officers:
            _assign(
                wanted,
                K.CONTACT_LEADER,
                county,
                officer=city_officers[i % len(city_officers)],
                duty="分包联系县",
            )
        if groups:
            _assign(wanted, K.INSPECTION, county, unit=groups[i % len(groups)], duty="不间断督查巡查")
        for dept in Unit.objects.filter(region=county, kind=UnitKind.DEPARTMENT).order_by("id"):
            _assign(
                wanted, K.DEPARTMENT, county, unit=dept, duty=f"{dept.get_department_display()}行业扶贫协调"
            )
        for township in county.children.filter(level=RegionLevel.TOWNSHIP).order_by("code"):
            unit = Unit.objects.filter(region=township, kind=UnitKind.TOWNSHIP).first()
            _assign(
                wanted,
                K.TOWNSHIP_VILLAGE,
                township,
                unit=unit,
                duty="指导村级数据采集，对数据真实准确有效负直接责任",
            )
            _assign(wanted, K.CONTACT_LEADER, township, officer=deputy, duty="分包联系乡镇")
            if county.code == "410821000000" and unit is not None:
                secretary = _officer(unit, "党委书记")
                for village in township.children.filter(level=RegionLevel.VILLAGE).order_by("code")[:3]:
                    _assign(wanted, K.CONTACT_LEADER, village, officer=secretary, duty="分包联系村")
    # 驻村帮扶: the county finance bureau of 修武县 sends teams to its first poor villages.
    bureau = Unit.objects.filter(region_id="410821000000", department="finance").first()
    for village in Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="410821",
                                         is_poor_village=True).order_by("code")[:3]:  # fmt: skip
        _assign(wanted, K.RESIDENT_ASSISTANCE, village, unit=bureau, duty="派驻第一书记和驻村工作队")
    _assign_queued(wanted)


def _user() -> User:
    """纪委's demo officer (`jiwei`, made by core.demo with the discipline commission role): the rules'
    cases of the demo are opened in their name. Their officer is the city supervision bureau's head."""
    user = User.objects.filter(username="jiwei").first()
    if user is None:
        user = User(username="jiwei", full_name="市纪委监委问责干部", region_id=CITY_CODE)
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name=Role.DISCIPLINE_COMMISSION))
    if user.officer_id is None:
        officer = Officer.objects.filter(
            region_id=CITY_CODE, unit__department="supervision", user__isnull=True
        ).first()
        if officer is not None:
            User.objects.filter(pk=user.pk).update(officer=officer)
            user.officer = officer
    return user


def _cases_from_findings(actor) -> int:
    """Apply the rules to the inspections app's demo findings (idempotent: rules find their cases)."""
    from .services import finding_filed

    n = 0
    for f in Finding.objects.filter(status="confirmed").select_related("report").order_by("id")[:200]:
        n += len(finding_filed(finding=f, actor=actor))
    return n


def _organisation_department_spot_check() -> None:
    """市委组织部 (`zuzhibu`) spot-checked a 修武县 work team last month and found its first secretary
    absent: a finding with its rectification item, and a line in last month's bulletin (issue 19.4)."""
    from assistance.models import VillageTeam
    from inspections.models import TeamCheck
    from inspections.services import team_check_record

    org = User.objects.filter(username="zuzhibu").first()
    day = previous_month(today()) + dt.timedelta(days=17)
    if org is None or TeamCheck.objects.filter(checked_by=org, checked_on=day).exists():
        return
    team = (
        VillageTeam.objects.filter(served__village__code__startswith="410821", end_date__isnull=True)
        .exclude(spot_checks__checked_on=day).order_by("id").first()
    )  # fmt: skip
    if team is not None:
        team_check_record(
            team=team, actor=org, checked_on=day, secretary_present=False, members_present=1,
            records_state="incomplete", note="组织部突击检查：第一书记不在岗，驻村日志缺近两周记录（示例）。",
        )  # fmt: skip


@transaction.atomic
def seed(*, stdout) -> None:
    from .services import (
        bulletin_generate,
        case_open,
        monthly_scores_compute_all,
        rectification_review_record,
    )

    _scheme()
    _responsibilities()
    actor = _user()
    # Before the findings' rules run: its finding is traced back with the others in this same run
    # (a receiver opens them on commit, which a seed inside a test's transaction never reaches).
    _organisation_department_spot_check()
    cases = _cases_from_findings(actor)
    # A county that failed its rectification review last year, and a case opened by hand.
    boai = Region.objects.get(code="410822000000")
    last_year = today().year - 1
    if not RectificationReview.objects.filter(region=boai, reviewed_on=dt.date(last_year, 6, 15)).exists():
        # Recorded by the city's reviewer (市级复核员) for the leading group, with what the covert
        # check found, as the review page asks of a person.
        reviewer = User.objects.filter(username="reviewer").first()
        rectification_review_record(
            region=boai, year=last_year, reviewed_on=dt.date(last_year, 6, 15), passed=False,
            reviewers="市脱贫攻坚领导小组办公室 王建国、李红（随机暗访）",
            items_checked="抽查3个乡镇9个村：危房改造台账与实地、2户“两不愁三保障”、扶贫资金拨付到户凭证",
            reasons="省反馈问题清单中危房改造和资金拨付两项整改未到位，2户住房仍不安全，"
                    "1笔到户资金无拨付凭证（示例）",
            actor=reviewer,
        )  # fmt: skip
    # A township's 扶贫专干 of 修武县 (their region is the township).
    officer = (
        Officer.objects.filter(region__code__startswith="410821", position="扶贫专干").order_by("id").first()
    )
    if officer and not AccountabilityCase.objects.filter(dedupe_key="demo:manual:1").exists():
        # Proposed by the city supervision group (一月一问责), for the discipline commission to decide.
        proposer = User.objects.filter(username="dudao").first() or actor
        case_open(case_type=CaseType.ADMONISHMENT, grounds="档卡信息与实际不符，工作作风漂浮（示例）", officer=officer,
                  opened_on=today() - dt.timedelta(days=20), dedupe_key="demo:manual:1", actor=proposer)  # fmt: skip
    month = previous_month(today())
    for _ in range(SCORE_MONTHS):
        if not MonthlyScore.objects.filter(month=month).exists():
            monthly_scores_compute_all(month=month, actor=actor)
        month = previous_month(month)
    from .demo_annual import seed_annual

    seed_annual(stdout=stdout)
    bulletin, _created = bulletin_generate(
        region=Region.objects.get(code=CITY_CODE), month=previous_month(today())
    )
    stdout.write(
        f"responsibilities: {Responsibility.objects.count()}, cases: {AccountabilityCase.objects.count()} "
        f"({cases} from findings), bulletin {bulletin.month:%Y-%m} v{bulletin.version}; "
        f"纪委: jiwei, 组织部: zuzhibu, 督导组: dudao / {DEMO_PASSWORD}"
    )
