"""manage.py generate_scale --households N [--seed S] [--prefix 41] [--workers 2] [--writers 2] [--with-history]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from scale.generator import generate, read_marker


class Command(BaseCommand):
    help = "Generate province-scale synthetic data (real Henan regions) with PostgreSQL COPY."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--prefix", default="41", help="region code prefix (41 = Henan, 4108 = 焦作市)")
        parser.add_argument("--workers", type=int, default=2, help="processes building rows (2 on 2 cores)")
        parser.add_argument("--writers", type=int, default=2, help="database connections writing counties")
        parser.add_argument("--score-months", type=int, default=1, help="months of scores to compute")
        parser.add_argument(
            "--with-history", action="store_true", help="keep the audit-history triggers on (slower)"
        )

    def handle(
        self, *args, households, seed, prefix, workers, writers, score_months, with_history, **options
    ):
        if households < 1:
            raise CommandError("--households must be at least 1")
        marker = read_marker()
        if marker is not None:
            raise CommandError(
                f"this database already holds generated data ({marker['households']} households); "
                "generate into an empty database"
            )
        report = generate(
            households=households, seed=seed, prefix=prefix, workers=workers, writers=writers,
            score_months=score_months, with_history=with_history,
            stdout=self.stdout,
        )  # fmt: skip
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
