"""The dashboard computes its figures from everyone else's demo data. Before it does, the owners'
demo modules add what only the leaders' boards show: the year's targets (households) and the months
of survey answers behind the recognition and satisfaction trend (inspections)."""

from households.demo_targets import seed_targets
from inspections.demo_trend import seed_survey_trend

from .services import figures_refresh


def seed(*, stdout) -> None:
    seed_survey_trend(stdout=stdout)  # issue 19.11
    seed_targets(stdout=stdout)  # issue 18.5
    refresh = figures_refresh()
    stdout.write(f"dashboard: {refresh.rows} figures computed in {refresh.duration_ms} ms")
