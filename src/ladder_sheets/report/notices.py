"""Renders the workflow emails (hand-out, reminders, SE Ops overview) with jinja2.

Separate from ``render`` (the summaries): these templates take plain values, not a
Summary. HTML is autoescaped: names, evidence and problem text are data, never markup.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

from ..config.resources import data_dir
from ..core.errors import LadderSheetsError

_ENV: Environment | None = None


def render_notice(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` (``.html`` autoescaped, ``.txt`` as is)."""
    global _ENV
    if _ENV is None:
        _ENV = Environment(loader=FileSystemLoader(str(data_dir("templates"))),
                           autoescape=select_autoescape(["html"], default_for_string=False, default=False),
                           undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    try:
        return _ENV.get_template(template).render(**context)
    except TemplateError as exc:
        raise LadderSheetsError(f"templates/{template}: {exc}") from exc
