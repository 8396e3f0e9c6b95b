"""The check that a table's index is a time index greendc can step through, written once.

Tables of period starts (profiles, dispatch, weather for the PV and CSP chains, hourly series) need a
tz-aware ``pandas.DatetimeIndex``, often at least two steps (to know the step) and often one regular step.
:func:`time_index_problem` says what is wrong in words; :func:`check_time_index` raises the caller's error
class with the caller's subject, so that a message names the table and what is allowed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greendc.errors import DataFileError, GreendcError

__all__ = ["check_time_index", "time_index_problem"]

_ALLOWED = "allowed: a tz-aware (UTC) DatetimeIndex of period starts"


def time_index_problem(
    idx: pd.Index, *, tz_aware: bool = True, utc_only: bool = False, min_steps: int = 2, regular: bool = False
) -> str | None:
    """What is wrong with ``idx`` as a time index, in words, or None when nothing is.

    Parameters
    ----------
    tz_aware : bool
        Refuse an index without a time zone.
    utc_only : bool
        Refuse a tz-aware index in another zone than UTC.
    min_steps : int
        Fewest steps allowed.
    regular : bool
        Refuse steps that are not all equal and positive (a gap, a jump, a duplicate or a step back).

    Examples
    --------
    >>> time_index_problem(pd.date_range("2030-01-01", periods=3, freq="h"))
    'the index has no time zone; allowed: a tz-aware (UTC) DatetimeIndex of period starts'
    >>> time_index_problem(pd.DatetimeIndex(["2030-01-01 00:00", "2030-01-01 02:00", "2030-01-01 03:00"], tz="UTC"),
    ...                    regular=True)
    'the steps are not regular and increasing (a gap, a jump or a duplicate); allowed: one regular step'
    """
    if not isinstance(idx, pd.DatetimeIndex):
        return f"the index is a {type(idx).__name__}; {_ALLOWED}"
    if tz_aware and idx.tz is None:
        return f"the index has no time zone; {_ALLOWED}"
    if utc_only and str(idx.tz) != "UTC":
        return f"the index is tz-aware in {idx.tz}, not UTC; {_ALLOWED}"
    if len(idx) < min_steps:
        return f"{len(idx)} step(s); allowed: at least {min_steps}"
    if regular and len(idx) > 1:
        steps = np.diff(idx.asi8)
        if steps[0] <= 0 or (steps != steps[0]).any():
            return "the steps are not regular and increasing (a gap, a jump or a duplicate); allowed: one regular step"
    return None


def check_time_index(
    idx: pd.Index,
    what: str,
    error: type[GreendcError] = DataFileError,
    *,
    tz_aware: bool = True,
    utc_only: bool = False,
    min_steps: int = 2,
    regular: bool = False,
) -> None:
    """Raise ``error("<what>: <problem>")`` when :func:`time_index_problem` finds one."""
    problem = time_index_problem(idx, tz_aware=tz_aware, utc_only=utc_only, min_steps=min_steps, regular=regular)
    if problem is not None:
        raise error(f"{what}: {problem}")
