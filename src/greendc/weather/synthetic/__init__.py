"""Seeded synthetic multi-year weather, calibrated by a site climatology table.

The generator builds one continuous UTC index over whole calendar years (leap days kept) and fills the
canonical weather frame (:mod:`greendc.weather.schema`):

* clear-sky envelope: pvlib ephemeris solar position and the Ineichen–Perez clear sky with the monthly
  Linke turbidity of the table;
* a daily clear-sky index (Beta marginal, Gaussian AR(1) copula) whose monthly mean meets the monthly GHI
  target and whose day-to-day coefficient of variation is the table's, plus hourly AR(1) fluctuations
  that keep each day's energy; GHI never exceeds clear sky;
* DNI and DHI by the Erbs decomposition scaled to the monthly diffuse fraction, closing
  ``ghi = dhi + dni cos(zenith)``;
* air temperature with seasonal and diurnal cycles and AR noise, relative humidity at a slowly varying
  dew point (anti-correlated with temperature), pressure with synoptic noise and the semidiurnal tide,
  sea-surface temperature;
* 10 m wind: Gaussian synoptic + hourly AR(1) processes mapped through a Weibull quantile transform per
  calendar month, a two-harmonic daily cycle; 100 m wind by a power law whose exponent follows the month
  and peaks in the stable night;
* per-year anomalies of the GHI and wind levels, and optional Poisson stress events (chergui heat waves,
  dust episodes, long wind lulls).

Every random part draws from its own stream spawned from one seed, so that the same seed gives the same
weather and switching stress events on or off leaves the undisturbed weather unchanged.

Modules: :mod:`~greendc.weather.synthetic.solar` (clear sky, clear-sky index, Erbs split),
:mod:`~greendc.weather.synthetic.temperature` (diurnal temperature shape),
:mod:`~greendc.weather.synthetic.wind` (Weibull shape, daily cycle, shear law),
:mod:`~greendc.weather.synthetic.events` (stress events), :mod:`~greendc.weather.synthetic.noise` (AR(1)
series, rank transform) and the orchestrator :mod:`~greendc.weather.synthetic.generator`.
"""

from greendc.weather.synthetic.events import event_envelope
from greendc.weather.synthetic.generator import generate_weather, synthetic_weather
from greendc.weather.synthetic.noise import ar1, stratified_uniform
from greendc.weather.synthetic.solar import (
    MAX_MEAN_CLEAR_SKY_INDEX,
    MIN_CLEAR_SKY_INDEX,
    clear_sky,
    daily_clear_sky_index,
    erbs_split,
    hourly_clear_sky_index,
)
from greendc.weather.synthetic.temperature import diurnal_temperature_shape

__all__ = [
    "MAX_MEAN_CLEAR_SKY_INDEX",
    "MIN_CLEAR_SKY_INDEX",
    "ar1",
    "clear_sky",
    "daily_clear_sky_index",
    "diurnal_temperature_shape",
    "erbs_split",
    "event_envelope",
    "generate_weather",
    "hourly_clear_sky_index",
    "stratified_uniform",
    "synthetic_weather",
]
