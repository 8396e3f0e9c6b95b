"""Scenario models: what is to be studied, validated with pydantic (unknown keys are errors).

A scenario is the single editable description of a study: the site, its weather source, the data
center (IT size, build-out, workload classes, cooling), the technologies that may be built, the cost
table, finance and the rules. Every default here is the Dakhla reference case and carries its source.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from greendc.constants import HOURS_PER_YEAR
from greendc.scenario.base import Fraction, NonNegativeFloat, PositiveFloat, ScenarioModel
from greendc.scenario.reporting import Reporting


class Site(ScenarioModel):
    """Where the data center stands."""

    name: str = "Dakhla"
    latitude: Annotated[float, Field(ge=-90.0, le=90.0, description="[degrees north]")] = 23.71
    longitude: Annotated[float, Field(ge=-180.0, le=180.0, description="[degrees east]")] = -15.94
    elevation_m: Annotated[float, Field(ge=-500.0, le=9000.0)] = 10.0
    timezone: str = Field("Africa/Casablanca", description="IANA zone, for display only; data stay in UTC")
    climatology: str = Field(
        "dakhla",
        description="name of a shipped climatology table (greendc/data/climatology/NAME.csv) or a CSV path; "
        "calibrates the synthetic weather generator",
    )


class StressEvents(ScenarioModel):
    """Rare events injected into synthetic weather (counts are Poisson means per year)."""

    heat_waves_per_year: NonNegativeFloat = 0.5
    heat_wave_days: Annotated[float, Field(gt=0.0, le=30.0)] = 3.0
    heat_wave_peak_temp_air: Annotated[float, Field(ge=25.0, le=55.0, description="[°C]")] = 44.0
    dust_episodes_per_year: NonNegativeFloat = 3.0
    dust_episode_days: Annotated[float, Field(gt=0.0, le=15.0)] = 2.0
    dust_ghi_reduction: Fraction = Field(0.4, description="fraction of GHI removed at full dust intensity")
    long_lulls_per_year: NonNegativeFloat = 0.5
    long_lull_days: Annotated[float, Field(gt=0.0, le=30.0)] = 5.0


class Weather(ScenarioModel):
    """Weather source: the seeded synthetic generator (default) or a file."""

    source: Literal["synthetic", "file"] = "synthetic"
    years: Annotated[int, Field(ge=1, le=100)] = 1
    start_year: Annotated[int, Field(ge=1900, le=2200)] = 2030
    seed: Annotated[int, Field(ge=0)] = 2030
    path: Path | None = Field(
        None,
        description="weather file when source=file: EPW, PVGIS TMY or hourly series (CSV/JSON), ERA5 (NetCDF/GRIB), "
        "MERRA-2 (NetCDF) or greendc CSV",
    )
    allow_partial_year: bool = Field(
        False, description="accept a file that does not cover whole years (costs are annualised over what it covers)"
    )
    climate: str | None = Field(
        None,
        description="climate-stress case that morphs the weather and its stress events, e.g. ssp245-2050 "
        "(greendc/data/climate/cmip6_deltas.csv), or FILE.csv[:CASE]; none for the baseline climate",
    )
    stress_events: StressEvents = StressEvents()

    @model_validator(mode="after")
    def _path_matches_source(self) -> Weather:
        if self.source == "file" and self.path is None:
            raise ValueError("source 'file' needs 'path' (an EPW, PVGIS or greendc CSV file)")
        if self.source == "synthetic" and self.path is not None:
            raise ValueError("'path' is only allowed with source 'file'")
        return self


class Phase(ScenarioModel):
    """A build-out step: from ``start`` on, ``it_capacity_mw`` of IT is installed."""

    start: datetime = Field(..., description="ISO date or date-time, UTC unless an offset is given")
    it_capacity_mw: PositiveFloat


#: Named flexibility envelopes of a flexible class: the cut below the requested power [-] (so that
#: ``min_power_fraction = utilisation × (1 − cut)``), the most it may run above it [-] (``max_power_fraction =
#: min(1, utilisation × (1 + boost))``), and the deadline [h] by which the work is done.
FLEXIBILITY_ENVELOPES: dict[str, dict[str, float]] = {
    # field trials of AI clusters: Emerald AI/Oracle/NVIDIA, Phoenix, May 2025, -25 % for 3 h (arXiv 2507.00909);
    # Nebius/National Grid, London, Dec 2025, -30 to -35 % for up to 10 h (trade press); work done within the day
    # as in Google's virtual capacity curves (Radovanovic et al. 2023)
    "trials-2025": {"cut": 0.30, "boost": 1.0, "deadline_hours": 24},
    # energy-system studies: a flexibility band f = 40 % with daily conservation (Riepin, Brown & Zavala 2025,
    # doi:10.1016/j.adapen.2024.100202; f = 0-40 % studied)
    "band-40": {"cut": 0.40, "boost": 0.40, "deadline_hours": 24},
    # the deepest envelope: down to 30 % of installed power (37.5 % of requested at 80 % utilisation) every day;
    # beyond any published trial, kept to show what deep flexibility would be worth
    "deep-70": {"cut": 0.625, "boost": 1.0, "deadline_hours": 24},
}


class WorkloadClass(ScenarioModel):
    """A class of IT load: firm (inference, storage, network) or flexible (training, batch).

    The requested power of the class is ``share × utilisation × installed IT capacity``. A flexible class
    may run between ``min_power_fraction`` and ``max_power_fraction`` of its installed share as long as
    the work requested is done within ``deadline_hours`` (backlog formulation). ``envelope`` names one of
    :data:`FLEXIBILITY_ENVELOPES` instead of the three numbers.
    """

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    share: Fraction = Field(..., description="share of installed IT capacity")
    utilisation: Fraction = Field(0.8, description="mean requested power / installed power of the class")
    flexible: bool = False
    min_power_fraction: Fraction = 1.0
    max_power_fraction: Fraction = 1.0
    deadline_hours: Annotated[int, Field(ge=1, le=24 * 14)] = 24
    diurnal_amplitude: Fraction = Field(
        0.0, description="relative amplitude of a daily cycle peaking at 20:00 local solar time (inference)"
    )
    value_of_lost_load_usd_per_mwh: NonNegativeFloat | None = Field(
        None, description="price of unserved energy of this class; None = must always be served"
    )
    envelope: str | None = Field(
        None,
        description="named flexibility envelope (trials-2025, band-40, deep-70) that sets min_power_fraction, "
        "max_power_fraction and deadline_hours; null = the three numbers as given",
    )

    @model_validator(mode="before")
    @classmethod
    def _named_envelope(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("envelope") is None:
            return data
        name = data["envelope"]
        if name not in FLEXIBILITY_ENVELOPES:
            raise ValueError(f"envelope '{name}' is not known; allowed: {', '.join(FLEXIBILITY_ENVELOPES)}")
        if not data.get("flexible", False):
            raise ValueError(f"envelope '{name}' is for a flexible class: set flexible: true")
        e, u = FLEXIBILITY_ENVELOPES[name], float(data.get("utilisation", 0.8))
        derived = {
            "min_power_fraction": u * (1.0 - e["cut"]),
            "max_power_fraction": min(1.0, u * (1.0 + e["boost"])),
            "deadline_hours": int(e["deadline_hours"]),
        }
        clash = [k for k, v in derived.items() if data.get(k) is not None and abs(float(data[k]) - v) > 1e-9]
        if clash:
            raise ValueError(f"envelope '{name}' sets {clash} itself: give either the envelope or the numbers")
        return data | derived

    @model_validator(mode="after")
    def _envelope(self) -> WorkloadClass:
        if self.min_power_fraction > self.max_power_fraction:
            raise ValueError(
                f"min_power_fraction ({self.min_power_fraction}) must not exceed max_power_fraction "
                f"({self.max_power_fraction})"
            )
        if self.flexible and self.max_power_fraction < self.utilisation:
            raise ValueError(
                f"max_power_fraction ({self.max_power_fraction}) below utilisation ({self.utilisation}): "
                "the requested work could never be done"
            )
        if not self.flexible and (self.min_power_fraction, self.max_power_fraction) != (1.0, 1.0):
            raise ValueError("a firm class (flexible: false) has no power envelope; set flexible: true")
        return self


class Electrical(ScenarioModel):
    """Power-chain losses and auxiliaries (Lei & Masanet 2020 hyperscale input ranges)."""

    ups_efficiency: Annotated[float, Field(gt=0.5, le=1.0)] = 0.97
    distribution_loss_fraction: Annotated[float, Field(ge=0.0, lt=0.2)] = 0.01
    lighting_fraction_of_it: Annotated[float, Field(ge=0.0, lt=0.05)] = 0.001
    auxiliary_mw: NonNegativeFloat = Field(2.0, description="offices, security, controls [MW]")


class Cooling(ScenarioModel):
    """Cooling technology and its set points; see :mod:`greendc.assets.cooling`."""

    technology: Literal["air_chiller_economiser", "evaporative", "liquid_dry_cooler", "seawater"] = "seawater"
    supply_air_temp: Annotated[float, Field(ge=10.0, le=35.0, description="[°C]")] = 25.0
    facility_water_supply_temp: Annotated[float, Field(ge=5.0, le=45.0, description="[°C]")] = 21.5
    facility_water_delta_t: Annotated[float, Field(gt=0.0, le=20.0, description="[K]")] = 8.0
    cycles_of_concentration: Annotated[float, Field(gt=1.0, le=20.0)] = 5.0
    desalination_kwh_per_m3: Annotated[float, Field(ge=0.0, le=20.0)] = Field(
        3.5, description="seawater reverse osmosis specific energy [kWh/m³]"
    )


class DataCenter(ScenarioModel):
    """The data center: IT size, build-out, workload classes, cooling and electrical chain."""

    it_capacity_mw: PositiveFloat = 500.0
    restart_hours: Annotated[float, Field(ge=0.0, le=72.0)] = Field(
        4.0,
        description="time the IT and its cooling need to come back after a loss of supply [h]: the 4 h per "
        "failure of the Uptime tier downtime assumptions (7x24 Exchange, Spring 2015, Appendix A)",
    )
    phases: list[Phase] = Field(default_factory=list, description="build-out; empty = full capacity from day one")
    workload_classes: list[WorkloadClass] = Field(
        default_factory=lambda: [
            WorkloadClass(name="inference", share=0.5, utilisation=0.8, diurnal_amplitude=0.1),
            WorkloadClass(name="training", share=0.5, utilisation=0.8, flexible=True, envelope="trials-2025"),
        ]
    )
    cooling: Cooling = Cooling()
    electrical: Electrical = Electrical()

    @model_validator(mode="after")
    def _classes(self) -> DataCenter:
        names = [w.name for w in self.workload_classes]
        if not names:
            raise ValueError("at least one workload class is needed")
        if len(set(names)) != len(names):
            raise ValueError(f"workload class names must be unique, got {names}")
        total = sum(w.share for w in self.workload_classes)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"workload class shares must add up to 1, got {total:g}")
        for p in self.phases:
            if p.it_capacity_mw > self.it_capacity_mw:
                raise ValueError(
                    f"phase starting {p.start} has {p.it_capacity_mw} MW, above it_capacity_mw={self.it_capacity_mw}"
                )
        return self


class PV(ScenarioModel):
    """PV plant options; output is AC per MW of DC nameplate."""

    mount: Literal["single_axis", "fixed"] = "single_axis"
    surface_tilt: Annotated[float, Field(ge=0.0, le=90.0, description="fixed mount [degrees]")] = 20.0
    surface_azimuth: Annotated[float, Field(ge=0.0, lt=360.0, description="fixed mount, 180 = south")] = 180.0
    axis_azimuth: Annotated[float, Field(ge=0.0, lt=360.0, description="tracker axis, 180 = N-S axis")] = 180.0
    max_angle: Annotated[float, Field(gt=0.0, le=90.0)] = 55.0
    backtrack: bool = True
    gcr: Annotated[float, Field(gt=0.0, lt=1.0, description="ground coverage ratio")] = 0.35
    albedo: Fraction = 0.3
    dc_ac_ratio: Annotated[float, Field(ge=0.8, le=2.0)] = 1.25
    inverter_efficiency: Annotated[float, Field(gt=0.8, le=1.0)] = 0.98
    temperature_coefficient_per_c: Annotated[float, Field(ge=-0.01, le=0.0)] = -0.0034
    system_losses_fraction: Annotated[float, Field(ge=0.0, lt=0.5)] = Field(
        0.096, description="wiring, mismatch, nameplate, availability (PVWatts-style), excluding soiling"
    )
    soiling_rate_per_day: Annotated[float, Field(ge=0.0, lt=0.05)] = Field(
        0.002, description="clean-weather soiling loss growth [fraction/day]"
    )
    soiling_dust_rate_per_day: Annotated[float, Field(ge=0.0, lt=0.5)] = Field(
        0.03, description="extra loss growth per day at full dust intensity [fraction/day]"
    )
    cleaning_interval_days: Annotated[float, Field(gt=0.0, le=366.0)] = 14.0
    cleaning_method: Literal["water_brush", "robotic_dry"] = Field(
        "water_brush",
        description="module cleaning every cleaning_interval_days: water_brush (water, brushes, squeegees) or "
        "robotic_dry (waterless brush robots, no water)",
    )
    cleaning_water_l_per_m2: NonNegativeFloat | None = Field(
        None,
        description="water per m² of module per cleaning [L/m²]; null = the method's default "
        "(greendc.assets.water.CLEANING_WATER_L_PER_M2: water_brush 1.0, from 1–4 L per module per cycle, "
        "Bridge to India 2018 via pv magazine, over about 2 m² modules [assumption]; robotic_dry 0)",
    )
    module_efficiency: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        0.21,
        description="module efficiency at STC, sets the module area P_DC / (η × 1000 W/m²) that is cleaned "
        "[assumption: current mono-crystalline utility modules, datasheets 20–23 %, not from a benchmark]",
    )
    bifacial: bool = False
    bifaciality: Fraction = 0.7
    degradation_per_year: Annotated[float, Field(ge=0.0, lt=0.05)] = 0.005
    land_km2_per_mw: NonNegativeFloat = 0.024


class Wind(ScenarioModel):
    """Wind farm options; output is AC per MW of installed turbine rating."""

    turbine: str = Field("E-126-4.2", description="shipped power curve name or CSV path")
    hub_height_m: Annotated[float, Field(gt=10.0, le=250.0)] = 120.0
    shear: Literal["power", "log"] = "power"
    shear_exponent: Annotated[float, Field(ge=0.0, le=0.6)] | None = Field(
        None, description="power-law exponent; None = from wind_speed and wind_speed_100m if present, else 1/7"
    )
    roughness_length_m: Annotated[float, Field(gt=0.0, le=2.0)] = 0.01
    wake_loss_fraction: Annotated[float, Field(ge=0.0, lt=0.5)] = 0.08
    availability: Fraction = 0.97
    electrical_loss_fraction: Annotated[float, Field(ge=0.0, lt=0.2)] = 0.02
    land_km2_per_mw: NonNegativeFloat = Field(
        0.345,
        description="total project area per MW, spacing between the turbines included [km²/MW]: 34.5 ± 22.4 "
        "ha/MW (Denholm et al. 2009, NREL/TP-6A2-45834)",
    )
    direct_land_km2_per_mw: NonNegativeFloat = Field(
        0.003,
        description="direct (exclusive) land per MW: turbine pads, roads, substations, permanently disturbed "
        "[km²/MW]: 0.3 ± 0.3 ha/MW (Denholm et al. 2009, NREL/TP-6A2-45834; the 0.7 ha/MW disturbed only "
        "during construction is not counted)",
    )

    @model_validator(mode="after")
    def _direct_within_total(self) -> Wind:
        if self.direct_land_km2_per_mw > self.land_km2_per_mw:
            raise ValueError(
                f"direct_land_km2_per_mw = {self.direct_land_km2_per_mw} is above land_km2_per_mw = "
                f"{self.land_km2_per_mw} (the total project area per MW, which contains it); lower it"
            )
        return self


class Battery(ScenarioModel):
    """Battery options; energy and power are sized independently."""

    round_trip_efficiency: Annotated[float, Field(gt=0.3, le=1.0)] = 0.90
    self_discharge_per_hour: Annotated[float, Field(ge=0.0, lt=0.01)] = 0.0
    min_duration_h: NonNegativeFloat = 0.0
    max_duration_h: PositiveFloat = 24.0


class Hydrogen(ScenarioModel):
    """Hydrogen chain options: electrolyser, store, fuel cell."""

    enabled: bool = True
    electrolyser_efficiency: Annotated[float, Field(gt=0.2, le=1.0)] = 0.6217
    fuel_cell_efficiency: Annotated[float, Field(gt=0.2, le=1.0)] = 0.50
    water_l_per_kg_h2: NonNegativeFloat = Field(15.0, description="process water incl. purification losses")


class Water(ScenarioModel):
    """Fresh water for cooling that consumes it (evaporative, air with humidification, dry coolers).

    With ``enabled`` and a cooling that uses water, the planner sizes a seawater desalination plant
    [m³/h] and a fresh-water tank [m³] (cost rows ``desalination`` and ``water_tank``) and runs the plant
    when electricity is cheapest; its energy per m³ is ``datacenter.cooling.desalination_kwh_per_m3``.
    Seawater cooling uses no fresh water, so nothing is built. The operational simulator does not model
    water: it charges the desalination energy per MWh of IT.
    """

    enabled: bool = True


class CSP(ScenarioModel):
    """Concentrating solar power: parabolic troughs on north–south axes, thermal storage and a steam power
    block, sized by the planner (off by default). Collector model and coefficients in
    :mod:`greendc.assets.csp` (Janotte et al. 2014); the field is counted in MW_th at the design point
    (aperture × 950 W/m²), the unit of its cost row. The operational simulator runs CSP with both its
    policies."""

    enabled: bool = False
    optical_efficiency: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        0.816, description="optical efficiency at normal incidence (Janotte et al. 2014)"
    )
    iam_a1_per_deg: Annotated[float, Field(ge=-0.1, le=0.1)] = Field(
        -0.00159, description="incidence-angle modifier K = 1 - a1|θ| - a2 θ², θ in degrees [1/°]"
    )
    iam_a2_per_deg2: Annotated[float, Field(ge=-0.01, le=0.01)] = Field(0.0000977, description="[1/°²]")
    heat_loss_c1: Annotated[float, Field(ge=0.0, le=10.0)] = Field(
        0.0622, description="heat loss per m² of aperture and K of (mean fluid - air) temperature [W/(m²K)]"
    )
    heat_loss_c2: Annotated[float, Field(ge=0.0, le=1.0)] = Field(0.00023, description="[W/(m²K²)]")
    inlet_temp_c: Annotated[float, Field(ge=0.0, le=1000.0)] = Field(293.0, description="field inlet [°C]")
    outlet_temp_c: Annotated[float, Field(ge=0.0, le=1000.0)] = Field(391.0, description="field outlet [°C]")
    cleanliness: Annotated[float, Field(gt=0.0, le=1.0)] = Field(0.97, description="mirror cleanliness [-]")
    axis_azimuth: Annotated[float, Field(ge=0.0, lt=360.0, description="trough axis, 180 = N-S axis")] = 180.0
    power_block_efficiency: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        0.34,
        description="net electricity per heat into the block: 0.3774 gross x 100/111 MW net/gross of SAM's "
        "empirical-trough reference case (Wagner & Zhu 2011, as in SolarTherm examples/TroughWagner.mo)",
    )
    storage_loss_per_hour: Annotated[float, Field(ge=0.0, lt=0.01)] = Field(
        0.0007,
        description="share of stored heat lost per hour: 0.7 kW_th per MWh_th of tank capacity of the same "
        "reference case, applied to the content",
    )
    land_km2_per_mw_th: NonNegativeFloat = Field(
        0.004,
        description="land per MW_th of field (design point): 1052.6 m² of aperture / ground coverage 0.38 x "
        "1.5 for the rest of the plant (assumption, see docs)",
    )

    @model_validator(mode="after")
    def _temperatures(self) -> CSP:
        if self.outlet_temp_c < self.inlet_temp_c:
            raise ValueError(
                f"outlet_temp_c ({self.outlet_temp_c}) must not be below inlet_temp_c ({self.inlet_temp_c}): "
                "the field heats the fluid"
            )
        return self


class Technologies(ScenarioModel):
    """Technologies that may be built."""

    pv: PV = PV()
    wind: Wind = Wind()
    battery: Battery = Battery()
    hydrogen: Hydrogen = Hydrogen()
    water: Water = Water()
    csp: CSP = CSP()


class Costs(ScenarioModel):
    """Which cost figures a plan uses, and in which money.

    ``table: default`` is the shipped, sourced table (``greendc/data/costs/costs.csv``) with its named cost
    ``set`` (``market-2024``: recent market prices and balance of plant; ``projections-2030``: the DEA/NREL ATB
    2030 projections, no balance of plant); a CSV path gives a table of one's own (``set`` then stays null).
    Every row is converted to US dollars of ``money_year`` with sourced price indices and exchange rates
    (:mod:`greendc.money`).
    """

    table: str = "default"
    set: str = Field("market-2024", description="named cost set of the shipped table (market-2024, projections-2030)")
    money_year: Annotated[int, Field(ge=2013, le=2024)] = Field(
        2024, description="year of the US dollars every cost is converted to (years with a price index: 2013-2024)"
    )
    capex_factors: dict[str, PositiveFloat] = Field(
        default_factory=dict,
        description="multiplier on a row's investment, by technology (e.g. battery_energy: 0.6 for batteries 40 % "
        "cheaper); rows not named keep their table value",
    )

    @model_validator(mode="after")
    def _set_known(self) -> Costs:
        from greendc.costs import cost_sets

        if self.table != "default" and "set" in self.model_fields_set:
            raise ValueError(
                f"set '{self.set}' applies to the shipped table only; with table: {self.table} leave it out"
            )
        if self.set not in cost_sets():
            raise ValueError(f"set '{self.set}' is not shipped; allowed: {', '.join(cost_sets())}")
        if self.table == "default" and (unknown := sorted(set(self.capex_factors) - set(cost_sets()[self.set]))):
            raise ValueError(
                f"capex_factors names {', '.join(unknown)}, not a row of the shipped table; allowed: "
                f"{', '.join(cost_sets()[self.set])}"
            )
        return self


class Finance(ScenarioModel):
    """Financial assumptions (the cash-flow conventions are those of :mod:`greendc.finance`)."""

    discount_rate: Annotated[float, Field(ge=0.0, le=0.3)] = 0.07
    tariff_usd_per_mwh: PositiveFloat | None = Field(
        None,
        description="price the data-centre operator pays per MWh of served IT energy [USD/MWh], for the NPV, "
        "IRR and payback; None = no tariff stated: they are reported at the break-even tariff (NPV 0, IRR = "
        "discount_rate by construction), which the report says",
    )
    project_years: Annotated[int, Field(ge=1, le=100)] = Field(
        25, description="project life of the cash flows [yr]; assumption, a common PPA and financing term"
    )


class Grid(ScenarioModel):
    """A grid connection (or any bought backup energy), used only with ``rules.on_site_only: false``."""

    price_usd_per_mwh: NonNegativeFloat | None = Field(
        None, description="price of imported energy [USD/MWh]; required when on_site_only is false"
    )
    max_import_mw: PositiveFloat | None = Field(None, description="largest import [MW]; None = no limit")
    carbon_intensity_kg_per_mwh: NonNegativeFloat | None = Field(
        None, description="emissions of imported energy [kg CO2/MWh], for the KPIs (not priced)"
    )
    cfe_share: Fraction = Field(0.0, description="carbon-free share of imported energy [-] (0: none counted)")
    cfe_target: Fraction | None = Field(
        None,
        description="least share of the facility's energy that is carbon free, grid energy counted at "
        "cfe_share (greendc.plan.cfe); null = no target",
    )


class AvailabilityTarget(ScenarioModel):
    """How rarely the data center may lose load, checked out of sample (:mod:`greendc.availability`).

    Firm classes: hours per year with any firm load cut (restart time included) must not exceed
    ``firm_hours_per_year`` in at least ``share_of_years`` of the unseen years. By default the hours of
    common-mode trips do not count (supply adequacy, as the Tier comparison of an islanded renewable site
    is made: shared/reference/datacenter_facts.md section 5.3); they are always reported beside. Flexible
    classes: the share of each class's requested work done by its deadline, over all verification years,
    must reach ``flexible_work_done_fraction``.
    """

    name: str = Field("custom", description="label in reports (a preset's name)")
    firm_hours_per_year: NonNegativeFloat = Field(1.6, description="largest firm hours cut per year [h/yr]")
    share_of_years: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        0.95, description="share of unseen years that must meet firm_hours_per_year [-]"
    )
    flexible_work_done_fraction: Fraction | None = Field(
        0.95, description="share of flexible work done by its deadline [-]; None = no target"
    )
    verification_years: Annotated[int, Field(ge=10, le=100_000)] = Field(
        200, description="unseen synthetic years of the out-of-sample check"
    )
    verification_seed: Annotated[int, Field(ge=0)] = Field(
        20_260_001, description="root seed of the unseen years (weather, outage, forecast drawn apart)"
    )
    max_iterations: Annotated[int, Field(ge=1, le=30)] = Field(8, description="design-verify rounds at most")
    count_common_mode: bool = Field(
        False,
        description="count hours cut by common-mode trips (substation, control system) against the target; "
        "False: supply adequacy, what sizing controls (those hours are reported beside it)",
    )


#: Named availability targets. Hours: Uptime Institute tier downtime per year (Tier III 1.6 h, Tier IV
#: 0.4 h for the quoted 99.995 %), shared/reference/datacenter_facts.md section 5.1; the share of years (95 %)
#: and the flexible work share (95 %) are greendc's stated choices, not Uptime figures.
AVAILABILITY_PRESETS: dict[str, AvailabilityTarget | None] = {
    "none": None,
    "tier-iii": AvailabilityTarget(name="tier-iii", firm_hours_per_year=1.6),
    "tier-iv": AvailabilityTarget(name="tier-iv", firm_hours_per_year=0.4),
}


class Rules(ScenarioModel):
    """What a design must satisfy."""

    on_site_only: bool = Field(True, description="true: no grid import; false: import through 'grid'")
    grid: Grid = Grid()
    reliability_target: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        1.0, description="share of requested firm IT energy that must be served"
    )
    reserve_fraction: Fraction = Field(0.0, description="battery + fuel cell headroom ≥ this share of load")
    reserve_hours: Annotated[float, Field(ge=0.0, le=HOURS_PER_YEAR)] = Field(
        0.0, description="stored energy kept for the firm load alone carries its peak this long [h]"
    )
    reserve_refill_hours: Annotated[float, Field(gt=0.0, le=HOURS_PER_YEAR)] | None = Field(
        168.0,
        description="a used reserve can be refilled within this time at full charging power [h] (assumption: "
        "one week, shorter than the weeks between the winter lulls); null = no refill rule",
    )
    availability: AvailabilityTarget | None = Field(
        None, description="out-of-sample availability target: a preset name (tier-iii, tier-iv, none) or fields"
    )
    land_limit_km2: PositiveFloat | None = Field(
        None, description="most total land (the site's outer area) the plant may use [km²]; null = no limit"
    )
    pv_between_turbines: bool = Field(
        False,
        description="PV arrays and the CSP field may stand in the wind farm's spacing area, so the site's total "
        "land is the larger of all direct land and the wind farm's total area; false: side by side",
    )

    @field_validator("availability", mode="before")
    @classmethod
    def _availability_preset(cls, value: object) -> object:
        if isinstance(value, str):
            if value not in AVAILABILITY_PRESETS:
                raise ValueError(
                    f"'{value}' is not a preset; allowed: {', '.join(AVAILABILITY_PRESETS)} or a mapping of "
                    "AvailabilityTarget fields"
                )
            preset = AVAILABILITY_PRESETS[value]
            return None if preset is None else preset.model_dump()
        return value

    @model_validator(mode="after")
    def _grid_priced(self) -> Rules:
        if not self.on_site_only and self.grid.price_usd_per_mwh is None:
            raise ValueError(
                "on_site_only: false allows grid import, which needs grid.price_usd_per_mwh (a number >= 0 "
                "[USD/MWh]); set it, or use on_site_only: true"
            )
        return self


class Scenario(ScenarioModel):
    """A complete study description."""

    name: str = "dakhla"
    description: str = ""
    site: Site = Site()
    weather: Weather = Weather()
    datacenter: DataCenter = DataCenter()
    technologies: Technologies = Technologies()
    costs: Costs = Costs()
    finance: Finance = Finance()
    rules: Rules = Rules()
    reporting: Reporting = Reporting()
