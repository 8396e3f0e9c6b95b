"""Seeds of the out-of-sample years: independent streams for weather, outages, common-mode failures and
forecast noise, disjoint from every seed used in design.

One root seed gives, through :class:`numpy.random.SeedSequence` (``spawn``), one child per verification
year and, from each child, one independent 63-bit seed per process. Two years never share a stream, and
the weather of a year does not fix its outages or its forecast errors (numpy's ``SeedSequence`` hashes the
spawn key into the state, so children are statistically independent: O'Neill 2015; numpy's "Parallel
random number generation" guide).

References
----------
.. [1] O'Neill, M. E. (2015). PCG: A Family of Simple Fast Space-Efficient Statistically Good Algorithms
   for Random Number Generation. Harvey Mudd College HMC-CS-2014-0905 (seed sequences).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from greendc.errors import ScenarioError

#: The independent processes of one year, in the order their seeds are drawn.
PROCESSES: tuple[str, ...] = ("weather", "outage", "common_mode", "forecast")


@dataclass(frozen=True)
class YearSeeds:
    """Seeds of one unseen year.

    Attributes
    ----------
    index : int
        Position of the year in the verification [-].
    weather, outage, common_mode, forecast : int
        Seeds of the synthetic weather, the forced outages of the fleets, the common-mode failures and the
        forecast noise [-].
    """

    index: int
    weather: int
    outage: int
    common_mode: int
    forecast: int


def year_seeds(root_seed: int, n_years: int) -> list[YearSeeds]:
    """Independent seeds for ``n_years`` unseen years from ``root_seed``.

    Examples
    --------
    >>> a, b = year_seeds(7, 2)
    >>> len({a.weather, a.outage, a.common_mode, a.forecast, b.weather, b.outage, b.common_mode, b.forecast})
    8
    >>> year_seeds(7, 2) == [a, b]
    True
    """
    if isinstance(root_seed, bool) or int(root_seed) != root_seed or root_seed < 0:
        raise ScenarioError(f"verification seed = {root_seed!r}; allowed: an integer >= 0")
    if isinstance(n_years, bool) or int(n_years) != n_years or n_years < 1:
        raise ScenarioError(f"verification years = {n_years!r}; allowed: an integer >= 1")
    out = []
    for i, child in enumerate(np.random.SeedSequence(int(root_seed)).spawn(int(n_years))):
        state = child.generate_state(len(PROCESSES), dtype=np.uint64) >> np.uint64(1)
        out.append(YearSeeds(i, *(int(v) for v in state)))
    return out


def check_disjoint(seeds: Iterable[YearSeeds], design_weather_seeds: Iterable[int]) -> None:
    """Refuse verification years that reuse a design weather seed, or two years that share any seed.

    Raises
    ------
    ScenarioError
        Naming the seed that is used twice.
    """
    used: dict[int, str] = {int(s): "design weather" for s in design_weather_seeds}
    for ys in seeds:
        for process in PROCESSES:
            value = getattr(ys, process)
            if value in used:
                raise ScenarioError(
                    f"verification year {ys.index}: {process} seed {value} is already the {used[value]} seed; "
                    "choose another rules.availability.verification_seed"
                )
            used[value] = f"{process} seed of verification year {ys.index}"


__all__ = ["PROCESSES", "YearSeeds", "check_disjoint", "year_seeds"]
