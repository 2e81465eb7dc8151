"""三个零差错, the sources this app owns: the rows that reveal an identification or exit error in the
register, and the households each rate is over. `inspections.error_rates` joins them with the
confirmed findings and the payments (one definition for the board, the bulletin, the scores).

Every source is a queryset of its own rows annotated with the same three columns — `key` (the
household it is about, "h<id>"), `on` (the day it was revealed, Asia/Shanghai) and `code` (the
village code) — so the rates can take the union and count each household once per kind of error.
None takes a period: a household counts in the period its error was first revealed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate

from core.scoping import region_rows

from ..models import (
    CaseState,
    CheckStatus,
    CrossCheckFlag,
    CrossCheckRule,
    FlagStatus,
    Household,
    HouseholdStatus,
    HouseholdStatusChange,
    ProcedureCase,
    ProcedureKind,
    VerificationCheck,
)

# 建档立卡: every household the county identified — on the register, exited, returned or removed
# as wrongly identified (applicants and rejected applications were never identified).
IDENTIFIED = (
    HouseholdStatus.REGISTERED,
    HouseholdStatus.EXITED,
    HouseholdStatus.RETURNED,
    HouseholdStatus.REMOVED,
)
# Households that exited poverty: exited, or exited and returned since.
EXITED = (HouseholdStatus.EXITED, HouseholdStatus.RETURNED)
# A return this soon after exit, for a cause the household had at exit, shows the exit was wrong.
RETURN_WINDOW = dt.timedelta(days=365)
# A confirmed cross-check flag of this rule reveals a payment error, not an identification error.
PAYMENT_RULES = (CrossCheckRule.PAID_AFTER_DEATH,)


def _household_key(field: str = "household_id"):
    return Concat(Value("h"), Cast(field, CharField()), output_field=CharField())


def _rows(qs: QuerySet, *, household: str, at: str, code: str) -> QuerySet:
    return qs.annotate(key=_household_key(household), on=TruncDate(at), code=F(code))


# --- the denominators ----------------------------------------------------------------------


def identified_households(*, prefix: str, actor=None) -> QuerySet[Household]:
    """The identification error rate is over these: households identified (建档立卡)."""
    households = region_rows(Household.objects.all(), field="village_id", region=prefix, actor=actor)
    return households.filter(status__in=IDENTIFIED)


def exited_households(*, prefix: str, actor=None) -> QuerySet[Household]:
    """The exit error rate is over these: households that exited poverty (returned ones included)."""
    households = region_rows(Household.objects.all(), field="village_id", region=prefix, actor=actor)
    return households.filter(status__in=EXITED)


# --- the sources ---------------------------------------------------------------------------


def removed_households(*, prefix: str, actor=None) -> QuerySet[HouseholdStatusChange]:
    """清退: households removed from the register as wrongly identified, on the day of removal."""
    changes = region_rows(
        HouseholdStatusChange.objects.filter(to_status=HouseholdStatus.REMOVED),
        field="household__village_id", region=prefix, actor=actor,
    )  # fmt: skip
    return _rows(changes, household="household_id", at="at", code="household__village_id")


def corrected_checks(*, prefix: str, actor=None) -> QuerySet[VerificationCheck]:
    """再核实: a re-verification campaign corrected the household's file."""
    checks = region_rows(
        VerificationCheck.objects.filter(status=CheckStatus.CORRECTED), field="village_id", region=prefix,
        actor=actor,
    )  # fmt: skip
    return _rows(checks, household="household_id", at="checked_at", code="village_id")


def _confirmed_flags(prefix: str, actor) -> QuerySet[CrossCheckFlag]:
    return region_rows(
        CrossCheckFlag.objects.filter(status=FlagStatus.CONFIRMED),
        field="household__village_id", region=prefix, actor=actor,
    )  # fmt: skip


def identification_flags(*, prefix: str, actor=None) -> QuerySet[CrossCheckFlag]:
    """数据比对: a confirmed flag showing the file wrong (a vehicle, a company, a civil servant, a
    deceased or departed member still counted)."""
    flags = _confirmed_flags(prefix, actor).exclude(rule__in=PAYMENT_RULES)
    return _rows(flags, household="household_id", at="decided_at", code="household__village_id")


def payment_flags(*, prefix: str, actor=None) -> QuerySet[CrossCheckFlag]:
    """数据比对: a confirmed flag of a payment made to the household after a member's death."""
    flags = _confirmed_flags(prefix, actor).filter(rule__in=PAYMENT_RULES)
    return _rows(flags, household="household_id", at="decided_at", code="household__village_id")


def early_returns(*, prefix: str, actor=None) -> QuerySet[ProcedureCase]:
    """返贫 within a year of exit for a cause present at exit: completed return procedures started
    at most RETURN_WINDOW after the household's last exit, whose cause is one of the household's
    poverty causes (main or secondary) — the exit left it unresolved. Revealed on the day the
    household's status became 返贫 (else the case's last change). A return for a new cause (a
    disaster after exit) or later than a year is not an exit error."""
    last_exit = (
        HouseholdStatusChange.objects.filter(
            household_id=OuterRef("household_id"), to_status=HouseholdStatus.EXITED, at__lte=OuterRef("created_at")
        )
        .order_by("-at", "-id")
        .values("at")[:1]
    )  # fmt: skip
    returned_at = (
        HouseholdStatusChange.objects.filter(
            household_id=OuterRef("household_id"), to_status=HouseholdStatus.RETURNED, at__gte=OuterRef("created_at")
        )
        .order_by("at", "id")
        .values("at")[:1]
    )  # fmt: skip
    cases = region_rows(
        ProcedureCase.objects.filter(kind=ProcedureKind.RETURN, state=CaseState.COMPLETED),
        field="household__village_id", region=prefix, actor=actor,
    )  # fmt: skip
    cases = (
        cases.filter(
            Q(cause=F("household__main_cause")) | Q(household__secondary_causes__contains=[F("cause")])
        )
        .annotate(exited_at=Subquery(last_exit), returned_at=Coalesce(Subquery(returned_at), "updated_at"))
        .filter(exited_at__gte=F("created_at") - RETURN_WINDOW)
    )
    return _rows(cases, household="household_id", at="returned_at", code="household__village_id")
