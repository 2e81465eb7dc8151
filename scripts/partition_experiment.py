"""Partitioning experiment for the national plan (README, "National scale"): the members table — the largest
that grows with households — copied into a table partitioned by city (LIST on a stored 4-digit code, as a
national deployment would partition by the 2-digit province), with the same indexes; then the list and
search queries timed on both.

    .venv/bin/python scripts/partition_experiment.py postgres://postgres@127.0.0.1:55432/fupin_bench

Run it against a generated database (`manage.py generate_scale`), never a live one: it creates and drops
exp_member* tables there. Prints one JSON object: the row count, the two tables' sizes, each query's median
and p95 in ms over REPEAT runs before and after, and how many partitions each plan touched.

The queries are said as the product says them (households.selectors): a county is a range of village
codes on the households (core.scoping.under_prefix, how="range"), a name search is a semi-join on the
members' name prefix. "After" adds the partition key (`m.city = '4115'`), as core.scoping would have to.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import psycopg

REPEAT = 30

SETUP = [
    "DROP TABLE IF EXISTS exp_member CASCADE",
    (
        "CREATE TABLE exp_member (LIKE households_member INCLUDING DEFAULTS, city varchar(4) NOT NULL) "
        "PARTITION BY LIST (city)"
    ),
    """DO $$ DECLARE c text; BEGIN
         FOR c IN SELECT DISTINCT left(village_id, 4) FROM households_household LOOP
           EXECUTE format('CREATE TABLE exp_member_%s PARTITION OF exp_member FOR VALUES IN (%L)', c, c);
         END LOOP; END $$""",
    (
        "INSERT INTO exp_member SELECT m.*, left(h.village_id, 4) FROM households_member m "
        "JOIN households_household h ON h.id = m.household_id"
    ),
    # The indexes of households_member, each with the partition key where PostgreSQL requires it (unique).
    "CREATE UNIQUE INDEX ON exp_member (city, id)",
    "CREATE INDEX ON exp_member (household_id)",
    "CREATE INDEX ON exp_member (id_number_hash)",
    "CREATE INDEX ON exp_member (name varchar_pattern_ops)",
    "CREATE INDEX ON exp_member (updated_at)",
    "ANALYZE exp_member",
    "ANALYZE households_member",
]

# %(lo)s/%(hi)s: the largest county's village-code range; %(city)s its city; %(name)s a common 2-character
# name prefix there; %(hash)s one member's ID hash.
QUERIES = {
    "name search, county households (2-character prefix, first 20 by village)": (
        (
            "SELECT h.id, h.head_name, h.village_id FROM households_household h "
            "WHERE h.village_id >= %(lo)s AND h.village_id < %(hi)s AND h.id IN "
            "(SELECT m.household_id FROM households_member m WHERE m.name LIKE %(name)s) "
            "ORDER BY h.village_id, h.id LIMIT 20"
        ),
        (
            "SELECT h.id, h.head_name, h.village_id FROM households_household h "
            "WHERE h.village_id >= %(lo)s AND h.village_id < %(hi)s AND h.id IN "
            "(SELECT m.household_id FROM exp_member m WHERE m.city = %(city)s AND m.name LIKE %(name)s) "
            "ORDER BY h.village_id, h.id LIMIT 20"
        ),
    ),
    "name search, county members (2-character prefix, first 50 by id)": (
        (
            "SELECT m.id, m.household_id, m.name FROM households_member m JOIN households_household h "
            "ON h.id = m.household_id WHERE m.name LIKE %(name)s "
            "AND h.village_id >= %(lo)s AND h.village_id < %(hi)s ORDER BY m.id LIMIT 50"
        ),
        (
            "SELECT m.id, m.household_id, m.name FROM exp_member m JOIN households_household h "
            "ON h.id = m.household_id WHERE m.city = %(city)s AND m.name LIKE %(name)s "
            "AND h.village_id >= %(lo)s AND h.village_id < %(hi)s "
            "ORDER BY m.id LIMIT 50"
        ),
    ),
    "exact ID search (hash, region unknown)": (
        "SELECT household_id FROM households_member WHERE id_number_hash = %(hash)s",
        "SELECT household_id FROM exp_member WHERE id_number_hash = %(hash)s",
    ),
    "exact ID search (hash, within the reader's city)": (
        "SELECT household_id FROM households_member WHERE id_number_hash = %(hash)s",
        "SELECT household_id FROM exp_member WHERE city = %(city)s AND id_number_hash = %(hash)s",
    ),
    "members of a county, counted": (
        (
            "SELECT count(*) FROM households_member m JOIN households_household h ON h.id = m.household_id "
            "WHERE h.village_id >= %(lo)s AND h.village_id < %(hi)s AND m.is_active"
        ),
        (
            "SELECT count(*) FROM exp_member m JOIN households_household h ON h.id = m.household_id "
            "WHERE m.city = %(city)s AND h.village_id >= %(lo)s AND h.village_id < %(hi)s AND m.is_active"
        ),
    ),
    "a county's members, first page by last change": (
        (
            "SELECT m.id, m.name, m.updated_at FROM households_member m JOIN households_household h "
            "ON h.id = m.household_id "
            "WHERE h.village_id >= %(lo)s AND h.village_id < %(hi)s "
            "ORDER BY m.updated_at DESC, m.id DESC LIMIT 50"
        ),
        (
            "SELECT m.id, m.name, m.updated_at FROM exp_member m JOIN households_household h "
            "ON h.id = m.household_id WHERE m.city = %(city)s "
            "AND h.village_id >= %(lo)s AND h.village_id < %(hi)s "
            "ORDER BY m.updated_at DESC, m.id DESC LIMIT 50"
        ),
    ),
}


def relations(plan) -> set[str]:
    """The tables a plan (EXPLAIN's JSON) reads: after pruning, the partitions it still scans."""
    if isinstance(plan, list):
        return set().union(*(relations(p) for p in plan)) if plan else set()
    if isinstance(plan, dict):
        found = {plan["Relation Name"]} if "Relation Name" in plan else set()
        return found.union(*(relations(v) for v in plan.values() if isinstance(v, list | dict)))
    return set()


def timed(conn, sql: str, params: dict) -> dict:
    conn.execute(sql, params).fetchall()  # warm
    runs = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        conn.execute(sql, params).fetchall()
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    plan = conn.execute("EXPLAIN (FORMAT JSON) " + sql, params).fetchone()[0]
    return {
        "p50_ms": round(statistics.median(runs), 2),
        "p95_ms": round(runs[min(len(runs) - 1, int(len(runs) * 0.95))], 2),
        "partitions_scanned": len(relations(plan) - {"households_member", "households_household"}),
    }


def sizes(conn, table: str) -> dict:
    """Heap and index bytes of a table, summed over its partitions if it has any."""
    heap, indexes = conn.execute(
        "SELECT sum(pg_table_size(c.oid)), sum(pg_indexes_size(c.oid)) FROM pg_class c "
        "WHERE c.oid = %s::regclass "
        "OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = %s::regclass)",
        [table, table],
    ).fetchone()
    return {"heap_mb": round(int(heap) / 2**20, 1), "indexes_mb": round(int(indexes) / 2**20, 1)}


def main(url: str) -> dict:
    # prepare_threshold=None: every statement planned with its values, as Django sends them.
    with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
        started = time.perf_counter()
        for sql in SETUP:
            conn.execute(sql)
        setup_s = time.perf_counter() - started
        county = conn.execute(
            "SELECT left(village_id, 6) FROM households_household GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        lo, hi = county, str(int(county) + 1)
        name = conn.execute(
            "SELECT left(m.name, 2) FROM households_member m "
            "JOIN households_household h ON h.id = m.household_id "
            "WHERE h.village_id >= %s AND h.village_id < %s GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            [lo, hi],
        ).fetchone()[0]
        member_hash = conn.execute(
            "SELECT m.id_number_hash FROM households_member m "
            "JOIN households_household h ON h.id = m.household_id "
            "WHERE h.village_id >= %s AND h.village_id < %s ORDER BY m.id DESC LIMIT 1",
            [lo, hi],
        ).fetchone()[0]
        params = {"lo": lo, "hi": hi, "city": county[:4], "name": name + "%", "hash": member_hash}
        result = {
            "members": conn.execute("SELECT count(*) FROM households_member").fetchone()[0],
            "households": conn.execute("SELECT count(*) FROM households_household").fetchone()[0],
            "partitions": conn.execute(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'exp_member'::regclass"
            ).fetchone()[0],
            "county": county,
            "name_prefix": name,
            "setup_seconds": round(setup_s, 1),
            "sizes": {
                "households_member": sizes(conn, "households_member"),
                "exp_member": sizes(conn, "exp_member"),
            },
            "queries": {},
        }
        for label, (before, after) in QUERIES.items():
            result["queries"][label] = {
                "before": timed(conn, before, params),
                "after": timed(conn, after, params),
            }
        conn.execute("DROP TABLE exp_member CASCADE")
    return result


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1]), ensure_ascii=False, indent=1) + "\n")
