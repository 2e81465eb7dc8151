"""Reads for households. Every queryset starts from the scoping rule; one module per use case, every
name importable from here."""

from .campaigns import (
    campaign_checks,
    campaign_get,
    campaign_list,
    campaign_progress,
    check_get,
)
from .duplicates import (
    OutsideNotice,
    duplicate_city_get,
    duplicate_city_queue,
    duplicate_get,
    duplicate_list,
    duplicate_outside_notices,
)
from .households import (
    DEFAULT_SORT,
    FILE_RE,
    ID_RE,
    SORTS,
    HouseholdFilters,
    IdNumberInUrl,
    household_base,
    household_get,
    household_list,
    household_search_by_id,
    is_id_number,
    member_get,
    member_list,
    procedure_timeline,
    region_choices,
    search_households,
)
from .import_jobs import (
    IMPORT_ERRORS_SHOWN,
    import_errors,
    import_get,
    import_list,
)
from .transfers import (
    household_transfers,
    transfer_get,
    transfer_list,
)

__all__ = [
    "DEFAULT_SORT",
    "FILE_RE",
    "ID_RE",
    "IMPORT_ERRORS_SHOWN",
    "SORTS",
    "HouseholdFilters",
    "IdNumberInUrl",
    "OutsideNotice",
    "campaign_checks",
    "campaign_get",
    "campaign_list",
    "campaign_progress",
    "check_get",
    "duplicate_city_get",
    "duplicate_city_queue",
    "duplicate_get",
    "duplicate_list",
    "duplicate_outside_notices",
    "household_base",
    "household_get",
    "household_list",
    "household_search_by_id",
    "household_transfers",
    "import_errors",
    "import_get",
    "import_list",
    "is_id_number",
    "member_get",
    "member_list",
    "procedure_timeline",
    "region_choices",
    "search_households",
    "transfer_get",
    "transfer_list",
]
