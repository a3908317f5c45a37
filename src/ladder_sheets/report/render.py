"""Renders the summaries with jinja2 (the only jinja2 user). HTML is autoescaped: SE text is data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

from ..core.errors import LadderSheetsError
from ..config.resources import data_dir
from ..core.headline import leadership, team_headline
from ..core.summary import Summary

# Gmail clips HTML bodies over ~102 KB: a manager's email larger than this is rendered compact.
EMAIL_BUDGET = 95 * 1024
# Whose SE-written text (the promotion read-out) reaches leadership: only promotion candidates', or nobody's.
LEADERSHIP_TEXT = ("candidates", "none")
_BAND_COLOURS = {0: ("#C6EFCE", "#006100"), 1: ("#FFEB9C", "#7F6000"), 2: ("#FFC7CE", "#9C0006")}


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def points(value: float | None) -> str:
    """A readiness difference in percentage points, signed."""
    if value is None:
        return "—"
    pts = round(value * 100)
    return f"{'+' if pts > 0 else '−' if pts < 0 else '±'}{abs(pts)} pts"


def points_abs(value: float) -> str:
    """A readiness distance in percentage points, unsigned: "20 pts"."""
    return f"{round(value * 100)} pts"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(data_dir("templates"))),
        autoescape=select_autoescape(["html"], default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(leadership=leadership, team_headline=team_headline)
    env.filters.update(pct=pct, points=points, points_abs=points_abs, score=score)
    return env


_ENV: Environment | None = None


def render(template: str, summary: Summary, trends: Any = None, **context: Any) -> str:
    """Render ``templates/<template>`` for a summary. ``leadership_text`` ("candidates", the default, or
    "none") says whose read-out the leadership summary quotes."""
    return "".join(_chunks(template, summary, trends, **context))


def render_within(budget: int, template: str, summary: Summary, trends: Any = None, **context: Any) -> str | None:
    """``render``, or None once the output passes ``budget`` bytes of UTF-8: the rest is never rendered."""
    parts, size = [], 0
    for part in _chunks(template, summary, trends, **context):
        size += len(part.encode("utf-8"))
        if size > budget:
            return None
        parts.append(part)
    return "".join(parts)


def _chunks(template: str, summary: Summary, trends: Any, **context: Any) -> Iterator[str]:
    """The rendered template, a piece at a time as jinja2 produces it."""
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    band_style = {name: _BAND_COLOURS.get(i, ("#EDEDED", "#404040")) for i, name in enumerate(summary.band_names)}
    context.setdefault("leadership_text", LEADERSHIP_TEXT[0])
    context.setdefault("manager_name", "")
    context.setdefault("compact", False)
    context["asked"] = []  # coaching questions written out so far (compact emails write each once)
    try:
        yield from _ENV.get_template(template).generate(s=summary, t=trends, band_style=band_style, **context)
    except TemplateError as exc:
        raise LadderSheetsError(f"templates/{template}: {exc}") from exc
