"""Charts: dated entries per year by kind, certain and possible shaded apart (needs matplotlib).

[`plot_years`][sinotajik.plot_years] draws the panel of
[`sinotajik.to_panel`][sinotajik.to_panel] as stacked bars: for each year, a solid bar per kind
for the entries certainly in that year, topped by a pale, hatched
bar for those only possibly in it. The picture is a PNG or an SVG, chosen by the file's
suffix. matplotlib is used without pyplot, so no window opens and no global state changes.
"""

from __future__ import annotations

import importlib
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from ._export.panel import to_panel
from ._io import write_atomic
from ._model import Record

__all__ = ["plot_years"]

_COLOURS = {"event": "#4e79a7", "agreement": "#e15759", "facility": "#59a14f"}
_OTHERS = ("#f28e2b", "#b07aa1", "#76b7b2", "#9c755f", "#d4a017", "#ff9da7", "#7f7f7f", "#edc948", "#bab0ac")
_FORMATS = {".png": "png", ".svg": "svg"}
_NAMES = {"event": "events", "agreement": "agreement milestones", "facility": "facility history steps"}


def plot_years(
    records: Iterable[Record] | Any,
    path: str | os.PathLike[str],
    *,
    by: Literal["record_kind", "kind"] = "record_kind",
    title: str | None = None,
) -> None:
    """Draw dated entries per year by kind to a PNG or SVG file (needs ``sinotajik[plot]``).

    Certain counts (entries wholly within the year) are solid; possible ones (approximate,
    uncertain or straddling dates, which may fall in that year) are stacked above them, pale
    and hatched, so the eye never takes a guess for a fact. See [`sinotajik.to_panel`][sinotajik.to_panel].

    Args:
        records: a Dataset or any iterable of records.
        path: the file to write, atomically; ``.png`` or ``.svg``.
        by: colour by ``record_kind`` (events, agreement milestones, facility steps) or by
            ``kind`` (exercise, meeting, mou...).
        title: the chart's title (default: a generic one).

    Raises:
        ValueError: the suffix is not ``.png`` or ``.svg``, or ``by`` is unknown.
        ImportError: matplotlib is not installed; the message names the extra to install.
    """
    target = Path(path)
    fmt = _FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise ValueError(f"{target.name}: the chart is written as .png or .svg")
    if by not in ("record_kind", "kind"):
        raise ValueError(f"by={by!r}: expected 'record_kind' or 'kind'")
    try:
        figure_mod = importlib.import_module("matplotlib.figure")
        patches = importlib.import_module("matplotlib.patches")
    except ImportError:
        raise ImportError("plot_years() needs matplotlib: pip install 'sinotajik[plot]'") from None
    rows = to_panel(records)
    years = sorted({r["year"] for r in rows})
    groups = list(dict.fromkeys(r[by] for r in rows))
    certain = {(g, y): 0 for g in groups for y in years}
    possible = dict(certain)
    for r in rows:
        certain[(r[by], r["year"])] += r["certain"]
        possible[(r[by], r["year"])] += r["possible"]
    colours = dict(_COLOURS) if by == "record_kind" else {}
    for i, g in enumerate(g for g in groups if g not in colours):
        colours[g] = _OTHERS[i % len(_OTHERS)]

    fig = figure_mod.Figure(figsize=(max(6.0, 0.32 * len(years) + 2), 4.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    bottom = dict.fromkeys(years, 0)
    for g in groups:
        heights = [certain[(g, y)] for y in years]
        name = _NAMES.get(g, str(g).replace("_", " ")) if by == "record_kind" else str(g).replace("_", " ")
        ax.bar(years, heights, bottom=[bottom[y] for y in years], color=colours[g], label=name)
        for y, h in zip(years, heights, strict=True):
            bottom[y] += h
    for g in groups:
        heights = [possible[(g, y)] for y in years]
        ax.bar(
            years,
            heights,
            bottom=[bottom[y] for y in years],
            color=colours[g],
            alpha=0.3,
            hatch="///",
            edgecolor=colours[g],
            linewidth=0,
        )
        for y, h in zip(years, heights, strict=True):
            bottom[y] += h
    handles, labels = ax.get_legend_handles_labels()
    handles.append(patches.Patch(facecolor="#999999", alpha=0.3, hatch="///", edgecolor="#999999", linewidth=0))
    labels.append("possibly in that year")
    ax.legend(handles, labels, frameon=False, fontsize="small", loc="upper left")
    ax.set_ylabel("dated entries")
    ax.set_title(title or "China–Tajikistan security cooperation: dated entries per year", fontsize="medium")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    if years:
        step = 1 if len(years) <= 12 else 2 if len(years) <= 26 else 5
        ax.set_xticks([y for y in years if (y - years[0]) % step == 0])
        ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    buf = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Date": None}
    fig.savefig(buf, format=fmt, metadata=metadata)
    write_atomic(target, buf.getvalue())
