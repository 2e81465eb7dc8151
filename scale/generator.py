"""Province-scale synthetic data: real Henan regions, households, members, plans, funds, findings, scores.

Small reference rows (units, officers, funds, the budget entries) go through the ORM and the
services. The bulk (households and everything hanging off them) is built county by county in
worker processes (`scale.rows`) and written with PostgreSQL COPY, one transaction per county,
with every constraint, index and ledger trigger in place: the ledger's own triggers move the
balances and check each entry at commit, so the generated ledger is one the product accepts.

Audit history (django-pghistory) of the COPYed rows is skipped by default through pgtrigger's
own ignore mechanism (the `pgtrigger.ignore` setting, transaction-local): the history of
synthetic rows tells nobody anything and would double the rows written. `with_history=True`
keeps it (measure both with `--with-history`).

This is the same path as the migration of an existing register (`households.imports`, ImportKind
.MIGRATION, a county administrator's mode; the benchmark's Excel import runs as one): COPY into the
tables with every constraint, foreign key, index and append-only trigger on, normal durability (every
table written to the write-ahead log, every commit waiting for it), only the history insert triggers
skipped.
`tests/households/test_county_administrator_migrates_a_register.py` holds both to it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pgtrigger
from django.db import connection, connections, transaction
from django.utils import timezone

from core.audit import actor_context
from core.models import Officer, Region, RegionLevel, Unit, UnitKind, User
from core.regions_data import load_regions

from .rows import COLUMNS, CountyRows, CountySpec, build_county
from .version import GENERATOR_VERSION

logger = logging.getLogger(__name__)

GENERATOR_USER = "scale_generator"
# Order of the COPYs inside a county's transaction: parents before children, the ledger's
# accounts and entries before their lines (the line trigger needs both).
TABLE_ORDER = [
    "households_household",
    "households_member",
    "households_householdstatuschange",
    "households_income",
    "households_livelihoodstatement",
    "households_medicalinsurance",
    "households_illnesscover",
    "households_housingappraisal",
    "households_schoolingexemption",
    "assistance_assistanceplan",
    "assistance_measure",
    "inspections_finding",
    "inspections_rectificationitem",
    "funds_account",
    "funds_entry",
    "funds_line",
]
HISTORY_TABLES = {
    "households_household", "households_member", "households_income", "assistance_assistanceplan",
    "assistance_measure", "inspections_finding", "inspections_rectificationitem",
    "households_livelihoodstatement", "households_medicalinsurance", "households_illnesscover",
    "households_housingappraisal", "households_schoolingexemption",
}  # fmt: skip
MAX_PAYMENT_CENTS = 3000_00  # build_county pays at most 3,000 yuan a household
MARKER_PREFIX = "fupin-scale:"


@dataclass
class Report:
    households: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def as_dict(self) -> dict:
        return {"households": self.households, "seconds": self.seconds, "counts": dict(self.counts)}


def read_marker() -> dict | None:
    """What generate_scale left in this database (a comment on the database), or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        text = cursor.fetchone()[0] or ""
    if not text.startswith(MARKER_PREFIX):
        return None
    return json.loads(text[len(MARKER_PREFIX) :])


def _write_marker(data: dict) -> None:
    text = MARKER_PREFIX + json.dumps(data, sort_keys=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN EXECUTE format('COMMENT ON DATABASE %%I IS %%L', current_database(), %s); END $$",
            [text],
        )


def _history_trigger_ids() -> list[str]:
    return sorted(
        trigger.get_pgid(model)
        for model, trigger in pgtrigger.registered()
        if trigger.name == "insert_insert" and model._meta.db_table in HISTORY_TABLES
    )


def _reserve_ids(table: str, count: int) -> int:
    """Take `count` ids from the table's identity sequence; returns the first."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        seq = cursor.fetchone()[0]
        cursor.execute("LOCK TABLE " + connection.ops.quote_name(table) + " IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT greatest((SELECT coalesce(max(id), 0) FROM {table}), nextval(%s))", [seq])  # noqa: S608 - our table names
        first = cursor.fetchone()[0] + 1
        cursor.execute("SELECT setval(%s, %s)", [seq, first + count])
    return first


def _reference_rows(prefix: str, year: int):
    """Units, officers, responsibilities, the scheme, funds and their budgets (idempotent, small)."""
    from accountability.demo import INDICATORS, VETOES
    from accountability.models import (
        AssessmentIndicator,
        AssessmentScheme,
        Responsibility,
        ResponsibilityKind,
        VetoCondition,
    )
    from funds.models import EntryKind, Fund, FundSource
    from funds.services.ledger import county_account, pool_account, post_entry, source_account

    user, _ = User.objects.get_or_create(
        username=GENERATOR_USER, defaults={"full_name": "规模数据生成", "is_active": False}
    )
    regions = Region.objects.filter(code__startswith=prefix)
    counties = list(regions.filter(level=RegionLevel.COUNTY).order_by("code"))
    townships = list(regions.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    have = set(Unit.objects.filter(region__code__startswith=prefix).values_list("region_id", "name"))
    units = []
    for c in counties:
        for kind, name in (
            (UnitKind.GOVERNMENT, f"{c.name}人民政府"),
            (UnitKind.PARTY_COMMITTEE, f"中共{c.name}委员会"),
        ):
            if (c.code, name) not in have:
                units.append(Unit(name=name, kind=kind, region=c))
    for t in townships:
        if (t.code, f"{t.name}党委政府") not in have:
            units.append(Unit(name=f"{t.name}党委政府", kind=UnitKind.TOWNSHIP, region=t))
    with actor_context(user):
        Unit.objects.bulk_create(units, batch_size=2000)
    unit_of = {(u.region_id, u.kind): u for u in Unit.objects.filter(region__code__startswith=prefix)}
    officer_of = {
        o.region_id: o.pk for o in Officer.objects.filter(region__in=townships, position="帮扶责任人")
    }
    officers = [
        Officer(
            name=f"{t.name}帮扶干部",
            position="帮扶责任人",
            unit=unit_of[(t.code, UnitKind.TOWNSHIP)],
            region=t,
        )
        for t in townships
        if t.code not in officer_of
    ]
    with actor_context(user):
        Officer.objects.bulk_create(officers, batch_size=2000)
    officer_of = {
        o.region_id: o.pk for o in Officer.objects.filter(region__in=townships, position="帮扶责任人")
    }

    # The assessment scheme (the demo's 考评办法) and the counties' main responsibility, so scores exist.
    scheme, created = AssessmentScheme.objects.get_or_create(
        code="xiangxiang-zhengzhi", version=1,
        defaults={"title": "县乡党政正职履行脱贫攻坚责任考评办法", "effective_from": dt.date(2016, 1, 1)},
    )  # fmt: skip
    if created:
        for code, severity, weight, cap in INDICATORS:
            AssessmentIndicator.objects.create(
                scheme=scheme,
                code=code,
                severity=severity,
                weight=Decimal(weight),
                cap=Decimal(cap) if cap else None,
            )
        for code, threshold, text in VETOES:
            VetoCondition.objects.create(scheme=scheme, code=code, threshold=threshold, description=text)
    have_resp = set(
        Responsibility.objects.filter(kind=ResponsibilityKind.MAIN).values_list("unit_id", flat=True)
    )
    with actor_context(user):
        Responsibility.objects.bulk_create(
            [
                Responsibility(
                    kind=ResponsibilityKind.MAIN,
                    unit=unit_of[(c.code, kind)],
                    region=c,
                    valid_from=dt.date(2016, 1, 1),
                    duty="脱贫攻坚主体责任",
                )
                for c in counties
                for kind in (UnitKind.GOVERNMENT, UnitKind.PARTY_COMMITTEE)
                if unit_of[(c.code, kind)].pk not in have_resp
            ]
        )

    # One central fund per city for this year: budget → pool (through the ledger service).
    funds = {}
    cities = {c.code[:4] for c in counties}
    for city4 in sorted(cities):
        city = Region.objects.get(code=city4.ljust(12, "0"))
        fund, _ = Fund.objects.get_or_create(
            code=f"SCALE-{city4}-{year}",
            defaults={"name": f"{city.name}{year}年中央财政专项扶贫资金", "source": FundSource.CENTRAL,
                      "fiscal_year": year, "region": city},
        )  # fmt: skip
        funds[city4] = {
            "fund": fund,
            "source": source_account(fund),
            "pool": pool_account(fund),
            "counties": {c.code: county_account(fund, c) for c in counties if c.code.startswith(city4)},
        }
    return user, counties, unit_of, officer_of, funds, EntryKind, post_entry


def generate(
    *,
    households: int,
    seed: int = 2017,
    prefix: str = "41",
    workers: int = 2,
    writers: int = 2,
    score_months: int = 1,
    with_history: bool = False,
    stdout=None,
) -> Report:
    report = Report(households=households)
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    t0 = time.monotonic()
    today = timezone.localdate()
    year = today.year

    counts = load_regions(prefix=prefix)
    say(f"regions under {prefix}: {counts}")
    user, counties, unit_of, officer_of, funds, EntryKind, post_entry = _reference_rows(prefix, year)
    villages_of: dict[str, list[str]] = defaultdict(list)
    for code in (
        Region.objects.filter(code__startswith=prefix, level=RegionLevel.VILLAGE)
        .order_by("code")
        .values_list("code", flat=True)
    ):
        villages_of[code[:6]].append(code)
    all_villages = [v for c in counties for v in villages_of[c.code[:6]]]
    per_village, extra = divmod(households, len(all_villages))
    share = {v: per_village + (1 if i < extra else 0) for i, v in enumerate(all_villages)}

    # Budget (source → pool) per city, then an allocation (pool → county) per county large enough
    # for every payment the county's households can receive, through the ledger service.
    hh_per_county = {c.code: sum(share[v] for v in villages_of[c.code[:6]]) for c in counties}
    allocation = {c: n * MAX_PAYMENT_CENTS + 100_000_00 for c, n in hh_per_county.items()}
    with transaction.atomic(), actor_context(user):
        for f in funds.values():
            if f["source"].balance == 0:
                total = sum(allocation[c] for c in f["counties"]) * 11 // 10
                post_entry(actor=user, kind=EntryKind.BUDGET, amount=Decimal(total) / 100, debit=f["pool"],
                           credit=f["source"], booked_on=dt.date(year, 1, 5), memo="预算安排")  # fmt: skip
            for code, account in f["counties"].items():
                if account.balance == 0:
                    post_entry(actor=user, kind=EntryKind.ALLOCATION, amount=Decimal(allocation[code]) / 100,
                               debit=account, credit=f["pool"], booked_on=dt.date(year, 1, 20), memo="资金下达")  # fmt: skip
    report.seconds["setup"] = round(time.monotonic() - t0, 1)

    # Id ranges for rows other rows point to.
    hh_base = _reserve_ids("households_household", households)
    member_base = _reserve_ids("households_member", households * 6)  # at most six members a household
    plan_base = _reserve_ids("assistance_assistanceplan", households)
    account_base = _reserve_ids("funds_account", households)
    entry_base = _reserve_ids("funds_entry", households)
    n_findings = {c.code: max(1, hh_per_county[c.code] // 500) for c in counties}
    finding_base = _reserve_ids("inspections_finding", sum(n_findings.values()))

    from households.selectors.guarantees import compulsory_school_ages

    school_ages = compulsory_school_ages()
    specs = []
    offset = finding_offset = 0
    for c in counties:
        f = funds[c.code[:4]]
        specs.append(
            CountySpec(
                county=c.code, villages=[(v, share[v]) for v in villages_of[c.code[:6]]],
                township_officer={t: o for t, o in officer_of.items() if t.startswith(c.code[:6])},
                hh_base=hh_base + offset, plan_base=plan_base, account_base=account_base, entry_base=entry_base,
                global_offset=offset, fund_id=f["fund"].pk,
                county_account_id=f["counties"][c.code].pk,
                unit_id=unit_of[(c.code, UnitKind.GOVERNMENT)].pk, finding_base=finding_base + finding_offset,
                findings=n_findings[c.code], user_id=user.pk, seed=seed, today=today.isoformat(),
                member_base=member_base, school_ages=school_ages,
            )
        )  # fmt: skip
        offset += hh_per_county[c.code]
        finding_offset += n_findings[c.code]

    ignore = "{" + ",".join(_history_trigger_ids()) + "}"
    t1 = time.monotonic()
    copy_seconds = 0.0
    connections.close_all()  # the workers are forked: they must not share our connection
    ctx = multiprocessing.get_context("fork")
    lock = threading.Lock()
    done = 0

    def writer(results) -> None:
        # Each thread has its own database connection (Django connections are per thread).
        nonlocal done, copy_seconds
        try:
            while True:
                with lock:
                    rows = next(results, None)
                if rows is None:
                    return
                c0 = time.monotonic()
                _copy_county(rows, ignore=None if with_history else ignore)
                with lock:
                    copy_seconds += time.monotonic() - c0
                    done += 1
                    for key, value in rows.counts.items():
                        report.counts[key] += value
                    n = done
                if n in (2, 8) or n % 40 == 0:
                    # Fresh statistics while the tables grow, so cached trigger plans stay good.
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE " + ", ".join(TABLE_ORDER))
                if n % 10 == 0 or n == len(specs):
                    say(f"  {n}/{len(specs)} counties, {report.counts['households']:,} households, "
                        f"{time.monotonic() - t1:.0f} s")  # fmt: skip
        finally:
            connection.close()

    with ctx.Pool(workers) as pool:
        results = pool.imap(build_county, specs) if workers > 1 else map(build_county, specs)
        threads = [threading.Thread(target=writer, args=(results,)) for _ in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if done != len(specs):
        raise RuntimeError(f"only {done} of {len(specs)} counties were written; see the errors above")
    report.seconds["bulk"] = round(time.monotonic() - t1, 1)
    report.seconds["bulk_copy_in_main"] = round(copy_seconds, 1)
    report.seconds["copy_by_table"] = {t: round(v, 1) for t, v in TABLE_SECONDS.items()}

    t2 = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    report.seconds["analyze"] = round(time.monotonic() - t2, 1)

    t3 = time.monotonic()
    from accountability.periods import previous_month
    from accountability.services import monthly_scores_compute_all

    # Scores of the months before last month (the benchmark's bulletin scores last month itself).
    month = previous_month(previous_month(today))
    for _k in range(score_months):
        scored = monthly_scores_compute_all(month=month, actor=user)
        report.counts["score_months"] += 1
        report.counts["scores"] += scored.get("units", 0) + scored.get("officers", 0)
        month = previous_month(month)
    report.seconds["scores"] = round(time.monotonic() - t3, 1)
    report.seconds["total"] = round(time.monotonic() - t0, 1)
    report.counts["history_rows_written"] = int(with_history)
    _write_marker({"households": households, "seed": seed, "prefix": prefix, "with_history": with_history,
                   "version": GENERATOR_VERSION,
                   "generated_at": timezone.now().isoformat(), "seconds": report.seconds})  # fmt: skip
    return report


TABLE_SECONDS: dict[str, float] = defaultdict(float)


def _copy_county(rows: CountyRows, *, ignore: str | None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if ignore:
            # Transaction-local: only this county's COPYs skip the history triggers.
            cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [ignore])
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        for table in TABLE_ORDER:
            data = rows.copies.get(table)
            if not data:
                continue
            columns = ", ".join(COLUMNS[table])
            started = time.monotonic()
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(data.encode())
            TABLE_SECONDS[table] += time.monotonic() - started
        started = time.monotonic()
    TABLE_SECONDS["commit (deferred FK and ledger checks)"] += time.monotonic() - started
