"""Tests of the reanalysis readers: ERA5 (CDS NetCDF, new and legacy, and GRIB) and MERRA-2 (GES DISC NetCDF4).

Every sample is a 3 x 3 grid around Dakhla (23.71 N, 15.94 W), 48 hours, written into ``tmp_path`` in the
real layout of its source:

* ERA5 NetCDF of the CDS since 2024: NetCDF4, ``valid_time`` (int64 seconds since 1970), dims
  (valid_time, latitude, longitude), latitude descending, float32 variables with their CDS units, scalar
  ``number`` and per-time ``expver`` coordinates;
* ERA5 NetCDF of the legacy CDS: 64-bit-offset NetCDF3, ``time`` (int32 hours since 1900), int16 packed
  with ``scale_factor``/``add_offset`` and ``_FillValue`` -32767, and an ``expver`` dimension (1: ERA5,
  5: ERA5T) as delivered when a request straddled the ERA5T boundary;
* ERA5 GRIB: GRIB edition 1 messages written with ecCodes from its ``regular_ll_sfc_grib1`` sample (ECMWF
  parameter table: 2t 167, 2d 168, sp 134, 10u 165, 10v 166, 100u 228246, 100v 228247, ssrd 169,
  fdir 228021, sst 34), instantaneous fields at step 0, accumulations from the 06 and 18 UTC forecasts
  with step ranges ``s-1``-``s``, ``sst`` with a bitmap over land;
* MERRA-2: NetCDF4, ``time`` (int32 minutes since the first hh:30), ``lat`` ascending and ``lon`` on the
  MERRA-2 0.5 x 0.625 degree grid, float32 variables with ``_FillValue`` 1e15, collection names in the
  global attributes.

The site's nearest cell holds the hand values; the other cells hold different ones so that a wrong cell
shows. Hand-worked values are in the comments.
"""

from __future__ import annotations

import math
from pathlib import Path

import eccodes
import numpy as np
import pandas as pd
import pvlib
import pytest
import xarray as xr

from greendc.errors import WeatherDataError
from greendc.weather.readers import read_weather
from greendc.weather.readers.formats import sniff_format

LAT, LON = 23.71, -15.94  # Dakhla
ERA5_LATS = np.array([24.0, 23.75, 23.5])  # descending, as the CDS writes them
ERA5_LONS = np.array([-16.25, -16.0, -15.75])  # the site's nearest cell is (23.75, -16.0): index (1, 1)
VALID = pd.date_range("2024-06-20 01:00", periods=48, freq="h")  # ERA5 valid times (end of each hour)
HAND_VALID = pd.Timestamp("2024-06-20 13:00")  # ssrd 1.8e6 J/m2 over 12:00-13:00 UTC -> row 12:00, ghi 500 W/m2
UNITS = {"ssrd": "J m**-2", "fdir": "J m**-2", "t2m": "K", "d2m": "K", "sp": "Pa", "sst": "K", "z": "m**2 s**-2"}
UNITS |= dict.fromkeys(("u10", "v10", "u100", "v100"), "m s**-1")


def _clear_ghi(period_start: pd.DatetimeIndex) -> np.ndarray:
    """Plausible hour means at Dakhla [W/m2]: 0.8 x Ineichen clear sky at mid-hour (Linke turbidity 3.5)."""
    cs = pvlib.location.Location(LAT, LON).get_clearsky(period_start + pd.Timedelta(minutes=30), linke_turbidity=3.5)
    return 0.8 * cs["ghi"].to_numpy()


def _era5_fields(valid: pd.DatetimeIndex = VALID, with_sst: bool = True) -> dict[str, np.ndarray]:
    """ERA5 fields (time, latitude, longitude); the site's cell (1, 1) holds the hand values."""
    n = len(valid)
    ssrd = np.repeat(_clear_ghi(valid - pd.Timedelta(hours=1))[:, None, None] * 3600.0, 3, axis=1).repeat(3, axis=2)
    fields = {"ssrd": ssrd, "fdir": 0.6 * ssrd}
    for name, site, other in (
        ("t2m", 300.0, 280.0), ("d2m", 290.0, 270.0), ("sp", 101325.0, 90000.0),
        ("u10", 3.0, 1.0), ("v10", 4.0, 1.0), ("u100", 6.0, 2.0), ("v100", 8.0, 2.0),
    ):  # fmt: skip
        fields[name] = np.full((n, 3, 3), other)
        fields[name][:, 1, 1] = site
    k = valid.get_loc(HAND_VALID)
    fields["ssrd"][k, 1, 1], fields["fdir"][k, 1, 1] = 1.8e6, 1.08e6  # beam on the horizontal 300 W/m2
    if with_sst:  # sea only in the western column (the Atlantic); the nearest sea cell is (23.75, -16.25)
        fields["sst"] = np.full((n, 3, 3), np.nan)
        fields["sst"][:, :, 0] = [295.15, 293.15, 294.15]
    return fields


def _era5_netcdf(path: Path, fields: dict[str, np.ndarray], valid: pd.DatetimeIndex = VALID) -> Path:
    """Write the CDS NetCDF4 layout of 2024 on (valid_time, latitude, longitude)."""
    dims = ("valid_time", "latitude", "longitude")
    ds = xr.Dataset(
        {k: (dims, v.astype("float32"), {"units": UNITS[k], "GRIB_shortName": k}) for k, v in fields.items()},
        coords={
            "valid_time": ("valid_time", valid, {"standard_name": "time", "long_name": "time"}),
            "latitude": ("latitude", ERA5_LATS, {"units": "degrees_north", "standard_name": "latitude"}),
            "longitude": ("longitude", ERA5_LONS, {"units": "degrees_east", "standard_name": "longitude"}),
            "number": 0,
            "expver": ("valid_time", np.full(len(valid), "0001")),
        },
        attrs={"GRIB_centre": "ecmf", "Conventions": "CF-1.7", "institution": "ECMWF"},
    )
    encoding = {k: {"zlib": True, "complevel": 1} for k in fields}
    encoding["valid_time"] = {"units": "seconds since 1970-01-01", "calendar": "proleptic_gregorian", "dtype": "int64"}
    ds.to_netcdf(path, engine="netcdf4", format="NETCDF4", encoding=encoding)
    return path


def _packing(values: np.ndarray) -> dict[str, float]:
    """int16 packing of the legacy CDS NetCDF: offset the mid-range, the extremes packed to -32766 and 32766.

    (Clear of the ``_FillValue`` -32767, which marks the missing cells: land for ``sst``, the other
    ``expver``.)
    """
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    return {"scale_factor": max(hi - lo, 1.0) / 65532.0, "add_offset": (hi + lo) / 2.0}


def _era5_legacy_netcdf(path: Path, fields: dict[str, np.ndarray]) -> Path:
    """Write the legacy CDS layout: NetCDF3, ``time``, int16 packing, day 1 in expver 1 and day 2 in expver 5."""
    first_day = (VALID < pd.Timestamp("2024-06-21 01:00"))[:, None, None, None]
    data = {}
    for k, v in fields.items():
        both = np.stack([v, v], axis=1)  # (time, expver, latitude, longitude)
        both[:, 0] = np.where(first_day[:, 0], v, np.nan)
        both[:, 1] = np.where(first_day[:, 0], np.nan, v)
        data[k] = (("time", "expver", "latitude", "longitude"), both, {"units": UNITS[k]})
    ds = xr.Dataset(
        data,
        coords={
            "time": VALID,
            "expver": np.array([1, 5], dtype="int32"),
            "latitude": ERA5_LATS,
            "longitude": ERA5_LONS,
        },
    )
    encoding = {k: {"dtype": "int16", "_FillValue": -32767, **_packing(v)} for k, v in fields.items()}
    encoding["time"] = {"units": "hours since 1900-01-01 00:00:00.0", "calendar": "gregorian", "dtype": "int32"}
    ds.to_netcdf(path, engine="netcdf4", format="NETCDF3_64BIT", encoding=encoding)
    return path


#: ECMWF parameter ids of the ERA5 fields (GRIB edition 1, local tables 128 and 228).
GRIB_PARAM_ID = {"t2m": 167, "d2m": 168, "sp": 134, "u10": 165, "v10": 166, "u100": 228246, "v100": 228247}
GRIB_PARAM_ID |= {"ssrd": 169, "fdir": 228021, "sst": 34}


def _grib_message(f, name: str, valid: pd.Timestamp, values: np.ndarray) -> None:
    """Append one ERA5 GRIB1 message; accumulations as the 06/18 UTC forecasts give them (hour ending at the step)."""
    h = eccodes.codes_grib_new_from_samples("regular_ll_sfc_grib1")
    grid = {
        "centre": 98, "Ni": 3, "Nj": 3, "jScansPositively": 0,
        "latitudeOfFirstGridPointInDegrees": 24.0, "latitudeOfLastGridPointInDegrees": 23.5,
        "longitudeOfFirstGridPointInDegrees": -16.25, "longitudeOfLastGridPointInDegrees": -15.75,
        "iDirectionIncrementInDegrees": 0.25, "jDirectionIncrementInDegrees": 0.25,
    }  # fmt: skip
    for key, value in grid.items():
        eccodes.codes_set(h, key, value)
    eccodes.codes_set(h, "paramId", GRIB_PARAM_ID[name])
    ref = valid
    if name in ("ssrd", "fdir"):  # e.g. valid 13:00 = forecast from 06:00, step 7, accumulated over steps 6-7
        ref = valid - pd.Timedelta(hours=(valid.hour - 7) % 12 + 1)
        step = int((valid - ref) / pd.Timedelta(hours=1))
        eccodes.codes_set(h, "stepType", "accum")
        eccodes.codes_set(h, "stepRange", f"{step - 1}-{step}")
    eccodes.codes_set(h, "dataDate", int(ref.strftime("%Y%m%d")))
    eccodes.codes_set(h, "dataTime", ref.hour * 100)
    if np.isnan(values).any():
        eccodes.codes_set(h, "bitmapPresent", 1)
        eccodes.codes_set(h, "missingValue", 9999.0)
    eccodes.codes_set_values(h, np.where(np.isnan(values), 9999.0, values).ravel())
    eccodes.codes_write(h, f)
    eccodes.codes_release(h)


def _era5_grib(path: Path, fields: dict[str, np.ndarray]) -> Path:
    with open(path, "wb") as f:
        for name, values in fields.items():
            for k, valid in enumerate(VALID):
                _grib_message(f, name, valid, values[k])
    return path


def _check_era5_hand_values(data: pd.DataFrame, meta: dict, tol: float = 1e-6) -> None:
    row = data.loc[pd.Timestamp("2024-06-20 12:00", tz="UTC")]  # valid time 13:00 -> period 12:00-13:00
    assert row["ghi"] == pytest.approx(500.0, abs=max(tol, 1e-6))  # 1.8e6 J/m2 / 3600 s
    zenith = pvlib.solarposition.get_solarposition(pd.DatetimeIndex(["2024-06-20 12:30"], tz="UTC"), LAT, LON)
    cosz = math.cos(math.radians(zenith["zenith"].iloc[0]))  # mid-point of 12:00-13:00
    assert row["dni"] == pytest.approx(300.0 / cosz, abs=tol)  # 1.08e6 / 3600 = 300 W/m2 on the horizontal
    assert row["dhi"] == pytest.approx(200.0, abs=tol)  # 500 - 300
    # Magnus, WMO (6.112 hPa, 17.62, 243.12 C): t = 26.85 C, td = 16.85 C;
    # e_s(t) = 6.112 exp(17.62*26.85/269.97) = 6.112 exp(1.752406) = 35.2569 hPa,
    # e(td) = 6.112 exp(17.62*16.85/259.97) = 6.112 exp(1.142043) = 19.1499 hPa; RH = 54.3154 %
    assert data["relative_humidity"].to_numpy() == pytest.approx(54.3154, abs=1e-3)
    assert data["temp_air"].to_numpy() == pytest.approx(26.85, abs=1e-3)  # the site's cell, not 280 K
    assert data["pressure"].to_numpy() == pytest.approx(101325.0, abs=5.0)
    assert data["wind_speed"].to_numpy() == pytest.approx(5.0, abs=1e-3)  # hypot(3, 4)
    assert data["wind_speed_100m"].to_numpy() == pytest.approx(10.0, abs=1e-3)  # hypot(6, 8)
    assert data["temp_sea"].to_numpy() == pytest.approx(20.0, abs=1e-3)  # 293.15 K at the sea cell (23.75, -16.25)
    assert meta["grid_cell"] == {"latitude": 23.75, "longitude": -16.0}
    assert meta["sea_cell"] == {"latitude": 23.75, "longitude": -16.25}
    assert data.index[0] == pd.Timestamp("2024-06-20 00:00", tz="UTC") and len(data) == 48
    assert data.index.freq == pd.Timedelta(hours=1)


# ============================================================================================= ERA5
def test_era5_netcdf_2024_layout(tmp_path):
    fields = _era5_fields()
    fields["z"] = np.full((len(VALID), 3, 3), 500.0)
    fields["z"][:, 1, 1] = 98.0665  # geopotential [m2/s2] / 9.80665 m/s2 = 10 m
    path = _era5_netcdf(tmp_path / "data_stream-oper.nc", fields)
    assert sniff_format(path) == "era5-netcdf"
    data, meta = read_weather(path, latitude=LAT, longitude=LON, elevation_m=99.0)
    _check_era5_hand_values(data, meta)
    assert meta["format"] == "era5-netcdf" and meta["source"] == "data_stream-oper.nc"
    assert meta["elevation_m"] == pytest.approx(10.0) and data.attrs["elevation_m"] == pytest.approx(10.0)
    assert (data["dni"].to_numpy()[data["ghi"].to_numpy() == 0.0] == 0.0).all()  # night


def test_era5_netcdf_legacy_packed_with_expver(tmp_path):
    path = _era5_legacy_netcdf(tmp_path / "adaptor.mars.internal.nc", _era5_fields())
    assert path.read_bytes()[:3] == b"CDF" and sniff_format(path) == "era5-netcdf"
    data, meta = read_weather(path, latitude=LAT, longitude=LON)
    # int16 packing: ssrd quantum 3.0e6 J/m2 / 65532 = 46 J/m2 = 0.013 W/m2; t2m quantum 20 K / 65532
    _check_era5_hand_values(data, meta, tol=0.1)
    assert meta["elevation_m"] is None and "elevation_m" not in data.attrs
    assert data.loc[pd.Timestamp("2024-06-21 12:00", tz="UTC"), "ghi"] > 0.0  # day 2 read from expver 5 (ERA5T)


def test_era5_grib(tmp_path):
    path = _era5_grib(tmp_path / "download.data", _era5_fields())  # a CDS GRIB download keeps no extension
    assert sniff_format(path) == "era5-grib"
    data, meta = read_weather(path, latitude=LAT, longitude=LON, elevation_m=10.0)
    _check_era5_hand_values(data, meta, tol=0.1)  # GRIB1 simple packing, 16 bits per value
    assert meta["format"] == "era5-grib" and meta["elevation_m"] == 10.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["download.data"]  # no cfgrib index file left


def test_era5_without_sst_has_no_temp_sea(tmp_path):
    path = _era5_netcdf(tmp_path / "era5.nc", _era5_fields(with_sst=False))
    data, meta = read_weather(path, latitude=LAT, longitude=LON)
    assert "temp_sea" not in data.columns and meta["sea_cell"] is None


def test_era5_site_off_the_grid(tmp_path):
    path = _era5_netcdf(tmp_path / "era5.nc", _era5_fields())
    read_weather(path, latitude=24.2, longitude=LON)  # 0.2 degrees beyond the last row: within one step (0.25)
    with pytest.raises(
        WeatherDataError, match=r"era5\.nc: the site \(25\.7 N, -15\.94 E\) is 1\.7 degrees of latitude"
    ):
        read_weather(path, latitude=25.7, longitude=LON)
    with pytest.raises(WeatherDataError, match=r"degrees of longitude .* more than one grid step"):
        read_weather(path, latitude=LAT, longitude=-14.0)


def test_era5_missing_variable_names_cds_name(tmp_path):
    fields = _era5_fields()
    del fields["u100"], fields["ssrd"]
    path = _era5_netcdf(tmp_path / "instant.nc", fields)
    with pytest.raises(WeatherDataError) as err:
        read_weather(path, latitude=LAT, longitude=LON)
    msg = str(err.value)
    assert msg.startswith("instant.nc: ERA5 variable(s) surface_solar_radiation_downwards (ssrd), ")
    assert "100m_u_component_of_wind (u100) missing" in msg and "the file has ['d2m', 'fdir'" in msg


def test_era5_all_land_sst_and_non_hourly_times(tmp_path):
    fields = _era5_fields()
    fields["sst"][:] = np.nan
    with pytest.raises(WeatherDataError, match=r"sea_surface_temperature \(sst\) has no cell"):
        read_weather(_era5_netcdf(tmp_path / "land.nc", fields), latitude=LAT, longitude=LON)
    three_hourly = VALID[::3]
    fields = {k: v[::3] for k, v in _era5_fields().items()}
    with pytest.raises(WeatherDataError, match=r"valid times must be hourly .* steps \['0 days 03:00:00'\]"):
        read_weather(_era5_netcdf(tmp_path / "3h.nc", fields, three_hourly), latitude=LAT, longitude=LON)


# ========================================================================================= MERRA-2
MERRA2_LATS = np.array([23.0, 23.5, 24.0])  # ascending, on the 0.5 x 0.625 degree grid
MERRA2_LONS = np.array([-16.875, -16.25, -15.625])  # nearest the site: (23.5, -16.25), index (1, 1)
MERRA2_TIMES = pd.date_range("2024-06-20 00:30", periods=48, freq="h")  # hour centres
HAND_TIME = pd.Timestamp("2024-06-20 12:30")  # SWGDN 600 W/m2 over 12:00-13:00 -> row 12:00


def _merra2_netcdf(path: Path, times: pd.DatetimeIndex = MERRA2_TIMES, drop: tuple[str, ...] = ()) -> Path:
    """Write one NetCDF4 with the M2T1NXSLV and M2T1NXRAD variables (and the M2C0NXASM constants)."""
    n = len(times)
    swgdn = np.repeat(_clear_ghi(times - pd.Timedelta(minutes=30))[:, None, None], 3, axis=1).repeat(3, axis=2)
    swgdn[times == HAND_TIME, 1, 1] = 600.0
    values = {"SWGDN": swgdn}
    for name, site, other in (
        ("T2M", 300.0, 285.0), ("QV2M", 0.012, 0.005), ("PS", 100000.0, 95000.0), ("U10M", 3.0, 1.0),
        ("V10M", 4.0, 1.0), ("U50M", 4.2, 2.0), ("V50M", 5.6, 2.0), ("TS", 310.0, 305.0),
    ):  # fmt: skip
        values[name] = np.full((n, 3, 3), other)
        values[name][:, 1, 1] = site
    values["TS"][:, :, 0] = 293.15  # the western column is sea
    units = {"SWGDN": "W m-2", "T2M": "K", "QV2M": "kg kg-1", "PS": "Pa", "TS": "K"}
    fill = {"_FillValue": np.float32(1e15), "zlib": True}
    ds = xr.Dataset(
        {k: (("time", "lat", "lon"), v.astype("float32"), {"units": units.get(k, "m s-1")}) for k, v in values.items()},
        coords={
            "time": ("time", times, {"long_name": "time", "time_increment": 10000, "begin_time": 3000}),
            "lat": ("lat", MERRA2_LATS, {"units": "degrees_north"}),
            "lon": ("lon", MERRA2_LONS, {"units": "degrees_east"}),
        },
        attrs={"ShortName": "M2T1NXSLV, M2T1NXRAD", "Conventions": "CF-1", "Source": "CVS tag: GEOSadas-5_12_4"},
    )
    ds["FROCEAN"] = (("lat", "lon"), np.array([[1.0, 0.0, 0.0], [1.0, 0.3, 0.0], [0.95, 0.2, 0.0]], "float32"))
    ds["PHIS"] = (("lat", "lon"), np.full((3, 3), 98.0665, "float32"), {"units": "m+2 s-2"})
    ds = ds.drop_vars(list(drop))
    encoding = dict.fromkeys(ds.data_vars, fill)
    encoding["time"] = {"units": f"minutes since {times[0]:%Y-%m-%d %H:%M:%S}", "dtype": "int32"}
    ds.to_netcdf(path, engine="netcdf4", format="NETCDF4", encoding=encoding)
    return path


def test_merra2(tmp_path):
    path = _merra2_netcdf(tmp_path / "MERRA2_400.tavg1_2d_slv_rad_Nx.20240620.nc4")
    assert path.read_bytes()[:4] == b"\x89HDF" and sniff_format(path) == "merra2-netcdf"
    data, meta = read_weather(path, latitude=LAT, longitude=LON)
    assert data.index[0] == pd.Timestamp("2024-06-20 00:00", tz="UTC") and len(data) == 48  # 00:30 -> 00:00
    row = data.loc[pd.Timestamp("2024-06-20 12:00", tz="UTC")]
    assert row["ghi"] == pytest.approx(600.0)
    # Erbs et al. (1982) by hand: kt = ghi / (E0 cos z) at 12:30; 0.22 < kt <= 0.8:
    # fd = 0.9511 - 0.1604 kt + 4.388 kt^2 - 16.638 kt^3 + 12.336 kt^4; dhi = fd ghi; dni = (ghi - dhi) / cos z
    mid = pd.DatetimeIndex([HAND_TIME], tz="UTC")
    cosz = math.cos(math.radians(pvlib.solarposition.get_solarposition(mid, LAT, LON)["zenith"].iloc[0]))
    kt = 600.0 / (pvlib.irradiance.get_extra_radiation(mid).iloc[0] * cosz)
    assert 0.22 < kt <= 0.8
    fd = 0.9511 - 0.1604 * kt + 4.388 * kt**2 - 16.638 * kt**3 + 12.336 * kt**4
    assert row["dhi"] == pytest.approx(fd * 600.0, rel=1e-6)
    assert row["dni"] == pytest.approx((600.0 - fd * 600.0) / cosz, rel=1e-6)
    assert "Erbs (1982)" in meta["models"]["dni"].replace("et al. ", "")
    # e = q p / (0.622 + 0.378 q) = 0.012 * 1e5 / 0.626536 = 1915.29 Pa; e_s(26.85 C) = 3525.69 Pa (Magnus,
    # WMO); RH = 54.324 %
    assert data["relative_humidity"].to_numpy() == pytest.approx(54.324, abs=1e-3)
    assert data["temp_air"].to_numpy() == pytest.approx(26.85, abs=1e-4)
    assert data["pressure"].to_numpy() == pytest.approx(100000.0)
    assert data["wind_speed"].to_numpy() == pytest.approx(5.0, abs=1e-5)  # hypot(3, 4)
    # 50 m: hypot(4.2, 5.6) = 7; alpha = ln(7/5) / ln(50/10) = 0.209062; v100 = 7 * 2^0.209062 = 8.09155
    assert data["wind_speed_100m"].to_numpy() == pytest.approx(8.09155, abs=1e-4)
    assert data["temp_sea"].to_numpy() == pytest.approx(20.0, abs=1e-4)  # TS at (23.5, -16.875), FROCEAN 1
    assert meta["grid_cell"] == {"latitude": 23.5, "longitude": -16.25}
    assert meta["sea_cell"] == {"latitude": 23.5, "longitude": -16.875}
    assert meta["elevation_m"] == pytest.approx(10.0)  # PHIS 98.0665 m2/s2 / g
    assert meta["format"] == "merra2-netcdf" and meta["original"]["ShortName"] == "M2T1NXSLV, M2T1NXRAD"


def test_merra2_without_sea_mask_or_constants(tmp_path):
    path = _merra2_netcdf(tmp_path / "slv_rad.nc4", drop=("FROCEAN", "PHIS"))
    data, meta = read_weather(path, latitude=LAT, longitude=LON, elevation_m=12.0)
    assert "temp_sea" not in data.columns and meta["sea_cell"] is None and meta["elevation_m"] == 12.0


def test_merra2_missing_variable_and_bad_times(tmp_path):
    with pytest.raises(WeatherDataError, match=r"slv\.nc4: MERRA-2 variable\(s\) SWGDN \(M2T1NXRAD surface incoming"):
        read_weather(_merra2_netcdf(tmp_path / "slv.nc4", drop=("SWGDN",)), latitude=LAT, longitude=LON)
    path = _merra2_netcdf(tmp_path / "inst.nc4", times=MERRA2_TIMES + pd.Timedelta(minutes=30))  # inst1: hh:00
    with pytest.raises(WeatherDataError, match=r"stamped hourly at hh:30; .* first off hh:30 at 2024-06-20 01:00"):
        read_weather(path, latitude=LAT, longitude=LON)
    with pytest.raises(WeatherDataError, match="more than one grid step"):
        read_weather(_merra2_netcdf(tmp_path / "m.nc4"), latitude=LAT, longitude=-10.0)


def test_unknown_netcdf_and_site_keywords(tmp_path):
    other = tmp_path / "ocean.nc"
    xr.Dataset({"salinity": (("x",), np.zeros(3))}).to_netcdf(other, engine="netcdf4")
    assert sniff_format(other) is None
    with pytest.raises(WeatherDataError, match=r"ocean\.nc: unknown weather file format .*era5-grib"):
        read_weather(other)
    path = _era5_netcdf(tmp_path / "era5.nc", _era5_fields())
    with pytest.raises(WeatherDataError, match=r"keyword\(s\) \['year'\] do not apply to era5-netcdf"):
        read_weather(path, latitude=LAT, longitude=LON, year=2024)
