"""The finance section of a plan report: NPV, IRR and payback at the tariff, the yearly cash flows, and the cost
per MWh of IT energy by component (:mod:`greendc.finance`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from greendc.availability.figures import verification_table_html
from greendc.finance import FinanceSummary
from greendc.report.html import Section
from greendc.report.labels import COMPONENTS, component_label, number

#: Readable names of the cost components of a plan (``PlanResult.annualised_cost_usd_per_yr`` keys; from
#: :mod:`greendc.report.labels`).
COMPONENT_LABELS: dict[str, str] = COMPONENTS
#: Bars of the cash-flow figure: columns of :func:`greendc.finance.cash_flows_usd`, label and colour.
CASH_FLOW_BARS: tuple[tuple[str, str, str], ...] = (
    ("capex_usd", "Capital expenditure", "#3969ac"),
    ("replacement_usd", "Replacements", "#7f3c8d"),
    ("fixed_om_usd", "Fixed O&M", "#a5aa99"),
    ("variable_om_usd", "Variable costs", "#e68310"),
    ("revenue_usd", "Revenue at the tariff", "#11a579"),
    ("salvage_usd", "Salvage value", "#80ba5a"),
)


def cash_flow_figure(cash_flows: pd.DataFrame, discount_rate: float) -> go.Figure:
    """Yearly cash flows [million USD] as stacked bars (paid below zero, received above), with the cumulative
    net cash flow, undiscounted and discounted at ``discount_rate`` [1/yr], as lines.

    Parameters
    ----------
    cash_flows : pandas.DataFrame
        :func:`greendc.finance.cash_flows_usd` [USD], index ``year``.
    discount_rate : float
        [1/yr].
    """
    years = cash_flows.index.to_numpy()
    fig = go.Figure()
    for column, label, colour in CASH_FLOW_BARS:
        values = cash_flows[column].to_numpy() / 1e6
        if np.any(values != 0.0):
            fig.add_trace(go.Bar(x=years, y=values, name=label, marker_color=colour))
    net = cash_flows["net_usd"].to_numpy() / 1e6
    discounted = net * (1.0 + discount_rate) ** -years.astype(float)
    fig.add_trace(
        go.Scatter(
            x=years,
            y=np.cumsum(net),
            name="Cumulative net",
            mode="lines+markers",
            line={"color": "#222222", "width": 1.5},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=np.cumsum(discounted),
            name=f"… discounted at {discount_rate:.1%}",
            mode="lines",
            line={"color": "#222222", "width": 1.5, "dash": "dot"},
        )
    )
    fig.update_layout(
        title="Cash flows by year (real terms)",
        barmode="relative",
        xaxis_title="project year",
        yaxis_title="million USD",
    )
    return fig


def lcoe_table_html(summary: FinanceSummary) -> str:
    """Cost per MWh of IT energy by component, with its share and the total, as an escaped HTML table
    (components without cost left out)."""
    lcoe = {component_label(c): v for c, v in summary.lcoe_by_component_usd_per_mwh.items() if v != 0.0}
    total = sum(summary.lcoe_by_component_usd_per_mwh.values())
    lcoe["Total"] = total
    frame = pd.DataFrame(
        {
            "Component": list(lcoe),
            "USD per MWh of IT energy": [round(v, 2) for v in lcoe.values()],
            "Share of the total [%]": [round(100.0 * v / total, 2) for v in lcoe.values()],
        }
    )
    return verification_table_html(frame, caption="Cost per MWh of IT energy by component (annualised)")


def _years(value: float | None, what: str) -> str:
    return f"{value:.1f} yr" if value is not None else f"not within the project life ({what})"


def finance_section(summary: FinanceSummary) -> Section:
    """The "Finance" section of the plan report: key figures, conventions, cash-flow figure and the cost per MWh
    by component.

    Parameters
    ----------
    summary : FinanceSummary
        :func:`greendc.finance.finance_summary` of the plan.
    """
    flows = summary.cash_flows
    n = summary.project_years
    basis = (
        "stated in the scenario"
        if summary.tariff_basis == "stated"
        else "none stated: the break-even tariff, so the NPV is 0 and the IRR the discount rate by construction"
    )
    rate = summary.irr.rate_per_yr
    rows = {
        "Tariff": f"{summary.tariff_usd_per_mwh:,.1f} USD per MWh of IT energy ({basis})",
        "Discount rate": f"{summary.discount_rate:.1%} per yr (real)",
        "Project life": f"{n} yr",
        "IT energy sold": f"{summary.energy_sold_mwh_per_yr / 1e3:,.0f} GWh/yr",
        "Net present value": f"{number(summary.npv_usd / 1e6, 1)} million USD",
        "Internal rate of return": f"{rate:.2%} per yr" if rate is not None else f"none: {summary.irr.reason}",
        "Simple payback": _years(summary.simple_payback_years, "cumulative cash flow stays negative"),
        "Discounted payback": _years(
            summary.discounted_payback_years, "cumulative discounted cash flow stays negative"
        ),
        "Break-even tariff": f"{summary.break_even_tariff_usd_per_mwh:,.1f} USD/MWh (present value of the costs "
        "over present value of the IT energy)",
        "Cost per MWh of IT energy": f"{summary.cost_usd_per_mwh_it:,.1f} USD/MWh (the plan's annualised cost)",
        "Capital expenditure, year 0": f"{-flows['capex_usd'].sum() / 1e9:,.2f} billion USD",
        "Replacements": f"{-flows['replacement_usd'].sum() / 1e9:,.2f} billion USD over {n} yr (undiscounted)",
        f"Salvage value, year {n}": f"{flows['salvage_usd'].sum() / 1e9:,.2f} billion USD",
    }
    return Section(
        "Finance",
        text="Conventions: " + "; ".join(summary.conventions) + ".",
        rows=rows,
        html=lcoe_table_html(summary),
        figures=(cash_flow_figure(flows, summary.discount_rate),),
    )
