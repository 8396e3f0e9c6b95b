"""Project finance of a plan: yearly cash flows, NPV, IRR, payback and the cost per MWh by component.

The planner ranks designs by an annualised cost (:mod:`greendc.costs`); a developer asks what the same plant
earns year by year at a stated tariff. This module turns a :class:`~greendc.plan.result.PlanResult` into that
cash-flow table and its usual metrics.

Conventions (each also stated, in words, in :attr:`FinanceSummary.conventions`):

* Real terms, in the money of the cost table; no inflation, tax, debt, degradation or construction time.
* Signs: money received is positive, money paid negative (as numpy-financial's ``npv`` and ``irr``).
* Year 0: the overnight capex of every component. Years 1 … N: revenue (energy sold × tariff) minus fixed and
  variable costs, all at the end of the year.
* Replacement: a component of lifetime L is bought again, at its overnight cost, at the times L, 2L, … that
  fall before the end of the project (N); each purchase is booked in the year ⌈kL⌉ (so a 10-year inverter in a
  25-year project is bought in years 0, 10 and 20).
* Salvage: at year N the unit in service is worth its straight-line remaining value,
  capex × (t + L − N) / L for a unit bought at time t (half the year-20 purchase above; 15/40 of a 40-year PV
  field in a 25-year project).
* The value of lost load the planner may put on unserved work is a penalty of the design, not money paid:
  it is in the cost per MWh by component (so that it sums to the plan's cost per MWh) but not in the cash
  flows.

With these conventions the NPV at the discount rate, at a tariff equal to the plan's cost per MWh, is zero when
every lifetime equals the project life and no value of lost load is counted (each year's annuity then repays
the capex exactly); replacements and straight-line salvage make it differ otherwise, which is why the
break-even tariff (present value of the costs over present value of the energy) is reported beside.

References
----------
.. [1] Short, W., Packey, D. J., Holt, T. (1995). A Manual for the Economic Evaluation of Energy Efficiency and
   Renewable Energy Technologies. NREL/TP-462-5173, chapter 4 (measures of economic performance: NPV,
   levelised cost, IRR, payback). doi:10.2172/35391
.. [2] NREL System Advisor Model help, "Payback Period": the time for cumulative cash flows to turn
   non-negative, simple and discounted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from greendc.costs import CostRow, capital_recovery_factor
from greendc.errors import GreendcError

if TYPE_CHECKING:
    from greendc.plan.result import PlanResult

#: Columns of the cash-flow table, in order [USD per year; received > 0, paid < 0].
CASH_FLOW_COLUMNS: tuple[str, ...] = (
    "capex_usd",
    "replacement_usd",
    "fixed_om_usd",
    "variable_om_usd",
    "revenue_usd",
    "salvage_usd",
    "net_usd",
)
#: Range of yearly rates searched for an IRR [1/yr]: −99 % to +10 000 %.
IRR_SEARCH_RANGE: tuple[float, float] = (-0.99, 100.0)


def _check_number(name: str, value: float, low: float, low_open: bool = False) -> None:
    """``value`` must be a finite real number above ``low`` (or at least ``low``)."""
    ok = isinstance(value, int | float | np.floating | np.integer) and not isinstance(value, bool)
    ok = ok and math.isfinite(value) and (value > low if low_open else value >= low)
    if not ok:
        sign = ">" if low_open else ">="
        raise GreendcError(f"{name} = {value!r}; expected a finite number {sign} {low:g}")


def _check_project_years(project_years: int) -> None:
    if not isinstance(project_years, int | np.integer) or isinstance(project_years, bool) or project_years < 1:
        raise GreendcError(f"project_years = {project_years!r}; expected a whole number of years >= 1")


def _flows(cash_flows: np.ndarray | pd.Series | list[float]) -> np.ndarray:
    flows = np.asarray(cash_flows, dtype=float).reshape(-1)
    if flows.size == 0 or not np.all(np.isfinite(flows)):
        raise GreendcError(f"cash_flows = {cash_flows!r}; expected a non-empty series of finite numbers [USD]")
    return flows


def cash_flows_usd(
    capex_usd_by_component: Mapping[str, float],
    lifetimes_years: Mapping[str, float],
    fom_usd_per_yr: float,
    vom_usd_per_yr: float,
    energy_sold_mwh_per_yr: float,
    tariff_usd_per_mwh: float,
    project_years: int,
) -> pd.DataFrame:
    """Yearly cash flows of a plant built at once and run for ``project_years``.

    Parameters
    ----------
    capex_usd_by_component : mapping of str to float
        Overnight investment by component [USD], >= 0.
    lifetimes_years : mapping of str to float
        Lifetime of each component of ``capex_usd_by_component`` [yr], > 0.
    fom_usd_per_yr : float
        Fixed operation and maintenance, all components [USD/yr], >= 0.
    vom_usd_per_yr : float
        Variable costs: O&M per MWh of output and energy bought [USD/yr], >= 0.
    energy_sold_mwh_per_yr : float
        Energy paid for at the tariff [MWh/yr], >= 0.
    tariff_usd_per_mwh : float
        Price of that energy [USD/MWh], >= 0.
    project_years : int
        Project life N [yr], >= 1.

    Returns
    -------
    pandas.DataFrame
        Index ``year`` 0 … N; columns :data:`CASH_FLOW_COLUMNS` [USD], received > 0 and paid < 0, ``net_usd``
        their sum. Replacement and salvage follow the module's conventions.

    Examples
    --------
    A 10-year inverter of 100 USD in a 25-year project: bought in years 0, 10 and 20; half the year-20 unit
    is left at year 25.

    >>> t = cash_flows_usd({"inverter": 100.0}, {"inverter": 10}, 0.0, 0.0, 0.0, 0.0, 25)
    >>> t.loc[[0, 10, 20, 25], ["capex_usd", "replacement_usd", "salvage_usd"]].to_numpy().tolist()
    [[-100.0, 0.0, 0.0], [0.0, -100.0, 0.0], [0.0, -100.0, 0.0], [0.0, 0.0, 50.0]]
    """
    _check_project_years(project_years)
    _check_number("fom_usd_per_yr", fom_usd_per_yr, 0.0)
    _check_number("vom_usd_per_yr", vom_usd_per_yr, 0.0)
    _check_number("energy_sold_mwh_per_yr", energy_sold_mwh_per_yr, 0.0)
    _check_number("tariff_usd_per_mwh", tariff_usd_per_mwh, 0.0)
    n = int(project_years)
    table = pd.DataFrame(0.0, index=pd.RangeIndex(n + 1, name="year"), columns=list(CASH_FLOW_COLUMNS))
    for component, capex in capex_usd_by_component.items():
        _check_number(f"capex_usd_by_component['{component}']", capex, 0.0)
        if component not in lifetimes_years:
            raise GreendcError(
                f"lifetimes_years: no lifetime for component '{component}'; components with a capex: "
                f"{list(capex_usd_by_component)}"
            )
        life = lifetimes_years[component]
        _check_number(f"lifetimes_years['{component}']", life, 0.0, low_open=True)
        table.loc[0, "capex_usd"] -= capex
        purchases = np.arange(1, math.ceil(n / life) + 1) * life
        purchases = purchases[purchases < n]
        for bought in purchases:
            table.loc[math.ceil(bought), "replacement_usd"] -= capex
        last = purchases[-1] if purchases.size else 0.0
        table.loc[n, "salvage_usd"] += capex * max(last + life - n, 0.0) / life
    years = table.index > 0
    table.loc[years, "fixed_om_usd"] = -float(fom_usd_per_yr)
    table.loc[years, "variable_om_usd"] = -float(vom_usd_per_yr)
    table.loc[years, "revenue_usd"] = float(energy_sold_mwh_per_yr) * float(tariff_usd_per_mwh)
    table["net_usd"] = table[list(CASH_FLOW_COLUMNS[:-1])].sum(axis=1)
    return table


def npv_usd(cash_flows: np.ndarray | pd.Series | list[float], rate: float) -> float:
    """Net present value of yearly cash flows, the first at year 0 [USD].

    Parameters
    ----------
    cash_flows : array_like
        Cash flow of years 0, 1, … [USD], received > 0.
    rate : float
        Discount rate [1/yr], > −1.

    Returns
    -------
    float
        :math:`\\mathrm{NPV} = \\sum_{t=0}^{N} F_t (1 + r)^{-t}` [USD] (numpy-financial's ``npv``; Short et al.
        1995, chapter 4).

    Examples
    --------
    >>> round(npv_usd([-100.0, 50.0, 36.0, 33.0], 0.05), 4)
    8.7787
    """
    _check_number("rate", rate, -1.0, low_open=True)
    flows = _flows(cash_flows)
    return float(np.sum(flows * (1.0 + rate) ** -np.arange(flows.size)))


@dataclass(frozen=True)
class IrrResult:
    """An internal rate of return, or why there is none.

    Attributes
    ----------
    rate_per_yr : float or None
        The rate at which the NPV is zero [1/yr]; None when there is no single such rate.
    reason : str
        Why ``rate_per_yr`` is None; empty otherwise.
    """

    rate_per_yr: float | None
    reason: str = ""


def irr(cash_flows: np.ndarray | pd.Series | list[float]) -> IrrResult:
    """Internal rate of return: the yearly rate at which the NPV of ``cash_flows`` is zero.

    The NPV is evaluated on a grid of 2 001 rates, even in log(1 + r), over :data:`IRR_SEARCH_RANGE`; each sign
    change is refined by Brent's method (bracketed, to 1e-12). Flows that change sign more than once (a
    replacement year in the red) may have several such rates; then none is returned, and the reason lists them.

    Parameters
    ----------
    cash_flows : array_like
        Cash flow of years 0, 1, … [USD], received > 0.

    Returns
    -------
    IrrResult
        The rate [1/yr], or None with the reason: the flows never change sign, the NPV has no root in the
        searched range, or it has several.

    Examples
    --------
    >>> round(irr([-100.0, 50.0, 36.0, 33.0]).rate_per_yr, 9)
    0.1
    >>> irr([-100.0, -5.0]).reason
    'the cash flows never change sign (all paid or all received): no rate makes the NPV zero'
    """
    flows = _flows(cash_flows)
    signs = np.sign(flows[flows != 0.0])
    if signs.size == 0 or np.all(signs == signs[0]):
        return IrrResult(
            None, "the cash flows never change sign (all paid or all received): no rate makes the NPV zero"
        )
    low, high = IRR_SEARCH_RANGE
    rates = np.expm1(np.linspace(math.log1p(low), math.log1p(high), 2001))
    values = np.array([npv_usd(flows, r) for r in rates])
    roots = [float(r) for r, v in zip(rates, values, strict=True) if v == 0.0]
    for i in np.flatnonzero(values[:-1] * values[1:] < 0.0):
        roots.append(float(brentq(lambda r: npv_usd(flows, r), rates[i], rates[i + 1], xtol=1e-12, rtol=1e-12)))
    if not roots:
        return IrrResult(None, f"the NPV does not reach zero for any rate from {low:.0%} to {high:.0%} per year")
    if len(roots) > 1:
        listed = ", ".join(f"{r:.2%}" for r in sorted(roots))
        return IrrResult(None, f"the NPV is zero at several rates ({listed} per year): no single IRR")
    return IrrResult(roots[0])


#: Share of the largest yearly flow within which a cumulative cash flow counts as zero (rounding) [-].
PAYBACK_TOLERANCE = 1e-9


def _payback(flows: np.ndarray) -> float | None:
    """First time the cumulative ``flows`` reach zero (to :data:`PAYBACK_TOLERANCE` of the largest flow) [yr],
    linear within the year; None if they never do."""
    cumulative = np.cumsum(flows)
    reached = np.flatnonzero(cumulative >= -PAYBACK_TOLERANCE * np.max(np.abs(flows)))
    if reached.size == 0:
        return None
    t = int(reached[0])
    return 0.0 if t == 0 else (t - 1) + min(float(-cumulative[t - 1] / flows[t]), 1.0)


def simple_payback_years(cash_flows: np.ndarray | pd.Series | list[float]) -> float | None:
    """Years until the cumulative cash flow turns non-negative (first time), linear within the year.

    Later payments (a replacement after that year) do not move it; the NPV accounts for them (SAM's
    caveat, reference [2] of the module).

    Parameters
    ----------
    cash_flows : array_like
        Cash flow of years 0, 1, … [USD], received > 0.

    Returns
    -------
    float or None
        Payback [yr]; None if the cumulative cash flow stays negative to the end.

    Examples
    --------
    Cumulative −100, −50, −14, +19: paid back 14/33 into year 3.

    >>> round(simple_payback_years([-100.0, 50.0, 36.0, 33.0]), 4)
    2.4242
    """
    return _payback(_flows(cash_flows))


def discounted_payback_years(cash_flows: np.ndarray | pd.Series | list[float], rate: float) -> float | None:
    """Years until the cumulative discounted cash flow turns non-negative, linear within the year.

    Parameters
    ----------
    cash_flows : array_like
        Cash flow of years 0, 1, … [USD], received > 0.
    rate : float
        Discount rate [1/yr], > −1.

    Returns
    -------
    float or None
        Payback [yr]; None if the cumulative discounted cash flow stays negative to the end.

    Examples
    --------
    At the IRR the discounted cash flows sum to zero at the last year:

    >>> round(discounted_payback_years([-100.0, 50.0, 36.0, 33.0], 0.10), 9)
    3.0
    """
    _check_number("rate", rate, -1.0, low_open=True)
    flows = _flows(cash_flows)
    return _payback(flows * (1.0 + rate) ** -np.arange(flows.size))


def lcoe_by_component_usd_per_mwh(
    annualised_cost_usd_per_yr: Mapping[str, float], energy_mwh_per_yr: float
) -> dict[str, float]:
    """Each component's annualised cost over the energy served [USD/MWh].

    Parameters
    ----------
    annualised_cost_usd_per_yr : mapping of str to float
        Annualised cost by component [USD/yr] (e.g. ``PlanResult.annualised_cost_usd_per_yr``).
    energy_mwh_per_yr : float
        Energy served [MWh/yr], > 0 (the served IT energy for the plan's cost per MWh of IT).

    Returns
    -------
    dict of str to float
        Same keys; the values sum to the total annualised cost over the energy (Short et al. 1995, chapter 4:
        levelised cost = annualised cost / annual energy).

    Examples
    --------
    >>> lcoe_by_component_usd_per_mwh({"pv": 30e6, "battery_energy": 10e6}, 1e6)
    {'pv': 30.0, 'battery_energy': 10.0}
    """
    _check_number("energy_mwh_per_yr", energy_mwh_per_yr, 0.0, low_open=True)
    out = {}
    for component, cost in annualised_cost_usd_per_yr.items():
        _check_number(f"annualised_cost_usd_per_yr['{component}']", cost, -math.inf)
        out[component] = float(cost) / float(energy_mwh_per_yr)
    return out


@dataclass(frozen=True, eq=False)
class FinanceSummary:
    """The finance of one plan at one tariff.

    Attributes
    ----------
    tariff_usd_per_mwh : float
        Price paid per MWh of served IT energy [USD/MWh].
    tariff_basis : str
        ``"stated"`` (the scenario's tariff) or ``"break_even"`` (none stated: the break-even tariff is used,
        so the NPV is zero and the IRR is the discount rate by construction).
    discount_rate : float
        [1/yr].
    project_years : int
        [yr].
    energy_sold_mwh_per_yr : float
        Served IT energy [MWh/yr].
    cash_flows : pandas.DataFrame
        :func:`cash_flows_usd` at the tariff [USD].
    npv_usd : float
        NPV of ``cash_flows.net_usd`` at ``discount_rate`` [USD].
    irr : IrrResult
    simple_payback_years, discounted_payback_years : float or None
        [yr]; None if never within the project.
    break_even_tariff_usd_per_mwh : float
        Tariff at which the NPV is zero [USD/MWh]: present value of the costs over present value of the
        energy.
    cost_usd_per_mwh_it : float
        The plan's annualised cost per MWh of IT energy [USD/MWh].
    lcoe_by_component_usd_per_mwh : dict of str to float
        :func:`lcoe_by_component_usd_per_mwh` of the plan over its served IT energy; sums to
        ``cost_usd_per_mwh_it``.
    conventions : tuple of str
        The conventions of the cash flows, in words.
    """

    tariff_usd_per_mwh: float
    tariff_basis: str
    discount_rate: float
    project_years: int
    energy_sold_mwh_per_yr: float
    cash_flows: pd.DataFrame
    npv_usd: float
    irr: IrrResult
    simple_payback_years: float | None
    discounted_payback_years: float | None
    break_even_tariff_usd_per_mwh: float
    cost_usd_per_mwh_it: float
    lcoe_by_component_usd_per_mwh: dict[str, float]
    conventions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (the ``finance`` entry of ``summary.json``); cash flows as lists by column."""
        flows = self.cash_flows
        return {
            "tariff_usd_per_mwh": self.tariff_usd_per_mwh,
            "tariff_basis": self.tariff_basis,
            "discount_rate": self.discount_rate,
            "project_years": self.project_years,
            "energy_sold_mwh_per_yr": self.energy_sold_mwh_per_yr,
            "npv_usd": self.npv_usd,
            "irr": self.irr.rate_per_yr,
            "irr_reason": self.irr.reason,
            "simple_payback_years": self.simple_payback_years,
            "discounted_payback_years": self.discounted_payback_years,
            "break_even_tariff_usd_per_mwh": self.break_even_tariff_usd_per_mwh,
            "cost_usd_per_mwh_it": self.cost_usd_per_mwh_it,
            "lcoe_by_component_usd_per_mwh": dict(self.lcoe_by_component_usd_per_mwh),
            "cash_flows_usd": {"year": flows.index.tolist()} | {c: flows[c].tolist() for c in flows.columns},
            "conventions": list(self.conventions),
        }


def finance_summary(
    plan_result: PlanResult,
    cost_rows: Mapping[str, CostRow],
    tariff_usd_per_mwh: float | None,
    discount_rate: float,
    project_years: int,
) -> FinanceSummary:
    """Cash flows, NPV, IRR, payback and cost per MWh by component of a solved plan.

    Parameters
    ----------
    plan_result : PlanResult
        The plan; its ``capex_usd`` and ``annualised_cost_usd_per_yr`` are keyed by component (``pv``,
        ``wind``, ``battery_energy`` …).
    cost_rows : mapping of str to CostRow
        The cost row of each component, as the plan read them (``PlanInputs.costs``); gives the lifetimes.
    tariff_usd_per_mwh : float or None
        Price per MWh of served IT energy [USD/MWh], >= 0; None uses the break-even tariff (and says so in
        ``tariff_basis``).
    discount_rate : float
        [1/yr], in [0, 1]; the plan's own discount rate, for its annualised costs to match the cash flows.
    project_years : int
        [yr], >= 1.

    Returns
    -------
    FinanceSummary

    Notes
    -----
    Fixed costs of a component are its annualised cost minus its capital annuity,
    :math:`A_i - C_i\\,\\mathrm{CRF}(r, n_i)`: the fixed O&M, and for PV and wind the variable O&M of their
    available output, which the planner counts per MW. Variable costs are the plan's ``variable_om`` and
    ``grid_import``; its ``unserved_energy`` (value of lost load) is not a cash flow.
    """
    if tariff_usd_per_mwh is not None:
        _check_number("tariff_usd_per_mwh", tariff_usd_per_mwh, 0.0)
    _check_number("discount_rate", discount_rate, 0.0)
    if discount_rate > 1.0:
        raise GreendcError(f"discount_rate = {discount_rate!r}; expected a rate in [0, 1] per year")
    _check_project_years(project_years)
    annual = plan_result.annualised_cost_usd_per_yr
    capex = {c: float(v) for c, v in plan_result.capex_usd.items()}
    missing = [c for c in capex if c not in cost_rows]
    if missing:
        raise GreendcError(f"cost_rows: no cost row for component(s) {missing}; the plan has {list(capex)}")
    lifetimes = {c: cost_rows[c].lifetime_years for c in capex}
    fom = 0.0
    for c in capex:
        fixed = float(annual.get(c, 0.0)) - capex[c] * capital_recovery_factor(discount_rate, lifetimes[c])
        if fixed < -1e-9 * max(abs(float(annual.get(c, 0.0))), 1.0):
            raise GreendcError(
                f"annualised cost of '{c}' ({annual.get(c, 0.0):,.0f} USD/yr) is below its capital annuity at "
                f"discount_rate = {discount_rate:g}: the plan was solved with another discount rate or cost table"
            )
        fom += max(fixed, 0.0)
    vom = float(annual.get("variable_om", 0.0)) + float(annual.get("grid_import", 0.0))
    energy = float(plan_result.it_energy_mwh_per_yr)
    args = (capex, lifetimes, fom, vom, energy)
    # cash flows are linear in the tariff: break-even = −NPV(tariff 0) / present value of the energy
    energy_pv = energy / capital_recovery_factor(discount_rate, project_years)
    npv_at_zero = npv_usd(cash_flows_usd(*args, 0.0, project_years)["net_usd"], discount_rate)
    break_even = -npv_at_zero / energy_pv if energy_pv > 0 else math.nan
    if tariff_usd_per_mwh is None and not math.isfinite(break_even):
        raise GreendcError("tariff_usd_per_mwh is None and the plan serves no IT energy: no break-even tariff")
    tariff = float(tariff_usd_per_mwh) if tariff_usd_per_mwh is not None else break_even
    table = cash_flows_usd(*args, tariff, project_years)
    net = table["net_usd"].to_numpy()
    basis = "stated" if tariff_usd_per_mwh is not None else "break_even"
    conventions = (
        "real terms in the money of the cost table; no inflation, tax, debt, degradation or construction time",
        "year 0: overnight capex; years 1 to N: revenue minus fixed and variable costs, at the end of each year",
        "a component whose lifetime L is shorter than the project is bought again at times L, 2L, ... before "
        "year N, booked in the year that time falls in (rounded up)",
        "salvage at year N: straight-line remaining value of the unit in service, capex x (t + L - N) / L",
        "value of lost load: in the cost per MWh by component, not a cash flow",
        "tariff: stated in the scenario"
        if basis == "stated"
        else "tariff: none stated, so the break-even tariff is used: NPV 0 and IRR = discount rate by construction",
    )
    return FinanceSummary(
        tariff_usd_per_mwh=tariff,
        tariff_basis=basis,
        discount_rate=float(discount_rate),
        project_years=int(project_years),
        energy_sold_mwh_per_yr=energy,
        cash_flows=table,
        npv_usd=npv_usd(net, discount_rate),
        irr=irr(net),
        simple_payback_years=simple_payback_years(net),
        discounted_payback_years=discounted_payback_years(net, discount_rate),
        break_even_tariff_usd_per_mwh=break_even,
        cost_usd_per_mwh_it=float(plan_result.cost_usd_per_mwh_it),
        lcoe_by_component_usd_per_mwh=lcoe_by_component_usd_per_mwh(annual, energy) if energy > 0 else {},
        conventions=conventions,
    )
