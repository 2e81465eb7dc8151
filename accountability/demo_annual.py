"""Demo of the annual assessment (issue 19.1-19.3): last year's grades recorded by the organisation
department (one county graded 一般 with its talk and an appeal, the county that failed its acceptance
graded 差 with its bans and the veto), an officer's grade, and the published annual bulletin."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from core.demo import CITY_CODE, DEMO_PASSWORD
from core.exceptions import DomainError
from core.models import Region, Role, Unit, UnitKind, User

from .models import AnnualBulletin, AnnualGrade, GradeAppeal, IndicatorSource
from .periods import today

XIUWU, BOAI = "410821000000", "410822000000"


def _user(username: str, full_name: str, *, region: str, officer=None, groups=()) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, region_id=region, officer=officer)
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


def seed_annual(*, stdout) -> None:
    from .services import annual_bulletin_publish, annual_grade_record, appeal_lodge

    org = _user("zuzhibu", "市委组织部考核办干部", region=CITY_CODE, groups=[Role.ORGANISATION_DEPARTMENT])
    year = today().year - 1
    decided_on = today() - dt.timedelta(days=5)  # the appeal window is still open in the demo
    indicators = [
        {"name": "第三方评估", "source": IndicatorSource.THIRD_PARTY, "value": "82分"},
        {"name": "年终群众满意度", "source": IndicatorSource.SATISFACTION_SURVEY, "value": "86%"},
    ]
    xiuwu = Unit.objects.filter(region_id=XIUWU, kind=UnitKind.PARTY_COMMITTEE).first()
    boai = Unit.objects.filter(region_id=BOAI, kind=UnitKind.PARTY_COMMITTEE).first()
    grades = []
    if xiuwu and not AnnualGrade.objects.filter(unit=xiuwu, year=year).exists():
        try:
            grades.append(annual_grade_record(
                year=year, decided_on=decided_on, unit=xiuwu, grade="average", indicators=indicators, actor=org,
                reasons="第三方评估和群众满意度偏低，整改台账逾期较多，评定为一般（示例）",
            )[0])  # fmt: skip
        except DomainError:  # a vetoed month of the demo's scores: the year is 差 whatever is stated
            grades.append(annual_grade_record(year=year, decided_on=decided_on, unit=xiuwu, actor=org,
                                              reasons="一票否决（示例）", indicators=indicators)[0])  # fmt: skip
    if boai and not AnnualGrade.objects.filter(unit=boai, year=year).exists():
        # 博爱县 failed its rectification acceptance last year: the grade is 差, whatever is stated.
        grades.append(annual_grade_record(
            year=year, decided_on=decided_on, unit=boai, grade="poor", indicators=indicators, actor=org,
            reasons="整改评估验收未通过，一票否决（示例）",
        )[0])  # fmt: skip
    for unit in Unit.objects.filter(region__code__startswith="4108", region__level="county",
                                    kind=UnitKind.PARTY_COMMITTEE).exclude(region_id__in=[XIUWU, BOAI])[:2]:  # fmt: skip
        if not AnnualGrade.objects.filter(unit=unit, year=year).exists():
            annual_grade_record(year=year, decided_on=decided_on, unit=unit, grade="good", actor=org,
                                reasons="各项指标完成较好（示例）", indicators=indicators)  # fmt: skip
    # 修武县委书记 appeals the county's 一般.
    grade = AnnualGrade.objects.filter(unit=xiuwu, year=year).first() if xiuwu else None
    head = xiuwu.officers.filter(position="县委书记").first() if xiuwu else None
    if grade is not None and head is not None and not GradeAppeal.objects.filter(grade=grade).exists():
        secretary = _user("xiuwu_shuji", "修武县委书记", region=XIUWU, officer=head)
        appeal_lodge(grade=grade, grounds="满意度调查样本偏少，且逾期整改项已于年底前全部销号，申请复核等次（示例）",
                     actor=secretary, on=decided_on + dt.timedelta(days=2))  # fmt: skip
    city = Region.objects.get(code=CITY_CODE)
    if (
        AnnualGrade.objects.filter(year=year).exists()
        and not AnnualBulletin.objects.filter(region=city, year=year).exists()
    ):
        annual_bulletin_publish(region=city, year=year, actor=org)
    stdout.write(
        f"annual grades {year}: {AnnualGrade.objects.filter(year=year).count()}, appeals: {GradeAppeal.objects.count()}; "
        f"organisation department: zuzhibu / {DEMO_PASSWORD}"
    )
