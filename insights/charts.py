"""Geometry for the small SVG charts the templates draw: the numbers are already aggregated (at most a few dozen
points), so this only places them. Sizes are in the SVG's own units; the CSS scales the picture to the screen."""

from dataclasses import dataclass

CURVE_WIDTH, CURVE_HEIGHT, CURVE_MARGIN = 300, 180, 30
BAR_LABEL_WIDTH, BAR_WIDTH, BAR_ROW, BAR_TEXT = 120, 180, 24, 60
HEAT_CELL, HEAT_LABEL, HEAT_STEPS = 12, 34, 4
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _plot(x: float, y: float) -> tuple[float, float]:
    inner_w, inner_h = CURVE_WIDTH - 2 * CURVE_MARGIN, CURVE_HEIGHT - 2 * CURVE_MARGIN
    return round(CURVE_MARGIN + x * inner_w, 1), round(CURVE_HEIGHT - CURVE_MARGIN - y * inner_h, 1)


def pareto_curve(points: list[tuple[float, float]], needed_share: float) -> dict:
    """The cumulative-share curve: x the share of customers (best first), y the share of revenue."""
    polyline = " ".join(f"{x},{y}" for x, y in (_plot(px, py) for px, py in points))
    left, bottom = _plot(0, 0)
    right, top = _plot(1, 1)
    _, eighty = _plot(0, 0.8)
    marker_x, _ = _plot(needed_share, 0)
    return {
        "width": CURVE_WIDTH, "height": CURVE_HEIGHT, "points": polyline,
        "left": left, "right": right, "top": top, "bottom": bottom, "eighty": eighty, "marker_x": marker_x,
        "label_y": bottom + 18, "middle_x": (left + right) / 2,
    }


@dataclass
class Bar:
    label: str
    text: str
    y: float
    width: float
    text_x: float
    label_y: float


def bars(rows: list[tuple[str, float | None, str]]) -> dict:
    """Horizontal bars: (label, value, the value as shown). A missing value draws no bar."""
    largest = max([value for _, value, _ in rows if value] or [1])
    drawn = []
    for index, (label, value, text) in enumerate(rows):
        width = round(BAR_WIDTH * (value or 0) / largest, 1)
        y = index * BAR_ROW + 4
        drawn.append(Bar(label=label, text=text, y=y, width=width, text_x=BAR_LABEL_WIDTH + width + 4,
                         label_y=y + 12))
    return {"width": BAR_LABEL_WIDTH + BAR_WIDTH + BAR_TEXT, "height": max(1, len(rows)) * BAR_ROW + 4,
            "bar_x": BAR_LABEL_WIDTH, "rows": drawn}


def intensity(count: int, largest: int) -> int:
    """0 for none, then 1 to 4 in equal steps of the busiest hour: five classes in all."""
    if count <= 0 or largest <= 0:
        return 0
    return max(1, -(-count * HEAT_STEPS // largest))


def heat_map(counts: dict[tuple[int, int], int]) -> dict:
    """A weekday (rows, Monday first) by hour (columns, 0-23) grid, with the intensity step of each cell."""
    largest = max(counts.values(), default=0)
    rows = []
    for weekday in range(1, 8):
        y = (weekday - 1) * HEAT_CELL + HEAT_CELL
        cells = []
        for hour in range(24):
            count = counts.get((weekday, hour), 0)
            cells.append({"x": HEAT_LABEL + hour * HEAT_CELL, "y": y, "count": count, "hour": hour,
                          "step": intensity(count, largest)})
        rows.append({"label": WEEKDAYS[weekday - 1], "y": y, "text_y": y + HEAT_CELL - 3, "cells": cells})
    hours = [{"hour": hour, "x": HEAT_LABEL + hour * HEAT_CELL + HEAT_CELL / 2} for hour in range(0, 24, 3)]
    return {"width": HEAT_LABEL + 24 * HEAT_CELL, "height": 8 * HEAT_CELL + 2, "cell": HEAT_CELL - 1,
            "rows": rows, "hours": hours, "largest": largest}
