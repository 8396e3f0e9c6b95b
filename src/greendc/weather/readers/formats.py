"""The weather file formats greendc reads, and how a file's content tells which it is."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FORMATS", "sniff_format"]

#: Formats understood by :func:`~greendc.weather.readers.dispatch.read_weather`, with what identifies them.
FORMATS: dict[str, str] = {
    "epw": "EnergyPlus Weather file (first line 'LOCATION,...'), usually *.epw",
    "pvgis-tmy-csv": "PVGIS TMY CSV output (first line 'Latitude (decimal degrees): ...'), *.csv",
    "pvgis-tmy-json": "PVGIS TMY JSON output (outputs.tmy_hourly), *.json",
    "greendc-csv": "greendc CSV (optional '#' comment lines, then a 'timestamp,...' header), *.csv",
}


def sniff_format(path: str | Path) -> str | None:
    """Tell the format from the first non-blank line of the file (None when unknown)."""
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
        return "pvgis-tmy-json"
    if first.startswith("Latitude (decimal degrees)"):
        return "pvgis-tmy-csv"
    if first.startswith("#") or first.split(",")[0].strip() == "timestamp":
        return "greendc-csv"
    return None
