"""A design folder shared by the command-line tests that simulate a plan's output."""

from __future__ import annotations

import json
from pathlib import Path

#: Capacities of the design [MW, MWh]: PV, wind and a battery, no hydrogen chain.
DESIGN_SUMMARY = {
    "pv_mw": 2000.0,
    "wind_mw": 600.0,
    "battery_mw": 700.0,
    "battery_mwh": 5000.0,
    "electrolyser_mw": 0.0,
    "h2_store_mwh": 0.0,
    "fuel_cell_mw": 0.0,
}


def design_folder(tmp_path: Path) -> Path:
    """A folder ``design`` under ``tmp_path`` holding the ``summary.json`` of :data:`DESIGN_SUMMARY`, as
    ``greendc plan`` writes it and ``greendc simulate --design`` reads it.

    Parameters
    ----------
    tmp_path : pathlib.Path
        Folder to create it in.

    Returns
    -------
    pathlib.Path
        The design folder.
    """
    design = tmp_path / "design"
    design.mkdir()
    (design / "summary.json").write_text(json.dumps(DESIGN_SUMMARY))
    return design
