"""Zip archives assembled from parts compressed once: the template fast path's writer.

A workbook of a given shape differs from the next one only in a few strings. Every part
without them is deflated once per shape and its compressed bytes are copied into each
archive as they are. A part holding them is cut at each string: the pieces in between are
deflated once, each ending on a full flush (byte-aligned, no reference back into an
earlier piece), so the person's strings can go in between as stored deflate blocks and
the pieces join into one valid deflate stream, ended by an empty final block. Per person
that leaves a CRC-32 and a few header fields to write: no compression at all.

Only what zipfile itself writes for these parts is written (no zip64, no data
descriptors, no extra fields), so any zip reader opens the result.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zipfile import ZipInfo

_LOCAL = struct.Struct("<4s5H3L2H")  # zipfile's structFileHeader
_END = struct.Struct("<4s4H2LH")  # zipfile's structEndArchive
_DEFLATED = 8
_STORED_MAX = 0xFFFF
_FINAL_EMPTY_BLOCK = b"\x01\x00\x00\xff\xff"  # BFINAL=1, stored, length 0


_CENTRAL_HEAD = struct.Struct("<4s4B4H3L5HL")  # zipfile's structCentralDir but its last field, the offset
_OFFSET = struct.Struct("<L")


@dataclass(frozen=True)
class _Header:
    """What a part's local and central headers share, apart from sizes, CRC and offset."""

    info: ZipInfo
    name: bytes
    flags: int
    time: int  # MS-DOS time and date
    date: int

    @classmethod
    def of(cls, info: ZipInfo) -> _Header:
        y, mo, d, h, mi, s = info.date_time
        time, date = h << 11 | mi << 5 | s // 2, (y - 1980) << 9 | mo << 5 | d
        flags = info.flag_bits & ~0x08  # sizes go in the header: no data descriptor
        try:
            return cls(info, info.filename.encode("ascii"), flags, time, date)
        except UnicodeEncodeError:
            return cls(info, info.filename.encode("utf-8"), flags | 0x800, time, date)

    def local(self, crc: int, compressed: int, size: int) -> bytes:
        return _LOCAL.pack(b"PK\x03\x04", self.info.extract_version, self.flags, _DEFLATED, self.time, self.date,
                           crc, compressed, size, len(self.name), 0) + self.name

    def central(self, crc: int, compressed: int, size: int) -> tuple[bytes, bytes]:
        """The central directory record around its offset: (before, after)."""
        i = self.info
        head = _CENTRAL_HEAD.pack(b"PK\x01\x02", i.create_version, i.create_system, i.extract_version, i.reserved,
                                  self.flags, _DEFLATED, self.time, self.date, crc, compressed, size,
                                  len(self.name), 0, 0, 0, i.internal_attr, i.external_attr)
        return head, self.name


def _deflate(data: bytes) -> bytes:
    """Raw deflate, as zipfile compresses (zlib's default level)."""
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


_STORED_HEAD = struct.Struct("<BHH")  # BFINAL=0, BTYPE=00 (stored), LEN, NLEN


def _stored(data: bytes) -> bytes:
    """``data`` as non-final stored deflate blocks (the stream is byte-aligned where they go)."""
    if len(data) <= _STORED_MAX:  # a person's name or address: one block
        return _STORED_HEAD.pack(0, len(data), len(data) ^ 0xFFFF) + data
    out = []
    for start in range(0, len(data), _STORED_MAX):
        chunk = data[start:start + _STORED_MAX]
        out.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(out)


@dataclass(frozen=True)
class _Fixed:
    """A part compressed once: its local header and data, and its central record, ready to copy."""

    local: bytes
    central: tuple[bytes, bytes]

    @classmethod
    def of(cls, info: ZipInfo, data: bytes) -> _Fixed:
        header, crc, body = _Header.of(info), zlib.crc32(data), _deflate(data)
        return cls(header.local(crc, len(body), len(data)) + body, header.central(crc, len(body), len(data)))


@dataclass(frozen=True)
class _Cut:
    """A part cut at its per-person strings: ``texts[0] key[0] texts[1] key[1] ... texts[-1]``."""

    header: _Header
    texts: tuple[bytes, ...]
    keys: tuple[str, ...]
    deflated: tuple[bytes, ...]  # each text deflated on its own, ending on a full flush

    def body(self, values: Mapping[str, bytes]) -> tuple[int, int, bytes]:
        """(CRC-32, size, deflated bytes) of the part with ``values`` in it."""
        crc32 = zlib.crc32
        crc, size = crc32(self.texts[0]), len(self.texts[0])
        pieces = [self.deflated[0]]
        for key, text, deflated in zip(self.keys, self.texts[1:], self.deflated[1:]):
            value = values[key]
            pieces += (_stored(value), deflated)
            crc = crc32(text, crc32(value, crc))
            size += len(value) + len(text)
        pieces.append(_FINAL_EMPTY_BLOCK)
        return crc, size, b"".join(pieces)


def _cut(header: _Header, chunks: Sequence[bytes | str]) -> _Cut:
    texts = tuple(c for c in chunks[0::2] if isinstance(c, bytes))
    keys = tuple(c for c in chunks[1::2] if isinstance(c, str))
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    deflated = tuple(c.compress(t) + c.flush(zlib.Z_FULL_FLUSH) for t in texts)
    return _Cut(header, texts, keys, deflated)


class ZipPlan:
    """One archive's parts in order: fixed ones (compressed once) and cut ones (filled per archive)."""

    def __init__(self) -> None:
        self._parts: list[_Fixed | _Cut] = []
        self._names: list[str] = []

    def fixed(self, info: ZipInfo, data: bytes) -> None:
        """A part every archive holds unchanged."""
        self._parts.append(_Fixed.of(info, data))
        self._names.append(info.filename)

    def cut(self, info: ZipInfo, chunks: Sequence[bytes | str]) -> None:
        """A part of text chunks (bytes) and, between them, the keys (str) of per-archive values."""
        self._parts.append(_cut(_Header.of(info), chunks))
        self._names.append(info.filename)

    def build(self, values: Mapping[str, bytes]) -> bytes:
        """The archive with ``values`` (key -> bytes) in the cut parts."""
        out: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for part in self._parts:
            if isinstance(part, _Fixed):
                local, (before, after) = part.local, part.central
            else:
                crc, size, body = part.body(values)
                local = part.header.local(crc, len(body), size) + body
                before, after = part.header.central(crc, len(body), size)
            out.append(local)
            central += (before, _OFFSET.pack(offset), after)
            offset += len(local)
        directory = b"".join(central)
        count = len(self._parts)
        end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
        return b"".join((*out, directory, end))

    @property
    def names(self) -> Iterable[str]:
        return list(self._names)
