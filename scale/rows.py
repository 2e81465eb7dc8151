"""Rows of one county, as PostgreSQL COPY text. Pure Python: runs in worker processes, no database.

Everything is derived from (seed, county) so a run is reproducible and counties can be built in
any process. Ids come from ranges the parent reserved: a household's plan, payee account and
disbursement entry take the household's offset in their own range, its members six ids from
theirs (gaps are harmless).

两不愁三保障 rest on facts (households.models.guarantees), so the households on the register, returned
or exited get them, dated: a food and clothing statement, each member's medical insurance and the
household's serious-illness cover for this year, a housing appraisal, schooling exemptions; the
five snapshot fields of the household are derived from those facts as the selector reads them
(selectors.guarantees), so lists at scale (应退未退, 漏评, to be confirmed) read real facts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from core import pii
from core.idnumbers import check_digit
from core.names import person_name

CAUSES = [
    "illness", "disability", "schooling", "disaster", "lack_land", "lack_water", "lack_skills",
    "lack_labour", "lack_funds", "poor_transport", "lack_motivation",
]  # fmt: skip
# Rough national mix of main causes (illness and lack of funds lead, 2014 registry).
CAUSE_WEIGHTS = [42, 14, 9, 6, 4, 2, 10, 8, 3, 1, 1]
MEASURE_FOR = {
    "illness": "medical_relief", "disability": "social_guarantee", "schooling": "education_relief",
    "disaster": "disaster_relief", "lack_land": "industry", "lack_water": "industry",
    "lack_skills": "skills_training", "lack_labour": "social_guarantee", "lack_funds": "microcredit",
    "poor_transport": "relocation", "lack_motivation": "employment",
}  # fmt: skip
IN_SCHOOL = {"preschool", "primary", "junior", "senior", "vocational"}
HOUSING_KINDS = {"housing_repair", "relocation"}  # selectors.guarantees.HOUSING_MEASURE_KINDS
WATCHED = {"registered", "returned", "exited"}  # households whose guarantees are recorded
STATEMENT_VALID_DAYS = 365
# Status mix of a province in the late campaign: most registered households have exited.
STATUSES = ["registered", "exited", "returned", "removed", "applying"]
STATUS_WEIGHTS = [44, 47, 3, 3, 3]
ACTIVE = {"applying", "registered", "exited", "returned"}
ATTRIBUTES = ["general", "subsistence", "destitute"]
ATTRIBUTE_WEIGHTS = [70, 25, 5]
CATEGORIES = ["identification", "assistance", "exit", "funds", "files", "conduct", "policy"]
SOURCES = ["audit", "public_complaint", "media_local", "province_office_notice", "self_check"]
FINDING_TEXT = {
    "identification": "贫困户识别不精准，家庭收入核查不实",
    "assistance": "帮扶措施与致贫原因不对应",
    "exit": "未达脱贫标准即退出",
    "funds": "扶贫资金拨付滞后",
    "files": "档卡信息填写不规范，前后不一致",
    "conduct": "帮扶责任人入户走访不实",
    "policy": "教育资助政策落实不到位",
}


def esc(value) -> str:
    """One field of COPY text format (our values hold no tabs, newlines or backslashes)."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def line(*values) -> str:
    return "\t".join(esc(v) for v in values) + "\n"


def pg_array(items) -> str:
    return "{" + ",".join(items) + "}"


@dataclass
class CountySpec:
    county: str  # 12-digit code
    villages: list[tuple[str, int]]  # (village code, households)
    township_officer: dict[str, int]  # township code → assistance officer id
    hh_base: int  # id of the county's first household
    plan_base: int  # plan id = plan_base + household offset (global)
    account_base: int  # payee account id = account_base + household offset (global)
    entry_base: int  # disbursement entry id = entry_base + household offset (global)
    global_offset: int  # offset of the county's first household in the whole run
    fund_id: int
    county_account_id: int
    unit_id: int  # the county government: responsible unit of findings
    finding_base: int
    findings: int
    user_id: int
    seed: int
    today: str  # ISO date
    member_base: int = 0  # member id = member_base + 6 * household offset (global) + k
    school_ages: tuple[int, int] = (6, 15)  # compulsory_school_ages()


@dataclass
class CountyRows:
    county: str
    copies: dict[str, str] = field(default_factory=dict)  # table → COPY text
    counts: dict[str, int] = field(default_factory=dict)


def age_on(birth: dt.date, on: dt.date) -> int:
    """As selectors.guarantees.age_on (whole years on the day)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _ts(day: dt.date, rng: random.Random) -> str:
    return f"{day.isoformat()} {rng.randint(1, 10):02d}:{rng.randint(0, 59):02d}:00+08"


def build_county(spec: CountySpec) -> CountyRows:
    rng = random.Random(f"{spec.seed}:{spec.county}")
    today = dt.date.fromisoformat(spec.today)
    year = today.year
    region6 = spec.county[:6]
    used_ids: set[str] = set()  # ID numbers are unique by construction within the county's region code
    key_version = pii.key_version()  # beside every keyed hash (Member.id_number_key_version)

    hh, mem, chg, inc, plans, meas, accts, entries, lines = ([] for _ in range(9))
    statements, insurance, covers, appraisals, exemptions = ([] for _ in range(5))
    low, high = spec.school_ages
    disbursed_cents = 0
    disbursements: list[tuple[int, int, int, str]] = []  # (entry id, account id, cents, day)
    households: list[tuple[int, str, str]] = []  # (id, village, status) for findings
    hh_id = spec.hh_base
    n_members = n_plans = n_measures = n_changes = 0

    def id_number(birth: dt.date, female: bool) -> str:
        # Sequence numbers are drawn per (birth date, sex) and never reused: no collisions.
        while True:
            seq = rng.randint(0, 499) * 2 + (0 if female else 1)
            first17 = f"{region6}{birth:%Y%m%d}{seq:03d}"
            if first17 not in used_ids:
                used_ids.add(first17)
                return first17 + check_digit(first17)

    for village, count in spec.villages:
        township = village[:9] + "000"
        officer = spec.township_officer.get(township)
        for i in range(count):
            offset = spec.global_offset + (hh_id - spec.hh_base)
            status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
            main = rng.choices(CAUSES, CAUSE_WEIGHTS)[0]
            secondary = sorted({c for c in rng.sample(CAUSES, rng.choice((0, 0, 1, 1, 2))) if c != main})
            identified = rng.randint(2014, min(year, 2019))
            created = dt.date(identified, rng.randint(1, 12), rng.randint(1, 28))
            # Members: ~3 on average (1-6), the head first.
            size = rng.choices((1, 2, 3, 4, 5, 6), (12, 22, 30, 20, 10, 6))[0]
            head_female = rng.random() < 0.15
            head_birth = dt.date(rng.randint(1940, 1990), rng.randint(1, 12), rng.randint(1, 28))
            people = [("head", head_female, head_birth)]
            if size > 1:
                people.append(
                    ("spouse", not head_female, head_birth + dt.timedelta(days=rng.randint(-1500, 1500)))
                )
            for _k in range(2, size):
                child_birth = head_birth + dt.timedelta(days=rng.randint(20 * 365, 40 * 365))
                if child_birth > today:
                    child_birth = today - dt.timedelta(days=rng.randint(30, 3000))
                female = rng.random() < 0.48
                people.append(("daughter" if female else "son", female, child_birth))
            current = status in ACTIVE
            watched = status in WATCHED
            # Guarantees of a household on the register: exited ones met them all; of the others most
            # do, and the rest lack one or two (the selector then says unmet or to be confirmed).
            good = status == "exited" or rng.random() < 0.6
            lacks = set() if good else set(rng.sample(("food", "clothing", "medical", "housing", "education",
                                                       "stale"), rng.choice((1, 1, 2))))  # fmt: skip
            head_name = ""
            stamp = _ts(created, rng)
            school_ok = True
            uninsured_done = False
            for k, (relation, female, birth) in enumerate(people):
                member_id = spec.member_base + offset * 6 + k
                name = person_name(rng, female=female)
                if relation == "head":
                    head_name = name
                number = id_number(birth, female)
                age = age_on(birth, today)
                labour = (
                    "none"
                    if age < 16 or age > 70
                    else rng.choice(("ordinary", "ordinary", "skilled", "weak"))
                )
                schooling = (
                    "preschool" if 3 <= age < 6 else "primary" if 6 <= age < 12 else "junior" if 12 <= age < 16
                    else "senior" if 16 <= age < 19 and rng.random() < 0.5 else "none"
                )  # fmt: skip
                if low <= age <= high and watched:
                    if "education" in lacks and school_ok:
                        schooling, school_ok = "dropped_out", False  # 辍学: unmet, whatever is ticked
                    elif rng.random() < 0.004:
                        schooling = "none"  # exempt (e.g. severe disability, taught at home): recorded
                        exemptions.append(line(member_id, "重度残疾，送教上门", (today - dt.timedelta(
                            days=rng.randint(30, 700))).isoformat(), spec.user_id, stamp))  # fmt: skip
                if watched:
                    insured = not ("medical" in lacks and not uninsured_done and relation != "head")
                    uninsured_done = uninsured_done or not insured
                    insurance.append(line(member_id, year, insured, spec.user_id, stamp))
                health = "chronic" if main == "illness" and relation == "head" else "healthy"
                mem.append(line(
                    member_id, stamp, stamp, hh_id, name, pii.encrypt(number), pii.keyed_hash(number), key_version,
                    pii.mask_id(number),
                    "F" if female else "M", birth.isoformat(), relation, health,
                    "grade_3" if main == "disability" and relation == "head" else "none",
                    "primary" if age > 14 else "preschool", schooling, labour,
                    labour in ("ordinary", "skilled") and rng.random() < 0.3, 0, True, "", current,
                ))  # fmt: skip
            n_members += len(people)
            changed_day = created
            # Status history: applying → registered → exited → returned, or → removed.
            path = {
                "applying": ["applying"],
                "registered": ["applying", "registered"],
                "exited": ["applying", "registered", "exited"],
                "returned": ["applying", "registered", "exited", "returned"],
                "removed": ["applying", "registered", "removed"],
            }[status]
            previous = ""
            for step in path:
                chg.append(line(hh_id, previous, step, "", spec.user_id, _ts(changed_day, rng)))
                previous = step
                last_change = changed_day
                changed_day = min(today, changed_day + dt.timedelta(days=rng.randint(20, 500)))
            n_changes += len(path)
            attribute = rng.choices(ATTRIBUTES, ATTRIBUTE_WEIGHTS)[0]
            status_at = _ts(last_change, rng)
            # Incomes: last year and the year before.
            for y in (year - 2, year - 1):
                per_capita = rng.randint(4200, 12000) if status == "exited" else rng.randint(1800, 4500)
                wage = per_capita * len(people) * rng.randint(40, 80) // 100
                inc.append(line(stamp, stamp, hh_id, y, f"{per_capita}.00", f"{wage}.00",
                                f"{per_capita * len(people) - wage}.00", "0.00", "0.00"))  # fmt: skip
            # This year's plan for most active households; measures answer the causes (some gaps, some late).
            housing_done: list[dt.date] = []  # done housing measures' end days (危房改造, 易地搬迁)
            if (status in ("registered", "returned") and rng.random() < 0.9) or (
                status == "exited" and rng.random() < 0.4
            ):
                plan_id = spec.plan_base + offset
                plans.append(line(plan_id, stamp, stamp, hh_id, year, "因户施策"))
                n_plans += 1
                causes = [main, *secondary]
                if len(causes) > 1 and rng.random() < 0.15:
                    causes = causes[:-1]  # the last cause left uncovered: the plan is flagged
                for cause in causes:
                    start = dt.date(year, rng.randint(1, 6), rng.randint(1, 28))
                    end = start + dt.timedelta(days=rng.randint(60, 300))
                    roll = rng.random()
                    if roll < 0.45:
                        state, a_start, a_end = "done", start, min(end, today)
                    elif roll < 0.85:
                        state, a_start, a_end = "in_progress", start, None
                    else:
                        state, a_start, a_end = "planned", None, None
                    if state != "done" and end < today and rng.random() < 0.6:
                        end = today + dt.timedelta(days=rng.randint(10, 90))  # most open ones are on time
                    if state == "done" and MEASURE_FOR[cause] in HOUSING_KINDS:
                        housing_done.append(a_end)
                    meas.append(line(
                        stamp, stamp, plan_id, MEASURE_FOR[cause], "帮扶措施", pg_array([cause]), officer,
                        start.isoformat(), end.isoformat(), a_start and a_start.isoformat(),
                        a_end and a_end.isoformat(), state, stamp, "", f"{rng.randint(0, 3000)}.00", None,
                        f"{rng.randint(0, 5000)}.00", "",
                    ))  # fmt: skip
                    n_measures += 1
            # 两不愁三保障's facts, and the snapshot the services would derive from them today.
            snapshot = (False, False, False, False, False)
            if watched:
                snapshot = _guarantee_facts(
                    rng, hh_id=hh_id, head_name=head_name, today=today, user_id=spec.user_id, stamp=stamp,
                    lacks=lacks, exited=status == "exited", housing_done=housing_done, school_ok=school_ok,
                    insured_all=not uninsured_done, out=(statements, covers, appraisals),
                )  # fmt: skip
            hh.append(line(
                hh_id, stamp, stamp, f"{village}{i + 1:04d}", village, "", "", head_name, len(people), attribute,
                identified, status, status_at, main, pg_array(secondary), officer, *snapshot,
            ))  # fmt: skip
            # One household in five received a payment this year (产业奖补, 教育资助, ...).
            if current and rng.random() < 0.2:
                cents = rng.randint(500, 3000) * 100
                account_id = spec.account_base + offset
                accts.append(line(account_id, spec.fund_id, "payee", village, None, "household", hh_id,
                                  head_name, f"户 {village}{i + 1:04d}", "0.00", None, stamp))  # fmt: skip
                day = dt.date(year, 1, 1) + dt.timedelta(
                    days=rng.randint(40, (today - dt.date(year, 1, 1)).days)
                )
                disbursements.append((spec.entry_base + offset, account_id, cents, day.isoformat()))
                disbursed_cents += cents
            households.append((hh_id, village, status))
            hh_id += 1

    # Ledger: the payments, in date order, from the county account (allocated by the parent first).
    # Per account, entry ids grow with booking dates (funds.selectors.account_ledger keys its cursor on
    # that): the county's reserved ids are handed out in booking order.
    ids = sorted(d[0] for d in disbursements)
    by_day = sorted(disbursements, key=lambda d: (d[3], d[0]))
    for entry_id, (_, account_id, cents, day) in zip(ids, by_day, strict=True):
        entries.append(line(entry_id, spec.fund_id, "disbursement", _yuan(cents), day, "到户补助", None, None,
                            spec.user_id, f"{day} 10:00:00+08"))  # fmt: skip
        lines.append(line(entry_id, account_id, _yuan(cents), "0.00"))
        lines.append(line(entry_id, spec.county_account_id, "0.00", _yuan(cents)))

    # Findings (one per ~500 households) with one or two rectification items each.
    findings, items = [], []
    for k in range(spec.findings):
        fid = spec.finding_base + k
        hh_id_f, village, _status = (
            households[rng.randrange(len(households))] if households else (None, spec.county, "")
        )
        category = rng.choice(CATEGORIES)
        day = today - dt.timedelta(days=rng.randint(1, 400))
        stamp = _ts(day, rng)
        findings.append(line(
            fid, stamp, stamp, None, None, rng.choice(SOURCES), "", category,
            rng.choices(("minor", "serious", "grave"), (70, 25, 5))[0], FINDING_TEXT[category], village, hh_id_f,
            None, None, spec.unit_id, "confirmed", stamp, None, None, "",
        ))  # fmt: skip
        for _j in range(rng.choice((1, 1, 2))):
            deadline = day + dt.timedelta(days=rng.randint(15, 90))
            roll = rng.random()
            if roll < 0.55:
                st, note, closed_at, closed_by = (
                    "closed",
                    "已整改，附佐证材料",
                    _ts(min(deadline, today), rng),
                    spec.user_id,
                )
            elif roll < 0.7:
                st, note, closed_at, closed_by = "submitted", "已整改，待核验", None, None
            else:
                st, note, closed_at, closed_by = "open", "", None, None
            overdue = (
                (deadline + dt.timedelta(days=1)).isoformat() if st == "open" and deadline < today else None
            )
            items.append(line(
                stamp, stamp, fid, "逐项整改销号", spec.unit_id, village, "common", deadline.isoformat(), st, note,
                closed_at if st != "open" else None, closed_at, closed_by, "", overdue,
            ))  # fmt: skip

    out = CountyRows(county=spec.county)
    out.copies = {
        "households_household": "".join(hh),
        "households_member": "".join(mem),
        "households_householdstatuschange": "".join(chg),
        "households_income": "".join(inc),
        "households_livelihoodstatement": "".join(statements),
        "households_medicalinsurance": "".join(insurance),
        "households_illnesscover": "".join(covers),
        "households_housingappraisal": "".join(appraisals),
        "households_schoolingexemption": "".join(exemptions),
        "assistance_assistanceplan": "".join(plans),
        "assistance_measure": "".join(meas),
        "funds_account": "".join(accts),
        "funds_entry": "".join(entries),
        "funds_line": "".join(lines),
        "inspections_finding": "".join(findings),
        "inspections_rectificationitem": "".join(items),
    }
    out.counts = {
        "households": hh_id - spec.hh_base, "members": n_members, "status_changes": n_changes,
        "incomes": len(inc), "plans": n_plans, "measures": n_measures, "payee_accounts": len(accts),
        "ledger_entries": len(entries), "ledger_lines": len(lines), "findings": len(findings),
        "rectification_items": len(items), "disbursed_cents": disbursed_cents,
        "livelihood_statements": len(statements), "medical_insurance": len(insurance),
        "illness_covers": len(covers), "housing_appraisals": len(appraisals),
        "schooling_exemptions": len(exemptions),
    }  # fmt: skip
    return out


def _guarantee_facts(
    rng: random.Random,
    *,
    hh_id: int,
    head_name: str,
    today: dt.date,
    user_id: int,
    stamp: str,
    lacks: set,
    exited: bool,
    housing_done: list,
    school_ok: bool,
    insured_all: bool,
    out: tuple[list, list, list],
) -> tuple[bool, bool, bool, bool, bool]:
    """A household's statement, this year's serious-illness cover and its housing appraisal (members'
    insurance and exemptions are written with the members); returns the five snapshot fields as
    selectors.guarantees would derive them today (food, clothing, education, medical, housing)."""
    statements, covers, appraisals = out
    stale = "stale" in lacks  # the last statement is more than a year old: to be confirmed
    said = today - dt.timedelta(days=rng.randint(400, 700) if stale else rng.randint(5, 330))
    food, clothing = "food" not in lacks, "clothing" not in lacks
    statements.append(line(hh_id, said.isoformat(), food, clothing, head_name, user_id, "", stamp))
    fresh = (today - said).days <= STATEMENT_VALID_DAYS
    covered = "medical" not in lacks or not insured_all  # lacking: a member uninsured, else no cover
    covers.append(line(hh_id, today.year, covered, user_id, stamp))
    # 危房鉴定: C/D houses are unsafe until a housing measure is done after the appraisal.
    unsafe = "housing" in lacks or (not exited and rng.random() < 0.05)
    appraised = today - dt.timedelta(days=rng.randint(200, 1500) if unsafe else rng.randint(30, 1500))
    grade = rng.choice("CD") if unsafe else rng.choice("AAB")
    if "housing" in lacks and housing_done:  # appraised after the last measure: nothing done since
        appraised = min(today, max(appraised, max(housing_done) + dt.timedelta(days=1)))
    appraisals.append(line(hh_id, grade, appraised.isoformat(), "县住建局", "", "", user_id, stamp))
    housing = grade in "AB" or any(d >= appraised for d in housing_done)
    return (
        fresh and food,
        fresh and clothing,
        school_ok,
        insured_all and covered,
        housing,
    )


def _yuan(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


# Columns of each COPY, in the order build_county writes them.
COLUMNS = {
    "households_household": (
        "id", "created_at", "updated_at", "file_number", "village_id", "address", "phone", "head_name",
        "member_count", "attribute", "identified_year", "status", "status_changed_at", "main_cause",
        "secondary_causes", "assistance_officer_id", "food_secure", "clothing_secure", "education_secured",
        "medical_secured", "housing_secured",
    ),
    "households_member": (
        "id", "created_at", "updated_at", "household_id", "name", "id_number_cipher", "id_number_hash",
        "id_number_key_version", "id_number_masked", "sex", "birth_date", "relation", "health", "disability",
        "education", "schooling",
        "labour_ability", "migrant_worker", "migrant_months", "is_active", "left_reason", "is_current",
    ),
    "households_householdstatuschange": ("household_id", "from_status", "to_status", "note", "actor_id", "at"),
    "households_income": (
        "created_at", "updated_at", "household_id", "year", "per_capita_net_income", "wage_income",
        "production_income", "transfer_income", "property_income",
    ),
    "households_livelihoodstatement": (
        "household_id", "date", "food_secure", "clothing_secure", "stated_by", "officer_id", "note", "at",
    ),
    "households_medicalinsurance": ("member_id", "year", "insured", "recorded_by_id", "at"),
    "households_illnesscover": ("household_id", "year", "covered", "recorded_by_id", "at"),
    "households_housingappraisal": (
        "household_id", "grade", "date", "appraiser", "photo", "photo_name", "recorded_by_id", "at",
    ),
    "households_schoolingexemption": ("member_id", "reason", "date", "recorded_by_id", "at"),
    "assistance_assistanceplan": ("id", "created_at", "updated_at", "household_id", "year", "summary"),
    "assistance_measure": (
        "created_at", "updated_at", "plan_id", "kind", "title", "causes", "responsible_officer_id",
        "planned_start", "planned_end", "actual_start", "actual_end", "status", "status_changed_at",
        "cancel_reason", "expected_income_gain", "actual_income_gain", "funds_needed", "note",
    ),
    "funds_account": (
        "id", "fund_id", "kind", "region_id", "project_id", "payee_kind", "household_id", "payee_name", "name",
        "balance", "last_booked_on", "created_at",
    ),
    "funds_entry": (
        "id", "fund_id", "kind", "amount", "booked_on", "memo", "reverses_id", "request_id", "created_by_id",
        "created_at",
    ),
    "funds_line": ("entry_id", "account_id", "debit", "credit"),
    "inspections_finding": (
        "id", "created_at", "updated_at", "client_uuid", "report_id", "source", "source_reference", "category",
        "severity", "description", "region_id", "household_id", "project_id", "measure_id", "responsible_unit_id",
        "status", "confirmed_at", "reported_by_id", "procedure_case_id", "complainant_contact",
    ),
    "inspections_rectificationitem": (
        "created_at", "updated_at", "finding_id", "description", "responsible_unit_id", "region_id", "kind",
        "deadline", "status", "evidence_note", "submitted_at", "closed_at", "closed_by_id", "sent_back_reason",
        "overdue_since",
    ),
}  # fmt: skip
