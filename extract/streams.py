"""A cap on how far one PDF stream may inflate, enforced while inflating it, not after.

A decompression bomb (a few MB of deflate inflating to gigabytes) grew the worker to its memory limit
(1.86 GB for a 2 GB bomb) before it was stopped; with several workers at once, that is how one file
takes a machine down. pdfminer inflates every stream in ``PDFStream.decode`` with
``zlib.decompress``, ``lzwdecode`` and ``rldecode``, with no limit, and it creates its streams
itself (a subclass could not be put in their place). So ``install()`` points those three names in
``pdfminer.pdftypes`` at capped versions: the one place where jixiao changes pdfminer. A stream that
would inflate past ``JIXIAO_MAX_STREAM_MB`` (default 256) raises ``DecompressionBomb`` once that
much is inflated; the memory limit of the worker stays the backstop.

Image filters (DCT, JPX, JBIG2, CCITT) are not decoded by the layout; pdfium (the triage, the OCR's
rendering) decodes in a forked child under the worker's memory limit.
"""

from __future__ import annotations

import os
import zlib
from io import BytesIO

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder
from pdfminer.runlength import rldecode

CHUNK = 16 << 20  # inflated a chunk at a time: a bomb stops one chunk past the cap


class DecompressionBomb(MemoryError):
    """A MemoryError, so that pdfminer's and pdfplumber's wrappers pass it on as they pass a real one."""


def max_stream_bytes() -> int:
    return int(os.environ.get("JIXIAO_MAX_STREAM_MB", 256)) << 20


def _refuse(cap: int) -> DecompressionBomb:
    return DecompressionBomb(f"decompression bomb: a stream inflates past {cap >> 20} MB "
                             "(limit JIXIAO_MAX_STREAM_MB)")


def inflate(data: bytes) -> bytes:
    """``zlib.decompress(data)``, refused once its output passes the cap."""
    cap, inflater = max_stream_bytes(), zlib.decompressobj()
    chunks, size = [], 0
    while True:
        chunk = inflater.decompress(data, CHUNK)
        size += len(chunk)
        if size > cap:
            raise _refuse(cap)
        chunks.append(chunk)
        data = inflater.unconsumed_tail
        if inflater.eof or (not data and len(chunk) < CHUNK):  # less than asked for: input used up
            break
    if not inflater.eof:  # as zlib.decompress says it, so that pdfminer tries its corrupt-data reading
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return b"".join(chunks)


def lzwdecode(data: bytes) -> bytes:
    cap, chunks, size = max_stream_bytes(), [], 0
    for chunk in LZWDecoder(BytesIO(data)).run():
        size += len(chunk)
        if size > cap:
            raise _refuse(cap)
        chunks.append(chunk)
    return b"".join(chunks)


def run_length_decode(data: bytes) -> bytes:
    """``rldecode``, after counting what it would write (at most 64 times its input)."""
    cap, size, i = max_stream_bytes(), 0, 0
    while i < len(data) and data[i] != 128:  # 128 ends the data
        length = data[i]
        size, i = (size + length + 1, i + length + 2) if length < 128 else (size + 257 - length, i + 2)
    if size > cap:
        raise _refuse(cap)
    return rldecode(data)


class _Zlib:
    """What ``pdfminer.pdftypes`` uses of the zlib module, with ``decompress`` capped (its reading of
    corrupt data, ``decompressobj`` byte by byte, only runs after ``decompress`` failed under the cap)."""

    decompress = staticmethod(inflate)
    decompressobj = staticmethod(zlib.decompressobj)
    error = zlib.error


def install() -> None:
    pdftypes.zlib = _Zlib
    pdftypes.lzwdecode = lzwdecode
    pdftypes.rldecode = run_length_decode
