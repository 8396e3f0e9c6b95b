"""Helpers shared by the KPI tests: a telemetry frame from short lists [MW, m³ per step]."""

from __future__ import annotations

import pandas as pd


def series(freq: str = "h", start: str = "2030-01-01", **columns) -> pd.DataFrame:
    """A telemetry frame from lists of equal length (scalars broadcast)."""
    n = max(len(v) for v in columns.values() if isinstance(v, list))
    idx = pd.date_range(start, periods=n, freq=freq, tz="UTC")
    return pd.DataFrame({k: (v if isinstance(v, list) else [v] * n) for k, v in columns.items()}, index=idx)
