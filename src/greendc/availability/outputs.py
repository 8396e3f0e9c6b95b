"""Files of an out-of-sample check and of a design to a target, in open formats (JSON, CSV, Parquet).

=================================  ==========================================================================
file                               content
=================================  ==========================================================================
``verification_years.parquet``     one row per unseen year (:func:`greendc.availability.verify.run_chain`)
``loss_events.csv``                every loss-of-load event with its cause (:mod:`greendc.availability.events`)
``loss_heatmap_mwh.csv``           firm unserved energy, month (rows) × UTC hour (columns) [MWh], all years
``availability_rounds.csv``        every plan-and-verify round (:meth:`~greendc.availability.sizing.Round.row`)
``availability.json``              target, whether it is met, the premium, the chosen round, every round
=================================  ==========================================================================
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from greendc.availability.sizing import AvailabilityDesign
from greendc.availability.verify import Verification
from greendc.operate.result import json_ready


def out_of_sample_summary(verification: Verification) -> dict[str, Any]:
    """What ``summary.json`` and the CLI show beside the plan's own (in-sample) figures: the verification
    table, the hours cut by cause [h/yr] and the provenance of the check."""
    events = verification.events
    years = max(len(verification.runs), 1)
    by_cause = (
        {str(k): float(v) / years for k, v in events.groupby("cause")["duration_h"].sum().items()}
        if len(events)
        else {}
    )
    return json_ready(
        verification.table | {"firm_hours_per_yr_by_cause": by_cause, "provenance": verification.provenance.to_dict()}
    )


def write_verification(verification: Verification, out: Path) -> list[Path]:
    """Write the per-year table, the events and the heat map of ``verification`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    runs = out / "verification_years.parquet"
    verification.runs.to_parquet(runs)
    events = out / "loss_events.csv"
    verification.events.to_csv(events, index=False)
    heat = out / "loss_heatmap_mwh.csv"
    verification.heatmap.to_csv(heat)
    return [runs, events, heat]


def availability_summary(result: AvailabilityDesign) -> dict[str, Any]:
    """The JSON of a design to a target: target, met, premium over round 0, chosen round, all rounds."""
    return json_ready(
        {
            "target": result.target.model_dump(),
            "met": result.met,
            "premium_over_round_0": result.premium(),
            "chosen_round": result.chosen.index,
            "rounds": result.table().to_dict(orient="records"),
            "provenance": result.provenance.to_dict(),
        }
    )


def write_availability(result: AvailabilityDesign, out: Path) -> list[Path]:
    """Write the rounds, ``availability.json`` and the chosen round's verification files into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    rounds = out / "availability_rounds.csv"
    result.table().to_csv(rounds, index=False)
    summary = out / "availability.json"
    summary.write_text(json.dumps(availability_summary(result), indent=2), encoding="utf-8")
    return [rounds, summary, *write_verification(result.chosen.verification, out)]


__all__ = ["availability_summary", "out_of_sample_summary", "write_availability", "write_verification"]
