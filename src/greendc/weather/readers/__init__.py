"""Weather file readers and the greendc CSV writer, all with one contract.

Every reader returns ``(data, metadata)`` (the pvlib ``iotools`` contract):

* ``data`` is a canonical weather table (see :mod:`greendc.weather.schema`): tz-aware UTC, regular
  index stamping the *start* of each period, canonical column names and units, and
  ``data.attrs['latitude']``, ``['longitude']`` (``['elevation_m']``) when the site is known;
* ``metadata`` is a dict with at least ``source`` (the file name), ``format``, ``latitude``,
  ``longitude``, ``elevation_m`` and ``original`` (the per-source metadata as the source gives it).

Each source has its own variable map to canonical names; units are converted here, at the boundary,
and nowhere else. Every reader ends with :func:`greendc.weather.schema.check_weather`, so that a bad
file raises :class:`~greendc.errors.WeatherDataError` naming the column, the time and the value.

Formats (:data:`FORMATS`), one module each: EPW (:mod:`~greendc.weather.readers.epw`, :func:`read_epw`),
PVGIS TMY CSV and JSON (:mod:`~greendc.weather.readers.pvgis`, :func:`read_pvgis_tmy`) and PVGIS hourly
series (:mod:`~greendc.weather.readers.pvgis_hourly`, :func:`read_pvgis_hourly`), parsed by
:mod:`pvlib.iotools`, greendc's plain CSV (:mod:`~greendc.weather.readers.greendc_csv`, layout in its
docstring), written by :func:`write_csv`, read by :func:`read_csv`, and two reanalysis grids read with
:mod:`xarray` at a given site: ERA5 hourly single levels from the Copernicus CDS, NetCDF or GRIB (cfgrib)
(:mod:`~greendc.weather.readers.era5`, :func:`read_era5`), and MERRA-2 M2T1NXSLV + M2T1NXRAD NetCDF4
(:mod:`~greendc.weather.readers.merra2`, :func:`read_merra2`). What they share is in
:mod:`~greendc.weather.readers.common`; :func:`read_weather` (:mod:`~greendc.weather.readers.dispatch`)
picks the reader from the file's content (:mod:`~greendc.weather.readers.formats`).
"""

from greendc.weather.readers.dispatch import read_weather, read_weather_at
from greendc.weather.readers.epw import EPW_MISSING_CODES, EPW_VARIABLE_MAP, read_epw
from greendc.weather.readers.era5 import ERA5_VARIABLES, read_era5
from greendc.weather.readers.formats import FORMATS
from greendc.weather.readers.greendc_csv import read_csv, write_csv
from greendc.weather.readers.merra2 import MERRA2_VARIABLES, read_merra2
from greendc.weather.readers.pvgis import PVGIS_VARIABLE_MAP, read_pvgis_tmy
from greendc.weather.readers.pvgis_hourly import read_pvgis_hourly

__all__ = [
    "EPW_MISSING_CODES",
    "EPW_VARIABLE_MAP",
    "ERA5_VARIABLES",
    "FORMATS",
    "MERRA2_VARIABLES",
    "PVGIS_VARIABLE_MAP",
    "read_csv",
    "read_epw",
    "read_era5",
    "read_merra2",
    "read_pvgis_hourly",
    "read_pvgis_tmy",
    "read_weather",
    "read_weather_at",
    "write_csv",
]
