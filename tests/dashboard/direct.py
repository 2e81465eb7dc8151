"""Each dashboard figure counted again in Python, straight from the source rows.

Independent of the SQL in dashboard/figures.py: if either is wrong, the comparison fails.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.utils import timezone

from core.regions import prefix_from_code


def _in(prefix: str, code: str | None) -> bool:
    return bool(code) and code.startswith(prefix) and len(prefix_from_code(code)) >= len(prefix)


def households_figures(prefix: str) -> dict[str, Counter]:
    from households.models import Household, HouseholdStatusChange, Member, PoorVillage

    out: dict[str, Counter] = defaultdict(Counter)
    households = {h.pk: h for h in Household.objects.filter(village__code__startswith=prefix)}
    active = Counter(
        m.household_id for m in Member.objects.filter(household_id__in=households, is_active=True)
    )
    for h in households.values():
        out["households"][h.status] += 1
        out["people"][h.status] += active[h.pk]
        if h.status in ("registered", "returned"):
            out["cause"][h.main_cause] += 1
            out["attribute"][h.attribute] += 1
    seen = set()
    for c in HouseholdStatusChange.objects.filter(household_id__in=households):
        local = timezone.localtime(c.at)
        year, month = f"{local.year}", f"{local.year}-{local.month:02d}"
        pairs = {"exited": [("exits_year", year), ("exits_month", month), ("exit_people_year", year)],
                 "returned": [("returns_month", month)], "registered": [("registrations_month", month)]}  # fmt: skip
        for metric, key in pairs.get(c.to_status, []):
            if (metric, c.household_id, key) in seen:
                continue
            seen.add((metric, c.household_id, key))
            out[metric][key] += active[c.household_id] if metric == "exit_people_year" else 1
    for v in PoorVillage.objects.filter(village__code__startswith=prefix):
        out["poor_villages"][v.status] += 1
        if v.exit_year:
            out["village_exits_year"][str(v.exit_year)] += 1
    return out


def assistance_figures(prefix: str) -> dict[str, Counter]:
    from assistance.models import AssistancePlan, Measure
    from households.models import Household

    out: dict[str, Counter] = defaultdict(Counter)
    today = timezone.localdate()
    households = Household.objects.filter(
        village__code__startswith=prefix, status__in=("registered", "returned")
    )
    plans = {
        p.household_id: p for p in AssistancePlan.objects.filter(household__in=households, year=today.year)
    }
    measures = defaultdict(list)
    for m in Measure.objects.filter(plan__in=plans.values()):
        measures[m.plan_id].append(m)
    for h in households:
        if h.assistance_officer_id is None:
            out["without_officer"][""] += 1
        plan = plans.get(h.pk)
        if plan is None:
            out["plan_coverage"]["no_plan"] += 1
            continue
        answered = {c for m in measures[plan.pk] if m.status != "cancelled" for c in m.causes}
        out["plan_coverage"]["uncovered" if set(h.causes) - answered else "covered"] += 1
        if any(m.status in ("planned", "in_progress") and m.planned_end < today for m in measures[plan.pk]):
            out["late_plans"][""] += 1
    return out


def funds_figures(prefix: str) -> dict[str, Counter]:
    from funds.models import Entry

    out: dict[str, Counter] = defaultdict(Counter)
    for entry in Entry.objects.prefetch_related("lines__account").select_related("reverses", "request"):
        kind = entry.reverses.kind if entry.reverses_id else entry.kind
        # A household's payment is disbursed once the bank says it is paid (issue 20.4).
        request = entry.request if entry.request_id else None
        awaiting_bank = request is not None and request.payee_kind == "household" and request.status in (
            "approved", "sent",
        )  # fmt: skip
        lines = list(entry.lines.all())
        for line in lines:
            account, net = line.account, line.debit - line.credit
            others = [x.account for x in lines if x.pk != line.pk]
            if account.kind == "fund" and kind == "budget" and _in(prefix, account.region_id):
                out["fund_budget"][""] += net
            from_pool = any(o.kind == "fund" for o in others)
            if (
                account.kind in ("county", "project")
                and kind == "allocation"
                and from_pool
                and _in(prefix, account.region_id)
            ):
                out["fund_allocated"][""] += net
            if account.kind == "payee" and not awaiting_bank:
                holder = next(o for o in others if o.kind != "payee")
                if _in(prefix, holder.region_id):
                    out["fund_disbursed"][""] += net
                    out["fund_disbursed_month"][entry.booked_on.strftime("%Y-%m")] += net
    return out


def inspections_figures(prefix: str) -> dict[str, Counter]:
    from inspections.models import Finding, RectificationItem

    out: dict[str, Counter] = defaultdict(Counter)
    for f in Finding.objects.filter(region__code__startswith=prefix, status="confirmed"):
        out["findings"][f.category] += 1
        if f.confirmed_at:
            local = timezone.localtime(f.confirmed_at)
            out["findings_month"][f"{local.year}-{local.month:02d}"] += 1
    for i in RectificationItem.objects.filter(region__code__startswith=prefix, finding__status="confirmed"):
        out["rectification"]["overdue" if i.status != "closed" and i.overdue_since else i.status] += 1
    return out


def accountability_figures(prefix: str) -> dict[str, Counter]:
    from accountability.models import AccountabilityCase

    out: dict[str, Counter] = defaultdict(Counter)
    for case in AccountabilityCase.objects.filter(region__code__startswith=prefix):
        out["cases"][case.status] += 1
        out["cases_month"][case.opened_on.strftime("%Y-%m")] += 1
    return out


def all_figures(prefix: str) -> dict[str, Counter]:
    out: dict[str, Counter] = defaultdict(Counter)
    for part in (
        households_figures,
        assistance_figures,
        funds_figures,
        inspections_figures,
        accountability_figures,
    ):
        for metric, counts in part(prefix).items():
            out[metric].update(counts)
    return out


def shown(figures: dict, metric: str) -> Counter:
    return Counter({k: Decimal(v) for k, v in figures.get(metric, {}).items() if v})


def expected(counts: Counter) -> Counter:
    return Counter({k: Decimal(v) for k, v in counts.items() if v})
