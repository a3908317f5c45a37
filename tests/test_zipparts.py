"""zipparts: archives assembled from parts compressed once are valid zips holding exactly the parts' bytes."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from datetime import date
from typing import Any
from xml.etree.ElementTree import canonicalize

import pytest

from ladder_sheets.core import layout
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.xlsx import zipparts
from ladder_sheets.xlsx.batch import TemplateWriter
from ladder_sheets.xlsx.writer import workbook_bytes
from ladder_sheets.xlsx.zipparts import ZipPlan

DUE = date(2026, 12, 7)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (2026, 12, 1, 13, 37, 42))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _raw(archive: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes, as stored."""
    name_len, extra_len = struct.unpack("<2H", archive[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    return archive[start:start + info.compress_size]


@pytest.mark.parametrize("value", [b"", b"Bo & Co", "Ünïcödé “quotes”".encode(), b"x" * 70_000])
def test_an_assembled_archive_holds_every_part(value: bytes) -> None:
    plan = ZipPlan()
    plan.fixed(_info("fixed.xml"), b"<a>" + b"static " * 500 + b"</a>")
    plan.cut(_info("cut.xml"), [b"<p>", "name", b"</p><q>" + b"more " * 300, "name", b"</q><r>", "team", b""])
    plan.cut(_info("naïve/other.xml"), [b"", "team", b"<w/>"])  # a non-ASCII file name: UTF-8 flagged
    archive = plan.build({"name": value, "team": b"T"})
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert zf.testzip() is None  # every CRC and size checks out
        assert zf.namelist() == ["fixed.xml", "cut.xml", "naïve/other.xml"] == list(plan.names)
        assert zf.read("cut.xml") == b"<p>" + value + b"</p><q>" + b"more " * 300 + value + b"</q><r>T"
        assert zf.read("naïve/other.xml") == b"T<w/>"
        info = zf.getinfo("fixed.xml")
        assert (info.date_time, info.external_attr, info.compress_type) == ((2026, 12, 1, 13, 37, 42), 0o644 << 16, 8)


def test_a_fixed_part_is_zipfiles_own_compression_copied() -> None:
    data = b"<sheet>" + b"".join(b"<c r='A%d'>%d</c>" % (i, i * i) for i in range(2000)) + b"</sheet>"
    reference = io.BytesIO()
    with zipfile.ZipFile(reference, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_info("s.xml"), data)
    plan = ZipPlan()
    plan.fixed(_info("s.xml"), data)
    ours = plan.build({})
    with zipfile.ZipFile(io.BytesIO(ours)) as a, zipfile.ZipFile(reference) as b:
        assert _raw(ours, a.getinfo("s.xml")) == _raw(reference.getvalue(), b.getinfo("s.xml"))


@pytest.mark.parametrize("carried", [False, True])
def test_a_workbook_from_a_template_compresses_nothing(ladder: Ladder, roster: Roster, carried: bool,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    carry = {p.id: {f"carry.criteria.{c.id}.evidence": f"{p.id}: deal {i}"
                    for i, c in enumerate(ladder.rubric_for(p.target_level).criteria)} for p in roster.people}
    writer = TemplateWriter(ladder, roster, "2026-Q4", DUE, carry if carried else None)
    for person in roster.people:  # every shape's template
        writer.render(person)
    calls: list[Any] = []
    real = zlib.compressobj
    monkeypatch.setattr(zipparts.zlib, "compressobj", lambda *a: calls.append(a) or real(*a))
    for person in roster.people:
        with zipfile.ZipFile(io.BytesIO(writer.render(person))) as zf:
            assert zf.testzip() is None
            assert (f"{person.id}: deal 0".encode() in b"".join(zf.read(n) for n in zf.namelist())) is carried
    assert calls == []


def _parts(data: bytes) -> dict[str, str]:
    """Every part's XML in canonical form, with the write time taken out of the document properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        texts = {n: canonicalize(zf.read(n).decode("utf-8")) for n in zf.namelist()}
    stamp = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*")
    return {n: stamp.sub(r"\1", t) for n, t in texts.items()}


def test_every_part_is_the_direct_writes_xml(ladder: Ladder, roster: Roster) -> None:
    writer = TemplateWriter(ladder, roster, "2026-Q4", DUE)
    for person in roster.people:
        writer.render(person)
    for person in roster.people:
        direct = workbook_bytes(layout.build(ladder, roster, person, "2026-Q4", DUE))
        assert _parts(writer.render(person)) == _parts(direct), person.id
