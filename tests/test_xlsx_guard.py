"""xlsx.guard: what a file may hold before calamine sees it, placed exactly as calamine places cells."""

from __future__ import annotations

import random
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from ladder_sheets.xlsx import guard, xlsb
from ladder_sheets.xlsx.generate import generate

from ladder_sheets.core.model import Ladder, Roster

from tests.conftest import DUE, QUARTER
from tests.support import hostile
from tests.support.sheetjs import save_as_xlsb

Edit = Callable[[bytes], bytes]


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory, ladder: Ladder, roster: Roster) -> Path:
    out = tmp_path_factory.mktemp("guard")
    generate(ladder, roster, QUARTER, out, due=DUE, jobs=1)
    return next((out / QUARTER).glob("*.xlsx"))


def _rows(*extra: str) -> Edit:
    return lambda xml: xml.replace(b"</sheetData>", "".join(extra).encode() + b"</sheetData>")


def _reason(path: Path) -> str:
    """Why the guard refuses ``path`` ("" when it does not); a refusal always names the file."""
    try:
        guard.check(path)
    except guard.HostileFile as exc:
        assert exc.path == path and str(exc) == f"{path}: {exc.reason}"
        return exc.reason
    return ""


ROWS = f"a returned workbook has a few hundred at most (limit {guard.MAX_ROWS:,}), so it was not read"
COLUMNS = f"a returned workbook has under 30 (limit {guard.MAX_COLUMNS:,}), so it was not read"


@pytest.mark.parametrize(("extra", "reason"), [
    # what spreadsheet apps write, and what calamine ignores: all fine
    ((), ""),
    (('<row r="5000"><c r="IV5000"><v>1</v></c></row>',), ""),  # the last cell within both limits
    (('<row r="5000"><c r="A5000"><v>1</v></c></row>',), ""),  # a value exactly on the row limit
    (('<row r="1048576"><c r="XFD1048576" s="1"/></row>',), ""),  # a formatted, empty cell
    (('<row r="1048576" ht="20" customHeight="1"/>',), ""),  # a row with a height, no cells
    # cells with content beyond a limit
    (('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',), f"'Scorecard' has 1,048,576 rows; {ROWS}"),
    (('<row r="5001"><c r="A5001" t="inlineStr"><is><t>x</t></is></c></row>',), f"'Scorecard' has 5,001 rows; {ROWS}"),
    (('<row r="7"><c r="IW7"><v>1</v></c></row>',), f"'Scorecard' has 257 columns; {COLUMNS}"),
    (('<row r="7"><c r="ZZ7"><v>1</v></c></row>',), f"'Scorecard' has 702 columns; {COLUMNS}"),
    (('<row r="7"><c r="JA7"><v>1</v></c></row>',), f"'Scorecard' has 261 columns; {COLUMNS}"),
    # an entity in a reference: scanned exactly, and calamine refuses it itself ("Expecting alphanumeric")
    (('<row r="7"><c r="IV7"><v>1</v></c><c r="&#73;W7"><v>1</v></c></row>',), ""),
    (('<row r="7"><c r="&#88;FD1048576"><v>1</v></c></row>',), f"'Scorecard' has 881,048,576 rows; {ROWS}"),
    # a reference without its row: left to calamine, which refuses it ("missing the expected row component")
    (('<row r="7"><c r="H"><v>1</v></c></row>',), ""),
    # written in ways no app writes, placed as calamine places them: after the previous row or cell
    (('<row r="4999"><c r="A4999"><v>1</v></c></row>', "<row><c><v>1</v></c></row>"), ""),  # row 5000
    (('<row r="4999"><c r="A4999"><v>1</v></c></row>', "<row><c><v>1</v></c></row>" * 2),
     f"'Scorecard' has 5,001 rows; {ROWS}"),
    (('<row r="9"><c r="IU9"><v>1</v></c><c><v>2</v></c></row>',), ""),  # column 256
    (('<row r="9"><c r="IV9"><v>1</v></c><c><v>2</v></c></row>',), f"'Scorecard' has 257 columns; {COLUMNS}"),
    (("<row r='6000'><c r='A6000'><v>1</v></c></row>",), f"'Scorecard' has 6,000 rows; {ROWS}"),
    (('<row r="6000"><c r="A6000"\n><v>1</v></c></row>',), f"'Scorecard' has 6,000 rows; {ROWS}"),
    (('<x:row r="6000"><x:c r="A6000"><x:v>1</x:v></x:c></x:row>',), f"'Scorecard' has 6,000 rows; {ROWS}"),
    (('<row r="6000"><c s="0" r="A6000"><v>1</v></c></row>',), f"'Scorecard' has 6,000 rows; {ROWS}"),
])
def test_sheet_extent(good: Path, tmp_path: Path, extra: tuple[str, ...], reason: str) -> None:
    path = hostile._rewrite(good, tmp_path / "edited.xlsx", _rows(*extra))
    assert _reason(path) == reason


def test_the_declared_dimension_is_not_trusted(good: Path, tmp_path: Path) -> None:
    """Calamine ignores <dimension>: a huge one alone is harmless, a small one hides nothing."""
    def claim(ref: str) -> Edit:
        return lambda xml: xml.replace(b"<sheetData", f'<dimension ref="{ref}"/><sheetData'.encode(), 1)

    huge = hostile._rewrite(good, tmp_path / "huge.xlsx", claim("A1:XFD1048576"))
    assert _reason(huge) == ""
    small = hostile._rewrite(good, tmp_path / "small.xlsx",
                             lambda xml: _rows('<row r="9000"><c r="A9000"><v>1</v></c></row>')(claim("A1:B2")(xml)))
    assert _reason(small) == f"'Scorecard' has 9,000 rows; {ROWS}"


def test_zip_directory_limits(good: Path, tmp_path: Path) -> None:
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(many, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        for i in range(guard.MAX_PARTS):
            zout.writestr(f"xl/media/pad{i}.bin", b"")
    assert _reason(many) == (f"the file holds {guard.MAX_PARTS + 13:,} parts; a workbook has a few dozen "
                             f"(limit {guard.MAX_PARTS:,}), so it was not read")
    big = tmp_path / "big-part.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("xl/media/picture.bin", random.Random(0).randbytes(guard.MAX_PART_BYTES + 1))
    assert _reason(big) == "xl/media/picture.bin unpacks to 20.0 MB; a workbook's parts are well under 20.0 MB, " \
                           "so it was not read"


def test_a_bomb_of_blank_space_is_refused_by_its_ratio(good: Path, tmp_path: Path) -> None:
    bomb = hostile.zip_bomb(good, tmp_path / "bomb.xlsx", 0.05, with_rows=False)
    assert bomb.stat().st_size < 200_000
    assert _reason(bomb).startswith("'Scorecard' unpacks 1,0")
    assert _reason(bomb).endswith(f"times larger than it is stored (a zip bomb?); workbooks compress under "
                                  f"{guard.MAX_RATIO} times, so it was not read")


def test_a_part_that_unpacks_past_its_declared_size_is_refused_by_calamine(good: Path, tmp_path: Path,
                                                                          ladder: Ladder, roster: Roster) -> None:
    """The guard reads a part only as far as its declared size; calamine's zip reader refuses to go
    further (measured), so a lying directory cannot smuggle a bomb past the size limits."""
    from ladder_sheets.core import layout
    from ladder_sheets.xlsx.reader import UnreadableWorkbook, read_workbook

    long = hostile._rewrite(good, tmp_path / "long.xlsx", _rows('<row r="100"><c r="A100"><v>1</v></c></row>' * 200))
    part = hostile._sheet_part(good, hostile.SHEET)
    with zipfile.ZipFile(long) as z:
        info = z.getinfo(part)
    data = bytearray(long.read_bytes())
    central = data.rindex(part.encode()) - 46
    assert data[central:central + 4] == b"PK\x01\x02"
    for size_at in (central + 24, info.header_offset + 22):  # uncompressed size, in both headers
        data[size_at:size_at + 4] = (100).to_bytes(4, "little")
    lying = tmp_path / "lying.xlsx"
    lying.write_bytes(bytes(data))
    assert _reason(lying) == ""
    wl = layout.build(ladder, roster, roster.people[0], QUARTER, DUE)
    with pytest.raises(UnreadableWorkbook) as caught:
        read_workbook(lying, wl)
    assert "larger than its declared uncompressed size" in caught.value.reason


def test_an_ods_is_held_to_the_same_limits(tmp_path: Path) -> None:
    def ods(rows: str) -> Path:
        path = tmp_path / "sheet.ods"
        content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
                   f'<table:table table:name="Scorecard">{rows}</table:table>'
                   '</office:spreadsheet></office:body></office:document-content>')
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", content)
        return path

    cell = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
    # as LibreOffice writes every sheet: the blank rest of the sheet as one repeated empty row
    blank_rest = ('<table:table-row table:number-rows-repeated="1048575">'
                  '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    assert _reason(ods(f"<table:table-row>{cell}</table:table-row>{blank_rest}")) == ""
    far = f'<table:table-row table:number-rows-repeated="1048575"><table:table-cell/></table:table-row>' \
          f"<table:table-row>{cell}</table:table-row>"
    assert _reason(ods(far)) == f"'Scorecard' has more than 5,000 rows; {ROWS}"
    wide = f'<table:table-row><table:table-cell table:number-columns-repeated="300"/>{cell}</table:table-row>'
    assert _reason(ods(wide)) == f"'Scorecard' has more than 256 columns; {COLUMNS}"
    # exactly on the limits is accepted; one past them is not
    for rows, columns, reason in ((4_999, 255, ""), (5_000, 255, f"'Scorecard' has more than 5,000 rows; {ROWS}"),
                                  (4_999, 256, f"'Scorecard' has more than 256 columns; {COLUMNS}")):
        last = (f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell/></table:table-row>'
                f'<table:table-row><table:table-cell table:number-columns-repeated="{columns}"/>{cell}</table:table-row>')
        assert _reason(ods(last)) == reason, (rows, columns)


def test_only_formats_the_guard_reads_through_are_bounded(good: Path, tmp_path: Path) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    renamed = tmp_path / "renamed.xls"
    renamed.write_bytes(good.read_bytes())
    text = tmp_path / "notes.xls"
    text.write_text("notes", encoding="utf-8")
    assert [guard.bounded(p) for p in (good, xls, renamed, text)] == [True, False, False, True]
    assert _reason(xls) == ""  # bounded by its format and the file size: read in a capped worker


def test_a_file_over_the_size_limit_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as fh:
        fh.truncate(guard.MAX_FILE_BYTES + 1)
    assert _reason(path) == "the file is 50.0 MB; a returned workbook is well under 50.0 MB, so it was not read"


def test_hostile_set_reasons(good: Path, tmp_path: Path) -> None:
    for path, start in hostile.make_set(good, tmp_path, bomb_gigabytes=0.25).items():
        reason = _reason(path)
        if path.name == "notes.xlsx":
            assert reason == ""  # not a zip: calamine refuses it at its first bytes, with its own words
        else:
            assert reason.startswith(start), (path.name, reason)


def test_the_refusal_names_the_file(good: Path, tmp_path: Path) -> None:
    far = hostile.cell_far_away(good, tmp_path / "far.xlsx")
    with pytest.raises(guard.HostileFile) as caught:
        guard.check(far)
    assert caught.value.path == far and str(caught.value) == f"{far}: {caught.value.reason}"
    bomb = hostile.zip_bomb(good, tmp_path / "cell-bomb.xlsx", 0.04)
    with pytest.raises(guard.HostileFile) as caught:
        guard.check(bomb)
    assert str(caught.value) == f"{bomb}: 'Scorecard' has more than 5,000 rows; {ROWS}"


def test_a_file_over_the_size_limit_says_how_big_it_is(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as fh:
        fh.truncate(60 * 1024 * 1024)
    assert _reason(path) == "the file is 60.0 MB; a returned workbook is well under 50.0 MB, so it was not read"
    with path.open("wb") as fh:
        fh.truncate(guard.MAX_FILE_BYTES)
    assert _reason(path) == ""  # exactly on the limit: not refused for its size (nor a zip: calamine refuses it)


@pytest.mark.parametrize(("rows", "cells", "reason"), [
    (5_000, 1, ""), (5_001, 1, f"'Scorecard' has 5,001 rows; {ROWS}"),
    (1, 256, ""), (1, 257, f"'Scorecard' has 257 columns; {COLUMNS}"),
])
def test_rows_and_cells_without_references_count_from_the_first(good: Path, tmp_path: Path, rows: int, cells: int,
                                                                 reason: str) -> None:
    """A sheet written with no r= at all (as calamine places it: row 1, column A, then one after another)."""
    sheet = ("<sheetData>" + ("<row>" + "<c><v>1</v></c>" * cells + "</row>") * rows + "</sheetData>").encode()

    def edit(xml: bytes) -> bytes:
        return xml[:xml.index(b"<sheetData")] + sheet + xml[xml.index(b"</sheetData>") + len(b"</sheetData>"):]
    assert _reason(hostile._rewrite(good, tmp_path / "plain.xlsx", edit)) == reason


@pytest.mark.parametrize("target", ["worksheets/", "./worksheets/", "../xl/worksheets/"])
def test_a_sheet_is_named_whichever_way_its_relationship_points_to_it(good: Path, tmp_path: Path, target: str) -> None:
    """Excel writes relative targets (worksheets/sheet1.xml), openpyxl absolute ones (/xl/worksheets/...)."""
    far = hostile.cell_far_away(good, tmp_path / "far.xlsx")
    edited = hostile._rewrite(far, tmp_path / "edited.xlsx",
                              lambda rels: rels.replace(b'Target="/xl/worksheets/', f'Target="{target}'.encode()),
                              part="xl/_rels/workbook.xml.rels")
    with zipfile.ZipFile(edited) as z:
        assert f'Target="{target}'.encode() in z.read("xl/_rels/workbook.xml.rels")
    assert _reason(edited) == f"'Scorecard' has 1,048,576 rows; {ROWS}"


def _copy(good: Path, out: Path, extra: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w", compression, compresslevel=1) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        for name, data in extra.items():
            zout.writestr(name, data)
    return out


def test_the_zip_limits_are_inclusive(good: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(good) as z:
        count = len(z.infolist())
    pads = {f"xl/media/pad{i}.bin": b"" for i in range(guard.MAX_PARTS - count)}
    assert _reason(_copy(good, tmp_path / "parts.xlsx", pads)) == ""
    exact = random.Random(1).randbytes(guard.MAX_PART_BYTES)
    assert _reason(_copy(good, tmp_path / "part.xlsx", {"xl/media/picture.bin": exact})) == ""
    # Pictures filling the rest up to exactly the total limit (four letters at random: they pack about
    # four times, so the file stays under its own limit).
    with zipfile.ZipFile(good) as z:
        rest = guard.MAX_TOTAL_BYTES - sum(info.file_size for info in z.infolist())
    letters = random.Random(6).randbytes(rest).translate(bytes(b"ACGT"[i % 4] for i in range(256)))
    pieces = {f"xl/media/picture{i}.bin": letters[i * rest // 6:(i + 1) * rest // 6] for i in range(6)}
    full = _copy(good, tmp_path / "total.xlsx", pieces, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(full) as z:
        assert sum(info.file_size for info in z.infolist()) == guard.MAX_TOTAL_BYTES
    assert _reason(full) == ""


def test_parts_each_under_the_limit_can_still_unpack_past_the_total(good: Path, tmp_path: Path) -> None:
    # Four letters at random: packs about four times, far from a bomb, and the file stays under its limit.
    piece = random.Random(2).randbytes(17 * 1024 * 1024).translate(bytes(b"ACGT"[i % 4] for i in range(256)))
    path = _copy(good, tmp_path / "total.xlsx", {f"xl/media/picture{i}.bin": piece for i in range(6)},
                 zipfile.ZIP_DEFLATED)
    reason = _reason(path)
    assert reason.startswith("the file unpacks to 102.") and reason.endswith(
        "MB; a workbook is well under 100.0 MB, so it was not read")


def test_the_bomb_rule_starts_past_1_mb_and_past_100_times(good: Path, tmp_path: Path) -> None:
    """A part of exactly 1 MB, or packed exactly 100 times, is accepted: the limits are inclusive."""
    blank = bytes(1024 * 1024)  # packs about 200 times
    assert _reason(_copy(good, tmp_path / "mb.xlsx", {"xl/media/blank.bin": blank}, zipfile.ZIP_DEFLATED)) == ""
    over = _copy(good, tmp_path / "over.xlsx", {"xl/media/blank.bin": blank + b"\0"}, zipfile.ZIP_DEFLATED)
    assert _reason(over).startswith("xl/media/blank.bin unpacks ")

    def packed(data: bytes) -> int:  # as zipfile packs a part at compresslevel 1
        pack = zlib.compressobj(1, zlib.DEFLATED, -15)
        return len(pack.compress(data) + pack.flush())

    noise, size = random.Random(5).randbytes(12_000), 2 * 1024 * 1024
    for _ in range(50):  # grow the blank tail until the part is exactly 100 times its packed size
        data = noise + bytes(size - len(noise))
        if size == guard.MAX_RATIO * packed(data):
            break
        size = guard.MAX_RATIO * packed(data)
    exact = _copy(good, tmp_path / "exact.xlsx", {"xl/media/blank.bin": data}, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(exact) as z:
        info = z.getinfo("xl/media/blank.bin")
    assert info.file_size == guard.MAX_RATIO * info.compress_size
    assert _reason(exact) == ""

def test_a_cell_cut_by_the_scans_chunk_boundary_is_read_whole(good: Path, tmp_path: Path) -> None:
    """An oversized sheet is scanned 64 KiB at a time: a far cell whose tag straddles the first boundary
    is still found, and the sheet refused by how far its cells go, not by its size."""
    far = b'<row r="6000"><c r="A6000"><v>1</v></c></row>'
    boundary = 1 << 16

    def edit(xml: bytes) -> bytes:
        end = xml.index(b"</sheetData>")
        before = boundary - len(b'<row r="6000"><c r="A6') - end  # the chunk ends inside the cell's tag
        return xml[:end] + b" " * before + far + b" " * (2 * 1024 * 1024) + xml[end:]  # 2 MB of blank: a bomb

    cut = hostile._rewrite(good, tmp_path / "cut.xlsx", edit)
    with zipfile.ZipFile(cut) as z:
        data = z.read(hostile._sheet_part(good, hostile.SHEET))
    assert data[boundary - 8:boundary] == b'<c r="A6'
    assert _reason(cut) == f"'Scorecard' has more than 5,000 rows; {ROWS}"

def test_a_zip_bomb_says_by_how_many_times_in_whole_numbers(good: Path, tmp_path: Path) -> None:
    reason = _reason(hostile.zip_bomb(good, tmp_path / "bomb.xlsx", 0.05, with_rows=False))
    assert re.fullmatch(r"'Scorecard' unpacks [1-9][0-9]{0,2}(,[0-9]{3})* times larger than it is stored .*", reason), reason


def test_an_oversized_part_of_an_ods_is_refused_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "pictures.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("Pictures/photo.bin", random.Random(3).randbytes(guard.MAX_PART_BYTES + 1))
    assert _reason(path) == "Pictures/photo.bin unpacks to 20.0 MB; a workbook's parts are well under 20.0 MB, " \
                            "so it was not read"


def _patch(path: Path, out: Path, at: Callable[[bytearray, zipfile.ZipInfo], None]) -> Path:
    """A copy of ``path`` with the bytes of its Scorecard part's entry changed by ``at``."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(hostile._sheet_part(path, hostile.SHEET))
    data = bytearray(path.read_bytes())
    at(data, info)
    out.write_bytes(bytes(data))
    return out


def test_a_part_damaged_inside_an_intact_zip_is_a_corrupt_workbook(good: Path, tmp_path: Path) -> None:
    def bad_header(data: bytearray, info: zipfile.ZipInfo) -> None:
        data[info.header_offset:info.header_offset + 4] = b"XXXX"

    def encrypted(data: bytearray, info: zipfile.ZipInfo) -> None:
        central = data.rindex(info.filename.encode()) - 46
        data[central + 8] |= 0x1  # the central directory's flag: encrypted

    assert _reason(_patch(good, tmp_path / "header.xlsx", bad_header)).startswith(
        "not an .xlsx workbook, or a corrupt or truncated one (bad local header for")
    assert _reason(_patch(good, tmp_path / "locked.xlsx", encrypted)).startswith("a corrupt workbook (RuntimeError: ")

    def scrambled(data: bytearray, info: zipfile.ZipInfo) -> None:
        start = info.header_offset + 30 + len(info.filename.encode())
        data[start:start + 64] = b"\xff" * 64  # the deflated data itself, not the headers

    assert _reason(_patch(good, tmp_path / "scrambled.xlsx", scrambled)).startswith(
        f"not an .xlsx workbook, or a corrupt or truncated one ({hostile._sheet_part(good, hostile.SHEET)}: ")


def test_an_ods_whose_content_is_not_xml_is_refused_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content><table:table>")
    with pytest.raises(guard.HostileFile) as caught:
        guard.check(path)
    assert str(caught.value).startswith(f"{path}: a corrupt workbook: content.xml is not well-formed (")


def test_parts_whose_headers_carry_extra_fields_are_read_through(good: Path, tmp_path: Path) -> None:
    """Zip tools may add extra fields (timestamps, alignment) to each part's header: the sheet is still found."""
    far = hostile.cell_far_away(good, tmp_path / "far.xlsx")
    padded = tmp_path / "padded.xlsx"
    with zipfile.ZipFile(far) as zin, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            info.extra = b"\x55\x54\x05\x00\x01\x00\x00\x00\x00" + b"\xfe\xca\x03\x00\x00\x00\x00"
            zout.writestr(info, zin.read(info))
    with zipfile.ZipFile(padded) as z:
        part = z.getinfo(hostile._sheet_part(padded, hostile.SHEET))
    data = padded.read_bytes()
    assert int.from_bytes(data[part.header_offset + 28:part.header_offset + 30], "little") == 16
    assert _reason(padded) == f"'Scorecard' has 1,048,576 rows; {ROWS}"


# ---- .xlsb: the same limits, read from its binary records -------------------------------------
# Saved with SheetJS from the generated workbook (LibreOffice cannot save .xlsb, and the LibreOffice
# round trip of conftest's ``returned_xlsb`` is left out of mutation runs): laid out as Excel lays
# one out, every cell with its column.


@pytest.fixture(scope="module")
def good_xlsb(good: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_as_xlsb(good, tmp_path_factory.mktemp("xlsb") / "good.xlsb")


def _xlsb_part(book: Path, title: str) -> str:
    with zipfile.ZipFile(book) as z:
        return next(part for name, part in xlsb.sheets(z, lambda zf, n: zf.read(n)) if name == title)


@pytest.mark.parametrize(("row", "column", "reason"), [
    (4_999, 255, ""),  # a value in the last cell within both limits
    (5_000, 0, f"'Scorecard' has 5,001 rows; {ROWS}"),
    (10, 256, f"'Scorecard' has 257 columns; {COLUMNS}"),
    (1_048_575, 16_383, f"'Scorecard' has 1,048,576 rows; {ROWS}"),
])
def test_an_xlsb_sheet_is_held_to_the_extent_of_its_cells(good_xlsb: Path, tmp_path: Path, row: int, column: int,
                                                          reason: str) -> None:
    assert _reason(good_xlsb) == ""
    assert _reason(hostile.xlsb_cell_at(good_xlsb, tmp_path / "edited.xlsb", row, column)) == reason


def test_an_xlsb_with_cells_without_their_column_is_refused_by_the_sheet_holding_them(good: Path,
                                                                                       tmp_path: Path) -> None:
    short = save_as_xlsb(good, tmp_path / "sheetjs.xlsb", short=True)
    assert _reason(short) == ("'Guide' is saved in a form of .xlsb the spreadsheet reader cannot read whole (cells "
                              "without their column, as apps built on SheetJS write them), so it was not read; open "
                              "it in Excel or LibreOffice and save it as .xlsx")


def test_a_bomb_in_an_xlsb_sheet_is_refused_by_the_sheet_name(good_xlsb: Path, tmp_path: Path) -> None:
    part = _xlsb_part(good_xlsb, hostile.SHEET)
    bomb = tmp_path / "bomb.xlsb"
    with zipfile.ZipFile(good_xlsb) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():  # SheetJS stores its parts: packed here, as a bomb is
            data = zin.read(info)
            zout.writestr(info.filename, data + bytes(2 * 1024 * 1024) if info.filename == part else data)
    assert re.fullmatch(r"'Scorecard' unpacks [0-9,]+ times larger than it is stored \(a zip bomb\?\); workbooks "
                        rf"compress under {guard.MAX_RATIO} times, so it was not read", _reason(bomb))


def test_an_xlsb_without_its_workbook_part_is_left_to_the_reader(good_xlsb: Path, tmp_path: Path) -> None:
    """No list of sheets: nothing for calamine to read either, and it says so itself."""
    for missing in (xlsb.BOOK, xlsb.RELS):
        path = tmp_path / "no-book.xlsb"
        with zipfile.ZipFile(good_xlsb) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename != missing:
                    zout.writestr(info, zin.read(info))
        assert _reason(path) == "", missing


def test_an_xlsb_whose_list_of_sheets_is_exactly_at_the_part_limit_still_has_them_checked(good_xlsb: Path,
                                                                                        tmp_path: Path) -> None:
    far = hostile.xlsb_cell_at(good_xlsb, tmp_path / "far.xlsb", 9_999, 0)

    def pad(book: bytes) -> bytes:
        # One record of a type no reader knows, its body random (so it packs as badly as pictures do).
        length = guard.MAX_PART_BYTES - len(book) - 1 - 4
        size = bytes([(length >> shift & 0x7F) | (0x80 if shift < 21 else 0) for shift in (0, 7, 14, 21)])
        return book + bytes([0x7E]) + size + random.Random(4).randbytes(length)

    padded = hostile._rewrite(far, tmp_path / "padded.xlsb", pad, part=xlsb.BOOK)
    with zipfile.ZipFile(padded) as z:
        assert z.getinfo(xlsb.BOOK).file_size == guard.MAX_PART_BYTES
    assert _reason(padded) == f"'Scorecard' has 10,000 rows; {ROWS}"
