"""Technology costs: the sourced cost table and the annuity arithmetic built on it.

The cost table (``greendc/data/costs.csv``) has one row per technology:

=========================  ==============  ====================================================
column                     unit            meaning
=========================  ==============  ====================================================
``technology``             -               name, e.g. ``pv_single_axis``
``capex_per_unit``         USD/unit        overnight investment per unit of capacity
``unit``                   -               the unit of capacity, e.g. ``USD/MW``, ``USD/MWh``
``lifetime_years``         yr              economic lifetime
``fom_fraction_per_year``  1/yr            fixed O&M as a share of capex per year
``efficiency``             -               conversion efficiency (meaning per technology, see below)
``source``                 -               where the numbers come from
``vom_usd_per_mwh``        USD/MWh         optional column: variable O&M per MWh of output (0 if absent)
=========================  ==============  ====================================================

``efficiency`` is the AC round trip for ``battery_power``, MWh of hydrogen (LHV) per MWh of electricity
for ``electrolyser``, MWh of electricity per MWh of hydrogen for ``fuel_cell`` and 1 elsewhere.

The functions are pure and vectorised; they follow the annuity convention of PyPSA
(``pypsa.common.annuity``) and of the DEA technology catalogues.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from greendc.errors import DataFileError, GreendcError

#: Columns every cost table must have, in this order of documentation.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "technology",
    "capex_per_unit",
    "unit",
    "lifetime_years",
    "fom_fraction_per_year",
    "efficiency",
    "source",
)
#: Optional columns and their default.
OPTIONAL_COLUMNS: dict[str, float] = {"vom_usd_per_mwh": 0.0}

HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True)
class CostRow:
    """One technology of the cost table.

    Attributes
    ----------
    technology : str
        Name, e.g. ``"battery_power"``.
    capex_per_unit : float
        Investment [USD per unit of capacity].
    unit : str
        Unit of ``capex_per_unit`` as written in the table (e.g. ``"USD/MW"``).
    lifetime_years : float
        Economic lifetime [yr].
    fom_fraction_per_year : float
        Fixed O&M [share of capex per year].
    efficiency : float
        Conversion efficiency [-], meaning per technology (see module docstring).
    source : str
        Provenance of the numbers.
    vom_usd_per_mwh : float
        Variable O&M [USD/MWh of output].
    """

    technology: str
    capex_per_unit: float
    unit: str
    lifetime_years: float
    fom_fraction_per_year: float
    efficiency: float
    source: str
    vom_usd_per_mwh: float = 0.0

    def annualised_cost(self, discount_rate: float) -> float:
        """Annualised capital plus fixed O&M [USD/yr per unit] at ``discount_rate`` [1/yr]."""
        return float(
            annualised_cost_per_unit(
                self.capex_per_unit, self.lifetime_years, discount_rate, self.fom_fraction_per_year
            )
        )


@dataclass(frozen=True)
class CostTable:
    """A validated cost table: rows by technology name, and where it was read from."""

    rows: Mapping[str, CostRow]
    origin: str = "default"
    technologies: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "technologies", tuple(self.rows))

    def __getitem__(self, technology: str) -> CostRow:
        try:
            return self.rows[technology]
        except KeyError:
            raise DataFileError(
                f"cost table {self.origin}: no row for technology '{technology}'; "
                f"rows present: {list(self.rows)}"
            ) from None

    def __contains__(self, technology: object) -> bool:
        return technology in self.rows


def _number(text: str, column: str, line: int, origin: str, low: float, high: float, low_open: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(
            f"cost table {origin}, line {line}, column '{column}': '{text}' is not a number"
        ) from None
    below = value <= low if low_open else value < low
    if not math.isfinite(value) or below or value > high:
        bracket = "(" if low_open else "["
        raise DataFileError(
            f"cost table {origin}, line {line}, column '{column}': {value:g} is outside the allowed range "
            f"{bracket}{low:g}, {high:g}]"
        )
    return value


def load_cost_table(name_or_path: str | Path = "default") -> CostTable:
    """Read and validate a cost table.

    Parameters
    ----------
    name_or_path : str or pathlib.Path
        ``"default"`` for the shipped, sourced table (``greendc/data/costs.csv``), or a CSV path with the
        same columns.

    Returns
    -------
    CostTable

    Raises
    ------
    DataFileError
        Missing file or column, duplicate technology, a cell that is not a number or is out of range; the
        message names the line and the column.
    """
    if str(name_or_path) == "default":
        origin = "default (greendc/data/costs.csv)"
        text = resources.files("greendc").joinpath("data", "costs.csv").read_text(encoding="utf-8")
    else:
        path = Path(name_or_path)
        origin = str(path)
        if not path.is_file():
            raise DataFileError(f"cost table not found: {path}")
        text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DataFileError(
            f"cost table {origin}: missing column(s) {missing}; required columns are {list(REQUIRED_COLUMNS)}"
        )
    rows: dict[str, CostRow] = {}
    for i, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        tech = row["technology"]
        if not tech:
            raise DataFileError(f"cost table {origin}, line {i}, column 'technology': empty name")
        if tech in rows:
            raise DataFileError(f"cost table {origin}, line {i}, column 'technology': duplicate row '{tech}'")
        vom_text = row.get("vom_usd_per_mwh", "")
        rows[tech] = CostRow(
            technology=tech,
            capex_per_unit=_number(row["capex_per_unit"], "capex_per_unit", i, origin, 0.0, 1e12, False),
            unit=row["unit"],
            lifetime_years=_number(row["lifetime_years"], "lifetime_years", i, origin, 0.0, 200.0, True),
            fom_fraction_per_year=_number(
                row["fom_fraction_per_year"], "fom_fraction_per_year", i, origin, 0.0, 1.0, False
            ),
            efficiency=_number(row["efficiency"], "efficiency", i, origin, 0.0, 1.0, True),
            source=row["source"],
            vom_usd_per_mwh=(
                _number(vom_text, "vom_usd_per_mwh", i, origin, 0.0, 1e6, False) if vom_text else 0.0
            ),
        )
    if not rows:
        raise DataFileError(f"cost table {origin}: no rows")
    return CostTable(rows=rows, origin=origin)


def _check_rate_lifetime(rate: float | np.ndarray, lifetime_years: float | np.ndarray) -> None:
    r = np.asarray(rate, dtype=float)
    n = np.asarray(lifetime_years, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r < 0.0) or np.any(r > 1.0):
        raise GreendcError(f"discount rate must lie in [0, 1] per year, got {rate}")
    if np.any(~np.isfinite(n)) or np.any(n <= 0.0):
        raise GreendcError(f"lifetime_years must be positive, got {lifetime_years}")


def capital_recovery_factor(
    rate: float | np.ndarray, lifetime_years: float | np.ndarray
) -> float | np.ndarray:
    """Capital recovery factor: the constant yearly payment that repays 1 USD over a lifetime.

    Parameters
    ----------
    rate : float or array
        Discount rate [1/yr], in [0, 1].
    lifetime_years : float or array
        Economic lifetime [yr], > 0.

    Returns
    -------
    float or array
        Capital recovery factor [1/yr].

    Notes
    -----
    .. math:: \\mathrm{CRF}(r, n) = \\frac{r}{1 - (1 + r)^{-n}}, \\qquad \\mathrm{CRF}(0, n) = 1/n

    References
    ----------
    .. [1] Short, W., Packey, D. J., Holt, T. (1995). A Manual for the Economic Evaluation of Energy
       Efficiency and Renewable Energy Technologies. NREL/TP-462-5173, eq. 4-4. doi:10.2172/35391

    Examples
    --------
    >>> round(capital_recovery_factor(0.07, 25), 4)
    0.0858
    """
    _check_rate_lifetime(rate, lifetime_years)
    r = np.asarray(rate, dtype=float)
    n = np.asarray(lifetime_years, dtype=float)
    safe_r = np.where(r > 0.0, r, 1.0)
    crf = np.where(r > 0.0, safe_r / (1.0 - (1.0 + safe_r) ** (-n)), 1.0 / n)
    return float(crf) if crf.ndim == 0 else crf


def annualised_cost_per_unit(
    capex_per_unit: float | np.ndarray,
    lifetime_years: float | np.ndarray,
    discount_rate: float,
    fom_fraction_per_year: float | np.ndarray = 0.0,
) -> float | np.ndarray:
    """Yearly cost of one unit of capacity: annuity of the investment plus fixed O&M.

    Parameters
    ----------
    capex_per_unit : float or array
        Overnight investment [USD/unit].
    lifetime_years : float or array
        Economic lifetime [yr].
    discount_rate : float
        Discount rate [1/yr].
    fom_fraction_per_year : float or array
        Fixed O&M [share of capex per year].

    Returns
    -------
    float or array
        Annualised cost [USD/yr per unit].

    Notes
    -----
    .. math:: c_\\mathrm{ann} = C \\, (\\mathrm{CRF}(r, n) + f_\\mathrm{FOM})

    References
    ----------
    .. [1] Short, W., Packey, D. J., Holt, T. (1995). NREL/TP-462-5173. doi:10.2172/35391

    Examples
    --------
    PV single-axis tracker of the shipped table (628 563 USD/MW, 40 yr, 2.2884 %/yr) at 7 %:

    >>> round(annualised_cost_per_unit(628563.0, 40, 0.07, 0.022884))
    61532
    """
    crf = capital_recovery_factor(discount_rate, lifetime_years)
    out = np.asarray(capex_per_unit, dtype=float) * (crf + np.asarray(fom_fraction_per_year, dtype=float))
    return float(out) if out.ndim == 0 else out


def lcoe(
    capex_per_mw: float,
    lifetime_years: float,
    discount_rate: float,
    fom_fraction_per_year: float,
    capacity_factor: float | np.ndarray,
    vom_usd_per_mwh: float = 0.0,
) -> float | np.ndarray:
    """Levelised cost of electricity of a generator running at a given capacity factor.

    Parameters
    ----------
    capex_per_mw : float
        Overnight investment [USD/MW].
    lifetime_years : float
        Economic lifetime [yr].
    discount_rate : float
        Discount rate [1/yr].
    fom_fraction_per_year : float
        Fixed O&M [share of capex per year].
    capacity_factor : float or array
        Mean output per unit of capacity [MW/MW], in (0, 1].
    vom_usd_per_mwh : float
        Variable O&M [USD/MWh].

    Returns
    -------
    float or array
        LCOE [USD/MWh].

    Notes
    -----
    .. math::
        \\mathrm{LCOE} = \\frac{C\\,(\\mathrm{CRF}(r, n) + f_\\mathrm{FOM})}{8760\\,\\mathrm{h} \\cdot CF}
              + c_\\mathrm{VOM}

    References
    ----------
    .. [1] Short, W., Packey, D. J., Holt, T. (1995). NREL/TP-462-5173, section 4.2. doi:10.2172/35391

    Examples
    --------
    The shipped PV tracker at a 28 % capacity factor and 7 %:

    >>> round(lcoe(628563.0, 40, 0.07, 0.022884, 0.28), 1)
    25.1
    """
    cf = np.asarray(capacity_factor, dtype=float)
    if np.any(~np.isfinite(cf)) or np.any(cf <= 0.0) or np.any(cf > 1.0):
        raise GreendcError(f"capacity_factor must lie in (0, 1], got {capacity_factor}")
    annual = annualised_cost_per_unit(capex_per_mw, lifetime_years, discount_rate, fom_fraction_per_year)
    out = np.asarray(annual) / (HOURS_PER_YEAR * cf) + vom_usd_per_mwh
    return float(out) if out.ndim == 0 else out
