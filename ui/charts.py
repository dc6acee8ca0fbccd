"""Plotly figures built from the frames in `views.py`. Plain functions, no Streamlit: a test can build each
figure from demo data and check its traces."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ui.views import HEALTH_ORDER, NO_HEALTH

HEALTH_COLOURS = {"strong": "#2e7d32", "vulnerable": "#e08a00", "damaged": "#c62828", NO_HEALTH: "#9e9e9e"}
STANCE_COLOURS = {
    "sponsor": "#1b5e20",
    "supporter": "#66bb6a",
    "neutral": "#8d8d8d",
    "skeptic": "#fb8c00",
    "detractor": "#c62828",
}
VIEW_COLOURS = {"Our view": "#1565c0", "Customer's view": "#ad1457"}
PHASE_COLOURS = ["#90a4ae", "#ffb74d"]
OWNER_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "star", "hexagon", "pentagon", "triangle-down"]
NO_OWNER_SYMBOL = "x"
# Red (weak) through amber to green (strong) over the 1-5 zone scale.
ZONE_SCALE = [[0.0, "#c62828"], [0.5, "#f2c14e"], [1.0, "#2e7d32"]]
HEIGHT = 340
QUADRANTS = [
    (5.55, 5.75, "manage closely", "right"),
    (0.45, 5.75, "keep satisfied", "left"),
    (5.55, 0.5, "keep informed", "right"),
    (0.45, 0.5, "monitor", "left"),
]


def _layout(fig: go.Figure, *, title: str | None = None, height: int = HEIGHT) -> go.Figure:
    """Title top left, legend in its own row just above the plot, so the two never overlap."""
    top = 10 + (30 if title else 0) + (28 if fig.layout.showlegend is not False and len(fig.data) > 1 else 0)
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 8, "l": 4},
            "font": {"size": 15},
        }
        if title
        else None,
        height=height,
        margin={"l": 8, "r": 8, "t": top, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "xanchor": "left", "x": 0, "title_text": ""},
    )
    return fig


def zone_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """Accounts × zones, scored 1-5; unassessed cells stay blank."""
    text = [["" if math.isnan(v) else f"{v:.0f}" for v in row] for row in matrix.to_numpy(dtype=float)]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(dtype=float),
            x=list(matrix.columns),
            y=list(matrix.index),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14},
            colorscale=ZONE_SCALE,
            zmin=1,
            zmax=5,
            xgap=3,
            ygap=3,
            showscale=False,
            hovertemplate="%{y}<br>%{x}: %{z}/5<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title="Performance zones (our latest assessment)")


def portfolio_matrix(frame: pd.DataFrame) -> go.Figure:
    """Gross profit against growth potential; bubble area is revenue, colour the latest health."""
    fig = go.Figure()
    if frame.empty:
        return _layout(fig, title="Portfolio matrix")
    biggest = float(frame["Revenue"].max()) or 1.0
    for health, colour in HEALTH_COLOURS.items():
        part = frame[frame["Health"] == health]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["Growth potential"],
                y=part["Gross profit"],
                mode="markers+text",
                name=health,
                text=part["Account"].str.split().str[0],
                textposition="middle right",
                marker={
                    "color": colour,
                    "size": part["Revenue"],
                    "sizemode": "area",
                    "sizeref": 2.0 * biggest / (48.0**2),
                    "sizemin": 6,
                    "opacity": 0.75,
                    "line": {"width": 1, "color": "white"},
                },
                customdata=part[["Account", "Revenue"]],
                hovertemplate="<b>%{customdata[0]}</b><br>Growth potential %{x}/5<br>Gross profit $%{y:,.0f}"
                "<br>Revenue $%{customdata[1]:,.0f}<extra></extra>",
            )
        )
    # Room on the right for the names written beside the bubbles at growth potential 5.
    fig.update_xaxes(title="Growth potential (1-5)", range=[0.5, 6.6], tickvals=[1, 2, 3, 4, 5])
    fig.update_yaxes(title="Gross profit (USD)", rangemode="tozero", tickformat="$~s")
    return _layout(fig, title="Portfolio matrix")


def contract_timeline(frame: pd.DataFrame, today: date) -> go.Figure:
    """Contract terms with the last ~24 months shaded as the renewal window, and a line at today."""
    if frame.empty:
        return _layout(go.Figure(), title="Contract end dates")
    data = frame.assign(Start=pd.to_datetime(frame["Start"]), End=pd.to_datetime(frame["End"]))
    phases = list(dict.fromkeys(data["Phase"]))
    fig = px.timeline(
        data,
        x_start="Start",
        x_end="End",
        y="Account",
        color="Phase",
        color_discrete_map=dict(zip(phases, PHASE_COLOURS, strict=False)),
        category_orders={"Phase": phases},
        hover_data={"Start": "|%Y-%m-%d", "End": "|%Y-%m-%d", "Phase": True, "Account": False},
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=None)
    moment = pd.Timestamp(today)
    fig.add_shape(type="line", x0=moment, x1=moment, y0=0, y1=1, yref="paper", line={"color": "#424242", "dash": "dot"})
    fig.add_annotation(x=moment, y=1, yref="paper", text="today", showarrow=False, yanchor="bottom", font={"size": 11})
    height = max(220, 70 + 36 * data["Account"].nunique())
    return _layout(fig, title="Contract end dates and renewal windows", height=height)


def _spread(frame: pd.DataFrame, columns: tuple[str, str], radius: float = 0.18) -> pd.DataFrame:
    """Fan out people who share a grid cell so every marker and name stays visible."""
    groups: dict[tuple[float, float], list[int]] = defaultdict(list)
    for index, row in frame.iterrows():
        groups[(row[columns[0]], row[columns[1]])].append(index)
    x_out, y_out = frame[columns[0]].astype(float).copy(), frame[columns[1]].astype(float).copy()
    for members in groups.values():
        if len(members) < 2:
            continue
        for position, index in enumerate(members):
            angle = 2 * math.pi * position / len(members)
            x_out[index] += radius * math.cos(angle)
            y_out[index] += radius * math.sin(angle)
    return frame.assign(_x=x_out, _y=y_out)


def stakeholder_map(frame: pd.DataFrame) -> go.Figure:
    """Power × interest: colour is the stance, the marker symbol our relationship owner (✕ for nobody)."""
    fig = go.Figure()
    # The classic grid's four strategies, named in the corners (lines through 3 would cross the points on 3).
    for x, y, label, x_anchor in QUADRANTS:
        fig.add_annotation(
            x=x, y=y, text=label, showarrow=False, xanchor=x_anchor, font={"size": 11, "color": "#90a4ae"}
        )
    if not frame.empty:
        spread = _spread(frame.reset_index(drop=True), ("Interest", "Power"))
        owners = [o for o in dict.fromkeys(spread["Owner"]) if o != "no owner"]
        symbols = {owner: OWNER_SYMBOLS[i % len(OWNER_SYMBOLS)] for i, owner in enumerate(owners)}
        symbols["no owner"] = NO_OWNER_SYMBOL
        # Points carry both encodings; the legend gets plain entries per stance (a circle, whatever the owner
        # symbol of the first point) and per owner (a grey symbol), so each reads on its own.
        present = [stance for stance in STANCE_COLOURS if (spread["Stance"] == stance).any()]
        for number, stance in enumerate(present):
            part = spread[spread["Stance"] == stance]
            colour = STANCE_COLOURS[stance]
            fig.add_trace(
                go.Scatter(
                    x=part["_x"],
                    y=part["_y"],
                    mode="markers+text",
                    name=stance,
                    meta="people",
                    legendgroup=f"stance-{stance}",
                    showlegend=False,
                    text=part["Name"],
                    textposition="top center",
                    textfont={"size": 11},
                    marker={
                        "color": colour,
                        "size": 15,
                        "symbol": [symbols[o] for o in part["Owner"]],
                        "line": {"width": 1},
                    },
                    customdata=part[["Title", "Owner", "Decision role"]],
                    hovertemplate="<b>%{text}</b><br>%{customdata[0]}<br>%{customdata[2]}"
                    "<br>Owner: %{customdata[1]}<extra></extra>",
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=stance,
                    meta="stance",
                    legendgroup=f"stance-{stance}",
                    legendgrouptitle_text="Stance" if number == 0 else None,
                    marker={"color": colour, "size": 12, "symbol": "circle"},
                )
            )
        for owner, symbol in symbols.items():
            if owner not in set(spread["Owner"]):
                continue
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=owner,
                    meta="owner",
                    legendgroup="owner",
                    legendgrouptitle_text="Owner",
                    marker={"color": "#607d8b", "size": 11, "symbol": symbol},
                )
            )
    fig.update_xaxes(title="Interest", range=[0.4, 5.6], dtick=1)
    fig.update_yaxes(title="Power", range=[0.4, 5.8], dtick=1)
    fig = _layout(fig, title="Stakeholder map (power × interest)", height=460)
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 1.02,
            "y": 1,
            "yanchor": "top",
            "xanchor": "left",
            "groupclick": "togglegroup",
            "tracegroupgap": 0,
        }
    )
    return fig


def metric_chart(frame: pd.DataFrame, *, title: str, unit: str, target: float | None) -> go.Figure:
    """Readings over time, green on target and red off it, with the charter target as a dashed line."""
    fig = go.Figure()
    if not frame.empty:
        colours = ["#2e7d32" if hit else "#c62828" if hit is False else "#1565c0" for hit in frame["On target"]]
        fig.add_trace(
            go.Scatter(
                x=frame["Period"],
                y=frame["Value"],
                mode="lines+markers",
                name="actual",
                line={"color": "#546e7a"},
                marker={"color": colours, "size": 10},
                hovertemplate="%{x}: %{y:,.4g} " + unit + "<extra></extra>",
            )
        )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": "#6a1b9a", "dash": "dash"},
            annotation_text=f"target {target:g}",
            annotation_position="top left",
        )
    fig.update_yaxes(title=unit or None)
    fig.update_layout(showlegend=False)
    return _layout(fig, title=title, height=260)


def health_history_chart(frame: pd.DataFrame) -> go.Figure:
    """Overall health over time, our view against the customer's; strong at the top."""
    fig = go.Figure()
    top = len(HEALTH_ORDER) - 1
    for view, colour in VIEW_COLOURS.items():
        part = frame[frame["View"] == view]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part["Date"]),
                y=top - part["Rank"],
                mode="lines+markers",
                name=view,
                line={"color": colour, "shape": "hv"},
                marker={"size": 11},
                customdata=part[["Assessor", "Overall"]],
                hovertemplate="%{x|%Y-%m-%d}: %{customdata[1]}<br>%{customdata[0]}<extra></extra>",
            )
        )
    fig.update_yaxes(
        tickvals=list(range(top + 1)),
        ticktext=[h.value for h in reversed(HEALTH_ORDER)],
        range=[-0.4, top + 0.4],
        title=None,
    )
    return _layout(fig, title="Overall health over time", height=280)


def zone_history_chart(frame: pd.DataFrame, zone: str) -> go.Figure:
    fig = go.Figure()
    for view, colour in VIEW_COLOURS.items():
        part = frame[frame["View"] == view]
        if part.empty or zone not in part:
            continue
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part["Date"]),
                y=part[zone],
                mode="lines+markers",
                name=view,
                line={"color": colour},
            )
        )
    fig.update_yaxes(range=[0.5, 5.5], dtick=1)
    # Small multiples: the colours are the ones of the charts above, whose legend names them.
    fig.update_xaxes(nticks=3, tickformat="%b %Y")
    fig.update_layout(showlegend=False)
    return _layout(fig, title=zone, height=200)


def zone_comparison_chart(frame: pd.DataFrame) -> go.Figure:
    """Our latest zone scores next to the customer's: where the two views part is the conversation to have."""
    fig = go.Figure()
    for view, colour in VIEW_COLOURS.items():
        part = frame[frame["View"] == view]
        if part.empty:
            continue
        fig.add_trace(go.Bar(x=part["Zone"], y=part["Score"], name=view, marker_color=colour, text=part["Score"]))
    fig.update_yaxes(range=[0, 5.5], dtick=1, title="Score (1-5)")
    fig.update_layout(barmode="group")
    return _layout(fig, title="Latest zone scores: ours vs the customer's", height=280)


def notes_timeline(frame: pd.DataFrame) -> go.Figure:
    """Each note as a dot on its date, one row per kind: gaps in contact show up as empty stretches."""
    fig = go.Figure()
    if not frame.empty:
        excerpt = frame["Note"].str.slice(0, 140)
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(frame["Date"]),
                y=frame["Kind"],
                mode="markers",
                marker={"size": 10, "color": "#1565c0", "opacity": 0.7},
                customdata=pd.DataFrame({"Author": frame["Author"], "Excerpt": excerpt}),
                hovertemplate="%{x|%Y-%m-%d} · %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
    fig.update_yaxes(title=None)
    fig.update_layout(showlegend=False)
    return _layout(fig, title="Notes over time", height=240)
