"""Photovoltaic plant: AC output per MW of DC nameplate, built from pvlib functions.

The chain follows PVWatts v8 (NREL SAM), with pvlib doing each step: sun position at mid-period
(:func:`sun_position`); fixed rack or single-axis tracker with backtracking (:func:`mount_orientation`);
Perez transposition with row-to-row shading of beam, sky and ground light and the rear side from the
infinite-sheds view factors (:func:`plane_of_array`); soiling reset at each cleaning (:func:`soiling_loss`);
reflection and spectrum (:func:`transmitted_irradiance`, :func:`spectral_factor`); SAM's NOCT cell
temperature (:func:`cell_temperature`); PVWatts DC with losses and degradation (:func:`dc_per_mw_dc`,
:func:`degradation_factor`); PVWatts inverter with clipping at ``1 / dc_ac_ratio`` per MW DC
(:func:`ac_per_mw_dc`). :func:`pv_model_chain` runs the chain and keeps every step;
:func:`pv_ac_per_mw_dc` returns its ``pv_cf``. ``validation/sam_pv.py`` compares it with PySAM
``Pvwattsv8`` on the same weather.

Modules: :mod:`~greendc.assets.pv.geometry` (sun and module orientation), :mod:`~greendc.assets.pv.irradiance`
(plane-of-array light, reflection, spectrum), :mod:`~greendc.assets.pv.losses` (soiling, degradation),
:mod:`~greendc.assets.pv.pvwatts` (cell temperature, DC output, inverter) and :mod:`~greendc.assets.pv.chain`
(weather check and the chain itself).
"""

from greendc.assets.pv.chain import (
    PV_WEATHER_COLUMNS,
    REAR_SHADE_FACTOR,
    ROW_HEIGHT_PER_COLLECTOR_WIDTH,
    check_pv_weather,
    pv_ac_per_mw_dc,
    pv_model_chain,
)
from greendc.assets.pv.geometry import mount_orientation, period_midpoints, sun_position
from greendc.assets.pv.irradiance import (
    AR_COATING_INDEX,
    DESOTO_AIRMASS_COEFFICIENTS,
    SPECTRAL_AIRMASS_MAX,
    plane_of_array,
    spectral_factor,
    transmitted_irradiance,
)
from greendc.assets.pv.losses import degradation_factor, soiling_loss
from greendc.assets.pv.pvwatts import (
    INVERTER_EFFICIENCY_REF,
    MODULE_EFFICIENCY,
    NOCT_C,
    ac_per_mw_dc,
    cell_temperature,
    dc_per_mw_dc,
)

__all__ = [
    "AR_COATING_INDEX",
    "DESOTO_AIRMASS_COEFFICIENTS",
    "INVERTER_EFFICIENCY_REF",
    "MODULE_EFFICIENCY",
    "NOCT_C",
    "PV_WEATHER_COLUMNS",
    "REAR_SHADE_FACTOR",
    "ROW_HEIGHT_PER_COLLECTOR_WIDTH",
    "SPECTRAL_AIRMASS_MAX",
    "ac_per_mw_dc",
    "cell_temperature",
    "check_pv_weather",
    "dc_per_mw_dc",
    "degradation_factor",
    "mount_orientation",
    "period_midpoints",
    "plane_of_array",
    "pv_ac_per_mw_dc",
    "pv_model_chain",
    "soiling_loss",
    "spectral_factor",
    "sun_position",
    "transmitted_irradiance",
]
