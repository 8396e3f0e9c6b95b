"""One entry point for every weather file: :func:`read_weather` picks the reader from the file's content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from greendc.errors import WeatherDataError
from greendc.weather.readers.common import source_name
from greendc.weather.readers.epw import read_epw
from greendc.weather.readers.era5 import read_era5
from greendc.weather.readers.formats import FORMATS, sniff_format
from greendc.weather.readers.greendc_csv import read_csv
from greendc.weather.readers.merra2 import read_merra2
from greendc.weather.readers.pvgis import read_pvgis_tmy
from greendc.weather.readers.pvgis_hourly import read_pvgis_hourly

__all__ = ["SITE_KEYWORDS", "read_weather", "read_weather_at"]

#: The keywords by which a caller gives the site it wants; a format that carries its own site ignores them.
SITE_KEYWORDS = ("latitude", "longitude", "elevation_m")

_READERS = {
    "epw": (read_epw, ("year",)),
    "pvgis-tmy-csv": (read_pvgis_tmy, ("year",)),
    "pvgis-tmy-json": (read_pvgis_tmy, ("year",)),
    "pvgis-hourly-csv": (read_pvgis_hourly, ()),
    "pvgis-hourly-json": (read_pvgis_hourly, ()),
    "greendc-csv": (read_csv, ("latitude", "longitude", "elevation_m")),
    "era5-netcdf": (read_era5, ("latitude", "longitude", "elevation_m")),
    "era5-grib": (read_era5, ("latitude", "longitude", "elevation_m")),
    "merra2-netcdf": (read_merra2, ("latitude", "longitude", "elevation_m")),
}


def read_weather(path: str | Path, **kwargs: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read any supported weather file, choosing the reader from the file's content.

    Parameters
    ----------
    path : str or pathlib.Path
        An EPW, a PVGIS TMY (CSV or JSON), a greendc CSV, an ERA5 (NetCDF or GRIB) or a MERRA-2 (NetCDF4)
        file (see :data:`~greendc.weather.readers.formats.FORMATS`).
    **kwargs
        Passed to the reader: ``year`` for EPW and PVGIS; ``latitude``, ``longitude``, ``elevation_m``
        for greendc CSV, ERA5 and MERRA-2 (the site is required for these reanalysis grids). A keyword the
        format does not take is an error.

    Returns
    -------
    data, metadata
        As the chosen reader returns them (``metadata['format']`` says which).

    Raises
    ------
    WeatherDataError
        Unknown format (naming the file and the formats accepted), a keyword the format does not take,
        or any error of the reader.
    """
    source = source_name(path)
    fmt = sniff_format(path)
    if fmt is None:
        raise WeatherDataError(
            f"{source}: unknown weather file format (extension {Path(path).suffix!r}); accepted: "
            + "; ".join(f"{k}: {v}" for k, v in FORMATS.items())
        )
    reader, allowed = _READERS[fmt]
    extra = sorted(set(kwargs) - set(allowed))
    if extra:
        raise WeatherDataError(f"{source}: keyword(s) {extra} do not apply to {fmt} files; allowed: {list(allowed)}")
    return reader(path, **kwargs)


def read_weather_at(
    path: str | Path, latitude: float, longitude: float, elevation_m: float | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read any supported weather file for a site: the site goes to the readers that take one.

    A greendc CSV without a site line, or a reanalysis grid, needs the site to be read; an EPW or PVGIS
    file carries its own (:func:`greendc.weather.source.scenario_weather` compares it with the scenario's).

    Parameters
    ----------
    path : str or pathlib.Path
        Weather file of any format of :data:`~greendc.weather.readers.formats.FORMATS`.
    latitude, longitude : float
        Site [degrees north, degrees east].
    elevation_m : float, optional
        Site elevation [m].

    Returns
    -------
    data, metadata
        As :func:`read_weather`.
    """
    source_name(path)
    fmt = sniff_format(path)
    allowed = _READERS[fmt][1] if fmt in _READERS else ()
    site = {"latitude": latitude, "longitude": longitude, "elevation_m": elevation_m}
    return read_weather(path, **{k: v for k, v in site.items() if k in allowed and v is not None})
