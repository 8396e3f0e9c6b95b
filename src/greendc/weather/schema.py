"""The canonical weather frame and its checks.

A weather table in greendc is a :class:`pandas.DataFrame` with a tz-aware UTC, regular, gap-free
:class:`~pandas.DatetimeIndex` (hourly unless stated) and pvlib column names in SI-like units:

========================  =======  ===================================================
column                    unit     meaning
========================  =======  ===================================================
``ghi``                   W/m²     global horizontal irradiance (period mean)
``dni``                   W/m²     direct normal irradiance
``dhi``                   W/m²     diffuse horizontal irradiance
``temp_air``              °C       air temperature at 2 m
``relative_humidity``     %        relative humidity at 2 m
``pressure``              Pa       surface air pressure
``wind_speed``            m/s      wind speed at 10 m
``wind_speed_100m``       m/s      wind speed at 100 m (optional)
``temp_sea``              °C       sea-surface temperature near the site (optional)
``dust``                  0–1      dust-episode intensity, 0 = none (optional)
========================  =======  ===================================================

Values stamp the *start* of their period (pvlib and PVGIS convention after conversion).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib

from greendc.errors import WeatherDataError
from greendc.units import step_text

REQUIRED_COLUMNS: tuple[str, ...] = (
    "ghi",
    "dni",
    "dhi",
    "temp_air",
    "relative_humidity",
    "pressure",
    "wind_speed",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("wind_speed_100m", "temp_sea", "dust")
UNITS: dict[str, str] = {
    "ghi": "W/m2",
    "dni": "W/m2",
    "dhi": "W/m2",
    "temp_air": "degC",
    "relative_humidity": "%",
    "pressure": "Pa",
    "wind_speed": "m/s",
    "wind_speed_100m": "m/s",
    "temp_sea": "degC",
    "dust": "1",
}
#: Physical ranges (inclusive) a value must lie in; irradiance also has the extraterrestrial ceiling.
RANGES: dict[str, tuple[float, float]] = {
    "ghi": (0.0, 1500.0),
    "dni": (0.0, 1400.0),
    "dhi": (0.0, 900.0),
    "temp_air": (-90.0, 60.0),
    "relative_humidity": (0.0, 100.0),
    "pressure": (50_000.0, 110_000.0),
    "wind_speed": (0.0, 75.0),
    "wind_speed_100m": (0.0, 90.0),
    "temp_sea": (-2.5, 40.0),
    "dust": (0.0, 1.0),
}
#: Margin on the extraterrestrial ceiling for GHI, for timestamp conventions and sensor noise [W/m²].
GHI_EXTRA_MARGIN_W_PER_M2 = 25.0


def _where(df: pd.DataFrame, mask: np.ndarray) -> str:
    i = int(np.flatnonzero(mask)[0])
    return f"{df.index[i].isoformat()} (row {i})"


def column_in_range(df: pd.DataFrame, col: str, subject: str) -> np.ndarray:
    """Column ``col`` of ``df`` as floats, every value finite and within its :data:`RANGES`.

    Raises :class:`WeatherDataError`, prefixed by ``subject`` (the model that reads it), naming the first
    missing, non-numeric or out-of-range value with its unit, time and row.
    """
    values = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
    lo, hi = RANGES[col]
    bad = ~np.isfinite(values) | (values < lo) | (values > hi)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise WeatherDataError(
            f"{subject}: column '{col}' = {values[i]:g} {UNITS[col]} at {df.index[i]} (row {i}) is missing or "
            f"outside the physical range [{lo:g}, {hi:g}] {UNITS[col]}"
        )
    return values


def check_weather(
    df: pd.DataFrame,
    source: str = "weather",
    check_extraterrestrial: bool = True,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
) -> None:
    """Check that ``df`` is a canonical weather table; raise :class:`WeatherDataError` otherwise.

    Parameters
    ----------
    df : pandas.DataFrame
        Candidate weather table.
    source : str
        Name of the data source, used in messages (e.g. a file name).
    check_extraterrestrial : bool
        Also check ``ghi`` against the extraterrestrial horizontal irradiance (plus
        :data:`GHI_EXTRA_MARGIN_W_PER_M2`); needs ``df.attrs['latitude']`` and ``df.attrs['longitude']``
        (skipped when absent).
    required : tuple of str
        Columns that must be present (default :data:`REQUIRED_COLUMNS`); a reader of a source that lacks
        some (PVGIS hourly series have no humidity or pressure) names fewer, and
        :func:`greendc.weather.completion.complete_weather` fills them before the table is used.

    Raises
    ------
    WeatherDataError
        Naming the column, the time and the value at fault.
    """
    idx = df.index
    if not isinstance(idx, pd.DatetimeIndex):
        raise WeatherDataError(f"{source}: the index must be a DatetimeIndex, got {type(idx).__name__}")
    if idx.tz is None or str(idx.tz) != "UTC":
        raise WeatherDataError(f"{source}: the index must be tz-aware UTC, got tz={idx.tz!s}")
    if len(idx) < 2:
        raise WeatherDataError(f"{source}: needs at least two time steps, got {len(idx)}")
    if idx.has_duplicates:
        dup = idx[idx.duplicated()][0]
        raise WeatherDataError(f"{source}: duplicated timestamp {dup.isoformat()}")
    if not idx.is_monotonic_increasing:
        bad = np.flatnonzero(np.diff(idx.asi8) < 0)[0] + 1
        raise WeatherDataError(f"{source}: timestamps not increasing at {idx[bad].isoformat()} (row {bad})")
    steps = np.diff(idx.asi8)
    if not (steps == steps[0]).all():
        bad = int(np.flatnonzero(steps != steps[0])[0])
        raise WeatherDataError(
            f"{source}: irregular time step: gap or jump between {idx[bad].isoformat()} and "
            f"{idx[bad + 1].isoformat()} ({step_text(idx[bad + 1] - idx[bad])}; expected {step_text(idx[1] - idx[0])})"
        )
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise WeatherDataError(
            f"{source}: missing column(s) {missing}; required: {list(required)} "
            f"(units {', '.join(f'{c} [{UNITS[c]}]' for c in required)})"
        )
    for col in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        if col not in df.columns:
            continue
        values = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
        nan = ~np.isfinite(values)
        if nan.any():
            raise WeatherDataError(f"{source}: column '{col}' has a missing or non-numeric value at {_where(df, nan)}")
        lo, hi = RANGES[col]
        out = (values < lo) | (values > hi)
        if out.any():
            i = int(np.flatnonzero(out)[0])
            raise WeatherDataError(
                f"{source}: column '{col}' = {values[i]:g} {UNITS[col]} at {_where(df, out)} is outside "
                f"the physical range [{lo:g}, {hi:g}] {UNITS[col]}"
            )
    if check_extraterrestrial and {"latitude", "longitude"} <= set(df.attrs):
        ghi_max = extraterrestrial_horizontal(idx, df.attrs["latitude"], df.attrs["longitude"])
        over = df["ghi"].to_numpy(dtype=float) > ghi_max + GHI_EXTRA_MARGIN_W_PER_M2
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise WeatherDataError(
                f"{source}: column 'ghi' = {df['ghi'].iloc[i]:g} W/m2 at {_where(df, over)} exceeds the "
                f"extraterrestrial horizontal irradiance {ghi_max[i]:.0f} W/m2 "
                f"(+{GHI_EXTRA_MARGIN_W_PER_M2:g} margin): "
                "wrong units, wrong time zone or wrong site?"
            )


def extraterrestrial_horizontal(index: pd.DatetimeIndex, latitude: float, longitude: float) -> np.ndarray:
    """Maximum extraterrestrial irradiance on a horizontal plane over each period [W/m²].

    The period maximum (not mean) is used so that a period-mean GHI can never legitimately exceed it:
    ``E0 * max(cos(zenith))`` evaluated at the start, middle and end of each period.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Period starts, tz-aware, regular.
    latitude, longitude : float
        Site coordinates [degrees].
    """
    step = pd.Timedelta(index.freq) if index.freq is not None else index[1] - index[0]
    dni_extra = pvlib.irradiance.get_extra_radiation(index).to_numpy()
    cos_max = np.zeros(len(index))
    for frac in (0.0, 0.5, 1.0):
        sp = pvlib.solarposition.ephemeris(index + step * frac, latitude, longitude)
        cos_max = np.maximum(cos_max, np.cos(np.radians(sp["zenith"].to_numpy())))
    return dni_extra * np.clip(cos_max, 0.0, None)


def canonical_order(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with the canonical columns first, in the documented order, then the others."""
    cols = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in df.columns]
    return df[cols + [c for c in df.columns if c not in cols]]
