"""Panels this app adds to other pages (core.panels): the home page of the graded, the deciding office
(proposed cases past their deadline) and the organisation department (appeals awaiting a decision)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.template.loader import render_to_string

from .models import AccountabilitySettings, AppealStatus
from .periods import today
from .selectors.annual import appeal_list, grade_list, overdue_proposed_cases
from .services.appeals import appeal_deadline, may_appeal


def my_annual_grades(*, request) -> str:
    """The graded officer (or an officer of the graded unit) is notified: the grade, and until when to appeal."""
    user = request.user
    officer = getattr(user, "officer", None)
    if officer is None:
        return ""
    day = today()
    rows = []
    own = grade_list(actor=user).filter(Q(officer_id=officer.pk) | Q(unit_id=officer.unit_id))
    for grade in own.filter(year__gte=day.year - 1).prefetch_related("appeals"):
        deadline = appeal_deadline(grade)
        rows.append({
            "grade": grade, "deadline": deadline, "appeal": next(iter(grade.appeals.all()), None),
            "may_appeal": day <= deadline and may_appeal(user, grade) and not grade.appeals.all(),
        })  # fmt: skip
    if not rows:
        return ""
    return render_to_string("accountability/partials/panel_my_grades.html", {"rows": rows}, request=request)


def overdue_cases(*, request) -> str:
    """Proposed cases not decided within the set days, flagged to the deciding office (issue 19.8)."""
    user = request.user
    if not user.has_perm("accountability.decide_accountabilitycase") or user.is_read_only:
        return ""
    cases = list(overdue_proposed_cases(on=today(), actor=user)[:50])
    if not cases:
        return ""
    days = dt.timedelta(days=AccountabilitySettings.current().case_decision_days)
    rows = [{"case": c, "due": c.opened_on + days} for c in cases]
    total = overdue_proposed_cases(on=today(), actor=user).count()
    return render_to_string(
        "accountability/partials/panel_overdue_cases.html", {"rows": rows, "total": total}, request=request
    )


def appeals_to_decide(*, request) -> str:
    user = request.user
    if not user.has_perm("accountability.decide_gradeappeal") or user.is_read_only:
        return ""
    appeals = list(appeal_list(actor=user, status=AppealStatus.LODGED)[:50])
    if not appeals:
        return ""
    return render_to_string(
        "accountability/partials/panel_appeals.html", {"appeals": appeals}, request=request
    )
