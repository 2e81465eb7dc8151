"""Load the real division codes of Henan (2023 统计用区划代码) and synthetic villages under them."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from django.db import transaction

from .models import Region, RegionLevel
from .regions import pad_code

DATA_FILE = Path(__file__).resolve().parent / "data" / "henan-regions-2023.csv"

_VILLAGE_HEADS = "东西南北前后大小新上下中老高"
_VILLAGE_WORDS = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_VILLAGE_TAILS = ["庄", "营", "寨", "屯", "河", "岭", "沟", "坡", "堡", "店", "集", "楼", "窑", "湾", "桥"]


def read_rows(prefix: str = "41") -> list[dict]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if row["code"].startswith(prefix)]


def village_name(rng: random.Random) -> str:
    head = rng.choice(_VILLAGE_HEADS) if rng.random() < 0.45 else ""
    return f"{head}{rng.choice(_VILLAGE_WORDS)}{rng.choice(_VILLAGE_TAILS)}村"


def village_codes_for(township_code: str, count: int) -> list[str]:
    """Village committees are numbered 2xx under their township (居委会 are 0xx)."""
    return [f"{township_code[:9]}{200 + i + 1:03d}" for i in range(count)]


@transaction.atomic
def load_regions(
    *, prefix: str, villages_per_township: tuple[int, int] = (4, 8), poor_share: float = 0.2, seed: int = 4108
) -> dict[str, int]:
    """Create (idempotently) the province, the regions under `prefix`, and synthetic villages.

    Returns counts by level. Existing rows are left as they are.
    """
    rows = read_rows()
    by_code = {r["code"]: r for r in rows}
    wanted = [r for r in rows if r["code"].startswith(prefix) or prefix.startswith(r["code"])]
    existing = set(
        Region.objects.filter(code__in=[pad_code(r["code"]) for r in wanted]).values_list("code", flat=True)
    )
    to_create = []
    for r in sorted(wanted, key=lambda r: len(r["code"])):
        code = pad_code(r["code"])
        if code in existing:
            continue
        parent = pad_code(r["parent_code"]) if r["parent_code"] and r["parent_code"] in by_code else None
        to_create.append(Region(code=code, name=r["name"], level=r["level"], parent_id=parent))
    Region.objects.bulk_create(to_create, batch_size=2000)

    rng = random.Random(seed)
    townships = [r for r in wanted if r["level"] == RegionLevel.TOWNSHIP and r["code"].startswith(prefix)]
    have_villages = set(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=prefix).values_list(
            "parent_id", flat=True
        )
    )
    villages = []
    for t in sorted(townships, key=lambda r: r["code"]):
        count = rng.randint(*villages_per_township)
        names = set()
        for code in village_codes_for(t["code"], count):
            name = village_name(rng)
            while name in names:
                name = village_name(rng)
            names.add(name)
            poor = rng.random() < poor_share
            if pad_code(t["code"]) not in have_villages:
                villages.append(
                    Region(
                        code=code,
                        name=name,
                        level=RegionLevel.VILLAGE,
                        parent_id=pad_code(t["code"]),
                        is_poor_village=poor,
                    )
                )
    Region.objects.bulk_create(villages, batch_size=5000)
    counts = {}
    for level in RegionLevel.values:
        counts[level] = Region.objects.filter(level=level, code__startswith=prefix[:2]).count()
    return counts
