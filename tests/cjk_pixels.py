"""Pixel check that an image shows Chinese glyphs rather than 'tofu' (the hollow boxes of a missing font).

No OCR: a font without CJK draws each character as an empty rectangle, so inside a glyph-sized box there is no ink,
while a real 汉字 has strokes through its middle. looks_like_cjk() finds the lines of text, cuts them into glyph-
sized boxes at blank columns and asks how many are hollow. tests/test_dashboard_export.py proves the check fails on
a tofu rendering (DejaVu Sans, which has no CJK) and passes on Noto Sans CJK.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _runs(mask: np.ndarray, max_gap: int = 0) -> list[tuple[int, int]]:
    """[start, end) runs of True, joining runs separated by at most max_gap False values."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, on in enumerate(list(mask) + [False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            if runs and start - runs[-1][1] <= max_gap:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((start, i))
            start = None
    return runs


def glyph_boxes(image: Image.Image, min_height: int = 12) -> list[np.ndarray]:
    """Ink masks of glyph-sized boxes on every text line taller than min_height pixels."""
    ink = np.asarray(image.convert("L")) < 140
    boxes = []
    for top, bottom in _runs(ink.any(axis=1), max_gap=2):
        height = bottom - top
        if height < min_height:
            continue
        band = ink[top:bottom]
        for left, right in _runs(band.any(axis=0)):
            if right - left >= 0.3 * height:
                boxes.append(band[:, left:right])
    return boxes


def hollow(box: np.ndarray) -> bool:
    """True when the middle of the box is empty: the signature of a .notdef rectangle (or a '0')."""
    h, w = box.shape
    inner = box[int(h * 0.25) : int(h * 0.75) + 1, int(w * 0.25) : int(w * 0.75) + 1]
    return inner.size == 0 or inner.mean() < 0.02


def looks_like_cjk(image: Image.Image, min_glyphs: int = 4, max_hollow: float = 0.25) -> bool:
    """At least min_glyphs glyph-sized boxes, and few of them hollow."""
    boxes = glyph_boxes(image)
    if len(boxes) < min_glyphs:
        return False
    return sum(hollow(b) for b in boxes) / len(boxes) <= max_hollow
