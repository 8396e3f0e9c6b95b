"""How alike two weather tables are: monthly means, daily cycles and wind lulls side by side.

:func:`compare_weather` is the check of a calibration (:mod:`greendc.weather.calibrate`): weather generated
from the fitted climatology beside the file it was fitted to, each statistic with its difference and the
tolerance it must meet (:data:`TOLERANCES`). :func:`lull_statistics` counts the spells of weak hub-height
wind that size the storage of a wind-heavy plant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greendc.errors import WeatherDataError
from greendc.weather.monthly import mean_solar_hour

__all__ = ["LULL_THRESHOLD_M_PER_S", "TOLERANCES", "compare_weather", "lull_statistics"]

#: Wind speed below which an hour counts as a lull [m/s]; near the cut-in speed of large turbines
#: (3-4 m/s at hub height), where they produce a few per cent of their rating at most.
LULL_THRESHOLD_M_PER_S = 4.0
#: Shortest run of lull hours counted as a spell [h].
LULL_MIN_HOURS = 6

#: Statistic -> (kind, tolerance): ``abs`` compares differences in the statistic's unit, ``rel`` the
#: difference relative to the reference. Sized to the sampling spread of ten synthetic years drawn from one
#: climatology (the spread of a statistic between two independent 10-year samples), so that a calibrated
#: generator passes when its climate matches and fails when a level, a cycle or the persistence is off.
TOLERANCES: dict[str, tuple[str, float]] = {
    "ghi_monthly_kwh_per_m2_day": ("rel", 0.03),
    "diffuse_fraction_monthly": ("abs", 0.02),
    "temp_air_monthly_degC": ("abs", 0.4),
    "wind_speed_monthly_m_per_s": ("rel", 0.05),
    "wind_speed_100m_monthly_m_per_s": ("rel", 0.05),
    "temp_air_daily_cycle_degC": ("abs", 0.4),
    "wind_speed_daily_cycle": ("abs", 0.03),
    "wind_speed_100m_daily_cycle": ("abs", 0.03),
    "lull_hours_per_year": ("rel", 0.25),
    "lull_spells_per_year": ("rel", 0.25),
    "lull_mean_spell_h": ("rel", 0.25),
}


def lull_statistics(
    wind_speed: pd.Series, threshold_m_per_s: float = LULL_THRESHOLD_M_PER_S, min_hours: int = LULL_MIN_HOURS
) -> dict[str, float]:
    """Hours and spells of weak wind.

    Parameters
    ----------
    wind_speed : pandas.Series
        Wind speed on a regular hourly index [m/s] (hub height for a plant).
    threshold_m_per_s : float
        An hour below this speed is a lull hour [m/s].
    min_hours : int
        Shortest run of consecutive lull hours counted as a spell [h].

    Returns
    -------
    dict
        ``hours_per_year`` (lull hours), ``spells_per_year`` (runs of at least ``min_hours``),
        ``mean_spell_h`` and ``longest_spell_h`` of those runs (0 without any).

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=8760, freq="h", tz="UTC")
    >>> v = pd.Series(8.0, index=idx)
    >>> v.iloc[100:110] = 2.0
    >>> v.iloc[500:503] = 2.0
    >>> {k: round(x, 2) for k, x in lull_statistics(v).items()}  # per year of 365.25 days
    {'hours_per_year': 13.01, 'spells_per_year': 1.0, 'mean_spell_h': 10.0, 'longest_spell_h': 10.0}
    """
    if len(wind_speed) < 2 or wind_speed.index[1] - wind_speed.index[0] != pd.Timedelta("1h"):
        raise WeatherDataError("lull_statistics: the wind speed needs a regular hourly index")
    below = (wind_speed.to_numpy() < threshold_m_per_s).astype(np.int8)
    edges = np.diff(np.r_[0, below, 0])
    lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    spells = lengths[lengths >= min_hours]
    years = len(wind_speed) / (365.25 * 24.0)
    return {
        "hours_per_year": round(float(below.sum() / years), 6),
        "spells_per_year": round(float(spells.size / years), 6),
        "mean_spell_h": float(spells.mean()) if spells.size else 0.0,
        "longest_spell_h": float(spells.max()) if spells.size else 0.0,
    }


def _daily_cycle(series: pd.Series, solar_hour: np.ndarray, relative: bool) -> np.ndarray:
    """Mean by hour of solar time (24 bins), less the mean (or over it, when ``relative``)."""
    cycle = series.groupby(np.floor(solar_hour).astype(int)).mean().reindex(range(24)).to_numpy()
    return cycle / cycle.mean() if relative else cycle - cycle.mean()


def _row(name: str, reference: np.ndarray, candidate: np.ndarray) -> dict[str, object]:
    kind, tol = TOLERANCES[name]
    diff = np.abs(np.asarray(candidate, dtype=float) - np.asarray(reference, dtype=float))
    if kind == "rel":
        diff = diff / np.maximum(np.abs(np.asarray(reference, dtype=float)), 1e-9)
    worst = int(np.argmax(diff)) if np.ndim(diff) else 0
    ref, cand = np.atleast_1d(reference)[worst], np.atleast_1d(candidate)[worst]
    return {
        "statistic": name,
        "where": worst if np.ndim(diff) else "",
        "reference": float(ref),
        "candidate": float(cand),
        "difference": float(np.max(diff)),
        "kind": kind,
        "tolerance": tol,
        "ok": bool(np.max(diff) <= tol),
    }


def compare_weather(reference: pd.DataFrame, candidate: pd.DataFrame, longitude: float) -> pd.DataFrame:
    """Monthly means, daily cycles and lull statistics of two weather tables, each with its tolerance.

    Parameters
    ----------
    reference, candidate : pandas.DataFrame
        Canonical hourly weather tables of whole years (e.g. a reanalysis file and weather generated from
        the climatology fitted to it); ``wind_speed_100m`` and ``dhi`` are compared when both have them.
    longitude : float
        Site longitude [degrees east], for the solar time of the daily cycles.

    Returns
    -------
    pandas.DataFrame
        One row per statistic of :data:`TOLERANCES` that both tables allow: ``statistic``, ``where`` (the
        month 0-11 or solar hour 0-23 of the largest difference, for arrays), ``reference``,
        ``candidate`` (values there), ``difference`` (largest, absolute or relative), ``kind``,
        ``tolerance`` and ``ok``.

    Notes
    -----
    Daily cycles are by hour of mean solar time: temperature as the departure from the daily mean [K],
    wind as the ratio to it [-]. Lulls are counted on the 100 m wind when both tables have it, else on the
    10 m wind (:func:`lull_statistics`).
    """
    rows = []
    months = {k: df.index.month for k, df in (("r", reference), ("c", candidate))}

    def monthly(df: pd.DataFrame, col: str, key: str) -> np.ndarray:
        return df[col].groupby(months[key]).mean().reindex(range(1, 13)).to_numpy()

    rows.append(
        _row(
            "ghi_monthly_kwh_per_m2_day", monthly(reference, "ghi", "r") * 0.024, monthly(candidate, "ghi", "c") * 0.024
        )
    )
    if "dhi" in reference.columns and "dhi" in candidate.columns:
        frac = [
            df["dhi"].groupby(months[k]).sum() / df["ghi"].groupby(months[k]).sum()
            for k, df in (("r", reference), ("c", candidate))
        ]
        rows.append(_row("diffuse_fraction_monthly", frac[0].to_numpy(), frac[1].to_numpy()))
    rows.append(_row("temp_air_monthly_degC", monthly(reference, "temp_air", "r"), monthly(candidate, "temp_air", "c")))
    hub = "wind_speed_100m" in reference.columns and "wind_speed_100m" in candidate.columns
    for col in ("wind_speed", "wind_speed_100m") if hub else ("wind_speed",):
        rows.append(_row(f"{col}_monthly_m_per_s", monthly(reference, col, "r"), monthly(candidate, col, "c")))
    hours = {k: mean_solar_hour(df.index, longitude) for k, df in (("r", reference), ("c", candidate))}
    rows.append(
        _row(
            "temp_air_daily_cycle_degC",
            _daily_cycle(reference["temp_air"], hours["r"], False),
            _daily_cycle(candidate["temp_air"], hours["c"], False),
        )
    )
    for col in ("wind_speed", "wind_speed_100m") if hub else ("wind_speed",):
        rows.append(
            _row(
                f"{col}_daily_cycle",
                _daily_cycle(reference[col], hours["r"], True),
                _daily_cycle(candidate[col], hours["c"], True),
            )
        )
    col = "wind_speed_100m" if hub else "wind_speed"
    lulls = lull_statistics(reference[col]), lull_statistics(candidate[col])
    for key in ("hours_per_year", "spells_per_year", "mean_spell_h"):
        rows.append(_row(f"lull_{key}", np.array(lulls[0][key]), np.array(lulls[1][key])))
    return pd.DataFrame(rows)
