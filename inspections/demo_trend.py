"""Demo of the 三个显著提升 trend (issue 19.11): a filed return visit (回访) in 修武县 and 博爱县 in each of
the six months before this one, each household visited answering the survey, recognition and
satisfaction rising month by month from the first (the baseline). Through the services an inspector
uses; idempotent (each visit has a fixed client key, one answer per household and visit)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from core.models import User
from households.models import Household, HouseholdStatus

from . import services
from .models import Satisfaction, SurveyResponse, SurveyResult
from .survey_trend import add_months

COUNTIES = ("410821000000", "410822000000")
MONTHS = 6
PER_VISIT = 10
NAMESPACE = uuid.UUID("6f1c2a52-19b1-4e0b-9a55-3b2d0c7e1911")


def seed_survey_trend(*, stdout) -> None:
    inspector = User.objects.filter(username="inspector").first()
    if inspector is None:
        return
    this_month = timezone.localdate().replace(day=1)
    answers = 0
    for county in COUNTIES:
        households = list(
            Household.objects.filter(
                village__code__startswith=county[:6],
                status__in=[HouseholdStatus.REGISTERED, HouseholdStatus.EXITED, HouseholdStatus.RETURNED],
            ).order_by("id")[: MONTHS * PER_VISIT]
        )
        if len(households) < MONTHS * PER_VISIT:
            continue
        for k in range(MONTHS):
            month = add_months(this_month, k - MONTHS)
            visited = households[k * PER_VISIT : (k + 1) * PER_VISIT]
            report, _created = services.visit_report_submit(actor=inspector, data={
                "client_uuid": str(uuid.uuid5(NAMESPACE, f"{county}-{month:%Y-%m}")), "county": county,
                "village": visited[0].village_id, "visit_date": (month + dt.timedelta(days=17)).isoformat(),
                "place": "入户回访（演示）", "households_visited": [h.pk for h in visited],
                "summary": "回访群众对识别、退出结果的认可度和对帮扶工作的满意度。", "findings": [], "file": True,
            })  # fmt: skip
            # Month k: 5 + k/2 of 10 recognise, 4 + k/2 satisfied (the first month is the baseline).
            recognising, satisfied = 5 + (k + 1) // 2 + (k >= 5), 4 + (k + 1) // 2 + (k >= 4)
            for i, household in enumerate(visited):
                if SurveyResponse.objects.filter(report=report, household=household).exists():
                    continue
                services.survey_record(
                    report=report, household_id=household.pk, actor=inspector,
                    result=SurveyResult.EXIT if household.status == HouseholdStatus.EXITED else SurveyResult.IDENTIFICATION,
                    recognises=i < recognising,
                    satisfaction=(Satisfaction.VERY_SATISFIED if i % 3 == 0 else Satisfaction.SATISFIED)
                    if i < satisfied else (Satisfaction.NEUTRAL if i % 2 else Satisfaction.DISSATISFIED),
                )  # fmt: skip
                answers += 1
    stdout.write(f"inspections: {answers} survey answers on return visits over {MONTHS} months (the trend)")
