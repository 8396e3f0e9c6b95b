"""Money of one year: price indices and exchange rates that bring a cost to US dollars of a chosen year.

Cost rows come in the money of their source (EUR of 2015, USD of 2022 ...). :func:`to_usd` converts an
amount to US dollars of ``to_year`` in two steps:

1. a euro amount is converted at the average exchange rate of **its own money year**
   (``usd_per_eur[year]``, ECB reference rate, annual average);
2. the dollar amount is escalated with the US consumer price index, ``CPI[to_year] / CPI[year]``
   (BLS CPI-U, annual average).

This is the "exchange first, then inflate in the target currency" convention; inflating in euros with the
euro-area HICP and exchanging at the target year's rate gives a slightly different figure (the two differ by
the real exchange-rate change between the years). The table is ``greendc/data/costs/price_indices.csv``,
sources in its header.

References
----------
.. [1] U.S. Bureau of Labor Statistics, Consumer Price Index for All Urban Consumers (CPI-U), U.S. city
   average, all items, series CUUR0000SA0, annual averages.
.. [2] European Central Bank, euro foreign exchange reference rates, US dollar, annual average,
   series EXR.A.USD.EUR.SP00.A.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

from greendc.errors import DataFileError, GreendcError

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping

__all__ = ["CURRENCIES", "PriceIndices", "load_price_indices", "to_usd"]

#: Currencies a cost row may be written in.
CURRENCIES: tuple[str, ...] = ("USD", "EUR")


@dataclass(frozen=True)
class PriceIndices:
    """US CPI-U and the USD/EUR rate by year.

    Attributes
    ----------
    us_cpi_u : dict of int to float
        Annual-average CPI-U, 1982-84 = 100.
    usd_per_eur : dict of int to float
        Annual-average ECB reference rate [USD/EUR].
    """

    us_cpi_u: Mapping[int, float]
    usd_per_eur: Mapping[int, float]

    def factor(self, currency: str, year: int, to_year: int) -> float:
        """USD of ``to_year`` per one unit of ``currency`` of ``year`` [-] (see the module notes).

        Examples
        --------
        >>> round(load_price_indices().factor("EUR", 2020, 2024), 4)  # 1.1422 x 313.689 / 258.811
        1.3844
        """
        if currency not in CURRENCIES:
            raise GreendcError(f"currency {currency!r} is not supported; allowed: {', '.join(CURRENCIES)}")
        for y in (year, to_year):
            if y not in self.us_cpi_u:
                raise GreendcError(
                    f"no US CPI-U for year {y} in the price-index table; years covered: "
                    f"{min(self.us_cpi_u)}-{max(self.us_cpi_u)}"
                )
        rate = 1.0
        if currency == "EUR":
            if year not in self.usd_per_eur:
                raise GreendcError(f"no USD/EUR exchange rate for year {year} in the price-index table")
            rate = self.usd_per_eur[year]
        return rate * self.us_cpi_u[to_year] / self.us_cpi_u[year]


@lru_cache(maxsize=1)
def load_price_indices() -> PriceIndices:
    """Read the shipped price-index table (``greendc/data/costs/price_indices.csv``), once per process.

    Raises
    ------
    DataFileError
        A cell that is not a positive number, or a year given twice.
    """
    text = resources.files("greendc").joinpath("data", "costs", "price_indices.csv").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    cpi: dict[int, float] = {}
    fx: dict[int, float] = {}
    for i, row in enumerate(csv.DictReader(rows), start=2):
        try:
            year = int(row["year"])
            values = {k: float(row[k]) for k in ("us_cpi_u", "usd_per_eur") if (row.get(k) or "").strip()}
        except (KeyError, ValueError) as exc:
            raise DataFileError(f"price_indices.csv, data row {i - 1}: {exc}") from None
        if year in cpi or any(v <= 0.0 for v in values.values()):
            raise DataFileError(f"price_indices.csv, year {year}: repeated, or a value that is not positive")
        if "us_cpi_u" in values:
            cpi[year] = values["us_cpi_u"]
        if "usd_per_eur" in values:
            fx[year] = values["usd_per_eur"]
    return PriceIndices(us_cpi_u=MappingProxyType(cpi), usd_per_eur=MappingProxyType(fx))


def to_usd(amount: float, currency: str, year: int, to_year: int, indices: PriceIndices | None = None) -> float:
    """``amount`` of ``currency`` in money of ``year``, in US dollars of ``to_year``.

    Examples
    --------
    The DEA tracker PV of 571.4213 EUR2020/kW in USD2024/kW: 571.4213 x 1.1422 x 313.689 / 258.811

    >>> round(to_usd(571.4213, "EUR", 2020, 2024), 2)
    791.07
    """
    table = indices if indices is not None else load_price_indices()
    return amount * table.factor(currency, year, to_year)
