"""Cell text and cell values as the contract wants them."""

from __future__ import annotations

import math
import re
import unicodedata

EMPTY_MARKS = {"", "—", "-", "/", "－", "–", "——", "--", "／", "―"}
_LATIN = re.compile(r"[0-9A-Za-z.%\-+()]")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_PERCENT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*%$")
_WHITESPACE = re.compile(r"\s+")


def join_lines(lines: list[str]) -> str:
    """Undo wrapping: no space between CJK characters, one space between two Latin/digit runs.

    A line that ends in a hyphen was broken after it ("2023-" / "2024"), as every renderer may do:
    it joins with no space.
    """
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and out[-1] != "-" and _LATIN.match(out[-1]) and _LATIN.match(line[0]):
            out += " "
        out += line
    return out


def label_key(text: str | None) -> str:
    """A label's comparable form: NFKC, no whitespace, no brackets' width differences."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def text_value(text: str | None) -> str | None:
    """A text cell: ``None`` for an empty or dash-only cell, otherwise the text as printed."""
    if text is None:
        return None
    text = text.strip()
    return None if label_key(text) in EMPTY_MARKS else text


def map_text(value, fn):
    """``value`` (a record, or any of its parts) with ``fn`` applied to every string in it."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [map_text(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: map_text(v, fn) for k, v in value.items()}
    return value


def valid_unicode(text: str) -> str:
    """``text`` with lone UTF-16 surrogates as U+FFFD. A hostile ToUnicode map can produce them
    (pdfminer maps a bfrange number with chr()); UTF-8 output and DuckDB refuse them."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def number_value(text: str | None) -> tuple[float | int | None, str | None]:
    """A number cell → (number, words). ``100%`` → 1.0; words such as 不适用 go to the second item."""
    text = text_value(text)
    if text is None:
        return None, None
    key = label_key(text).replace(",", "")
    number = None
    if _NUMBER.match(key):
        number = _as_number(key)
    elif match := _PERCENT.match(key):
        number = _fraction(match.group(1))
    # 400 digits overflow a float: words, never Infinity (which JSON cannot carry)
    return (number, None) if number is not None and math.isfinite(number) else (None, text)


def money_value(text: str | None) -> tuple[float | int | None, str | None]:
    """A 万元 amount, as printed in a table whose money is in 万元: "250万" and "250万元" are 250.
    An amount in 元 ("5000元") is words: the unit is not the table's, and it is not rescaled."""
    stripped = text_value(text)
    if stripped and label_key(stripped).endswith(("万元", "万")):
        number, _ = number_value(label_key(stripped).removesuffix("元").removesuffix("万"))
        if number is not None:
            return number, None
    return number_value(text)


def _as_number(token: str) -> float | int:
    value = float(token)
    return int(value) if "." not in token and value.is_integer() else value


def _fraction(token: str) -> float:
    # Decimal arithmetic on the printed digits: 80.5% → 0.805 exactly, never 0.8049999999.
    whole, _, frac = token.partition(".")
    digits = whole.lstrip("+-") + frac
    sign = "-" if token.startswith("-") else ""
    shift = len(frac) + 2
    digits = digits.rjust(shift + 1, "0")
    return float(f"{sign}{digits[:-shift]}.{digits[-shift:]}")
