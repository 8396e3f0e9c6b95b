"""The glossary in code: the names of built capacities and their units.

Every stage that speaks of a design (the planner's ``summary.json``, the simulator's ``Design``, the
reports) uses these keys. Column names and units of time series are listed in ``docs/nomenclature.md``.
"""

from __future__ import annotations

from datetime import timedelta

#: Capacity key → unit, in the order reports show them.
CAPACITY_UNITS: dict[str, str] = {
    "pv_mw": "MW",
    "wind_mw": "MW",
    "battery_mw": "MW",
    "battery_mwh": "MWh",
    "electrolyser_mw": "MW",
    "h2_store_mwh": "MWh",
    "fuelcell_mw": "MW",
}
#: Capacity keys of a design, as in the planner's ``summary.json`` [MW or MWh].
CAPACITY_KEYS: tuple[str, ...] = tuple(CAPACITY_UNITS)
#: Capacities a plan may size beyond the simulator's design: the water plant and CSP, with their units.
PLAN_CAPACITY_UNITS: dict[str, str] = CAPACITY_UNITS | {
    "desalination_m3_per_h": "m³/h",
    "water_tank_m3": "m³",
    "csp_field_mw_th": "MW_th",
    "csp_storage_mwh_th": "MWh_th",
    "csp_power_block_mw": "MW",
}


def step_text(step: timedelta) -> str:
    """A time step as people write it, in its largest whole unit: ``'1 h'``, ``'15 min'``, ``'30 s'``, ``'1 d'``.

    Parameters
    ----------
    step : datetime.timedelta or pandas.Timedelta
        Length of the step; one that is not a whole number of seconds (or not positive) is written as
        Python writes it.

    Examples
    --------
    >>> from datetime import timedelta
    >>> step_text(timedelta(hours=1)), step_text(timedelta(minutes=90)), step_text(timedelta(days=2))
    ('1 h', '90 min', '2 d')
    """
    seconds = step.total_seconds()
    if seconds <= 0 or seconds != int(seconds):
        return str(step)
    whole = int(seconds)
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if whole % size == 0:
            return f"{whole // size} {unit}"
    return f"{whole} s"
