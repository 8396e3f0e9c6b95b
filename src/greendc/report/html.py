"""Self-contained HTML reports: a title, key figures as tables, and interactive plotly figures.

The plotly.js library is embedded once, so the file opens offline in any browser and can be sent by mail.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1200px;color:#222}
h1{font-size:1.6em;margin-bottom:0.2em} h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:0.5em 0} td,th{padding:0.25em 0.8em;border-bottom:1px solid #eee}
td.num{text-align:right;font-variant-numeric:tabular-nums} .meta{color:#666;font-size:0.85em}
.figure{margin:1em 0} ul.summary li{margin:0.45em 0;line-height:1.45} p.note{color:#444;font-style:italic}
table.grid th,table.grid td{border:1px solid #ddd} table.grid thead th{background:#f4f4f4}
caption{text-align:left;font-weight:600;padding:0.3em 0} h3{font-size:1.05em;margin:1.2em 0 0.3em}
"""


@dataclass(frozen=True)
class Section:
    """One section of a report: a heading, optional key-value rows and optional figures.

    ``text`` is escaped; ``lead`` (right after the heading) and ``html`` (after the rows, before the figures)
    are inserted as they are, so they must be built by the caller with every text in them escaped (e.g.
    :func:`greendc.availability.figures.verification_table_html`, :func:`bullets`).
    """

    heading: str
    text: str = ""
    rows: dict[str, str] = field(default_factory=dict)
    figures: tuple[go.Figure, ...] = ()
    html: str = ""
    lead: str = ""


def bullets(items: list[tuple[str, str]]) -> str:
    """An executive summary's list: each item a bold lead and its text (both escaped).

    >>> bullets([("Cost", "70 USD/MWh <IT>")])
    "<ul class='summary'><li><b>Cost</b>: 70 USD/MWh &lt;IT&gt;</li></ul>"
    """
    body = "".join(f"<li><b>{html.escape(lead)}</b>: {html.escape(text)}</li>" for lead, text in items)
    return f"<ul class='summary'>{body}</ul>"


def table_html(head: list[str], rows: list[list[str]], caption: str = "", numeric_from: int = 1) -> str:
    """A table with a header row (all cells escaped); columns from ``numeric_from`` on are right-aligned.

    >>> table_html(["figure", "mean"], [["Unserved [MWh/yr]", "1,200"]]).count("<td class='num'>1,200</td>")
    1
    """
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    head_html = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{html.escape(c)}</td>"
            if i >= numeric_from
            else f"<th scope='row' style='text-align:left'>{html.escape(c)}</th>"
            if i == 0
            else f"<td>{html.escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table class='grid'>{cap}<thead><tr>{head_html}</tr></thead><tbody>{body}</tbody></table>"


def _table(rows: dict[str, str]) -> str:
    body = "".join(
        f"<tr><th scope='row' style='text-align:left'>{html.escape(k)}</th><td class='num'>{html.escape(v)}</td></tr>"
        for k, v in rows.items()
    )
    return f"<table>{body}</table>"


def render_html(title: str, sections: list[Section], footer: str = "") -> str:
    """The report as one HTML string with plotly.js embedded once.

    Parameters
    ----------
    title : str
        Report title.
    sections : list of Section
        Content, in order.
    footer : str
        Provenance line (scenario hash, versions, solver …), shown in small print.
    """
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    first_figure = True
    for n_section, section in enumerate(sections):
        parts.append(f"<section id='s{n_section}'><h2>{html.escape(section.heading)}</h2>")
        if section.lead:
            parts.append(section.lead)
        if section.text:
            parts.append(f"<p>{html.escape(section.text)}</p>")
        if section.rows:
            parts.append(_table(section.rows))
        if section.html:
            parts.append(section.html)
        for fig in section.figures:
            div = fig.to_html(full_html=False, include_plotlyjs=bool(first_figure), config={"responsive": True})
            parts.append(f"<div class='figure'>{div}</div>")
            first_figure = False
        parts.append("</section>")
    if footer:
        parts.append(f"<p class='meta'>{html.escape(footer)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(path: str | Path, title: str, sections: list[Section], footer: str = "") -> Path:
    """Write :func:`render_html` to ``path`` (UTF-8); return the path."""
    path = Path(path)
    path.write_text(render_html(title, sections, footer), encoding="utf-8")
    return path
