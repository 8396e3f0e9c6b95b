"""One entry point for every weather file: :func:`read_weather` picks the reader from the file's content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from greendc.errors import WeatherDataError
from greendc.weather.readers.common import source_name
from greendc.weather.readers.epw import read_epw
from greendc.weather.readers.formats import FORMATS, sniff_format
from greendc.weather.readers.greendc_csv import read_csv
from greendc.weather.readers.pvgis import read_pvgis_tmy

__all__ = ["read_weather"]

_READERS = {
    "epw": (read_epw, ("year",)),
    "pvgis-tmy-csv": (read_pvgis_tmy, ("year",)),
    "pvgis-tmy-json": (read_pvgis_tmy, ("year",)),
    "greendc-csv": (read_csv, ("latitude", "longitude", "elevation_m")),
}


def read_weather(path: str | Path, **kwargs: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read any supported weather file, choosing the reader from the file's content.

    Parameters
    ----------
    path : str or pathlib.Path
        An EPW, a PVGIS TMY (CSV or JSON) or a greendc CSV file (see :data:`~greendc.weather.readers.formats.FORMATS`).
    **kwargs
        Passed to the reader: ``year`` for EPW and PVGIS; ``latitude``, ``longitude``, ``elevation_m``
        for greendc CSV. A keyword the format does not take is an error.

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
