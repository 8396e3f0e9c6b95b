"""What the service accepts at its edge: names, free text, times, steps, months and integers, checked before
anything reaches the database.

Every check answers a specific HTTP 422 naming the parameter and what is allowed, so that no hostile value
gets as far as PostgreSQL (which refuses NUL characters, out-of-range integers and years beyond 294276) or
pandas (whose timestamps end in 2262):

* **names** of sites and meters: :data:`NAME_PATTERN` (letters, digits, ``_ . : -``, 1 to 100 characters);
* **free text** (descriptions, reasons, token names): no NUL nor other control character except tab and
  newline (:func:`text_error`);
* **query times**: ISO 8601 with a UTC offset, between :data:`EARLIEST_TIME` and :data:`LATEST_TIME` once in
  UTC (:func:`parse_time`);
* **steps**: ``<ASCII digits><s|min|h|D>`` between 1 s and 31 days (:func:`parse_step`); ``١h`` (an
  Arabic-Indic digit, which ``\\d`` would match) or a 20-digit count are refused, not overflowed;
* **months**: ``YYYY-MM`` between the same bounds (:func:`parse_month`);
* **integers** stored as PostgreSQL ``integer`` (ids): at most :data:`INT32_MAX`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

import pandas as pd
from pydantic import AfterValidator

from greendc.errors import EdgeError

__all__ = [
    "EARLIEST_TIME",
    "INT32_MAX",
    "LATEST_TIME",
    "NAME_PATTERN",
    "Text",
    "name_error",
    "parse_iso",
    "parse_month",
    "parse_step",
    "parse_time",
    "text_error",
    "to_utc",
]

#: Names of sites and meters.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"
_NAME = re.compile(NAME_PATTERN)
#: Largest id (PostgreSQL ``integer``).
INT32_MAX = 2**31 - 1
#: Earliest time a query, a month or a reading may name (UTC): the Unix epoch; a meter clock showing an
#: earlier time is broken.
EARLIEST_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: Latest time a query or a month may name (UTC), well inside pandas' range (which ends in 2262).
LATEST_TIME = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
#: Control characters refused in free text (tab, line feed and carriage return are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STEP = re.compile(r"([0-9]{1,9})(s|min|h|D)")
_STEP_UNIT_S = {"s": 1, "min": 60, "h": 3600, "D": 86_400}


def _shown(text: str, n: int = 40) -> str:
    return repr(text[:n]) + ("…" if len(text) > n else "")


def name_error(name: str, what: str = "name") -> str | None:
    """Why ``name`` is not a valid site or meter name, or None when it is one."""
    if _NAME.fullmatch(name):
        return None
    return f"{what} {_shown(name)}: 1 to 100 characters, letters, digits and _ . : - (starting with a letter or digit)"


def text_error(text: str, what: str = "text") -> str | None:
    """Why ``text`` is refused as free text (a NUL or other control character), or None when it is fine."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return (
        f"{what} contains the control character U+{ord(found.group()):04X} at position {found.start()}; "
        "only printable characters, tabs and line breaks are allowed"
    )


def _clean(text: str) -> str:
    why = text_error(text)
    if why:
        raise ValueError(why)
    return text


#: A pydantic string field that refuses control characters (:func:`text_error`).
Text = Annotated[str, AfterValidator(_clean)]


def to_utc(ts: dt.datetime, what: str, bounded: bool = True) -> dt.datetime:
    """``ts`` (tz-aware) in UTC, checked to lie between :data:`EARLIEST_TIME` and :data:`LATEST_TIME` when
    ``bounded`` (a quarantine may name any time a stored reading can have: ``bounded=False``).

    Raises
    ------
    EdgeError
        A time that leaves the calendar once in UTC (``9999-12-31T23:00:00-05:00``) or lies outside the bounds.
    """
    try:
        utc = ts.astimezone(dt.UTC)
    except OverflowError:
        raise EdgeError(f"{what}={ts.isoformat()} falls outside the calendar once converted to UTC") from None
    if bounded and not EARLIEST_TIME <= utc < LATEST_TIME:
        raise EdgeError(f"{what}={ts.isoformat()} is outside {EARLIEST_TIME:%Y-%m-%d} to {LATEST_TIME:%Y-%m-%d} (UTC)")
    return utc


def parse_time(text: str, name: str) -> pd.Timestamp:
    """A query time ``YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z]`` (offset required) as a UTC :class:`pandas.Timestamp`.

    >>> parse_time("2030-01-01T01:00+01:00", "from")
    Timestamp('2030-01-01 00:00:00+0000', tz='UTC')
    """
    return pd.Timestamp(to_utc(parse_iso(text, name), name))


def parse_iso(text: str, what: str) -> dt.datetime:
    """An ISO 8601 time with its UTC offset (``Z``, ``+01:00`` …), as written (not converted).

    Raises
    ------
    EdgeError
        Text that is no ISO 8601 time, or a time without offset (naming ``what``).
    """
    try:
        ts = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise EdgeError(f"{what}={_shown(text, 60)} is not an ISO 8601 time (e.g. 2030-01-01T00:00:00Z)") from None
    if ts.tzinfo is None:
        raise EdgeError(f"{what}={_shown(text, 60)} has no UTC offset; write e.g. 2030-01-01T00:00:00Z")
    return ts


def parse_step(text: str, name: str = "step") -> pd.Timedelta:
    """A resampling step ``<digits><unit>``, unit ``s``, ``min``, ``h`` or ``D``, between 1 s and 31 days.

    >>> parse_step("15min")
    Timedelta('0 days 00:15:00')
    """
    found = _STEP.fullmatch(text.strip())
    if found is None:
        raise EdgeError(f"{name}={_shown(text, 30)}: write ASCII digits and a unit s, min, h or D (e.g. 15min, 1h)")
    seconds = int(found.group(1)) * _STEP_UNIT_S[found.group(2)]
    if not 1 <= seconds <= 31 * 86_400:
        raise EdgeError(f"{name}={_shown(text, 30)} must be between 1s and 31D")
    return pd.Timedelta(seconds=seconds)


def parse_month(text: str) -> pd.Timestamp:
    """The first instant (UTC) of the month ``YYYY-MM``.

    >>> parse_month("2030-02")
    Timestamp('2030-02-01 00:00:00+0000', tz='UTC')
    """
    try:
        start = dt.datetime.strptime(text, "%Y-%m").replace(tzinfo=dt.UTC)
    except ValueError:
        raise EdgeError(f"month={_shown(text, 20)}: write YYYY-MM (e.g. 2030-01)") from None
    if not EARLIEST_TIME <= start < LATEST_TIME.replace(year=LATEST_TIME.year - 1):
        raise EdgeError(f"month={text}: between {EARLIEST_TIME:%Y-%m} and {LATEST_TIME.year - 1}-12")
    return pd.Timestamp(start)
