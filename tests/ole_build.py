"""Build real Word 97 binary (.doc) files for tests: a minimal Compound File writer.

No maintained Python library writes .doc, and olefile only reads; this writes the smallest
valid CFB v3 container (no mini stream: every stream is padded to >= 4096 bytes) holding a
WordDocument stream with a FIB and a 1Table stream with the piece table, which is what
Word itself reads first.
"""
from __future__ import annotations

import struct

_SECT = 512
_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _pad(b: bytes, n: int) -> bytes:
    size = max(len(b), n)
    size = (size + _SECT - 1) // _SECT * _SECT
    return b + b"\0" * (size - len(b))


def _dir_entry(name: str, kind: int, child=_FREE, left=_FREE, right=_FREE, start=_END, size=0) -> bytes:
    raw = (name + "\0").encode("utf-16-le") if name else b""
    e = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
    e += struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
    e += struct.pack("<IQ", start, size)
    assert len(e) == 128
    return e


def cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file whose root holds the given streams (names sorted as CFB requires)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    body = b""
    fat: list[int] = []
    starts = {}
    streams = {k: v.ljust(4096, b"\0") for k, v in streams.items()}  # below 4096 = mini stream
    for name in names:
        data = _pad(streams[name], 4096)
        start = len(fat)
        n = len(data) // _SECT
        fat.extend(range(start + 1, start + n))
        fat.append(_END)
        starts[name] = start
        body += data
    dir_start = len(fat)
    entries = [_dir_entry("Root Entry", 5, child=1)]
    for i, name in enumerate(names, 1):
        right = i + 1 if i < len(names) else _FREE
        entries.append(_dir_entry(name, 2, right=right, start=starts[name], size=len(streams[name])))
    while len(entries) % 4:
        entries.append(_dir_entry("", 0))
    dir_bytes = b"".join(entries)
    ndir = len(dir_bytes) // _SECT
    fat.extend(range(dir_start + 1, dir_start + ndir))
    fat.append(_END)
    body += dir_bytes
    fat_start = len(fat)
    fat.append(_FATSECT)
    assert len(fat) <= 128
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", _FREE) * (128 - len(fat))
    body += fat_bytes
    difat = [fat_start] + [_FREE] * 108
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, dir_start, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == 512
    return header + body


def word_doc(text: str, ascii_prefix: str = "", encrypted: bool = False) -> bytes:
    """A .doc whose main story is ``ascii_prefix`` (an 8-bit piece) + ``text`` (UTF-16)."""
    text_at = 0x800
    prefix = ascii_prefix.encode("cp1252")
    utf16 = text.encode("utf-16-le")
    compressed_at = text_at + len(utf16)
    fib = bytearray(text_at)
    struct.pack_into("<H", fib, 0, 0xA5EC)
    struct.pack_into("<H", fib, 0x0A, 0x0200 | (0x0100 if encrypted else 0))
    n_prefix, n_text = len(ascii_prefix), len(text)
    struct.pack_into("<i", fib, 0x4C, n_prefix + n_text)
    pieces = []
    cps = [0]
    if n_prefix:
        pieces.append(struct.pack("<HIH", 0, (compressed_at * 2) | 0x40000000, 0))
        cps.append(n_prefix)
    pieces.append(struct.pack("<HIH", 0, text_at, 0))
    cps.append(cps[-1] + n_text)
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(pieces)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, 0x01A2, 0, len(clx))
    word = bytes(fib) + utf16 + prefix
    return cfb({"WordDocument": word, "1Table": clx})
