"""PVWatts v8 electrical chain per MW of DC nameplate: NOCT cell temperature, DC output, inverter."""

from __future__ import annotations

import numpy as np
import pvlib

#: Nominal operating cell temperature of rack and tracker modules [°C] (PVWatts v8: 45 °C).
NOCT_C = 45.0
#: Module efficiency at STC used by the NOCT heat balance [-] (PVWatts v8 "standard" module: 19 %).
MODULE_EFFICIENCY = 0.19
#: Reference efficiency of the PVWatts inverter part-load curve [-] (Dobos 2014).
INVERTER_EFFICIENCY_REF = 0.9637


def cell_temperature(
    poa_global: np.ndarray,
    temp_air: np.ndarray,
    wind_speed: np.ndarray,
    effective_irradiance: np.ndarray | None = None,
    noct_c: float = NOCT_C,
    module_efficiency: float = MODULE_EFFICIENCY,
) -> np.ndarray:
    """Cell temperature by SAM's NOCT model, open rack below 22 ft [°C].

    Parameters
    ----------
    poa_global : numpy.ndarray
        Irradiance on the module, front + rear·bifaciality [W/m²].
    temp_air : numpy.ndarray
        Air temperature [°C].
    wind_speed : numpy.ndarray
        Wind speed at 10 m [m/s].
    effective_irradiance : numpy.ndarray, optional
        Irradiance converted by the cells (after reflection and spectrum) [W/m²].
    noct_c : float
        Nominal operating cell temperature [°C].
    module_efficiency : float
        Module efficiency at STC [-].

    Returns
    -------
    numpy.ndarray
        ``T_c = T_a + G/800·(NOCT − 20)·(1 − η/(τα·E/G))·9.5/(5.7 + 3.8·0.51·v)`` (τα = 0.9;
        :func:`pvlib.temperature.noct_sam`); ``T_a`` where ``G = 0``.

    References
    ----------
    Gilman, P. et al. (2018) SAM Photovoltaic Model Technical Reference Update. NREL/TP-6A20-67399,
    eq. 10.37. doi:10.2172/1429291
    """
    poa = np.asarray(poa_global, dtype=float)
    lit = poa > 0.0
    eff = None
    if effective_irradiance is not None:  # noct_sam divides by E/G: keep it finite where it does not matter
        eff_in = np.asarray(effective_irradiance, dtype=float)
        lit &= eff_in > 0.0
        eff = np.where(lit, eff_in, 1.0)
    t = pvlib.temperature.noct_sam(
        np.where(lit, poa, 1.0), temp_air, wind_speed, noct_c, module_efficiency, effective_irradiance=eff
    )
    return np.where(lit, np.asarray(t, dtype=float), np.asarray(temp_air, dtype=float))


def dc_per_mw_dc(
    effective_irradiance: np.ndarray,
    temp_cell: np.ndarray,
    temperature_coefficient_per_c: float,
    system_losses_fraction: float,
) -> np.ndarray:
    """DC output per MW of DC nameplate after system losses [MW/MW_DC].

    Parameters
    ----------
    effective_irradiance : numpy.ndarray
        Irradiance converted by the cells [W/m²].
    temp_cell : numpy.ndarray
        Cell temperature [°C].
    temperature_coefficient_per_c : float
        Power temperature coefficient γ [1/°C] (negative).
    system_losses_fraction : float
        PVWatts-style DC losses L (wiring, mismatch, nameplate, availability …) [-].

    Returns
    -------
    numpy.ndarray
        ``P_dc = max(0, E/1000·(1 + γ·(T_c − 25)))·(1 − L)`` (:func:`pvlib.pvsystem.pvwatts_dc`, pdc0 = 1).

    References
    ----------
    Dobos, A. (2014) PVWatts Version 5 Manual. NREL/TP-6A20-62641. doi:10.2172/1158421

    Examples
    --------
    >>> float(dc_per_mw_dc(np.array([1000.0]), np.array([25.0]), -0.0034, 0.1)[0])
    0.9
    """
    pdc = pvlib.pvsystem.pvwatts_dc(effective_irradiance, temp_cell, 1.0, temperature_coefficient_per_c)
    return np.clip(np.asarray(pdc, dtype=float), 0.0, None) * (1.0 - system_losses_fraction)


def ac_per_mw_dc(pdc_per_mw_dc: np.ndarray, dc_ac_ratio: float, inverter_efficiency: float) -> np.ndarray:
    """AC output per MW of DC nameplate of a PVWatts inverter with clipping [MW/MW_DC].

    Parameters
    ----------
    pdc_per_mw_dc : numpy.ndarray
        Inverter DC input per MW of DC nameplate [MW/MW_DC].
    dc_ac_ratio : float
        DC nameplate / inverter AC rating [-].
    inverter_efficiency : float
        Nominal inverter efficiency η_nom [-].

    Returns
    -------
    numpy.ndarray
        ``P_ac = min(η·P_dc, P_ac0)``, ``P_ac0 = 1/dc_ac_ratio``, ``η = η_nom/0.9637·(−0.0162·ζ − 0.0059/ζ
        + 0.9858)``, ``ζ = P_dc/P_dc0``, ``P_dc0 = P_ac0/η_nom`` (:func:`pvlib.inverter.pvwatts`).

    References
    ----------
    Dobos, A. (2014) PVWatts Version 5 Manual. NREL/TP-6A20-62641. doi:10.2172/1158421

    Examples
    --------
    >>> float(ac_per_mw_dc(np.array([2.0]), 1.25, 0.96)[0])  # clipped at the AC rating
    0.8
    """
    pac0 = 1.0 / dc_ac_ratio
    pac = pvlib.inverter.pvwatts(
        np.asarray(pdc_per_mw_dc, dtype=float),
        pac0 / inverter_efficiency,
        eta_inv_nom=inverter_efficiency,
        eta_inv_ref=INVERTER_EFFICIENCY_REF,
    )
    return np.asarray(pac, dtype=float)
