"""`greendc compare`: finished plans and study points side by side."""

from __future__ import annotations

from pathlib import Path

import typer

from greendc.cli._common import console, handle_errors


@handle_errors
def compare_command(
    sources: list[str] = typer.Argument(..., help="plan folders, summary.json files or <study folder>#<point>"),
    out: Path | None = typer.Option(None, "--out", "-o", help="also write the table as CSV"),
) -> None:
    """Design, cost and KPIs of plans or study points side by side, with the differences to the first."""
    from rich.table import Table

    from greendc.study.compare import compare

    table = compare(sources)
    view = Table(title="Comparison (Δ: minus the first)", title_justify="left")
    view.add_column("figure")
    for column in table.columns:
        view.add_column(column, justify="left" if column == "unit" else "right")
    for name, row in table.iterrows():
        view.add_row(str(name), *[row["unit"], *[f"{v:,.4g}" for v in row.drop("unit")]])
    console.print(view)
    if out is not None:
        table.to_csv(out, index_label="figure")
        console.print(f"wrote {out}")
