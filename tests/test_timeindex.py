"""The one time-index check (greendc.timeindex): each problem in words, raised with the caller's error class."""

from __future__ import annotations

import pandas as pd
import pytest

from greendc.errors import WeatherDataError
from greendc.timeindex import check_time_index, time_index_problem

UTC3 = pd.date_range("2030-01-01", periods=3, freq="h", tz="UTC")


def test_a_good_index_has_no_problem():
    assert time_index_problem(UTC3, utc_only=True, regular=True) is None
    assert time_index_problem(UTC3.tz_localize(None), tz_aware=False, regular=True) is None


@pytest.mark.parametrize(
    ("idx", "options", "words"),
    [
        (pd.RangeIndex(3), {}, "the index is a RangeIndex"),
        (UTC3.tz_localize(None), {}, "no time zone"),
        (UTC3.tz_convert("Africa/Casablanca"), {"utc_only": True}, "tz-aware in Africa/Casablanca, not UTC"),
        (UTC3[:1], {}, "1 step(s); allowed: at least 2"),
        (UTC3[[0, 1, 1]], {"regular": True}, "not regular and increasing"),
        (UTC3[[0, 2]].append(UTC3[[1]]), {"regular": True}, "not regular and increasing"),
        (UTC3[[0, 1]].append(UTC3[[2]] + pd.Timedelta(hours=1)), {"regular": True}, "not regular"),
    ],
)
def test_each_problem_is_named(idx, options, words):
    assert words in time_index_problem(idx, **options)


def test_the_callers_error_class_and_subject():
    with pytest.raises(WeatherDataError, match=r"^PV weather: 1 step\(s\); allowed: at least 2$"):
        check_time_index(UTC3[:1], "PV weather", WeatherDataError)
    check_time_index(UTC3.tz_convert("Asia/Tokyo"), "profiles")  # another zone is fine unless utc_only
