"""What flexibility is worth: the all-firm plan beside the flexible one."""

from __future__ import annotations

import numpy as np
import pytest
from tests.plan.test_plan_inputs import scenario_profiles

from greendc.plan.flexibility import all_firm, flexibility_value
from greendc.plan.from_scenario import inputs_from_scenario
from greendc.plan.solve import solve
from greendc.scenario.models import DataCenter, Scenario, WorkloadClass


def test_all_firm_serves_every_class_when_requested():
    sc = Scenario()
    inp = inputs_from_scenario(sc, scenario_profiles(sc))
    firm = all_firm(inp)
    for w in firm.workloads:
        assert not w.flexible
        np.testing.assert_array_equal(w.min_mw, w.requested_mw)
        np.testing.assert_array_equal(w.max_mw, w.requested_mw)
    assert any(w.flexible for w in inp.workloads)  # the original is left as it was


def test_value_is_the_difference_of_two_independent_plans():
    # Daytime-only PV (cf 0.7 from 07:00 to 19:00) and no wind: moving training into the day saves storage.
    sc = Scenario()
    inp = inputs_from_scenario(sc, scenario_profiles(sc).assign(wind_cf=0.0))
    plan = solve(inp)
    value = flexibility_value(inp, plan)
    # the same site with the training class declared firm in the scenario itself, solved on its own
    firm_classes = [
        w.model_copy(update={"flexible": False, "min_power_fraction": 1.0, "max_power_fraction": 1.0, "envelope": None})
        for w in sc.datacenter.workload_classes
    ]
    firm_sc = sc.model_copy(update={"datacenter": sc.datacenter.model_copy(update={"workload_classes": firm_classes})})
    firm_plan = solve(inputs_from_scenario(firm_sc, scenario_profiles(firm_sc).assign(wind_cf=0.0)))
    assert value["all_firm_cost_usd_per_mwh_it"] == pytest.approx(firm_plan.cost_usd_per_mwh_it, rel=1e-6)
    assert value["value_usd_per_mwh_it"] == pytest.approx(
        firm_plan.cost_usd_per_mwh_it - plan.cost_usd_per_mwh_it, rel=1e-6
    )
    assert value["value_usd_per_mwh_it"] > 0.0
    # flexible work: training 0.5 x 0.8 x 500 MW = 200 MW for 48 h = 9600 MWh over 48/8760 yr
    assert value["flexible_work_mwh_per_yr"] == pytest.approx(200.0 * 8760.0)
    assert value["value_usd_per_yr"] == pytest.approx(value["value_usd_per_mwh_flexible"] * 200.0 * 8760.0)


def test_no_flexible_class_has_nothing_to_value():
    sc = Scenario(datacenter=DataCenter(workload_classes=[WorkloadClass(name="all", share=1.0)]))
    inp = inputs_from_scenario(sc, scenario_profiles(sc))
    out = flexibility_value(inp, solve(inp))
    assert out["flexible_classes"] == [] and "nothing to value" in out["note"]


def test_named_envelopes_follow_the_trials():
    # trials-2025: cut 30 % of requested power at 80 % utilisation -> 0.8 x 0.7 = 0.56 of installed, deadline 24 h
    w = WorkloadClass(name="training", share=1.0, utilisation=0.8, flexible=True, envelope="trials-2025")
    assert (w.min_power_fraction, w.max_power_fraction, w.deadline_hours) == (pytest.approx(0.56), 1.0, 24)
    # band-40: +-40 % of requested -> 0.48 and 1.12 capped at 1.0
    w = WorkloadClass(name="training", share=1.0, utilisation=0.8, flexible=True, envelope="band-40")
    assert (w.min_power_fraction, w.max_power_fraction) == (pytest.approx(0.48), 1.0)
    with pytest.raises(ValueError, match="envelope 'huge' is not known; allowed: trials-2025, band-40, deep-70"):
        WorkloadClass(name="t", share=1.0, flexible=True, envelope="huge")
    with pytest.raises(ValueError, match=r"sets \['min_power_fraction'\] itself"):
        WorkloadClass(name="t", share=1.0, flexible=True, envelope="deep-70", min_power_fraction=0.5)
    with pytest.raises(ValueError, match="is for a flexible class"):
        WorkloadClass(name="t", share=1.0, envelope="deep-70")
