"""MkDocs hook: pages generated at build time, so that the site cannot drift from their sources.

* ``readme/<slug>.md``: one page per ``## `` section of the repository's ``README.md`` (the project's book of
  measured results). Headings move up one level; links to other README sections point to the page that now
  holds them; links to ``docs/...`` become links inside the site; links to other repository files become
  code spans naming the file.
* ``gallery/<name>.md`` and ``gallery/index.md``: one page per ``examples/*.py`` script: its docstring as the
  text, its source, and the output recorded in ``examples/output/<name>.txt`` when present.

A README section or an example named in :data:`README_PAGES` or :data:`GALLERY` that is missing stops the
build with an error (``mkdocs build --strict``), so a renamed heading is noticed.

Docstrings are numpydoc, written for Sphinx: a small Markdown preprocessor (added to the Markdown that
mkdocstrings renders docstrings with) shows Sphinx roles (``:func:`~greendc.plan.solve.solve```) as inline code
(``solve``), ``:doi:`X``` as ``doi:X``, and drops the ``.. math::`` directive line so that the indented equation
under it shows as a code block.

One filter: numpydoc docstrings write units in brackets, and ``[m] [Pa]`` or ``[0, 1] [-]`` reads as a Markdown
reference link to a target ``Pa`` or ``-``, which autorefs reports as a broken cross-reference. Such reports,
from the package's docstrings and for targets that are not dotted Python paths, are logged as INFO; a broken
reference to a real object (``greendc.x.y``) stays a warning and fails the strict build.
"""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

#: README ``## `` heading (its start) -> page slug under ``readme/``.
README_PAGES: dict[str, str] = {
    "What is there": "what-is-there",
    "Costs, water, land and KPIs": "costs-water-land-kpis",
    "Availability": "availability",
    "Site data": "site-data",
    "The physics, and how it is checked": "physics",
    "Planning": "planning",
    "Operating a design": "operating",
    "Monitoring service": "monitoring-service",
}

#: Gallery order: example script stems under ``examples/``.
GALLERY: tuple[str, ...] = (
    "plan_dakhla",
    "own_site_epw",
    "operate_verify",
    "kpi_from_meters",
    "service_replay",
    "study",
)


def _slugify(text: str) -> str:
    """Python-Markdown's default toc slug (the same as GitHub's for plain headings)."""
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _split_readme(text: str) -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    current: str | None = None
    fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        if current is not None:
            sections[current].append(line)
    return {title: "\n".join(lines) + "\n" for title, lines in sections.items()}


def _readme_pages(root: Path) -> dict[str, str]:
    sections = _split_readme((root / "README.md").read_text(encoding="utf-8"))
    chosen: dict[str, tuple[str, str]] = {}
    for prefix, slug in README_PAGES.items():
        hits = [title for title in sections if title.startswith(prefix)]
        if len(hits) != 1:
            raise PluginError(
                f"docs hook: README.md needs exactly one '## {prefix}…' section for readme/{slug}.md, found {hits}; "
                "update README_PAGES in docs/_hooks/generated_pages.py"
            )
        chosen[slug] = (hits[0], sections[hits[0]])
    anchors: dict[str, str] = {}
    for slug, (_, body) in chosen.items():
        for heading in re.findall(r"^#{2,6} (.+)$", body, flags=re.M):
            anchors.setdefault(_slugify(heading), slug)

    def link(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if target.startswith(("http://", "https://", "mailto:")):
            return match.group(0)
        if target.startswith("#"):
            page = anchors.get(target[1:])
            if page is None:
                raise PluginError(f"docs hook: README link to '{target}' names no section heading")
            return f"[{label}]({page}.md{target})"
        if target.startswith("docs/"):
            return f"[{label}](../{target[len('docs/'):]})"
        return f"{label} (`{target}` in the repository)"

    pages = {}
    for slug, (title, body) in chosen.items():
        body = re.sub(r"^(#{2,6}) ", lambda m: m.group(1)[1:] + " ", body, flags=re.M)
        body = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", link, body)
        note = (
            f"!!! note \"From the README\"\n    This page is the README section *{title}*, included at build time. "
            "Figures state the commit and machine they were measured on.\n\n"
        )
        first, _, rest = body.partition("\n")
        pages[f"readme/{slug}.md"] = f"{first}\n\n{note}{rest}"
    return pages


def _example(path: Path) -> tuple[str, str, str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    doc = ast.get_docstring(tree)
    if not doc:
        raise PluginError(f"docs hook: {path} needs a docstring header (title line, blank line, text)")
    title, _, text = doc.partition("\n")
    code = "\n".join(source.splitlines()[tree.body[0].end_lineno:]).strip("\n")  # the page shows the docstring
    return title.strip().rstrip("."), text.strip(), code


def _gallery_pages(root: Path) -> dict[str, str]:
    folder = root / "examples"
    stems = [s for s in GALLERY if (folder / f"{s}.py").is_file()]
    missing = [s for s in GALLERY if s not in stems]
    if missing:
        raise PluginError(f"docs hook: examples {missing} listed in GALLERY are missing from examples/")
    extra = sorted(p.stem for p in folder.glob("*.py") if p.stem not in GALLERY)
    pages: dict[str, str] = {}
    rows = []
    for stem in (*stems, *extra):
        title, text, source = _example(folder / f"{stem}.py")
        output = folder / "output" / f"{stem}.txt"
        run = f"Run it: `python examples/{stem}.py` (this page's text is its docstring, then the code below)."
        body = [f"# {title}", "", text, "", run, "", "## Code", "", "```python", source.rstrip(), "```", ""]
        if output.is_file():
            body += ["## Output", "", f"Recorded with `python examples/{stem}.py` on a 2-core machine running other "
                     "work, HiGHS's start-up banner left out; times and temporary paths will differ.", "", "```text",
                     output.read_text(encoding="utf-8").rstrip(), "```", ""]
        pages[f"gallery/{stem}.md"] = "\n".join(body)
        summary = text.split("\n\n")[0].replace("\n", " ")
        took = re.search(r"finished in ([0-9.]+) s", output.read_text(encoding="utf-8")) if output.is_file() else None
        rows.append(f"| [{title}]({stem}.md) | {summary} | {took.group(1) + ' s' if took else '–'} |")
    index = [
        "# Gallery",
        "",
        "Runnable examples, one script each in `examples/`. Every one finishes in well under two minutes on a "
        "2-core machine and prints figures you can check; `tests/test_examples.py` runs them all, so they run in "
        "CI and never rot. Install greendc (`pip install -e .`), then `python examples/<name>.py`.",
        "",
        "| example | what it shows | recorded run |",
        "| --- | --- | --- |",
        *rows,
        "",
    ]
    pages["gallery/index.md"] = "\n".join(index)
    return pages


_UNIT_BRACKETS = re.compile(r"from .*src/greendc/.*Could not find cross-reference target '(?P<target>[^']*)'")
_PYTHON_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")


class _UnitBrackets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING:
            match = _UNIT_BRACKETS.search(record.getMessage())
            if match and not _PYTHON_PATH.match(match.group("target")):
                record.levelno, record.levelname = logging.INFO, "INFO"
        return True


_ROLE = re.compile(r":(?:py:)?(?P<role>[a-z]+):`(?P<text>[^`]+)`")


def _role(match: re.Match[str]) -> str:
    role, text = match.group("role"), match.group("text").strip()
    if role == "doi":
        return f"`doi:{text}`"
    if role != "math":
        text = re.sub(r"^(.*?)\s*<[^>]+>$", r"\1", text)  # "title <target>" -> title
        if text.startswith("~"):
            text = text[1:].rsplit(".", 1)[-1]
    return f"`{text}`"


_BORDER = re.compile(r"^\s*=+( +=+)+\s*$")


def _simple_tables(lines: list[str]) -> list[str]:
    """reStructuredText simple tables (``===  ===`` borders) as Markdown tables; a row whose first cell is
    empty continues the row above."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _BORDER.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        border = lines[i]
        spans = [m.span() for m in re.finditer(r"=+", border)]
        block, j, borders = [], i + 1, 1
        while j < len(lines) and borders < 3:
            if _BORDER.match(lines[j]):
                borders += 1
                block.append(None)
            elif lines[j].strip():
                block.append(lines[j])
            j += 1
        if borders < 3:  # not a complete table: leave it as it is
            out.append(lines[i])
            i += 1
            continue
        rows: list[list[str]] = []
        header_rows = block.index(None)
        for k, line in enumerate(x for x in block if x is not None):
            cells = [line[a:(spans[n + 1][0] if n + 1 < len(spans) else len(line))].strip()
                     for n, (a, _) in enumerate(spans)]
            if rows and not cells[0] and k >= header_rows:
                rows[-1] = [f"{p} {c}".strip() for p, c in zip(rows[-1], cells, strict=True)]
            else:
                rows.append(cells)
        indent = border[: len(border) - len(border.lstrip())]
        out.append("")
        for n, row in enumerate(rows[:1] + rows[header_rows:] if header_rows == 1 else rows):
            out.append(indent + "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
            if n == 0:
                out.append(indent + "|" + " --- |" * len(spans))
        out.append("")
        i = j
    return out


class _SphinxRoles(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        lines = _simple_tables(lines)
        out, fence = [], False
        for line in lines:
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            if not fence:
                if line.strip().startswith(".. math::"):
                    continue
                line = _ROLE.sub(_role, line)
            out.append(line)
        return out


class SphinxRolesExtension(Extension):
    """Sphinx roles and the math directive of numpydoc docstrings, made readable in Markdown."""

    def extendMarkdown(self, md) -> None:  # Python-Markdown's name
        md.preprocessors.register(_SphinxRoles(md), "greendc_sphinx_roles", 35)


@event_priority(100)  # before mkdocstrings builds its Markdown from the configured extensions
def on_config(config):
    config.markdown_extensions.append(SphinxRolesExtension())
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("mkdocs.plugins.mkdocs_autorefs"):
            logging.getLogger(name).addFilter(_UnitBrackets())
    return config


def on_files(files: Files, config) -> Files:
    root = Path(config["config_file_path"]).parent
    for uri, content in {**_readme_pages(root), **_gallery_pages(root)}.items():
        files.append(File.generated(config, uri, content=content))
    return files
