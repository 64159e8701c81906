"""``policykg plot``: a saved query's rows drawn as a line or bar chart for a paper (issue 20).

:func:`chart` decides what to draw from the rows and the query's ``plot:`` header (x column,
numeric y column, a column whose values are one line or bar each) and says in one line when the
columns cannot be plotted; :func:`draw` renders it with matplotlib (the ``plot`` extra) as PNG
or SVG. Years and months along the x axis are drawn as lines with the missing periods as 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policykg.errors import PolicyKGError
from policykg.query.saved import PlotSpec
from policykg.store.terms import Literal, NamedNode
from policykg.vocab import XSD_NS

PLOT_MISSING = "policykg plot needs matplotlib: pip install 'policykg[plot]'"
IMAGE_FORMATS = {".png": "png", ".svg": "svg"}
_NUMERIC = {
    f"{XSD_NS}{t}" for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")
}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^\d{4}$")

Cell = str | float | None


@dataclass(frozen=True)
class Chart:
    """What to draw: the x labels in order, and per series ("" when one) a value per label."""

    x: str
    y: str
    kind: str
    labels: list[str]
    series: dict[str, list[float]]
    title: str = ""


def cell(term: object) -> Cell:
    """A result term as a number (numeric literals), text, or None (unbound).

    >>> cell(Literal("3", datatype=NamedNode(XSD_NS + "integer"))), cell(Literal("Sơn La")), cell(None)
    (3.0, 'Sơn La', None)
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype.value in _NUMERIC:
            try:
                return float(term.value)
            except ValueError:
                return term.value
        return term.value
    if isinstance(term, NamedNode):
        from policykg.query.results import shorten_iri

        return shorten_iri(term.value)
    return str(term)


def check_output(path: Path) -> str:
    """The image format ``path`` asks for (``png`` or ``svg``); raises when it names neither or
    when matplotlib is missing, so that nothing is read for nothing."""
    fmt = IMAGE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise PolicyKGError(f"cannot plot to {path.name}: name a .png or .svg file")
    try:
        import matplotlib  # noqa: F401
    except ImportError as err:
        raise PolicyKGError(PLOT_MISSING) from err
    return fmt


def chart(name: str, columns: Sequence[str], rows: Sequence[Sequence[Cell]], spec: PlotSpec | None) -> Chart:
    """The chart of a query's rows; PolicyKGError in one line when they cannot be drawn."""
    spec = spec or PlotSpec()
    if not rows:
        raise PolicyKGError(f"nothing to plot: {name} returned no rows for these parameters")
    index = {c: i for i, c in enumerate(columns)}
    for role, column in (("x", spec.x), ("y", spec.y), ("series", spec.series)):
        if column is not None and column not in index and role != "series":
            raise PolicyKGError(f"the plot of {name} names a column {column!r} it does not return")
    x = spec.x or columns[0]
    series = spec.series if spec.series in index and spec.series != x else None

    def numeric(column: str) -> bool:
        values = [row[index[column]] for row in rows if row[index[column]] is not None]
        return bool(values) and all(isinstance(v, float) for v in values)

    candidates = [c for c in columns if c not in (x, series) and numeric(c)]
    y = spec.y or (candidates[0] if candidates else None)
    if y is None or not numeric(y):
        raise PolicyKGError(
            f"the columns of {name} cannot be plotted: none of {', '.join(columns)} besides {x!r} "
            "is a number in every row (plot draws a numeric column against the first one)"
        )
    labels: list[str] = []
    values: dict[str, dict[str, float]] = {}
    for row in rows:
        label = _label(row[index[x]])
        if label not in labels:
            labels.append(label)
        line = "" if series is None else _label(row[index[series]])
        point = row[index[y]]
        values.setdefault(line, {})
        values[line][label] = values[line].get(label, 0.0) + (point if isinstance(point, float) else 0.0)
    periods = _periods(labels)
    if periods is not None:
        labels = periods
    kind = spec.kind or ("line" if periods is not None and len(labels) > 1 else "bar")
    return Chart(x, y, kind, labels, {k: [v.get(label, 0.0) for label in labels] for k, v in values.items()})


def _label(value: Cell) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return "" if value is None else value


def _periods(labels: list[str]) -> list[str] | None:
    """Every year or month from the first label to the last when the labels are years or
    months (so an empty period shows as 0), None when they are not.

    >>> _periods(["2021-11", "2022-02"]), _periods(["2019", "2021"]), _periods(["Sơn La"])
    (['2021-11', '2021-12', '2022-01', '2022-02'], ['2019', '2020', '2021'], None)
    """
    present = [label for label in labels if label]
    if not present:
        return None
    if all(_YEAR.match(label) for label in present):
        years = sorted(int(label) for label in present)
        return [str(y) for y in range(years[0], years[-1] + 1)]
    if all(_MONTH.match(label) for label in present):
        first, last = min(present), max(present)
        out, year, month = [], int(first[:4]), int(first[5:7])
        while f"{year:04d}-{month:02d}" <= last:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out
    return None


def draw(drawn: Chart, output: Path, fmt: str) -> None:
    """Render ``drawn`` into ``output`` (``png`` at 200 dpi, or ``svg`` without a date, so the same
    rows give the same file)."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context({"svg.hashsalt": "policykg", "font.family": "DejaVu Sans"}):
        figure = Figure(figsize=(max(6.4, 0.35 * len(drawn.labels)), 4.2), layout="constrained")
        axes = figure.subplots()
        positions = list(range(len(drawn.labels)))
        width = 0.8 / max(1, len(drawn.series))
        for i, (name, values) in enumerate(sorted(drawn.series.items())):
            label = name or drawn.y
            if drawn.kind == "line":
                axes.plot(positions, values, marker="o", label=label)
            else:
                shift = (i - (len(drawn.series) - 1) / 2) * width
                axes.bar([p + shift for p in positions], values, width=width, label=label)
        every = max(1, len(positions) // 16)  # at most about 16 labels along the axis
        axes.set_xticks(positions[::every], drawn.labels[::every])
        if len(drawn.labels) > 8 or max((len(label) for label in drawn.labels), default=0) > 10:
            axes.tick_params(axis="x", labelrotation=45)
            for tick in axes.get_xticklabels():
                tick.set_horizontalalignment("right")
        if all(v.is_integer() for values in drawn.series.values() for v in values):
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel(drawn.x)
        axes.set_ylabel(drawn.y)
        axes.set_ylim(bottom=0)
        axes.spines[["top", "right"]].set_visible(False)
        if len(drawn.series) > 1:
            axes.legend(frameon=False)
        if drawn.title:
            axes.set_title(drawn.title)
        try:
            metadata = {"Date": None} if fmt == "svg" else None
            figure.savefig(output, format=fmt, dpi=200, metadata=metadata)
        except OSError as err:
            raise PolicyKGError(f"cannot write {output}: {err.strerror or err}") from err
