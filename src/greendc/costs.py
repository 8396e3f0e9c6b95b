"""Technology costs: the sourced cost table, its named cost sets, one money year, and the annuity arithmetic.

The shipped table (``greendc/data/costs/costs.csv``) has one row per technology and **variant** (one source's
figures); a **cost set** (``greendc/data/costs/cost_sets.csv``, scenario ``costs.set``) names the variant of
each technology it uses. Every row states the money it is written in (``currency``, ``money_year``) and is
brought to US dollars of one year (scenario ``costs.money_year``) with :mod:`greendc.money`.

=========================  ==============  ====================================================
column                     unit            meaning
=========================  ==============  ====================================================
``technology``             -               name, e.g. ``pv_single_axis``
``capex_per_unit``         currency/unit   overnight investment per unit of capacity, in the row's money
``unit``                   -               the unit of capacity, e.g. ``EUR/MW``, ``USD/MWh``
``lifetime_years``         yr              economic lifetime
``fom_fraction_per_year``  1/yr            fixed O&M as a share of capex per year
``efficiency``             -               conversion efficiency (meaning per technology, see below)
``source``                 -               where the numbers come from
``variant``                -               optional: the source's short name (default ``base``)
``currency``               -               optional: ``USD`` (default) or ``EUR``
``money_year``             -               optional: the year of that money; absent = taken as given
``vom_per_mwh``            currency/MWh    optional: variable O&M per MWh of output (0 if absent)
``applies_to``             -               optional: balance-of-plant rows only, the capacities (space
                                           separated, e.g. ``pv_mw battery_mw``) the row is paid per; an
                                           old name (``greendc.units.RENAMED_CAPACITIES``) reads as the new
=========================  ==============  ====================================================

``efficiency`` is the AC round trip for ``battery_power``, MWh of hydrogen (LHV) per MWh of electricity
for ``electrolyser``, MWh of electricity per MWh of hydrogen for ``fuel_cell`` and 1 elsewhere. A
balance-of-plant row (with ``applies_to``) costs ``capex_per_unit`` per MW of each capacity it names, on top
of that capacity's own row.

The functions are pure and vectorised; they follow the annuity convention of PyPSA
(``pypsa.common.annuity``) and of the DEA technology catalogues.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from greendc.constants import HOURS_PER_YEAR
from greendc.errors import DataFileError, GreendcError
from greendc.money import CURRENCIES, load_price_indices
from greendc.units import RENAMED_CAPACITIES

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
#: Optional columns (see the module table).
OPTIONAL_COLUMNS: tuple[str, ...] = ("variant", "currency", "money_year", "vom_per_mwh", "applies_to")
#: The shipped cost set used unless the scenario names another.
DEFAULT_COST_SET = "market-2024"
#: The money year costs are brought to unless the scenario names another.
DEFAULT_MONEY_YEAR = 2024


@dataclass(frozen=True)
class CostRow:
    """One technology of a cost table, in US dollars of the table's money year.

    Attributes
    ----------
    technology : str
        Name, e.g. ``"battery_power"``.
    capex_per_unit : float
        Investment [USD per unit of capacity, of the table's money year].
    unit : str
        Unit of ``capex_per_unit`` (e.g. ``"USD/MW"``).
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
    variant : str
        Short name of the source's figures (``"base"`` when the table has one row per technology).
    applies_to : tuple of str
        For a balance-of-plant row, the capacities it is paid per; empty for a technology's own row.
    source_capex_per_unit : float
        Investment as the source writes it [``source_currency`` per unit, of ``source_money_year``].
    source_currency : str
        ``"USD"`` or ``"EUR"``.
    source_money_year : int or None
        Year of the source's money; None when the table does not say (taken as given).
    money_factor : float
        ``capex_per_unit / source_capex_per_unit`` [-] (:meth:`greendc.money.PriceIndices.factor`).
    """

    technology: str
    capex_per_unit: float
    unit: str
    lifetime_years: float
    fom_fraction_per_year: float
    efficiency: float
    source: str
    vom_usd_per_mwh: float = 0.0
    variant: str = "base"
    applies_to: tuple[str, ...] = ()
    source_capex_per_unit: float | None = None
    source_currency: str = "USD"
    source_money_year: int | None = None
    money_factor: float = 1.0

    def annualised_cost(self, discount_rate: float) -> float:
        """Annualised capital plus fixed O&M [USD/yr per unit] at ``discount_rate`` [1/yr]."""
        return float(
            annualised_cost_per_unit(
                self.capex_per_unit, self.lifetime_years, discount_rate, self.fom_fraction_per_year
            )
        )

    def listing(self) -> dict[str, Any]:
        """The row as a JSON-ready dict: every number used, in the source's money and converted, and its source."""
        return {
            "technology": self.technology,
            "variant": self.variant,
            "capex_per_unit": self.capex_per_unit,
            "unit": self.unit,
            "source_capex_per_unit": self.source_capex_per_unit,
            "source_currency": self.source_currency,
            "source_money_year": self.source_money_year,
            "money_factor": self.money_factor,
            "lifetime_years": self.lifetime_years,
            "fom_fraction_per_year": self.fom_fraction_per_year,
            "vom_usd_per_mwh": self.vom_usd_per_mwh,
            "efficiency": self.efficiency,
            "applies_to": list(self.applies_to),
            "source": self.source,
        }


@dataclass(frozen=True)
class CostTable:
    """A validated cost table: rows by technology name, where it was read from, its set and money year."""

    rows: Mapping[str, CostRow]
    origin: str = "default"
    cost_set: str | None = None
    money_year: int | None = None
    technologies: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "technologies", tuple(self.rows))

    def __getitem__(self, technology: str) -> CostRow:
        try:
            return self.rows[technology]
        except KeyError:
            raise DataFileError(
                f"cost table {self.origin}: no row for technology '{technology}'; rows present: {list(self.rows)}"
            ) from None

    def __contains__(self, technology: object) -> bool:
        return technology in self.rows

    def to_csv(self, path: str | Path, drop: tuple[str, ...] = ()) -> Path:
        """Write the table, one row per technology in its source's money, as a CSV a user can edit and give
        back as ``costs.table`` (rows in ``drop`` left out). Reading it back at the same money year gives the
        same rows."""
        cols = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]
        path = Path(path)
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
            writer.writeheader()
            for tech, r in self.rows.items():
                if tech in drop:
                    continue
                writer.writerow(
                    {
                        "technology": tech,
                        "capex_per_unit": repr(r.source_capex_per_unit),
                        "unit": r.unit.replace("USD/", f"{r.source_currency}/"),
                        "lifetime_years": r.lifetime_years,
                        "fom_fraction_per_year": r.fom_fraction_per_year,
                        "efficiency": r.efficiency,
                        "source": r.source,
                        "variant": r.variant,
                        "currency": r.source_currency,
                        "money_year": r.source_money_year or "",
                        "vom_per_mwh": repr(r.vom_usd_per_mwh / r.money_factor),
                        "applies_to": " ".join(r.applies_to),
                    }
                )
        return path

    def scaled(self, capex_factors: Mapping[str, float]) -> CostTable:
        """The table with each named row's investment multiplied by its factor [-] (a sensitivity: 0.6 is a
        technology 40 % cheaper); the source of a scaled row says so.

        Raises
        ------
        DataFileError
            A factor names no row of the table, or is not a positive number.
        """
        if not capex_factors:
            return self
        rows = dict(self.rows)
        for tech, factor in capex_factors.items():
            if not factor > 0:
                raise DataFileError(f"capex factor of '{tech}' must be > 0, got {factor!r}")
            row = self[tech]
            rows[tech] = replace(
                row,
                capex_per_unit=row.capex_per_unit * factor,
                source=f"{row.source} (investment x {factor:g}, scenario costs.capex_factors)",
            )
        return replace(self, rows=rows)

    @property
    def balance_of_plant(self) -> dict[str, CostRow]:
        """Rows paid per MW of other capacities (those with ``applies_to``)."""
        return {k: r for k, r in self.rows.items() if r.applies_to}

    @property
    def currency_label(self) -> str:
        """``USD<year>`` of the converted money, or ``USD (money year not stated)``."""
        return f"USD{self.money_year}" if self.money_year is not None else "USD (money year not stated)"


def _number(text: str, column: str, line: int, origin: str, low: float, high: float, low_open: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(f"cost table {origin}, line {line}, column '{column}': '{text}' is not a number") from None
    below = value <= low if low_open else value < low
    if not math.isfinite(value) or below or value > high:
        bracket = "(" if low_open else "["
        raise DataFileError(
            f"cost table {origin}, line {line}, column '{column}': {value:g} is outside the allowed range "
            f"{bracket}{low:g}, {high:g}]"
        )
    return value


def _data_lines(text: str) -> list[str]:
    """Lines of a CSV text with ``#`` comment lines blanked (kept, so that line numbers stay the file's)."""
    return ["" if line.lstrip().startswith("#") else line for line in text.splitlines()]


def _parse_rows(text: str, origin: str, money_year: int | None) -> dict[tuple[str, str], CostRow]:
    lines = _data_lines(text)
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    reader = csv.DictReader(lines[first:])
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DataFileError(
            f"cost table {origin}: missing column(s) {missing}; required columns are {list(REQUIRED_COLUMNS)}"
        )
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise DataFileError(
            f"cost table {origin}: unknown column(s) {unknown}; allowed: {list(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)} "
            "(variable O&M is 'vom_per_mwh', in the row's currency and money year)"
        )
    indices = load_price_indices()
    rows: dict[tuple[str, str], CostRow] = {}
    for i, raw in enumerate(reader, start=first + 2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        tech, variant = row["technology"], row.get("variant") or "base"
        if not tech:
            raise DataFileError(f"cost table {origin}, line {i}, column 'technology': empty name")
        if (tech, variant) in rows:
            what = f"'{tech}'" if variant == "base" else f"'{tech}' variant '{variant}'"
            raise DataFileError(f"cost table {origin}, line {i}, column 'technology': duplicate row {what}")
        currency = row.get("currency") or "USD"
        if currency not in CURRENCIES:
            raise DataFileError(
                f"cost table {origin}, line {i}, column 'currency': '{currency}'; allowed: {', '.join(CURRENCIES)}"
            )
        year_text = row.get("money_year", "")
        source_year = int(_number(year_text, "money_year", i, origin, 1900, 2100, False)) if year_text else None
        if source_year is None and currency != "USD":
            raise DataFileError(
                f"cost table {origin}, line {i}: a {currency} row needs its money_year to be converted to USD"
            )
        try:
            factor = (
                1.0 if source_year is None or money_year is None else indices.factor(currency, source_year, money_year)
            )
        except GreendcError as exc:
            raise DataFileError(f"cost table {origin}, line {i}: {exc}") from None
        capex = _number(row["capex_per_unit"], "capex_per_unit", i, origin, 0.0, 1e12, False)
        vom_text = row.get("vom_per_mwh", "")
        rows[(tech, variant)] = CostRow(
            technology=tech,
            capex_per_unit=capex * factor,
            unit=row["unit"].replace(f"{currency}/", "USD/"),
            lifetime_years=_number(row["lifetime_years"], "lifetime_years", i, origin, 0.0, 200.0, True),
            fom_fraction_per_year=_number(
                row["fom_fraction_per_year"], "fom_fraction_per_year", i, origin, 0.0, 1.0, False
            ),
            efficiency=_number(row["efficiency"], "efficiency", i, origin, 0.0, 1.0, True),
            source=row["source"],
            vom_usd_per_mwh=(
                _number(vom_text, "vom_per_mwh", i, origin, 0.0, 1e6, False) * factor if vom_text else 0.0
            ),
            variant=variant,
            applies_to=tuple(RENAMED_CAPACITIES.get(c, c) for c in (row.get("applies_to") or "").split()),
            source_capex_per_unit=capex,
            source_currency=currency,
            source_money_year=source_year,
            money_factor=factor,
        )
    if not rows:
        raise DataFileError(f"cost table {origin}: no rows")
    return rows


@lru_cache(maxsize=1)
def cost_sets() -> Mapping[str, Mapping[str, str]]:
    """The shipped cost sets: set name → {technology: variant} (``greendc/data/costs/cost_sets.csv``), read
    once per process (read-only mappings)."""
    text = resources.files("greendc").joinpath("data", "costs", "cost_sets.csv").read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {}
    for row in csv.DictReader([line for line in _data_lines(text) if line.strip()]):
        out.setdefault(row["set"], {})[row["technology"]] = row["variant"]
    return MappingProxyType({k: MappingProxyType(v) for k, v in out.items()})


def load_cost_table(
    name_or_path: str | Path = "default",
    cost_set: str | None = None,
    money_year: int | None = DEFAULT_MONEY_YEAR,
) -> CostTable:
    """Read and validate a cost table, pick a cost set's variants and convert it to one money year.

    Parameters
    ----------
    name_or_path : str or pathlib.Path
        ``"default"`` for the shipped, sourced table (``greendc/data/costs/costs.csv``), or a CSV path with
        the same columns and one row per technology (no cost set).
    cost_set : str, optional
        Name of a shipped cost set (:func:`cost_sets`); default :data:`DEFAULT_COST_SET` for the shipped table.
    money_year : int or None
        Year of the US dollars to convert every row to (:mod:`greendc.money`); None keeps each row's money
        as written (for tables whose rows state no ``money_year``).

    Returns
    -------
    CostTable

    Raises
    ------
    DataFileError
        Missing file or column, duplicate technology, a cell that is not a number or is out of range, a
        money year without price index; the message names the line and the column. An unknown cost set;
        a cost set with a table given as a path; a path table with several variants of a technology.
    """
    if str(name_or_path) == "default":
        chosen = cost_set or DEFAULT_COST_SET
        sets = cost_sets()
        if chosen not in sets:
            raise DataFileError(f"cost set '{chosen}' is not shipped; allowed: {', '.join(sets)}")
        origin = f"default (greendc/data/costs/costs.csv, set {chosen})"
        text = resources.files("greendc").joinpath("data", "costs", "costs.csv").read_text(encoding="utf-8")
        parsed = _parse_rows(text, origin, money_year)
        rows = {}
        for tech, variant in sets[chosen].items():
            if (tech, variant) not in parsed:
                raise DataFileError(f"cost set '{chosen}' names '{tech}' variant '{variant}', absent from costs.csv")
            rows[tech] = parsed[(tech, variant)]
        return CostTable(rows=rows, origin=origin, cost_set=chosen, money_year=money_year)
    path = Path(name_or_path)
    if cost_set is not None:
        raise DataFileError(
            f"cost set '{cost_set}' applies to the shipped table only; a table given as a path ({path}) has one "
            "row per technology"
        )
    if not path.is_file():
        raise DataFileError(f"cost table not found: {path}")
    parsed = _parse_rows(path.read_text(encoding="utf-8-sig"), str(path), money_year)
    rows = {}
    for (tech, _variant), row in parsed.items():
        if tech in rows:
            raise DataFileError(
                f"cost table {path}: technology '{tech}' has several variants; a table given as a path needs one "
                "row per technology"
            )
        rows[tech] = row
    stated = any(r.source_money_year is not None for r in rows.values())
    return CostTable(rows=rows, origin=str(path), money_year=money_year if stated else None)


def _check_rate_lifetime(rate: float | np.ndarray, lifetime_years: float | np.ndarray) -> None:
    r = np.asarray(rate, dtype=float)
    n = np.asarray(lifetime_years, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r < 0.0) or np.any(r > 1.0):
        raise GreendcError(f"discount rate must lie in [0, 1] per year, got {rate}")
    if np.any(~np.isfinite(n)) or np.any(n <= 0.0):
        raise GreendcError(f"lifetime_years must be positive, got {lifetime_years}")


def capital_recovery_factor(rate: float | np.ndarray, lifetime_years: float | np.ndarray) -> float | np.ndarray:
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
    A PV tracker of 628 563 USD/MW, 40 yr, 2.2884 %/yr at 7 %:

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
    A PV tracker of 628 563 USD/MW (40 yr, 2.2884 %/yr) at a 28 % capacity factor and 7 %:

    >>> round(lcoe(628563.0, 40, 0.07, 0.022884, 0.28), 1)
    25.1
    """
    cf = np.asarray(capacity_factor, dtype=float)
    if np.any(~np.isfinite(cf)) or np.any(cf <= 0.0) or np.any(cf > 1.0):
        raise GreendcError(f"capacity_factor must lie in (0, 1], got {capacity_factor}")
    annual = annualised_cost_per_unit(capex_per_mw, lifetime_years, discount_rate, fom_fraction_per_year)
    out = np.asarray(annual) / (HOURS_PER_YEAR * cf) + vom_usd_per_mwh
    return float(out) if out.ndim == 0 else out
