"""Checks a returned file before python-calamine sees it: no file may take the machine's memory.

Calamine builds a whole sheet in memory, one value per cell of the rectangle from the first
to the last cell that holds something, before ``nrows`` trims it: one cell at XFD1048576 asks
for 17 billion cells (512 GiB) and the process aborts (a Rust abort: no Python exception, no
``finally``). It also holds a part's whole XML while parsing it: a zip bomb of 4 GB of sheet
XML aborts after 1-2 GB. So before a file is opened, ``check``:

- reads the zip's central directory (no inflating): the number of parts, each part's
  uncompressed size (the zip reader calamine uses refuses to inflate past it, measured) and
  its compression ratio;
- reads each sheet's XML (bounded by the part limit just checked) and finds its real extent:
  the last row and column holding a cell with content, exactly as calamine places cells
  (a cell or row without an ``r`` attribute follows the previous one). The ``<dimension>``
  a file declares is not trusted: calamine ignores it, and so does this check.

Limits are far above any real returned workbook (generated sheets hold under 200 rows, 15
columns and 15 KB of XML) and far below what costs memory. A file over one is refused with
one problem in plain words; it never reaches calamine.

.ods files are zips too (``content.xml`` holds every sheet, with repeated rows and cells), and
so are .xlsb files, whose sheets are binary records (``xlsb``: a row header, then cells that
each start with their column), scanned for their real extent the same way;
.xls files are OLE containers whose cells this module does not parse: their extent is bounded
by the format (65,536 x 256) and their size by ``MAX_FILE_BYTES``, and ``bounded`` tells
collect to read them in a worker process whose memory is capped.
"""

from __future__ import annotations

import re
import xml.parsers.expat
import zipfile
import zlib
from pathlib import Path

from ..core.errors import WorkbookError
from . import ods, sheetxml, xlsb

# A returned workbook is ~16 KB; one with pictures pasted in a few MB. Anything bigger is not ours.
MAX_FILE_BYTES = 50 * 1024 * 1024
# Parts (files inside the zip): a workbook has 10-30. Thousands only make the directory itself costly.
MAX_PARTS = 1_000
# Uncompressed size of one part. Generated sheet XML is under 15 KB; Excel's own sheet of 10,000
# filled rows stays under 5 MB. Calamine holds a part's XML whole while parsing it.
MAX_PART_BYTES = 20 * 1024 * 1024
# Uncompressed size of all parts together.
MAX_TOTAL_BYTES = 100 * 1024 * 1024
# Compression ratio of a part over 1 MB. Spreadsheet XML compresses 5-20x; a zip bomb 1,000x.
# Apache POI refuses the same ratio (its ZipSecureFile's minimum inflate ratio, 0.01).
MAX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024
# Rows and columns a sheet may reach. Calamine allocates rows x columns cells (~32 bytes each):
# 5,000 x 256 is ~40 MB, safe; a returned sheet has under 200 rows and under 20 columns, and a
# user adding notes around it never gets near these. 256 columns is old Excel's own limit (IV).
MAX_ROWS = 5_000
MAX_COLUMNS = 256
# How much of an oversized sheet is scanned to say how far its cells go (a nicer refusal than its size).
_SCAN_BYTES = 4 * 1024 * 1024

_ZIP_MAGIC = b"PK"
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# Suffixes calamine reads as a zip of XML sheets (it picks its reader by suffix): checked fully here.
_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xlam")
_ODS_SUFFIXES = (".ods",)
_XLSB_SUFFIXES = (".xlsb",)
_ZIP_SUFFIXES = _XLSX_SUFFIXES + _ODS_SUFFIXES + _XLSB_SUFFIXES


class HostileFile(WorkbookError):
    """A file over one of the limits above, or one calamine would misread (an .xlsb with short
    cells). ``reason`` says which, in plain words, without the path."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def bounded(path: Path) -> bool:
    """True when ``check`` bounds everything calamine will allocate for this file.

    So for .xlsx/.xlsm/.xlsb/.ods, and for any file calamine refuses at its first bytes (it reads
    .xlsx as a zip, .xls as an OLE container). An .xls really read is bounded only by its
    format: collect reads such files in a worker whose memory is capped.
    """
    suffix = path.suffix.lower()
    if suffix in _ZIP_SUFFIXES:
        return True
    head = _head(path)
    return not (head.startswith(_OLE_MAGIC) or head.startswith(_ZIP_MAGIC))


def check(path: Path) -> None:
    """Raise HostileFile when the file at ``path`` is over a limit.

    Every file, in every process that reads one: calamine must never see a file this has not
    checked in full (its size, its zip directory, and the real extent of every sheet).
    """
    try:
        size = path.stat().st_size
    except OSError:
        return  # opening it will say why
    if size > MAX_FILE_BYTES:
        raise HostileFile(path, f"the file is {_mb(size)}; a returned workbook is well under {_mb(MAX_FILE_BYTES)}, "
                                "so it was not read")
    suffix = path.suffix.lower()
    if suffix not in _ZIP_SUFFIXES:
        return  # calamine reads it as an OLE container (bounded by format), or refuses it at once
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        if not _head(path).startswith(_ZIP_MAGIC):
            return  # not a zip at all: calamine refuses it at its first bytes, in its own words
        raise HostileFile(path, f"not an {suffix} workbook, or a corrupt or truncated one ({exc})") from exc
    except OSError:
        return  # opening it will say why
    try:
        with zf:
            if suffix in _ODS_SUFFIXES:
                _check_directory(path, zf, None)
                _check_ods(path, zf)
            elif suffix in _XLSB_SUFFIXES:
                binary = _XlsbSheets(zf)
                _check_directory(path, zf, binary)
                _check_xlsb(path, zf, binary)
            else:
                sheets = _XlsxSheets(zf)
                _check_directory(path, zf, sheets)
                _check_xlsx(path, zf, sheets)
    except zipfile.BadZipFile as exc:
        raise HostileFile(path, f"not an {suffix} workbook, or a corrupt or truncated one ({exc})") from exc
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise HostileFile(path, f"a corrupt workbook ({type(exc).__name__}: {exc})") from exc


def _check_directory(path: Path, zf: zipfile.ZipFile, sheets: _XlsxSheets | _XlsbSheets | None) -> None:
    parts = zf.infolist()
    if len(parts) > MAX_PARTS:
        raise HostileFile(path, f"the file holds {len(parts):,} parts; a workbook has a few dozen "
                                f"(limit {MAX_PARTS:,}), so it was not read")
    total = 0
    for part in parts:
        total += part.file_size
        bomb = part.file_size > _RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1)
        if part.file_size > MAX_PART_BYTES or bomb:
            if isinstance(sheets, _XlsxSheets) and part.filename in sheets.parts:
                _scan_oversized(path, zf, sheets, part.filename)  # says how far its cells go, if too far
            what = f"'{sheets.title(part.filename)}'" if sheets and part.filename in sheets.parts else part.filename
            if bomb:
                ratio = part.file_size // max(part.compress_size, 1)
                raise HostileFile(path, f"{what} unpacks {ratio:,} times larger than it is stored (a zip bomb?); "
                                        f"workbooks compress under {MAX_RATIO} times, so it was not read")
            raise HostileFile(path, f"{what} unpacks to {_mb(part.file_size)}; a workbook's parts "
                                    f"are well under {_mb(MAX_PART_BYTES)}, so it was not read")
    if total > MAX_TOTAL_BYTES:
        raise HostileFile(path, f"the file unpacks to {_mb(total)}; a workbook is well under {_mb(MAX_TOTAL_BYTES)}, "
                                "so it was not read")


# ---- .xlsx: each sheet's extent ------------------------------------------------------------

# The quick test: every row and cell tag starts with its reference (r="..."), as every
# spreadsheet app writes them, none is namespace-prefixed, and no reference reaches row 1,000
# or column IW (257) or holds anything but letters and digits (an entity such as &#88;). Then
# the extent is within 999 x 256 and the exact scan (a Python loop over every cell) is not needed.
_NOT_PLAIN = re.compile(
    rb'''<(?:c|row)(?! r="(?:[A-Za-z]|[A-Ha-h][A-Za-z]|[Ii][A-Va-v])?[0-9]{1,3}")[\s>/]''')
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")  # <x:c ...>: calamine reads it as a cell too
_TARGET = re.compile(rb'''\sTarget\s*=\s*["']([^"']*)["']''')
_SHEET_REL = re.compile(rb"""<Relationship\b[^>]*>""")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class _XlsxSheets:
    """The parts holding sheets (any part a workbook relationship names as a sheet, and everything
    under xl/worksheets/), and, only when a refusal needs it, each one's name as the user sees it."""

    _RELS = "xl/_rels/workbook.xml.rels"

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.targets: dict[str, str] = {}  # relationship id -> part, read only to name a refused sheet
        self._parts: list[str] | None = None

    @property
    def parts(self) -> list[str]:
        """Worked out when first asked."""
        if self._parts is None:
            zf = self.zf
            names = set(zf.namelist())
            found = {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
            if self._RELS in names and zf.getinfo(self._RELS).file_size <= MAX_PART_BYTES:
                for tag in _SHEET_REL.findall(_read_part(zf, self._RELS)):
                    target = _TARGET.search(tag)
                    if b"sheet" in tag and target:  # styles, theme, shared strings are not sheets
                        found.add(_resolve("xl/", target.group(1).decode("utf-8", "replace")))
            self._parts = sorted(found & names)
        return self._parts

    def title(self, part: str) -> str:
        try:
            for tag in _SHEET_REL.findall(_read_part(self.zf, self._RELS)):
                attrs = _attrs(tag)
                self.targets[attrs.get("Id", "")] = _resolve("xl/", attrs.get("Target", ""))
            workbook = _read_part(self.zf, "xl/workbook.xml")
        except KeyError:
            return part
        for tag in re.findall(rb"<(?:[\w.-]+:)?sheet\s[^>]*>", workbook):
            attrs = _attrs(tag)
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            if self.targets.get(rid) == part:
                return attrs.get("name", part)
        return part


def _check_xlsx(path: Path, zf: zipfile.ZipFile, sheets: _XlsxSheets) -> None:
    for part in sheets.parts:
        data = _read_part(zf, part)
        if _NOT_PLAIN.search(data) is None and _PREFIXED.search(data) is None:
            continue  # the quick test says the exact scan (a Python loop over every cell) is not needed
        extent = _Extent()
        extent.feed(data)
        if extent.over():
            raise HostileFile(path, _too_big(sheets.title(part), extent.rows, extent.columns, exact=True))


class _XlsbSheets:
    """The parts holding an .xlsb's sheets, by the names the workbook gives them."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        # The parts are read before the directory check: hold them to its limit here.
        sizes = {info.filename: info.file_size for info in zf.infolist()}
        readable = all(sizes.get(part, MAX_PART_BYTES + 1) <= MAX_PART_BYTES for part in (xlsb.BOOK, xlsb.RELS))
        self.titles = {part: name for name, part in xlsb.sheets(zf, _read_part)} if readable else {}
        self.parts = list(self.titles)

    def title(self, part: str) -> str:
        return self.titles.get(part, part)


def _check_xlsb(path: Path, zf: zipfile.ZipFile, sheets: _XlsbSheets) -> None:
    for part in sheets.parts:
        found = xlsb.scan(_read_part(zf, part))
        if found.rows > MAX_ROWS or found.columns > MAX_COLUMNS:
            raise HostileFile(path, _too_big(sheets.title(part), found.rows, found.columns, exact=True))
        if found.short:  # not a memory risk, but calamine would read the sheet half blank without a word
            raise HostileFile(path, f"'{sheets.title(part)}' is saved in a form of .xlsb the spreadsheet reader "
                                    "cannot read whole (cells without their column, as apps built on SheetJS "
                                    "write them), so it was not read; open it in Excel or LibreOffice and save "
                                    "it as .xlsx")


def _scan_oversized(path: Path, zf: zipfile.ZipFile, sheets: _XlsxSheets, part: str) -> None:
    """Read the start of a sheet too big to read whole, a chunk at a time, and refuse it by its
    extent as soon as its cells go past a limit (else the caller refuses it by its size)."""
    extent = _Extent()
    carry = b""
    read = 0
    with zf.open(part) as fh:
        while read < _SCAN_BYTES and not extent.over():
            chunk = fh.read(1 << 16)  # small: a hostile sheet usually goes past a limit in its first rows
            if not chunk:
                break
            read += len(chunk)
            data = carry + chunk
            cut = data.rfind(b"<")
            cut = len(data) if cut < 0 or len(data) - cut > (1 << 20) else cut
            extent.feed(data[:cut])
            carry = data[cut:]
    if extent.over():
        raise HostileFile(path, _too_big(sheets.title(part), extent.rows, extent.columns, exact=False))


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    out: list[str] = base.rstrip("/").split("/")
    for step in target.split("/"):
        if step == "..":
            out = out[:-1]
        elif step not in ("", "."):
            out.append(step)
    return "/".join(out)


class _Extent:
    """The last row and column holding content, placing cells as calamine does (``sheetxml``); a cell
    written ``<c .../>`` holds nothing."""

    def __init__(self) -> None:
        self.rows = self.columns = 0
        self._cells = sheetxml.Cells()

    def feed(self, data: bytes) -> None:
        for row, column, attrs, _ in self._cells.feed(data):
            if not attrs.endswith(b"/"):
                self.rows, self.columns = max(self.rows, row), max(self.columns, column)

    def over(self) -> bool:
        return self.rows > MAX_ROWS or self.columns > MAX_COLUMNS


def _check_ods(path: Path, zf: zipfile.ZipFile) -> None:
    try:
        over = ods.first_over(zf, MAX_ROWS, MAX_COLUMNS)
    except xml.parsers.expat.ExpatError as exc:
        raise HostileFile(path, f"a corrupt workbook: content.xml is not well-formed ({exc})") from exc
    if over:
        title, rows, columns = over
        raise HostileFile(path, _too_big(title, rows, columns, exact=False))


# ---- helpers ----------------------------------------------------------------------------------


def _too_big(title: str, rows: int, columns: int, *, exact: bool) -> str:
    """Why a sheet is refused. ``exact``: the whole sheet was scanned, so its last row and column are known."""
    if rows > MAX_ROWS:
        count = f"{rows:,} rows" if exact else f"more than {MAX_ROWS:,} rows"
        return (f"'{title}' has {count}; a returned workbook has a few hundred at most (limit {MAX_ROWS:,}), "
                "so it was not read")
    count = f"{columns:,} columns" if exact else f"more than {MAX_COLUMNS:,} columns"
    return (f"'{title}' has {count}; a returned workbook has under 30 (limit {MAX_COLUMNS:,}), "
            "so it was not read")


def _read_part(zf: zipfile.ZipFile, name: str) -> bytes:
    """A part's bytes, at most its declared size (which the directory check bounded).

    Read raw and inflated in one call, not through ``zf.open``: a third of the cost for the
    small parts of a workbook. No CRC check: calamine's zip reader holds parts to their
    declared size itself (measured), and a damaged part only makes calamine refuse the file.
    """
    info = zf.getinfo(name)
    fp = zf.fp
    if fp is None or info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with zf.open(name) as fh:
            return fh.read(MAX_PART_BYTES + 1)
    fp.seek(info.header_offset)
    header = fp.read(30)
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {name!r}")
    fp.seek(info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little"))
    raw = fp.read(min(info.compress_size, MAX_FILE_BYTES))
    limit = min(info.file_size, MAX_PART_BYTES) + 1
    if info.compress_type == zipfile.ZIP_STORED:
        return raw[:limit]
    try:
        return zlib.decompressobj(-15).decompress(raw, limit)
    except zlib.error as exc:
        raise zipfile.BadZipFile(f"{name}: {exc}") from exc


def _attrs(tag: bytes) -> dict[str, str]:
    return {m.group(1).decode("ascii", "replace"): (m.group(2) if m.group(2) is not None else m.group(3) or b"")
            .decode("utf-8", "replace") for m in _ATTR.finditer(tag)}


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(8)
    except OSError:
        return b""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"
