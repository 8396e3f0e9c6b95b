"""Water usage effectiveness by kind of water, at the data-centre boundary.

``WUE = W / E_IT`` in m³/MWh (= L/kWh), volumes and IT energy summed over the series before dividing
(ISO/IEC 30134-9 / EN 50600-4-9 define WUE as the water input of the data centre over its IT energy). The
telemetry columns (:mod:`greendc.kpi.telemetry`) separate the kinds:

=============================  ==================================================================  =========
column                         meaning                                                             in WUE
=============================  ==================================================================  =========
``water_m3``                   water input at the data-centre boundary (WIN), seawater excluded    total
``fresh_water_m3``             of which freshwater (WIN-FRE); absent: all of ``water_m3``          fresh
``seawater_m3``                once-through seawater, withdrawn and returned                       total
``electrolyser_water_m3``      electrolyser process water (energy plant, outside the boundary)     never
=============================  ==================================================================  =========

- ``kind="fresh"``: ``Σ fresh_water_m3 / E_IT`` — the EU scheme's WUE since the rating act C(2026) 3472
  (``WIN-FRE / E_IT``; class A ≤ 0.1 L/kWh). Without a ``fresh_water_m3`` column every m³ of ``water_m3``
  counts as fresh: desalinated water made on site is counted as freshwater input (an upper bound while the
  final text of the act on desalinated water is not checked).
- ``kind="total"``: ``Σ (water_m3 + seawater_m3) / E_IT`` — every m³ that enters the site's cooling, the
  returned seawater included. Whether ISO/IEC 30134-9's water input counts once-through water that is
  returned could not be read (the standard is paywalled; its scope says WUE quantifies "the water
  consumption of a data centre"); ``total`` is therefore the withdrawal-based figure, reported beside the
  fresh one and never in its place.

Electrolyser water never enters a WUE: the electrolyser belongs to the on-site energy plant, outside the
data-centre boundary (EN 50600-4-2 on subsystems metered at their output; :mod:`greendc.kpi.metrics`).

References
----------
.. [1] ISO/IEC 30134-9:2022, Information technology — Data centres key performance indicators — Part 9: Water
   usage effectiveness (WUE) (scope page read only); EN 50600-4-9.
.. [2] Commission Delegated Regulation (EU) 2024/1364, Annex III (``WUE = WIN / E_IT``), as amended by the
   rating act C(2026) 3472 (WUE on freshwater input ``WIN-FRE``) — read through third-party extracts.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from greendc.errors import TelemetryError
from greendc.kpi.metrics import energy_mwh
from greendc.kpi.telemetry import NEGATIVE_TOLERANCE

__all__ = ["WUE_KINDS", "water_input_m3", "wue_l_per_kwh"]

#: Kinds of WUE: freshwater input (EU 2026) or all water input incl. returned once-through seawater.
WUE_KINDS: tuple[str, ...] = ("fresh", "total")


def water_input_m3(frame: pd.DataFrame, kind: Literal["fresh", "total"] = "fresh") -> float:
    """Water input at the data-centre boundary over the series [m³], of one kind (module docstring).

    Raises
    ------
    TelemetryError
        A bad table, an unknown ``kind``, or ``fresh_water_m3`` above ``water_m3`` (fresh water is part of the
        input).
    """
    if kind not in WUE_KINDS:
        raise TelemetryError(f"kind = {kind!r}; allowed: {list(WUE_KINDS)}")
    win = energy_mwh(frame, "water_m3")
    if "fresh_water_m3" not in frame.columns:
        fresh = win
    else:
        fresh = energy_mwh(frame, "fresh_water_m3")
        if fresh > win + NEGATIVE_TOLERANCE * max(1.0, len(frame)):
            raise TelemetryError(
                f"column 'fresh_water_m3' adds up to {fresh:g} m3, above 'water_m3' = {win:g} m3: "
                "freshwater input is part of the water input (WIN); meter both at the boundary"
            )
    return fresh if kind == "fresh" else win + energy_mwh(frame, "seawater_m3")


def wue_l_per_kwh(frame: pd.DataFrame, kind: Literal["fresh", "total"] = "fresh") -> float:
    """Water usage effectiveness over the series [L/kWh] (ISO/IEC 30134-9 / EN 50600-4-9).

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry with ``it_mw`` [MW] and the water columns of the module docstring [m³ per step].
    kind : {"fresh", "total"}
        ``fresh``: freshwater input (the EU scheme's WUE, default); ``total``: water input plus once-through
        seawater withdrawn.

    Returns
    -------
    float
        ``W / E_IT`` [m³/MWh = L/kWh].

    Raises
    ------
    TelemetryError
        A bad table or ``kind``, or no IT energy.

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> f = pd.DataFrame({"it_mw": 10.0, "facility_mw": 12.0, "water_m3": [3.0, 5.0], "seawater_m3": 2000.0,
    ...                   "electrolyser_water_m3": 40.0}, index=idx)
    >>> wue_l_per_kwh(f), wue_l_per_kwh(f, kind="total")  # 8 m³ / 20 MWh; (8 + 4000) m³ / 20 MWh
    (0.4, 200.4)
    """
    volume = water_input_m3(frame, kind)
    e_it = energy_mwh(frame, "it_mw")
    if e_it <= 0.0:
        raise TelemetryError("column 'it_mw' adds up to 0 MWh over the series: WUE is undefined")
    return volume / e_it
