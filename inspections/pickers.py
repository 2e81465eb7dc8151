"""The look-ups of the finding forms (core.pickers): the village and the household a finding names,
and the unit responsible for it — narrowed to the county the form has chosen (the finding's county
on its item form), in the inspector's scope."""

from __future__ import annotations

from core.picker_sources import unit_source, village_source
from households.pickers import household_source

PERMISSION = "inspections.add_finding"

UNITS = unit_source(permission=PERMISSION)
VILLAGES = village_source(permission=PERMISSION)
HOUSEHOLDS = household_source(permission=PERMISSION)
