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
.figure{margin:1em 0}
"""


@dataclass(frozen=True)
class Section:
    """One section of a report: a heading, optional key-value rows and optional figures.

    ``text`` is escaped; ``html`` is inserted as it is (after the rows, before the figures), so it must be
    built by the caller with every text in it escaped (e.g. :func:`greendc.availability.figures.
    verification_table_html`).
    """

    heading: str
    text: str = ""
    rows: dict[str, str] = field(default_factory=dict)
    figures: tuple[go.Figure, ...] = ()
    html: str = ""


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
