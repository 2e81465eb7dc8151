"""Excel export of a region's plans and measures: scoped, formula-safe, two sheets."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.xlsx import formula_like
from tests.factories.assistance import MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def test_export_has_plans_and_measures_of_the_region_only(client, assist, household, boai_household):
    plan = PlanFactory(household=household, year=YEAR, summary='=HYPERLINK("http://evil")')
    MeasureFactory(plan=plan, title="+cmd|' /C calc'!A0", causes=["illness"])
    MeasureFactory(plan=PlanFactory(household=boai_household, year=YEAR))
    client.force_login(assist)
    wb = workbook(client.get(reverse("assistance:export"), {"region": "410821000000", "year": YEAR}))
    plans, measures = wb.worksheets
    plan_rows = list(plans.iter_rows(min_row=2, values_only=True))
    measure_rows = list(measures.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in plan_rows] == [plan.pk]
    assert len(measure_rows) == 1
    # A cell a spreadsheet would run as a formula is written as text with Excel's quote prefix.
    assert plan_rows[0][-1] == '=HYPERLINK("http://evil")'
    assert measure_rows[0][6] == "+cmd|' /C calc'!A0"
    for cell in (plans.cell(row=2, column=11), measures.cell(row=2, column=7)):
        assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert plan_rows[0][7]  # the uncovered causes (lack of skills, lack of funds) are listed
    for cell in (*plans[2], *measures[2]):
        assert cell.data_type != "f"


def test_export_of_another_county_is_404(client, other_clerk, household):
    PlanFactory(household=household, year=YEAR)
    client.force_login(other_clerk)
    assert client.get(reverse("assistance:export"), {"region": "410821000000"}).status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", True), ("+1", True), ("-1", True), ("@SUM(A1)", True), ("务工", False), ("a=1", False)],
)
def test_formula_prefixes_are_escaped(value, expected):
    assert formula_like(value) is expected
