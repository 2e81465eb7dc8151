"""The random draw of a covert visit's targets, reproducible from its stored inputs.

Algorithm `weighted-es/v1`: weighted sampling without replacement (Efraimidis–Spirakis):
each candidate gets the key u ** (1 / weight) with u from `random.Random(seed)`, the k largest
keys win. Stages run in a fixed order (townships, then villages of each drawn township in
draw order, then households of each drawn village), each stage's candidates sorted by key,
so one seed and the stored snapshot give the same targets on any machine. The snapshot holds
only what the draw read: every township of the county, the villages of the drawn townships
and the households of the drawn villages, each with its weight.

Algorithm `weighted-es/v2` (plans drawn since the 随机抽查 of work teams): exactly v1, then one
more stage with the same generator — village work teams of the county (`inputs["teams"]`, each
[team id, weight, village code]). v1's stages consume the generator first and in the same order,
so a v2 draw's townships, villages and households equal v1's for the same seed and snapshot, and
plans stored under v1 re-run under v1 unchanged.

`draw_targets` reads nothing from the database: `redraw(plan)` re-runs it on the stored
inputs, and `inspections.services.plans.visit_plan_draw` builds the inputs from the database.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

ALGORITHM_V1 = "weighted-es/v1"
ALGORITHM_V2 = "weighted-es/v2"
ALGORITHM_VERSION = ALGORITHM_V2  # used for new draws


@dataclass(frozen=True)
class Target:
    kind: str  # township / village / household / team
    key: str  # region code, or household id as a string
    parent: str | None


def _pick(rng: random.Random, candidates: list[list], k: int) -> list[str]:
    """k distinct keys from [[key, weight], …], weighted, in draw order."""
    keyed = []
    for key, weight in sorted(candidates, key=lambda c: str(c[0])):
        u = rng.random()
        w = float(weight)
        if w <= 0:
            continue
        keyed.append((u ** (1.0 / w), str(key)))
    keyed.sort(key=lambda t: (-t[0], t[1]))
    return [key for _score, key in keyed[:k]]


def draw_targets(
    *,
    seed: str,
    counts: dict[str, int],
    townships: list[list],
    villages_of: Callable[[str], list[list]],
    households_of: Callable[[str], list[list]],
    teams: list[list] | None = None,
) -> list[Target]:
    """Draw townships, then villages per township, then households per village; with `teams`
    (algorithm v2), then `counts["teams"]` work teams: [[team id, weight, village code], …]."""
    rng = random.Random(int(seed, 16))
    out: list[Target] = []
    for township in _pick(rng, townships, counts["townships"]):
        out.append(Target("township", township, None))
        for village in _pick(rng, villages_of(township), counts["villages_per_township"]):
            out.append(Target("village", village, township))
            for household in _pick(rng, households_of(village), counts["households_per_village"]):
                out.append(Target("household", household, village))
    if teams is not None:
        village_of = {str(t[0]): t[2] for t in teams}
        for team in _pick(rng, [[t[0], t[1]] for t in teams], counts.get("teams", 0)):
            out.append(Target("team", team, village_of[team]))
    return out


def draw_from_inputs(inputs: dict, seed: str) -> list[Target]:
    """Re-run a stored draw using only its stored inputs."""
    version = inputs.get("algorithm_version")
    if version not in (ALGORITHM_V1, ALGORITHM_V2):
        raise ValueError(f"unknown draw algorithm {version!r}")
    return draw_targets(
        seed=seed,
        counts=inputs["counts"],
        townships=inputs["townships"],
        villages_of=lambda code: inputs["villages"].get(code, []),
        households_of=lambda code: inputs["households"].get(code, []),
        teams=inputs.get("teams", []) if version == ALGORITHM_V2 else None,
    )


def redraw(plan) -> list[Target]:
    return draw_from_inputs(plan.draw_inputs, plan.seed)


def stored_targets(plan) -> list[Target]:
    """The plan's targets as stored in the database, in draw order, for comparison."""
    out = []
    for t in plan.targets.order_by("position"):
        if t.kind == "household":
            out.append(Target("household", str(t.household_id), t.region_id))
        elif t.kind == "team":
            out.append(Target("team", str(t.team_id), t.region_id))
        elif t.kind == "village":
            out.append(Target("village", t.region_id, t.region.parent_id))
        else:
            out.append(Target("township", t.region_id, None))
    return out
