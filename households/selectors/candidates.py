"""应退未退 and 漏评 (issue 17.3): the households whose facts disagree with their place on the register.

- `exit_due`: registered (or returned) households whose per-capita net income of its latest year
  is above that year's poverty line and whose guarantees are all met, with no procedure in progress —
  they should be exiting (应退则退) and nobody started the exit procedure.
- `omission_candidates`: households in the register that are not registered poor (exited,
  removed, rejected) whose income of the year is not above the line or with a guarantee unmet —
  possibly left out (漏评, 把遗漏的补进来), each to be reviewed to a decision (OmissionReview).

Both read in the reader's scope (core.scoping through household_base). The SQL narrows by the
income and by the guarantees' snapshot the services keep from the facts (the five fields of
Household, written by services.guarantees); each row of a page of 应退未退 then says whether
the facts as they stand today agree (selectors.guarantees.guarantees_met_many, once per page; the
exit verification will check them again on its day).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import (
    CaseState,
    Household,
    HouseholdStatus,
    Income,
    OmissionDecision,
    OmissionReview,
    PovertyLine,
    ProcedureCase,
)
from .households import household_base

# On the poor register: what 应退未退 looks at. Anything else in the register is what 漏评 looks at
# (applicants excepted: their entry procedure is under way).
POOR_STATUSES = (HouseholdStatus.REGISTERED, HouseholdStatus.RETURNED)
NOT_POOR_STATUSES = (HouseholdStatus.EXITED, HouseholdStatus.REMOVED, HouseholdStatus.REJECTED)
SNAPSHOT = ("food_secure", "clothing_secure", "education_secured", "medical_secured", "housing_secured")


@dataclass(frozen=True)
class Line:
    year: int
    amount: Decimal


def current_line() -> Line | None:
    """The latest poverty line, up to this year (shown on the pages)."""
    row = (
        PovertyLine.objects.filter(year__lte=timezone.localdate().year)
        .order_by("-year")
        .values_list("year", "amount")
        .first()
    )
    return Line(*row) if row else None


def review_year() -> int:
    """The year a possible omission is reviewed for (one review per household and year)."""
    return timezone.localdate().year


def _with_income(qs: QuerySet[Household]) -> QuerySet[Household]:
    """`income`, `income_year`: the household's latest yearly income; `line`: that year's poverty line."""
    latest = Income.objects.filter(household=OuterRef("pk")).order_by("-year")
    qs = qs.annotate(
        income=Subquery(latest.values("per_capita_net_income")[:1]),
        income_year=Subquery(latest.values("year")[:1]),
    )
    return qs.annotate(
        line=Subquery(PovertyLine.objects.filter(year=OuterRef("income_year")).values("amount")[:1])
    )


def _in_procedure() -> Exists:
    return Exists(ProcedureCase.objects.filter(household=OuterRef("pk"), state=CaseState.OPEN))


def _all_met() -> Q:
    return Q(**dict.fromkeys(SNAPSHOT, True))


def exit_due(*, actor, within: str | None = None) -> QuerySet[Household]:
    """应退未退: on the poor register, latest income above its year's line, every guarantee met
    (snapshot), no procedure in progress. Ordered by village and file number."""
    qs = household_base(actor=actor, within=within).filter(status__in=POOR_STATUSES).filter(_all_met())
    qs = _with_income(qs).filter(income__gt=F("line"))
    return qs.exclude(_in_procedure()).select_related("village").order_by("village_id", "file_number")


def exit_due_count(*, actor, within: str | None = None) -> int:
    return exit_due(actor=actor, within=within).count()


def omission_candidates(*, actor, within: str | None = None) -> QuerySet[Household]:
    """漏评: not on the poor register (exited, removed, rejected), latest income not above its year's
    line or a guarantee unmet, no procedure in progress, and not decided this year.
    Annotated with `income`, `income_year`, `line`, `income_below_line`, `guarantee_unmet` and
    `open_review` (bool)."""
    qs = _with_income(household_base(actor=actor, within=within).filter(status__in=NOT_POOR_STATUSES))
    below = Q(income__lte=F("line"))
    unmet = ~_all_met()
    reviews = OmissionReview.objects.filter(household=OuterRef("pk"), year=review_year())
    qs = qs.annotate(
        income_below_line=ExpressionWrapper(Q(below, income__isnull=False), output_field=BooleanField()),
        guarantee_unmet=ExpressionWrapper(unmet, output_field=BooleanField()),
        open_review=Exists(reviews.filter(status=OmissionDecision.OPEN)),
    )
    qs = qs.filter(below | unmet).exclude(_in_procedure())
    qs = qs.exclude(Exists(reviews.exclude(status=OmissionDecision.OPEN)))
    return qs.select_related("village").order_by("village_id", "file_number")


def omission_candidate_get(*, actor, pk: int) -> Household:
    """A household of the reader's scope (404 outside it) — a candidate or not: the service says."""
    return get_object_or_404(household_base(actor=actor).select_related("village"), pk=pk)


def omission_reviews(*, actor, within: str | None = None) -> QuerySet[OmissionReview]:
    """The decided and open reviews of the reader's scope, newest first."""
    households = household_base(actor=actor, within=within)
    return (
        OmissionReview.objects.filter(household__in=households.values("pk"))
        .select_related("household", "household__village", "opened_by")
        .order_by("-updated_at", "-id")
    )
