"""The "missing or late" work list: households with no plan this year, a cause left uncovered,
a late measure, or no responsible officer (帮扶责任人), by village; and, as their own flags, 应保尽保 — a
cause that calls for relief with no relief measure in this year's plan — and a visit overdue (not
visited within the county's days between visits)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from core.models import Region
from core.scoping import scope
from households.models import Household

from .coverage import UncoveredCauses, _late_count_if_due
from .fieldwork import with_visit_state
from .fit import ReliefLacking, ReliefMissing
from .scope import NEEDS_PLAN_STATUSES

# --- the "missing or late" work list -----------------------------------------------------


class Flag:
    NO_PLAN = "no_plan"
    UNCOVERED = "uncovered"
    LATE = "late"
    # 应保尽保: listed on its own (a plan may cover every cause and still lack the relief).
    RELIEF = "relief"
    NO_OFFICER = "no_officer"
    VISIT_OVERDUE = "visit_overdue"  # listed on its own: it is about today, not the year's plan
    ALL = (NO_PLAN, UNCOVERED, LATE, RELIEF, NO_OFFICER, VISIT_OVERDUE)


def worklist_base(*, actor, year: int, region: str | None = None) -> QuerySet[Household]:
    """Households needing a plan this year, each with its plan, uncovered causes and late count.

    Filters read the plan's stored coverage (`uncovered_count`, `next_due`: see the model), so
    a county's list is a join on indexes; the cause list and the late count are computed only
    for the rows a page shows (and the late count only for plans whose `next_due` has passed).
    """
    today = timezone.localdate()
    # The region as a range of village codes (core.scoping.under_prefix): the village_id btree
    # serves it in the list's order, and scope() says the scope and the chosen region as one
    # range (two LIKEs multiplied their estimates, 48 rows for 6,000, and PostgreSQL misplanned).
    qs = scope(Household.objects.all(), actor=actor, field="village_id", how="range", within=region)
    qs = with_visit_state(qs.filter(status__in=NEEDS_PLAN_STATUSES))
    return qs.annotate(
        this_plan=FilteredRelation("assistance_plans", condition=Q(assistance_plans__year=year)),
    ).annotate(
        plan_id=F("this_plan__id"),
        uncovered=UncoveredCauses("this_plan__id", "main_cause", "secondary_causes"),
        relief_missing=ReliefMissing("this_plan__id", "main_cause", "secondary_causes"),
        relief_lacking=ReliefLacking("this_plan__id", "main_cause", "secondary_causes"),
        uncovered_count=F("this_plan__uncovered_count"),
        next_due=F("this_plan__next_due"),
        late_measures=_late_count_if_due(OuterRef("this_plan__id"), "this_plan__next_due", today),
    )


def _flag_q(flag: str | None, today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    no_plan = Q(plan_id__isnull=True)
    uncovered = Q(plan_id__isnull=False, uncovered_count__gt=0)
    # A plan has a late measure exactly when its earliest open completion date has passed.
    late = Q(next_due__lt=today)
    relief = Q(relief_lacking=True)
    no_officer = Q(assistance_officer__isnull=True)
    overdue = Q(visit_overdue=True)
    flags = {
        Flag.NO_PLAN: no_plan, Flag.UNCOVERED: uncovered, Flag.LATE: late, Flag.RELIEF: relief,
        Flag.NO_OFFICER: no_officer, Flag.VISIT_OVERDUE: overdue,
    }  # fmt: skip
    return flags.get(flag, no_plan | uncovered | late | no_officer)


def worklist(*, actor, year: int, region: str | None = None, flag: str | None = None) -> QuerySet[Household]:
    """The households a village secretary has to work through: no plan, a cause uncovered, or late."""
    return (
        worklist_base(actor=actor, year=year, region=region)
        .filter(_flag_q(flag))
        .select_related("village", "assistance_officer")
        .order_by("village_id", "file_number")
    )


def worklist_by_village(
    *, actor, year: int, region: str | None = None, flag: str | None = None
) -> list[dict]:
    """Per village: households needing a plan, and how many lack one, leave a cause uncovered, are
    late, lack the relief their causes call for (`relief`, 应保尽保), have no responsible officer
    (`no_officer`) or are overdue for a visit (`visit_overdue`), and `flagged`: how many the list shows for `flag`. Villages with nothing to do are left out.

    One pass over the region's households (the village names come after, for the few villages
    listed, rather than a join per household).
    """
    rows = (
        worklist_base(actor=actor, year=year, region=region)
        .order_by()
        .values("village_id")
        .annotate(
            households=Count("pk"),
            no_plan=Count("pk", filter=_flag_q(Flag.NO_PLAN)),
            uncovered_n=Count("pk", filter=_flag_q(Flag.UNCOVERED)),
            late=Count("pk", filter=_flag_q(Flag.LATE)),
            relief=Count("pk", filter=_flag_q(Flag.RELIEF)),
            no_officer=Count("pk", filter=_flag_q(Flag.NO_OFFICER)),
            visit_overdue=Count("pk", filter=_flag_q(Flag.VISIT_OVERDUE)),
            flagged=Count("pk", filter=_flag_q(flag)),
        )
        .order_by("village_id")
    )
    rows = [
        r for r in rows
        if r["no_plan"] or r["uncovered_n"] or r["late"] or r["relief"] or r["no_officer"] or r["visit_overdue"]
    ]  # fmt: skip
    names = dict(Region.objects.filter(code__in=[r["village_id"] for r in rows]).values_list("code", "name"))
    for r in rows:
        r["village__name"] = names.get(r["village_id"], "")
    return rows


class WorklistRows:
    """The work list for a Paginator, when its per-village counts are already known (from
    `worklist_by_village`): the count is their sum, and a page reads only the villages it spans
    (the list is ordered by village, then file number), not the whole region.

    `queryset` is `worklist(...)`; `counts` is [(village code, rows of the list in it)] in village order.
    """

    def __init__(self, queryset: QuerySet[Household], counts: list[tuple[str, int]]):
        self.queryset = queryset
        self.counts = counts

    def count(self) -> int:
        return sum(n for _, n in self.counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("WorklistRows supports slices only")
        start = key.start or 0
        stop = self.count() if key.stop is None else key.stop
        before, seen, villages = 0, 0, []
        for code, n in self.counts:
            if seen >= stop:
                break
            if seen + n <= start:
                before = seen = seen + n
                continue
            villages.append(code)
            seen += n
        if not villages or stop <= start:
            return []
        return list(self.queryset.filter(village_id__in=villages)[start - before : stop - before])
