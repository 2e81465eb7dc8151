import datetime as dt
from decimal import Decimal

import factory

from core.models import Region
from funds.models import Fund, FundSource, Project, ProjectKind


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


class FundFactory(factory.django.DjangoModelFactory):
    """A fund held by 修武县. Its accounts are created by the services when first used."""

    class Meta:
        model = Fund

    code = factory.Sequence(lambda n: f"F2017-{n:04d}")
    name = factory.Sequence(lambda n: f"财政专项扶贫资金{n}")
    source = FundSource.COUNTY
    fiscal_year = 2017
    region = factory.LazyFunction(lambda: _region("410821000000"))


class ProjectFactory(factory.django.DjangoModelFactory):
    """A village project in 修武县 with review, procurement and tender records."""

    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"P2017-{n:04d}")
    name = factory.Sequence(lambda n: f"产业扶贫项目{n}")
    kind = ProjectKind.INDUSTRY
    county = factory.LazyFunction(lambda: _region("410821000000"))
    village = factory.LazyAttribute(
        lambda o: (
            Region.objects.filter(code__startswith=o.county.code[:6], level="village")
            .order_by("code")
            .first()
        )
    )
    region = factory.LazyAttribute(lambda o: o.village or o.county)
    budget = Decimal("500000.00")
    review_agency = "修武县财政投资评审中心"
    review_approved_amount = Decimal("480000.00")
    # Every step before the first money (the fixtures fund projects on 2017-01-05): payments made
    # before the contract are flagged (issue 20.1).
    review_date = dt.date(2017, 1, 2)
    procurement_method = "open_tender"
    bidders = factory.LazyFunction(lambda: ["甲建设公司", "乙建设公司", "丙建设公司"])
    winner = "甲建设公司"
    contract_amount = Decimal("450000.00")
    bid_opening_date = dt.date(2017, 1, 3)
    contract_date = dt.date(2017, 1, 4)
