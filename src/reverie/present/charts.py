"""Charts for the clinician's report, as Plotly figures rendered into one self-contained page.

Plotly's own JavaScript is written into the page once (no CDN: the report must open offline and
in ten years), and each chart is a JSON figure drawn by it. Colours are chosen to print legibly in
greyscale; every chart has a title that says what it shows and a note on where it comes from.
"""

import json
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

# Severity bands shaded behind a measure's line: (low, high, label), low inclusive.
BANDS: Mapping[str, Sequence[tuple[float, float, str]]] = {
    "phq9": ((0, 4.5, "minimal"), (4.5, 9.5, "mild"), (9.5, 14.5, "moderate"), (14.5, 19.5, "moderately severe"), (19.5, 27, "severe")),
    "gad7": ((0, 4.5, "minimal"), (4.5, 9.5, "mild"), (9.5, 14.5, "moderate"), (14.5, 21, "severe")),
    "pcl5": ((0, 32.5, "below the provisional cut-point"), (32.5, 80, "at or above the provisional cut-point (33)")),
}
_SHADES = ("#f4f4f4", "#e6e6e6", "#d4d4d4", "#c0c0c0", "#a8a8a8")
_LINE = ("#1f4e79", "#b35900", "#4d4d4d", "#6a3d9a")
FONT = {"family": "Georgia, 'Times New Roman', serif", "size": 13}


@cache
def plotly_js() -> str:
    """Plotly's bundle from the installed package: the report carries it, nothing is fetched."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "font": FONT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "height": 340,
        **extra,
    }


def measure_chart(instrument: str, title: str, points: Sequence[tuple[date, float]], maximum: float) -> dict[str, Any]:
    """A measure's totals over time over its severity bands."""
    shapes = []
    annotations = []
    for i, (low, high, label) in enumerate(BANDS.get(instrument, ())):
        shapes.append({"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": low, "y1": high, "fillcolor": _SHADES[i % len(_SHADES)], "opacity": 0.6, "line": {"width": 0}, "layer": "below"})
        annotations.append({"xref": "paper", "x": 1, "xanchor": "right", "y": (low + high) / 2, "yref": "y", "text": label, "showarrow": False, "font": {"size": 10, "color": "#333"}})
    data = [{"type": "scatter", "mode": "lines+markers", "x": [d.isoformat() for d, _ in points], "y": [v for _, v in points], "name": title, "line": {"color": _LINE[0], "width": 3}}]
    layout = _layout(title, shapes=shapes, annotations=annotations, yaxis={"range": [0, maximum], "title": "total"}, showlegend=False)
    return {"data": data, "layout": layout}


def odf_chart(sessions: Sequence[tuple[date, float]], trend: Sequence[tuple[date, float]] | None, band: Sequence[tuple[date, float, float]] | None) -> dict[str, Any]:
    """Overall Defensive Functioning per session (1 = action level, 7 = high-adaptive), with the trend."""
    data: list[dict[str, Any]] = [
        {"type": "scatter", "mode": "markers", "x": [d.isoformat() for d, _ in sessions], "y": [v for _, v in sessions], "name": "session ODF", "marker": {"color": _LINE[0], "size": 8}}
    ]
    if band:
        xs = [d.isoformat() for d, _, _ in band]
        data.append({"type": "scatter", "mode": "lines", "x": xs + xs[::-1], "y": [hi for _, _, hi in band] + [lo for _, lo, _ in band][::-1], "fill": "toself", "fillcolor": "rgba(179,89,0,0.15)", "line": {"width": 0}, "name": "95% interval", "hoverinfo": "skip"})
    if trend:
        data.append({"type": "scatter", "mode": "lines", "x": [d.isoformat() for d, _ in trend], "y": [v for _, v in trend], "name": "trend", "line": {"color": _LINE[1], "width": 2, "dash": "dash"}})
    return {"data": data, "layout": _layout("Overall Defensive Functioning per session", yaxis={"range": [1, 7], "title": "ODF (1 to 7)"})}


def heatmap(title: str, rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]], *, colour_title: str, height: int | None = None) -> dict[str, Any]:
    """A rows by columns grid of counts (months by themes, people by feelings)."""
    data = [{"type": "heatmap", "z": [list(r) for r in values], "x": list(columns), "y": list(rows), "colorscale": "Greys", "reversescale": True, "zmin": 0, "colorbar": {"title": {"text": colour_title}}, "hoverongaps": False}]
    layout = _layout(title, height=height or max(280, 40 + 26 * len(rows)), yaxis={"automargin": True}, xaxis={"automargin": True, "tickangle": -30})
    return {"data": data, "layout": layout}


def bars(title: str, groups: Mapping[str, Sequence[tuple[str, float]]], *, axis: str) -> dict[str, Any]:
    """Horizontal bars, one trace per group (e.g. early and late months), shares 0 to 1."""
    data = []
    for i, (group, items) in enumerate(groups.items()):
        data.append({"type": "bar", "orientation": "h", "name": group, "y": [label for label, _ in items], "x": [v for _, v in items], "marker": {"color": _LINE[i % len(_LINE)]}})
    labels = {label for items in groups.values() for label, _ in items}
    return {"data": data, "layout": _layout(title, barmode="group", height=max(260, 60 + 28 * len(labels) * max(1, len(groups))), xaxis={"title": axis, "range": [0, 1]}, yaxis={"automargin": True})}


def lines(title: str, series: Mapping[str, Sequence[tuple[str, float]]], *, axis: str, height: int = 300) -> dict[str, Any]:
    """A few named series over months (the goal proxies)."""
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": name, "x": [m for m, _ in points], "y": [v for _, v in points], "line": {"color": _LINE[i % len(_LINE)]}}
        for i, (name, points) in enumerate(series.items())
    ]
    return {"data": data, "layout": _layout(title, height=height, yaxis={"title": axis})}


def figure_script(div_id: str, figure: Mapping[str, Any]) -> str:
    """The call that draws one figure into its div (static in print, hover on screen)."""
    payload = json.dumps(figure, separators=(",", ":")).replace("</", "<\\/")
    return f'plots.push((function (f) {{ return Plotly.newPlot("{div_id}", f.data, f.layout, {{displaylogo: false, displayModeBar: false, responsive: true}}); }})({payload}));'
