"""Inline SVG charts drawn on the server (no scripts, no network): a line chart against last year,
bars, and a histogram, each able to shade a reference range (区间参考值)."""
from html import escape

import i18n
from markupsafe import Markup

W, H, PAD = 560, 200, 36


def _scale(value: float, top: float) -> float:
    return H - PAD - (value / top if top else 0) * (H - 2 * PAD)


def _band(low: float | None, high: float | None, top: float) -> str:
    if low is None and high is None:
        return ""
    y1, y2 = _scale(min(high if high is not None else top, top), top), _scale(max(low or 0, 0), top)
    return (f'<rect class="ref-band" x="{PAD}" y="{y1:.1f}" width="{W - 2 * PAD}" height="{max(y2 - y1, 0):.1f}">'
            f'<title>{escape(i18n.gettext("reference_range"))} {low if low is not None else "—"} – {high if high is not None else "—"}</title></rect>')


def _frame(title: str, body: str, x_labels: list[str]) -> Markup:
    step = (W - 2 * PAD) / max(len(x_labels), 1)
    ticks = "".join(f'<text class="tick" x="{PAD + step * (i + 0.5):.1f}" y="{H - PAD + 14}">{escape(lbl)}</text>'
                    for i, lbl in enumerate(x_labels) if len(x_labels) <= 12 or i % 2 == 0)
    return Markup(f'<svg class="chart" role="img" viewBox="0 0 {W} {H}" xmlns="http://www.w3.org/2000/svg">'
                  f'<title>{escape(title)}</title><line class="axis" x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" '
                  f'y2="{H - PAD}"/>{body}{ticks}</svg>')


def line_chart(title: str, x_labels: list[str], series: list[tuple[str, list[float | None], str]],
               band: tuple[float | None, float | None] | None = None) -> Markup:
    """Lines over the same x labels; `series` is (name, values, css class)."""
    values = [v for _, vs, _ in series for v in vs if v is not None]
    top = max(values + [band[1] or 0 if band else 0] + [1e-9]) * 1.1
    step = (W - 2 * PAD) / max(len(x_labels), 1)
    body = _band(*band, top) if band else ""
    for i, (name, vs, css) in enumerate(series):
        points = " ".join(f"{PAD + step * (j + 0.5):.1f},{_scale(v, top):.1f}" for j, v in enumerate(vs) if v is not None)
        body += (f'<polyline class="line {css}" points="{points}"><title>{escape(name)}</title></polyline>'
                 f'<text class="legend {css}" x="{PAD + 130 * i}" y="14">— {escape(name)}</text>')
    return _frame(title, body, x_labels)


def bar_chart(title: str, labels: list[str], values: list[float], band=None) -> Markup:
    top = max(values + [band[1] or 0 if band else 0] + [1e-9]) * 1.1
    step = (W - 2 * PAD) / max(len(labels), 1)
    body = _band(*band, top) if band else ""
    for i, v in enumerate(values):
        y = _scale(v, top)
        body += (f'<rect class="bar" x="{PAD + step * i + step * 0.15:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" '
                 f'height="{H - PAD - y:.1f}"><title>{escape(labels[i])}: {v:g}</title></rect>')
    return _frame(title, body, labels)


def histogram(title: str, values: list[float], bins: int = 10, lo: float = 0.0, hi: float = 1.0,
              band=None) -> Markup:
    """How many units fall in each of `bins` equal slices of [lo, hi]; the reference range shaded on the x axis."""
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int((v - lo) / (hi - lo) * bins)))] += 1
    labels = [f"{lo + (hi - lo) * i / bins:.0%}" for i in range(bins)]
    chart = bar_chart(title, labels, counts)
    if not band:
        return chart
    x = lambda v: PAD + (W - 2 * PAD) * (min(max(v, lo), hi) - lo) / (hi - lo)  # noqa: E731
    shade = (f'<rect class="ref-band" x="{x(band[0] if band[0] is not None else lo):.1f}" y="{PAD}" '
             f'width="{x(band[1] if band[1] is not None else hi) - x(band[0] if band[0] is not None else lo):.1f}" '
             f'height="{H - 2 * PAD}"><title>{escape(i18n.gettext("reference_range"))}</title></rect>')
    return Markup(str(chart).replace('<line class="axis"', shade + '<line class="axis"', 1))
