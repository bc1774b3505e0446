"""A faster reader of PDF content streams for pdfminer's page interpreter, giving the same objects.

pdfminer tokenizes content streams one byte-state at a time in Python (``PSBaseParser``); on report
pages that is over half of the whole extraction time. ``FastInterpreter`` reads each stream with
one regular expression into exactly the operands and operators pdfminer's ``PDFContentParser``
would produce, then runs pdfminer's own operator methods on them. Whatever this reader does not
mirror exactly (inline images, ``#`` escapes in names, unbalanced brackets, odd dictionaries,
tokens cut between two streams, ``\\<CR>`` in strings) sends the page down pdfminer's own path.
"""

from __future__ import annotations

import re

from pdfminer import settings
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import ESC_STRING, KWD, LIT, PSKeyword, literal_name

_DELIMITED = rb"[^#/%\[\]()<>{}\s]*"  # the body of a name or keyword: up to the next delimiter
_NUMBER = rb"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"  # a number pdfminer reads whole, never a lone sign
_TOKEN = re.compile(  # whitespace (NUL too) then one token; a comment or the end is a "skip"
    rb"[\x00\s]*(?:(?P<skip>%[^\r\n]*|\Z)"
    # the common case in one match: an operator after numbers ("56.8 797.5 Td")
    rb"|(?P<numbers>(?:" + _NUMBER + rb"\s+)+)(?P<operator>[A-Za-z]" + _DELIMITED + rb")"
    rb"|(?P<num>[-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*)"
    rb"|(?P<kw>[A-Za-z]" + _DELIMITED + rb")"
    rb"|/(?P<name>" + _DELIMITED + rb")(?P<hash>#)?"
    rb"|(?P<str>\((?:[^()\\]|\\[\s\S])*\))"
    rb"|(?P<nested>\()"
    rb"|(?P<dopen><<)|(?P<dclose>>>)|(?P<gt>>)"
    rb"|<(?P<hex>[0-9A-Fa-f\s]*)(?=>)"
    rb"|(?P<lt><)"
    rb"|(?P<one>[\s\S]))"
)
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|([\s\S]))")
_PAREN = re.compile(rb"[()\\]")
_SPACE = re.compile(rb"\s")
_HEX_PAIR = re.compile(rb"[0-9a-fA-F]{2}|.")
_OPEN = {KWD(b"["): "a", KWD(b"{"): "p"}
_CLOSE = {KWD(b"]"): "a", KWD(b"}"): "p"}
_INLINE_IMAGE = {KWD(b"BI"), KWD(b"ID")}
_KEYWORDS: dict[bytes, PSKeyword] = {}  # pdfminer's interned keywords, looked up without a call


class Irregular(Exception):
    """Content this reader does not mirror exactly: the page goes through pdfminer's parser."""


def content_objects(streams: list[bytes]) -> list:
    """The top-level operands and operators of the page's streams, as ``PDFContentParser`` gives them."""
    top: list = []
    current = top
    contexts: list[tuple[str, list]] = []  # open arrays, procedures, dictionaries

    def close(kind: str) -> list:
        nonlocal current
        if not contexts or contexts[-1][0] != kind:
            raise Irregular("unbalanced bracket")
        done, current = current, contexts.pop()[1]
        return done

    for number, data in enumerate(streams):
        if number < len(streams) - 1 and data[-1:] in (b"/", b"<", b">"):
            raise Irregular("a token may run on into the next stream")
        if b"\\\r" in data:
            raise Irregular("line continuation with CR in a string")
        pos = 0
        while pos < len(data):
            for m in _TOKEN.finditer(data, pos):
                kind = m.lastgroup
                pos = m.end()
                if kind == "operator":
                    current.extend(_numbers(m.group("numbers")))
                    kind = "kw"
                if kind == "num":
                    text = m.group(kind)
                    try:
                        current.append(float(text) if b"." in text else int(text))
                    except ValueError:  # a lone sign or point: pdfminer drops it
                        pass
                elif kind == "kw":
                    word = m.group(m.lastgroup)
                    if word == b"true" or word == b"false":
                        current.append(word == b"true")
                        continue
                    keyword = _KEYWORDS.get(word) or _KEYWORDS.setdefault(word, KWD(word))
                    if keyword in _INLINE_IMAGE:
                        raise Irregular("inline image")
                    current.append(keyword)
                elif kind == "skip":
                    continue
                elif kind == "name":
                    name = m.group(kind)
                    try:
                        current.append(LIT(str(name, "utf-8")))
                    except UnicodeDecodeError:
                        current.append(LIT(name))
                elif kind == "str":
                    current.append(_unescape(m.group(kind)[1:-1]))
                elif kind == "hex":
                    current.append(_hex(m.group(kind)))
                elif kind == "one":
                    keyword = KWD(m.group(kind))
                    if keyword in _OPEN:
                        contexts.append((_OPEN[keyword], current))
                        current = []
                    elif keyword in _CLOSE:
                        done = close(_CLOSE[keyword])
                        current.append(done)
                    else:
                        current.append(keyword)
                elif kind == "dopen":
                    contexts.append(("d", current))
                    current = []
                elif kind == "dclose":
                    items = close("d")
                    if len(items) % 2:
                        raise Irregular("odd dictionary")
                    current.append({literal_name(k): v for k, v in zip(items[::2], items[1::2])
                                    if v is not None})
                elif kind == "nested":  # a string holding balanced parentheses
                    start = m.start(kind)
                    pos = _string_end(data, start)
                    current.append(_unescape(data[start + 1:pos - 1]))
                    break  # go on from the string's end
                elif kind == "hash":
                    raise Irregular("# escape in a name")
                elif kind == "lt":
                    raise Irregular("unterminated hex string")
                # "gt": a lone ">" is skipped, as pdfminer does
    return top


def _numbers(text: bytes):
    """The numbers of a run like b"1 0 0 1 56.8 797.5 ": int without a point, float with one."""
    numbers = text.split()
    points = text.count(b".")
    if points == 0:
        return map(int, numbers)
    if points == len(numbers):
        return map(float, numbers)
    return [float(n) if b"." in n else int(n) for n in numbers]


def _string_end(data: bytes, start: int) -> int:
    """Index just past the ``)`` that closes the string opened at ``start``."""
    depth, pos = 0, start
    while True:
        m = _PAREN.search(data, pos)
        if m is None:
            raise Irregular("unterminated string")
        pos = m.end()
        char = m.group()
        if char == b"\\":
            pos += 1
        elif char == b"(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return pos


def _unescape(body: bytes) -> bytes:
    return _ESCAPE.sub(_escaped, body) if b"\\" in body else body


def _escaped(m: re.Match) -> bytes:
    octal, char = m.groups()
    if octal:
        code = int(octal, 8)
        if code > 255:
            raise Irregular("octal escape over 255")
        return bytes((code,))
    return bytes((ESC_STRING[char],)) if char in ESC_STRING else b""  # unknown escapes: dropped


def _hex(body: bytes) -> bytes:
    digits = _SPACE.sub(b"", body)
    if len(digits) % 2 == 0:
        return bytes.fromhex(digits.decode())
    return _HEX_PAIR.sub(lambda m: bytes((int(m.group(0), 16),)), digits)


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter reading its content streams with ``content_objects``."""

    _operators: dict = {}  # keyword → (method, number of operands) or None; shared by all pages

    def execute(self, streams) -> None:
        try:
            objects = content_objects(self._stream_data(streams))
        except Irregular:
            super().execute(streams)
            return
        stack = self.argstack
        for obj in objects:
            if type(obj) is not PSKeyword:
                stack.append(obj)
                continue
            operator = self._operator(obj)
            if operator is None:
                continue
            method, nargs = operator
            if nargs:
                args = stack[-nargs:]
                del stack[-nargs:]
                if len(args) == nargs:
                    method(self, *args)
            else:
                method(self)

    def _stream_data(self, streams) -> list[bytes]:
        """The data of the streams pdfminer would run: a stream already running (a form drawing
        itself) is refused, as in ``PDFPageInterpreter.execute``."""
        data = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                raise Irregular("stream pdfminer refuses (it logs why)")
            self.stream_ids.add(stream.objid)
            data.append(stream.get_data())
        return data

    def _operator(self, keyword: PSKeyword):
        try:
            return self._operators[keyword]
        except KeyError:
            pass
        name = str(keyword.name, "utf-8", "ignore")
        method = getattr(type(self), "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q"),
                         None)
        if method is None and settings.STRICT:
            raise PDFInterpreterError(f"Unknown operator: {name!r}")
        operator = None if method is None else (method, method.__code__.co_argcount - 1)
        self._operators[keyword] = operator
        return operator
