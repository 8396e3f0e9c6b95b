"""Declared facts about the data centre for the EU reporting template (scenario section ``reporting``).

Commission Delegated Regulation (EU) 2024/1364 asks, besides metered energies, for facts that no time series
holds: who owns and operates the data centre, where it is, its type, when it entered operation, the redundancy of
its power and cooling, its floor areas, its refrigerants and its data traffic [1]_ [2]_. This section declares them.
Every field defaults to ``None``: an undeclared fact is reported as null, never as zero, so the defaults are not
the Dakhla case (the shipped ``dakhla.yaml`` fills what the announcement states). :mod:`greendc.kpi.eu_scheme`
turns the section into report fields.

References
----------
.. [1] Commission Delegated Regulation (EU) 2024/1364 of 14 March 2024, Art. 2(1)-(3) (data centre types) and
   Annex I (information about the data centre), ELI http://data.europa.eu/eli/reg_del/2024/1364/oj
.. [2] Directive (EU) 2023/1791 on energy efficiency, Annex VII (floor area, installed power, data traffic,
   data stored and processed).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import Field, ValidationInfo, field_validator, model_validator

from greendc.scenario.base import NonNegativeFloat, PositiveFloat, ScenarioModel

#: Redundancy levels accepted for power and cooling (N = capacity needed for the full load).
RedundancyLevel = Literal["N", "N+1", "N+2", "2N", "2N+1", "2(N+1)"]
REDUNDANCY_LEVELS: tuple[str, ...] = get_args(RedundancyLevel)

#: Data-centre types of Art. 2(1)-(3) of Delegated Regulation (EU) 2024/1364.
DataCentreType = Literal["enterprise", "colocation", "co-hosting"]


#: Text fields of :class:`Reporting` with a fixed form: the pattern a value must match in full, and its words.
_TEXT_FORMATS: dict[str, tuple[str, str]] = {
    "country": (r"[A-Z]{2}", "an ISO 3166-1 alpha-2 code in capitals, e.g. MA (Morocco) or DE (Germany)"),
    "operation_start": (r"\d{4}-(0[1-9]|1[0-2])", "a year and month YYYY-MM, e.g. 2031-06"),
}


class FloorAreas(ScenarioModel):
    """Floor areas of the data centre [m²] (Directive (EU) 2023/1791 Annex VII(b))."""

    total_m2: PositiveFloat | None = Field(None, description="total floor area of the data centre [m²]")
    computer_room_m2: PositiveFloat | None = Field(
        None, description="computer room floor area, where the IT equipment stands [m²]"
    )

    @model_validator(mode="after")
    def _room_within_total(self) -> FloorAreas:
        if self.total_m2 is not None and self.computer_room_m2 is not None and self.computer_room_m2 > self.total_m2:
            raise ValueError(
                f"computer_room_m2 ({self.computer_room_m2:g}) must not exceed total_m2 ({self.total_m2:g})"
            )
        return self


class Redundancy(ScenarioModel):
    """Redundancy of the electrical and cooling infrastructure (Annex I point 2), one of :data:`REDUNDANCY_LEVELS`."""

    power_grid: RedundancyLevel | None = Field(None, description="electrical infrastructure, grid (high-voltage) level")
    power_row: RedundancyLevel | None = Field(None, description="electrical infrastructure, low-voltage (row) level")
    power_rack: RedundancyLevel | None = Field(None, description="electrical infrastructure, rack level")
    cooling: RedundancyLevel | None = Field(None, description="cooling infrastructure")
    uptime_tier: Literal["I", "II", "III", "IV"] | None = Field(
        None, description="Uptime Institute tier, only where certified or declared (not a field of the scheme)"
    )


class Refrigerant(ScenarioModel):
    """One refrigerant of the cooling plant."""

    type: Annotated[str, Field(min_length=1, description="ASHRAE designation, e.g. R-1234ze(E) or R-717")]
    gwp_100yr: NonNegativeFloat | None = Field(
        None, description="global warming potential over 100 years [kg CO2e per kg]"
    )
    charge_kg: PositiveFloat | None = Field(None, description="charge installed [kg]")


class DataTraffic(ScenarioModel):
    """Data traffic of the data centre (Directive (EU) 2023/1791 Annex VII(b))."""

    incoming_bandwidth_gbit_per_s: PositiveFloat | None = Field(None, description="incoming bandwidth [Gbit/s]")
    outgoing_bandwidth_gbit_per_s: PositiveFloat | None = Field(None, description="outgoing bandwidth [Gbit/s]")
    incoming_tb_per_year: NonNegativeFloat | None = Field(None, description="incoming data traffic [TB/year]")
    outgoing_tb_per_year: NonNegativeFloat | None = Field(None, description="outgoing data traffic [TB/year]")


class Reporting(ScenarioModel):
    """Facts about the data centre that the EU reporting template asks for and no meter gives.

    The reporting scheme applies to data centres in EU Member States; ``country`` decides whether the template is
    applied to a site where it is law or used outside the EU (:func:`greendc.kpi.eu_scheme.applicability`).
    Installed IT power is ``datacenter.it_capacity_mw`` and the coordinates are the site's; they are not repeated.
    """

    name: str | None = Field(None, description="name identifying the data centre (Annex I point 1(a))")
    owner: str | None = Field(None, description="owner name (Annex I point 1(b))")
    operator: str | None = Field(None, description="operator name (Annex I point 1(b))")
    contact: str | None = Field(None, description="contact details of owner and operator (Annex I point 1(b))")
    country: str | None = Field(
        None, description="ISO 3166-1 alpha-2 code of the site's country, e.g. MA (Morocco), DE (Germany)"
    )
    municipality: str | None = Field(None, description="municipality of the site")
    lau_code: str | None = Field(
        None, description="Eurostat local administrative unit code (Annex I point 1(c)); EU sites only"
    )
    type: DataCentreType | None = Field(None, description="enterprise, colocation or co-hosting (Annex I point 1(d))")
    operation_start: str | None = Field(
        None, description="year and month the data centre began providing IT services, YYYY-MM (Annex I point 1(e))"
    )
    redundancy: Redundancy = Redundancy()
    floor_areas: FloorAreas = FloorAreas()
    refrigerants: list[Refrigerant] | None = Field(
        None, description="refrigerants of the cooling plant; null = not declared, [] = none used"
    )
    data_traffic: DataTraffic = DataTraffic()
    data_stored_tb: NonNegativeFloat | None = Field(None, description="data stored in the data centre [TB]")
    data_processed_tb_per_year: NonNegativeFloat | None = Field(
        None, description="data processed in the data centre [TB/year]"
    )
    grid_functions: str | None = Field(
        None, description="grid services the data centre offers (demand response, reserves), or 'none'"
    )

    @field_validator(*_TEXT_FORMATS)
    @classmethod
    def _text_format(cls, value: str | None, info: ValidationInfo) -> str | None:
        pattern, allowed = _TEXT_FORMATS[info.field_name]
        if value is not None and re.fullmatch(pattern, value) is None:
            raise ValueError(f"must be {allowed}")
        return value
