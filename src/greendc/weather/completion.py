"""What a weather file lacks, filled from documented fallbacks; and whether it covers whole years.

A real weather source rarely has every column a scenario uses: no EPW or PVGIS file has the sea
temperature that seawater cooling needs, few have the 100 m wind, and PVGIS hourly series have neither
humidity nor pressure. :func:`complete_weather` fills each absent column from the fallback named in
:data:`FALLBACKS` (the site's climatology table or a stated model) and returns, per filled column, the
reason, which the caller prints and records in the result's provenance. :func:`check_coverage` refuses a
truncated or partial-year file unless the caller allows it explicitly.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pvlib

from greendc.errors import WeatherDataError
from greendc.weather.climatology import Climatology
from greendc.weather.monthly import mean_solar_hour, month_position, monthly_curve
from greendc.weather.schema import check_weather
from greendc.weather.synthetic.wind import shear_exponent
from greendc.weather.wind_profile import WIND_SPEED_100M_HEIGHT_M, WIND_SPEED_HEIGHT_M, power_law_wind_speed

__all__ = [
    "FALLBACKS",
    "MAX_SITE_DISTANCE_KM",
    "check_coverage",
    "complete_weather",
    "site_distance_km",
]

#: Column -> the fallback that fills it when a weather source lacks it ({clim} is the climatology's name).
FALLBACKS: dict[str, str] = {
    "relative_humidity": "monthly mean relative humidity of the site climatology '{clim}', as a smooth curve",
    "pressure": (
        "station pressure of the standard atmosphere at the site elevation (ISO 2533), scaled to the mean "
        "sea-level pressure of the site climatology '{clim}'"
    ),
    "temp_sea": "monthly mean sea-surface temperature of the site climatology '{clim}', as a smooth curve",
    "wind_speed_100m": (
        "the file's 10 m wind lifted to 100 m by the power law with the shear exponent of the site "
        "climatology '{clim}' (its monthly mean and its daily cycle in mean solar time)"
    ),
}
#: A file whose site lies further than this from the scenario's is refused [km].
MAX_SITE_DISTANCE_KM = 300.0
_EARTH_RADIUS_KM = 6371.0


def site_distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two sites by the haversine formula [km].

    Examples
    --------
    >>> round(site_distance_km(23.71, -15.94, 23.71, -14.94), 1)  # one degree of longitude at 23.71 N
    101.8
    """
    p1, p2, dlat, dlon = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2.0 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def complete_weather(
    data: pd.DataFrame, climatology: Climatology, longitude: float, elevation_m: float, source: str = "weather"
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Fill the columns of :data:`FALLBACKS` that ``data`` lacks, and say how each was filled.

    Parameters
    ----------
    data : pandas.DataFrame
        Weather table from a reader (regular UTC index), possibly without some canonical columns.
    climatology : Climatology
        The site's climatology table (the scenario's ``site.climatology``).
    longitude : float
        Site longitude [degrees east], for the mean solar time of the shear cycle.
    elevation_m : float
        Site elevation [m], for the standard-atmosphere pressure.
    source : str
        Name of the source, used in messages.

    Returns
    -------
    data : pandas.DataFrame
        A copy with every column of :data:`FALLBACKS` present; ``attrs`` kept.
    filled : dict
        Column -> the fallback that filled it (empty when the source had everything).

    Notes
    -----
    The pressure is :math:`p = p_{sl}\\,(1 - 2.25577\\times10^{-5} z)^{5.25588}` (ISO 2533 standard
    atmosphere, :func:`pvlib.atmosphere.alt2pres`) with :math:`p_{sl}` the climatology's
    ``pressure_sea_level_pa``. The 100 m wind is :math:`v_{100} = v_{10}\\,10^{\\alpha(t)}` with
    :math:`\\alpha(t)` the climatology's monthly shear exponent plus its daily cycle (the same law as the
    synthetic generator), so that a file with the 10 m wind only keeps the site's stable-night shear
    instead of a constant exponent. Monthly curves keep the monthly means
    (:func:`~greendc.weather.monthly.monthly_curve`). Dust is not filled: measured irradiance already
    holds the dust of its years.
    """
    out = data.copy()
    filled: dict[str, str] = {}
    x = month_position(out.index)
    for col, how in FALLBACKS.items():
        if col in out.columns:
            continue
        if col == "relative_humidity":
            values = monthly_curve(climatology.relative_humidity, x)
        elif col == "pressure":
            values = np.full(
                len(out), climatology.pressure_sea_level_pa * pvlib.atmosphere.alt2pres(elevation_m) / 101325.0
            )
        elif col == "temp_sea":
            values = monthly_curve(climatology.temp_sea, x)
        else:
            alpha = shear_exponent(climatology, x, mean_solar_hour(out.index, longitude))
            values = power_law_wind_speed(out["wind_speed"], WIND_SPEED_HEIGHT_M, WIND_SPEED_100M_HEIGHT_M, alpha)
        out[col] = values
        filled[col] = how.format(clim=climatology.name)
    check_weather(out, source=source, check_extraterrestrial=False)
    return out, filled


def check_coverage(index: pd.DatetimeIndex, source: str, allow_partial_year: bool = False) -> float:
    """Refuse a weather table that does not cover whole years, unless ``allow_partial_year``.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Regular UTC index of period starts.
    source : str
        Name of the source, used in messages.
    allow_partial_year : bool
        Accept any length (costs are then annualised over the covered fraction of a year and the
        seasons it misses are simply absent).

    Returns
    -------
    float
        Covered years: the number of whole years from the first stamp, or the duration / 365.25 days for
        a partial table [yr].

    Raises
    ------
    WeatherDataError
        The table ends before a whole number of years from its first stamp (a truncated download, a
        month of data), naming its span and the way to accept it.

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=8760, freq="h", tz="UTC")
    >>> check_coverage(idx, "tmy.epw")
    1.0
    """
    step = index[1] - index[0]
    end = index[-1] + step
    years = 0
    while index[0] + pd.DateOffset(years=years + 1) <= end:
        years += 1
    if years >= 1 and index[0] + pd.DateOffset(years=years) == end:
        return float(years)
    span_years = (end - index[0]) / pd.Timedelta(days=365.25)
    if allow_partial_year:
        return float(span_years)
    raise WeatherDataError(
        f"{source}: covers {index[0].isoformat()} to {end.isoformat()} ({span_years:.2f} years), not a whole "
        "number of years: a plan on part of a year would annualise its costs and miss seasons. Give whole "
        "years, or accept it explicitly (scenario weather.allow_partial_year: true, or --allow-partial-year)"
    )
