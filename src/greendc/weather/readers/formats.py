"""The weather file formats greendc reads, and how a file's content tells which it is.

Text formats are told by their first non-blank line; binary ones by their first bytes: ``GRIB`` (a GRIB
file, read as ERA5 whatever its extension), ``CDF`` (classic NetCDF) or ``\\x89HDF`` (NetCDF4/HDF5), the
NetCDF source then told by its variable names (ERA5: ``t2m``, ``u100``, ``ssrd``; MERRA-2: ``T2M``,
``SWGDN``).
"""

from __future__ import annotations

from pathlib import Path

import xarray as xr

__all__ = ["FORMATS", "sniff_format"]

#: Formats understood by :func:`~greendc.weather.readers.dispatch.read_weather`, with what identifies them.
FORMATS: dict[str, str] = {
    "epw": "EnergyPlus Weather file (first line 'LOCATION,...'), usually *.epw",
    "pvgis-tmy-csv": "PVGIS TMY CSV output (first line 'Latitude (decimal degrees): ...'), *.csv",
    "pvgis-tmy-json": "PVGIS TMY JSON output (outputs.tmy_hourly), *.json",
    "pvgis-hourly-csv": "PVGIS hourly series CSV (seriescalc; site lines, then a 'time,Gb(i),...' header), *.csv",
    "pvgis-hourly-json": "PVGIS hourly series JSON (seriescalc; outputs.hourly), *.json",
    "greendc-csv": "greendc CSV (optional '#' comment lines, then a 'timestamp,...' header), *.csv",
    "era5-netcdf": "ERA5 hourly single levels from the Copernicus CDS, NetCDF (variables t2m, u100, ssrd ...), *.nc",
    "era5-grib": "ERA5 hourly single levels from the Copernicus CDS, GRIB (file starts with 'GRIB'), any extension",
    "merra2-netcdf": "MERRA-2 hourly M2T1NXSLV + M2T1NXRAD, NetCDF4 (variables T2M, SWGDN ...), *.nc4 or *.nc",
}
#: Variables that tell a reanalysis NetCDF file's source.
_NETCDF_MARKERS = {"era5-netcdf": ("t2m", "u100", "ssrd"), "merra2-netcdf": ("T2M", "SWGDN")}


def sniff_format(path: str | Path) -> str | None:
    """Tell the format from the file's first bytes, or its first non-blank line (None when unknown)."""
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == b"GRIB":
        return "era5-grib"
    if magic[:3] == b"CDF" or magic == b"\x89HDF":
        return _netcdf_kind(path)
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for line in f:
            first = line.strip()
            if first:
                break
        else:
            return None
    if first.upper().startswith("LOCATION,"):
        return "epw"
    if first.startswith("{"):
        return _pvgis_json_kind(path)
    if first.startswith("Latitude (decimal degrees)"):
        return _pvgis_csv_kind(path)
    if first.startswith("#") or first.split(",")[0].strip() == "timestamp":
        return "greendc-csv"
    return None


def _pvgis_csv_kind(path: str | Path) -> str:
    """A PVGIS CSV's data header says which tool wrote it: ``time(UTC),...`` (TMY) or ``time,...`` (hourly)."""
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for _, line in zip(range(40), f, strict=False):
            if line.startswith("time,"):
                return "pvgis-hourly-csv"
    return "pvgis-tmy-csv"


def _pvgis_json_kind(path: str | Path) -> str:
    """A PVGIS JSON's ``outputs`` holds ``hourly`` (a series) or ``tmy_hourly`` (a TMY)."""
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        head = f.read(1 << 20)
    return "pvgis-hourly-json" if '"hourly"' in head and '"tmy_hourly"' not in head else "pvgis-tmy-json"


def _netcdf_kind(path: str | Path) -> str | None:
    """A NetCDF file's variable names tell ERA5 from MERRA-2 (None when neither, or unreadable)."""
    try:
        with xr.open_dataset(path, engine="netcdf4", decode_times=False) as ds:
            names = set(map(str, ds.data_vars))
    except (OSError, ValueError):
        return None
    return next((fmt for fmt, markers in _NETCDF_MARKERS.items() if names.intersection(markers)), None)
