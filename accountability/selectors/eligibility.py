"""Can officer X be promoted on date D? The answer carries every reason, not just yes or no."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.models import Officer

from ..models import AccountabilityCase, CaseStatus, CaseType, EvaluationVeto, PromotionBan

# 诫勉 bars promotion for six months from the decision (党政领导干部选拔任用工作条例).
ADMONISHMENT_MONTHS = 6
# Pending cases of these types stop a promotion until they are decided.
BLOCKING_WHEN_PENDING = (
    CaseType.ADMONISHMENT,
    CaseType.DISCIPLINE,
    CaseType.ORGANISATIONAL,
    CaseType.PROMOTION_BAN,
)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    case_id: int | None = None
    until: dt.date | None = None


@dataclass
class Eligibility:
    officer: Officer
    on: dt.date
    reasons: list[Reason] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons

    def as_dict(self) -> dict:
        return {
            "officer": self.officer.pk,
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "reasons": [
                {"code": r.code, "message": r.message, "case": r.case_id,
                 "until": r.until.isoformat() if r.until else None}
                for r in self.reasons
            ],
        }  # fmt: skip


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def promotion_eligibility(*, officer: Officer, on: dt.date) -> Eligibility:
    """Not scoped: callers pass an officer they fetched through a scoped selector."""
    result = Eligibility(officer=officer, on=on)
    bans = PromotionBan.objects.filter(officer=officer, starts_on__lte=on, ends_on__gte=on).select_related(
        "case"
    )
    for ban in bans:
        if not ban.active_on(on):
            continue
        result.reasons.append(Reason(
            code="promotion_ban",
            message=_("No promotion until %(until)s: %(grounds)s") % {"until": ban.ends_on, "grounds": ban.case.grounds},
            case_id=ban.case_id, until=ban.ends_on,
        ))  # fmt: skip
    # 一票否决: the overall evaluation of this or last year is vetoed (lifted only with the grade, on appeal).
    vetoes = EvaluationVeto.objects.filter(
        officer=officer, lifted_on__isnull=True, recorded_on__lte=on, year__gte=on.year - 1
    ).order_by("year", "id")
    for veto in vetoes:
        result.reasons.append(Reason(
            code="evaluation_veto",
            message=_("One-vote veto of the overall evaluation for %(year)s: %(reason)s")
            % {"year": veto.year, "reason": veto.reason},
            case_id=None,
        ))  # fmt: skip
    cases = AccountabilityCase.objects.filter(subject_officer=officer, opened_on__lte=on)
    for case in cases.order_by("opened_on", "id"):
        decided_on = case.decided_at.date() if case.decided_at else None
        if case.status == CaseStatus.PROPOSED and case.case_type in BLOCKING_WHEN_PENDING:
            result.reasons.append(Reason(
                code="case_pending",
                message=_("A proposed case (%(type)s) awaits a decision: %(grounds)s")
                % {"type": case.get_case_type_display(), "grounds": case.grounds},
                case_id=case.pk,
            ))  # fmt: skip
        elif case.status == CaseStatus.CONFIRMED and case.case_type == CaseType.DISCIPLINE:
            result.reasons.append(Reason(
                code="discipline",
                message=_("A disciplinary sanction is in force: %(grounds)s") % {"grounds": case.grounds},
                case_id=case.pk,
            ))  # fmt: skip
        elif (
            case.case_type == CaseType.ADMONISHMENT
            and case.status in (CaseStatus.CONFIRMED, CaseStatus.CLOSED)
            and decided_on is not None
        ):
            until = _add_months(decided_on, ADMONISHMENT_MONTHS) - dt.timedelta(days=1)
            if decided_on <= on <= until:
                result.reasons.append(Reason(
                    code="admonishment",
                    message=_("Admonished on %(day)s: no promotion within six months, until %(until)s.")
                    % {"day": decided_on, "until": until},
                    case_id=case.pk, until=until,
                ))  # fmt: skip
    return result
