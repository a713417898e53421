"""Shared drawing for the pictures: fonts, text that fits its cell, and a canvas that knows
where it drew every piece of text (tests check that all of it is inside the image).

The fonts ship in PyPI packages, nothing is fetched at run time: Heebo (Latin and Hebrew),
Noto Sans (Greek, Cyrillic) and Noto Sans Arabic; their weight axes give the bold. A name is
drawn in runs, each in the first font that has its characters. With libraqm (in Pillow's
wheels) Arabic is shaped and right-to-left runs are laid out right to left; without it
the letters still come out, unjoined. Emoji no font here has are left out (the text
alternative keeps them); other characters no font has (CJK) are drawn as one box each.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files

from PIL import Image, ImageDraw, ImageFont, features

Font = ImageFont.FreeTypeFont
Color = tuple[int, int, int]
Box = tuple[int, int, int, int]  # left, top, right, bottom, in pixels

# One palette for every picture (GitHub's light theme, which people read as "activity").
BACKGROUND: Color = (255, 255, 255)
INK: Color = (31, 35, 40)
MUTED: Color = (101, 109, 118)
RULE: Color = (216, 222, 228)
HIGHLIGHT: Color = (255, 244, 191)
ACCENT: Color = (191, 135, 0)
GREEN: Color = (45, 164, 78)
ELLIPSIS = "…"

# Heebo first: Latin and Hebrew, and a small font that lays text out four times faster
# than Noto Sans, which has Greek and Cyrillic.
_FONT_FILES = (
    ("fontpkg_heebo", "Heebo[wght].ttf"),
    ("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
    ("fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf"),
)
# Joiners, variation selectors and skin tones belong to the character before them.
_JOINING = {0x200D, *range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)}
_RTL = {"R", "AL"}
SHAPING = features.check("raqm")  # libraqm: shaping and bidi for Arabic and Hebrew


@cache
def fonts(size: int, bold: bool = False) -> tuple[Font, ...]:
    """The fonts at a size, in the order they are tried for each character."""
    loaded = []
    for package, name in _FONT_FILES:
        path = files(package) / "files" / name
        font = ImageFont.truetype(str(path), size)
        if bold:
            font.set_variation_by_axes([700.0] + ([100.0] if package != "fontpkg_heebo" else []))
        loaded.append(font)
    return tuple(loaded)


@cache
def _missing_mask(font: Font) -> bytes:
    return _mask(font, "\U0010fffd")  # a private-use character no font here has: .notdef


def _mask(font: Font, char: str) -> bytes:
    mask = font.getmask(char)
    return bytes(mask.size) + bytes(mask)


@cache
def _covers(font: Font, char: str) -> bool:
    return _mask(font, char) != _missing_mask(font)


def _neutral(char: str) -> bool:
    return unicodedata.bidirectional(char) in {"WS", "ON", "CS", "ES", "ET", "EN", "BN", "S"}


@dataclass(frozen=True, eq=False)
class Run:
    text: str
    font: Font


@lru_cache(maxsize=4096)
def runs(text: str, size: int, bold: bool = False) -> tuple[Run, ...]:
    """`text` in runs of one font each, in visual order (right to left when it starts RTL)."""
    chain = fonts(size, bold)
    primary = chain[0]
    clusters = _clusters(text)
    kept = [c for c in clusters if not _emoji(c) or any(_covers(f, c[0]) for f in chain)]
    if any(not c.isspace() for c in kept):  # emoji no font has are left out, unless all is
        clusters = _squeeze(kept)
    pieces: list[Run] = []
    for char in clusters:
        current = pieces[-1].font if pieces else None
        if current is not None and _neutral(char[0]) and _covers(current, char[0]):
            font = current
        else:
            font = next((f for f in chain if _covers(f, char[0])), primary)
            if font is primary and not _covers(primary, char[0]):
                char = "\U0010fffd"  # one box for the whole cluster
        if pieces and pieces[-1].font is font:
            pieces[-1] = Run(pieces[-1].text + char, font)
        else:
            pieces.append(Run(char, font))
    if _starts_rtl(text):
        pieces.reverse()
    return tuple(pieces)


def _clusters(text: str) -> list[str]:
    out: list[str] = []
    for char in text:
        if out and (ord(char) in _JOINING or unicodedata.combining(char) or _after_joiner(out[-1])):
            out[-1] += char
        elif unicodedata.category(char) in {"Cc", "Cf"} and ord(char) not in _JOINING:
            continue  # control and format characters (bidi overrides too) are not drawn
        else:
            out.append(char)
    return out


def _emoji(cluster: str) -> bool:
    return unicodedata.category(cluster[0]) == "So"


def _squeeze(clusters: list[str]) -> list[str]:
    """Without the doubled, leading and trailing spaces that leaving out emoji leaves."""
    out: list[str] = []
    for cluster in clusters:
        if cluster.isspace() and (not out or out[-1].isspace()):
            continue
        out.append(cluster)
    while out and out[-1].isspace():
        out.pop()
    return out


def _after_joiner(cluster: str) -> bool:
    return cluster.endswith("\u200d")


def _starts_rtl(text: str) -> bool:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL:
            return True
        if kind == "L":
            return False
    return False


@lru_cache(maxsize=8192)
def measure(font: Font, text: str) -> tuple[float, tuple[float, float, float, float]]:
    """A run's advance and its ink box from the baseline origin (names repeat: cached)."""
    return font.getlength(text), font.getbbox(text, anchor="ls")


def width(pieces: tuple[Run, ...]) -> float:
    return sum(measure(piece.font, piece.text)[0] for piece in pieces)


def fit(text: str, size: int, limit: float, bold: bool = False) -> tuple[Run, ...]:
    """`text` as runs no wider than `limit`, cut with an ellipsis when it is longer."""
    whole = runs(text, size, bold)
    if width(whole) <= limit:
        return whole
    clusters = _clusters(text)
    low, high = 0, len(clusters)  # the longest prefix that fits, with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if width(runs("".join(clusters[:middle]).rstrip() + ELLIPSIS, size, bold)) <= limit:
            low = middle
        else:
            high = middle - 1
    return runs("".join(clusters[:low]).rstrip() + ELLIPSIS, size, bold)


@dataclass
class Canvas:
    """An RGB image, with the box of every text drawn on it."""

    width: int
    height: int
    image: Image.Image = field(init=False)
    draw: ImageDraw.ImageDraw = field(init=False)
    text_boxes: list[Box] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", (self.width, self.height), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self,
        x: float,
        baseline: float,
        text: str | tuple[Run, ...],
        *,
        size: int,
        fill: Color = INK,
        bold: bool = False,
        limit: float | None = None,
        align: str = "left",
    ) -> float:
        """Draw text with its baseline at `baseline`, from `x` (or ending at `x` when
        `align` is "right", centred on it for "center"); cut to `limit` pixels. Returns the width drawn."""
        if isinstance(text, str):
            pieces = fit(text, size, limit, bold) if limit is not None else runs(text, size, bold)
        else:
            pieces = text
        total = width(pieces)
        left = {"left": x, "right": x - total, "center": x - total / 2}[align]
        for piece in pieces:
            self.draw.text((left, baseline), piece.text, font=piece.font, fill=fill, anchor="ls")
            advance, box = measure(piece.font, piece.text)
            self.text_boxes.append(
                (int(left + box[0]), int(baseline + box[1]), int(left + box[2]) + 1,
                 int(baseline + box[3]) + 1)
            )  # fmt: skip
            left += advance
        return total

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, format="PNG", optimize=False, compress_level=3)
        return out.getvalue()
