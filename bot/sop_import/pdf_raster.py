"""Flowchart symbols pasted into the PDF as a picture, found with OpenCV.

Some offices draw the flowchart elsewhere and paste it over the role columns as an image
(opensop-05), so there are no vector shapes to read. The page is rendered, and inside each
large picture the white regions enclosed by ink are taken: one filling about half its box
is a diamond's interior, a fuller one a box's (process or start/end); a region bounded
by a table rule is a piece of a cell cut by a connector, not a symbol. Connectors are not traced
in pixels, so the actors of such a step are ordered left to right — the importer notes it.
"""

from __future__ import annotations

from typing import Any

from bot.sop_import.pdf_shapes import SYMBOL, Box, Symbol

_DPI = 110
_INK = 215  # grey level below which a pixel is ink (thin outlines render light)
_MIN_IMAGE_SHARE = 0.02  # of the page: smaller pictures are logos and QR codes


def _kind(ratio: float) -> str | None:
    """How much of its box a white interior fills: ~1 a box, ~0.8 a rounded end, ~0.5 a diamond."""
    if 0.4 <= ratio <= 0.62:
        return "diamond"
    if ratio >= 0.72:
        return "box"
    return None


def _on_rule(box: Box, rules: tuple[list[float], list[float]]) -> bool:
    """A region bounded by a table rule is a piece of a cell (cut by a connector), not a symbol."""
    xs, ys = rules
    return (any(abs(box.x0 - x) < 3 or abs(box.x1 - x) < 3 for x in xs)
            or any(abs(box.top - y) < 3 or abs(box.bottom - y) < 3 for y in ys))


def raster_symbols(page: Any, images: list[Box], rules: tuple[list[float], list[float]]) -> list[Symbol]:
    """Symbols drawn inside the page's large pictures, in PDF points (`rules`: the grid's x and y)."""
    import cv2
    import numpy as np

    area = float(page.width * page.height)
    wanted = [b for b in images if b.width * b.height >= _MIN_IMAGE_SHARE * area]
    if not wanted:
        return []
    picture = np.array(page.to_image(resolution=_DPI).original.convert("L"))
    scale = _DPI / 72.0
    found: list[Symbol] = []
    for image in wanted:
        x0, y0 = int(image.x0 * scale), int(image.top * scale)
        crop = picture[y0:int(image.bottom * scale), x0:int(image.x1 * scale)]
        if crop.size == 0:
            continue
        paper = (crop >= _INK).astype(np.uint8)
        count, _labels, stats, _c = cv2.connectedComponentsWithStats(paper, connectivity=4)
        for index in range(1, count):  # white regions enclosed by ink: symbol interiors, cut cells
            x, y, w, h, filled = (int(v) for v in stats[index])
            if x == 0 or y == 0 or x + w >= crop.shape[1] or y + h >= crop.shape[0]:
                continue  # open to the picture's edge: background, not an interior
            if min(w, h) / scale < SYMBOL - 2:
                continue
            kind = _kind(filled / float(w * h))
            if kind is None:
                continue
            box = Box((x0 + x) / scale - 1, (y0 + y) / scale - 1, (x0 + x + w) / scale + 1, (y0 + y + h) / scale + 1)
            if _on_rule(box, rules):
                continue
            if not any(known.box.overlap(box) > 0.6 for known in found):
                found.append(Symbol(kind, box, raster=True))
    return found
