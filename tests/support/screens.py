"""Look at what people get: emails in headless Chromium, workbooks and packets as PDF pages.

Chromium and poppler-utils are installed by ``make test`` (Makefile ``system-deps``), LibreOffice too.
When one is missing this fails loudly; it never skips.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.libreoffice import soffice

# Widest right edge of anything not inside a box that scrolls sideways on its own, once the
# page is laid out at the width under test: above that width, the reader scrolls the page.
_MEASURE = """<script>(function(){var w=0;document.querySelectorAll('body *').forEach(function(e){
var p=e.parentElement,inner=false;while(p&&p!==document.body){var o=getComputedStyle(p).overflowX;
if(o==='auto'||o==='scroll'){inner=true;break;}p=p.parentElement;}
if(!inner){w=Math.max(w,Math.ceil(e.getBoundingClientRect().right));}});
document.body.setAttribute('data-widest',String(w));})();</script>"""


def _exe(*names: str) -> str:
    for name in names:
        if (found := shutil.which(name)) is not None:
            return found
    raise RuntimeError(f"{names[0]} is not installed; run `make test`, which installs it (Makefile system-deps)")


def _chromium(*args: str, timeout: float = 60) -> str:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        cmd = [_exe("chromium", "chromium-browser"), "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
               "--hide-scrollbars", f"--user-data-dir={profile}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False).stdout


def widest(html: str, width: int, tmp: Path) -> int:
    """The widest right edge (px) of the page's content outside its own scroll boxes, laid out ``width`` px wide."""
    page = tmp / f"measure-{width}.html"
    page.write_text(html.replace("</head>", f"<style>html{{width:{width}px}}</style></head>", 1)
                    .replace("</body>", _MEASURE + "</body>", 1), encoding="utf-8")
    dom = _chromium(f"--window-size={max(width, 500)},1000", "--dump-dom", page.as_uri())
    found = re.search(r'data-widest="(\d+)"', dom)
    if found is None:
        raise RuntimeError(f"chromium did not lay out {page}: {dom[:200]!r}")
    return int(found.group(1))


def screenshot(html_path: Path, png: Path, width: int, height: int = 2000) -> Path:
    _chromium(f"--screenshot={png}", f"--window-size={width},{height}", html_path.as_uri())
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot of {html_path}")
    return png


def to_pdf(path: Path, outdir: Path, timeout: float = 180) -> Path:
    """A workbook as LibreOffice prints it (its page setup applied)."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        proc = subprocess.run([soffice(), "--headless", "--norestore", "--nolockcheck",
                               f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf", "--outdir",
                               str(outdir), str(path)], capture_output=True, text=True, timeout=timeout, check=False)
    out = outdir / path.with_suffix(".pdf").name
    if not out.exists():  # soffice exits 0 even when it fails
        raise RuntimeError(f"LibreOffice did not print {path}: {proc.stderr.strip()}")
    return out


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (poppler's pdftotext), to check what landed on which page."""
    text = subprocess.run([_exe("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def pdf_to_png(pdf: Path, stem: Path, dpi: int = 50) -> list[Path]:
    subprocess.run([_exe("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(stem)], check=True, timeout=120)
    return sorted(stem.parent.glob(f"{stem.name}-*.png"))
