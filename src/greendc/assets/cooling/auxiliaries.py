"""Electrical overheads per unit of IT power: power-chain losses, and the power of fans and pumps."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from greendc.assets.cooling.design import WATER_DENSITY_KG_PER_M3


def power_chain_losses(
    ups_efficiency: float, distribution_loss_fraction: float, lighting_fraction_of_it: float
) -> tuple[float, float, float]:
    """UPS loss, distribution loss and lighting per unit of IT power [MW/MW_IT].

    Parameters
    ----------
    ups_efficiency : float
        UPS efficiency [-].
    distribution_loss_fraction : float
        Share of the power entering distribution that is lost [-].
    lighting_fraction_of_it : float
        Lighting power / IT power [-].

    Notes
    -----
    ``ups = 1/η_UPS − 1``, ``distribution = 1/(1 − λ_PD) − 1``, ``lighting = l`` (Lei & Masanet 2020,
    doi:10.1016/j.energy.2020.117556).

    Examples
    --------
    >>> [round(x, 6) for x in power_chain_losses(0.97, 0.01, 0.001)]
    [0.030928, 0.010101, 0.001]
    """
    return 1.0 / ups_efficiency - 1.0, 1.0 / (1.0 - distribution_loss_fraction) - 1.0, lighting_fraction_of_it


def fan_power_kw(
    mass_flow_kg_s: ArrayLike, air_density_kg_m3: ArrayLike, pressure_rise_pa: float, efficiency: float
) -> np.ndarray:
    """Electric power of a fan, ``P = m / ρ · Δp / η / 1000`` [kW] (Lei & Masanet 2020).

    Parameters
    ----------
    mass_flow_kg_s : array-like
        Air mass flow [kg/s].
    air_density_kg_m3 : array-like
        Air density at the fan [kg/m³].
    pressure_rise_pa : float
        Total pressure rise [Pa].
    efficiency : float
        Fan and motor efficiency [-].
    """
    return np.asarray(mass_flow_kg_s, dtype=float) / np.asarray(air_density_kg_m3) * pressure_rise_pa / efficiency / 1e3


def pump_power_kw(
    mass_flow_kg_s: ArrayLike,
    pressure_rise_pa: float,
    efficiency: float,
    density_kg_m3: float = WATER_DENSITY_KG_PER_M3,
) -> np.ndarray:
    """Electric power of a pump, ``P = Δp · m / (1000 · η · ρ)`` [kW] (Lei & Masanet 2020).

    Parameters
    ----------
    mass_flow_kg_s : array-like
        Liquid mass flow [kg/s].
    pressure_rise_pa : float
        Pressure rise [Pa].
    efficiency : float
        Pump and motor efficiency [-].
    density_kg_m3 : float
        Liquid density [kg/m³].
    """
    return pressure_rise_pa * np.asarray(mass_flow_kg_s, dtype=float) / (1e3 * efficiency * density_kg_m3)
