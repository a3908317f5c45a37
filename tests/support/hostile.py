"""Hostile files, made at test time from a good workbook (never committed: some unpack to gigabytes).

Each one is what anyone can send back as "my workbook": calamine, given any of the first four,
would ask for gigabytes and abort the process reading it.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ladder_sheets.xlsx import xlsb

SHEET = "Scorecard"  # the sheet the hostile content goes in

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def cell_far_away(good: Path, out: Path) -> Path:
    """A 17 KB workbook with one more value, at XFD1048576 (calamine: 17 billion cells, 512 GiB)."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return _rewrite(good, out, lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"))


def cell_at(good: Path, out: Path, ref: str) -> Path:
    """One more value, at ``ref`` (e.g. ``AB6000``: past the guard's limits, yet little memory for calamine)."""
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    cell = f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'.encode()
    return _rewrite(good, out, lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))


def column_to_the_end(good: Path, out: Path) -> Path:
    """Column Z filled down to row 1,048,576, as a user dragging a fill handle too far (~4 MB zipped)."""
    def rows(xml: bytes) -> Iterator[bytes]:
        head, tail = xml.split(b"</sheetData>")
        yield head
        for start in range(200, 1_048_577, 65_536):
            yield b"".join(b'<row r="%d"><c r="Z%d"><v>1</v></c></row>' % (r, r)
                           for r in range(start, min(start + 65_536, 1_048_577)))
        yield b"</sheetData>" + tail
    return _rewrite(good, out, None, stream=rows)


def zip_bomb(good: Path, out: Path, gigabytes: float = 1.0, *, with_rows: bool = True) -> Path:
    """The Scorecard sheet replaced by ``gigabytes`` of sheet XML that compress ~300 times.

    One compressed block is repeated: a full flush makes each copy stand alone, so a 1 GB
    bomb costs a few MB and a fraction of a second to write. ``with_rows``: rows of cells
    without references (400 MB of them ask calamine for ~2 GB); else blank space.
    """
    unit = b"<row><c><v>1</v></c><c><v>2</v></c></row>" if with_rows else b" " * 64
    block = unit * ((4 << 20) // len(unit))
    copies = max(1, int(gigabytes * (1 << 30)) // len(block))
    head = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN_NS}"><sheetData>').encode()
    tail = b"</sheetData></worksheet>"
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    middle = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    last = deflate.compress(tail) + deflate.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(copies):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + copies * len(block) + len(tail)
    target = _sheet_part(good, SHEET)
    with zipfile.ZipFile(good) as zin:
        parts = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with out.open("wb") as fh:
        entries = []
        for name, data in parts:
            offset = fh.tell()
            if name == target:
                pieces = [first, *([middle] * copies), last]
                entries.append(_write_entry(fh, name, crc, sum(len(p) for p in pieces), size, pieces, offset))
            else:
                packed = zlib.compressobj(6, zlib.DEFLATED, -15)
                body = packed.compress(data) + packed.flush()
                entries.append(_write_entry(fh, name, zlib.crc32(data), len(body), len(data), [body], offset))
        _write_directory(fh, entries)
    return out


def xlsb_cell_at(good: Path, out: Path, row: int, column: int) -> Path:
    """An .xlsb with one more number in its Scorecard, at ``row`` and ``column`` (from 0), as binary records."""
    def record(kind: int, body: bytes) -> bytes:
        head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
        size, length = bytearray(), len(body)
        while True:
            size.append((length & 0x7F) | (0x80 if length > 0x7F else 0))
            length >>= 7
            if not length:
                return head + bytes(size) + body

    far = record(0x0000, struct.pack("<I", row) + bytes(21)) + record(0x0005, struct.pack("<IId", column, 0, 1.0))
    with zipfile.ZipFile(good) as z:
        part = next(p for name, p in xlsb.sheets(z, lambda zf, n: zf.read(n)) if name == SHEET)
    end_of_data = bytes([0x92, 0x01, 0x00])  # BrtEndSheetData, an empty record

    def edit(data: bytes) -> bytes:
        at = max(start - 3 for kind, start, _ in xlsb.records(data) if kind == 0x0092)
        assert data[at:at + 3] == end_of_data
        return data[:at] + far + data[at:]

    return _rewrite(good, out, edit, part=part)


def truncated(good: Path, out: Path) -> Path:
    """A real workbook cut short, as an interrupted download leaves it."""
    out.write_bytes(good.read_bytes()[:4000])
    return out


def not_a_zip(out: Path) -> Path:
    out.write_bytes(b"These are my meeting notes, not a workbook.\n" * 50)
    return out


def make_set(good: Path, directory: Path, *, bomb_gigabytes: float = 1.0) -> dict[Path, str]:
    """The hostile set of issue 9 in ``directory``: path -> the start of the problem each must give."""
    return {
        cell_far_away(good, directory / "far-cell.xlsx"): f"'{SHEET}' has 1,048,576 rows;",
        column_to_the_end(good, directory / "long-column.xlsx"): f"'{SHEET}' has more than",
        zip_bomb(good, directory / "zip-bomb.xlsx", bomb_gigabytes, with_rows=False): f"'{SHEET}' unpacks",
        zip_bomb(good, directory / "cell-bomb.xlsx", bomb_gigabytes * 0.4): f"'{SHEET}' has more than",
        truncated(good, directory / "truncated.xlsx"): "not an .xlsx workbook, or a corrupt or truncated one",
        not_a_zip(directory / "notes.xlsx"): "not an .xlsx workbook, or a corrupt or truncated one",
    }


# ---- writing zips -------------------------------------------------------------------------


def _sheet_part(book: Path, title: str) -> str:
    with zipfile.ZipFile(book) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{title}"[^>]*r:id="([^"]+)"', workbook)
    assert rid, f"no sheet {title!r} in {book}"
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    assert target
    return target.group(1).lstrip("/") if target.group(1).startswith("/xl/") else f"xl/{target.group(1)}"


def _rewrite(good: Path, out: Path, edit: Callable[[bytes], bytes] | None, *,
             stream: Callable[[bytes], Iterator[bytes]] | None = None, part: str = "") -> Path:
    """Copy ``good`` with the Scorecard's part (its XML, or ``part``) edited (``edit(data)``) or replaced
    by ``stream(data)``'s pieces."""
    target = part or _sheet_part(good, SHEET)
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename != target:
                zout.writestr(info, data)
            elif stream is not None:
                streamed = zipfile.ZipInfo(info.filename)
                streamed.compress_type = zipfile.ZIP_DEFLATED
                with zout.open(streamed, "w", force_zip64=True) as fh:
                    for piece in stream(data):
                        fh.write(piece)
            elif edit is not None:
                zout.writestr(info, edit(data))
    return out


def _write_entry(fh: BinaryIO, name: str, crc: int, packed: int, size: int, pieces: list[bytes],
                 offset: int) -> tuple[str, int, int, int, int]:
    encoded = name.encode()
    fh.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, packed, size,
                         len(encoded), 0) + encoded)
    for piece in pieces:
        fh.write(piece)
    return name, crc, packed, size, offset


def _write_directory(fh: BinaryIO, entries: list[tuple[str, int, int, int, int]]) -> None:
    start = fh.tell()
    for name, crc, packed, size, offset in entries:
        encoded = name.encode()
        fh.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, packed, size,
                             len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    end = fh.tell()
    fh.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                         end - start, start, 0))
