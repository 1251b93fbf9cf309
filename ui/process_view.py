"""The child protection process drawn as a plotly picture, and which step a click selected."""

from __future__ import annotations

from typing import Any

from assistant.process_map import PATHS, STEPS, STEPS_BY_KEY

CHART_CONFIG: dict[str, Any] = {"displayModeBar": False, "scrollZoom": False, "responsive": True}
SHORT_LABELS = {
    "initial_conference": "Initial<br>conference",
    "plan": "Child protection<br>plan",
    "review": "Review<br>conferences",
    "step_down": "Plan ends /<br>step down",
    "pre_proceedings": "Pre-proceedings<br>(PLO)",
    "strategy": "Strategy<br>discussion",
    "section_47": "Section 47<br>enquiry",
    "child_in_need": "Child in<br>Need plan",
}


def process_figure(
    highlight: set[str] | frozenset[str] = frozenset(), compact: bool = False
) -> Any:
    """The child protection process as a plotly diagram; highlighted steps are drawn in orange."""
    import plotly.graph_objects as go

    def xy(key: str) -> tuple[float, float]:
        s = STEPS_BY_KEY[key]
        return (0.0 if s.column == 0 else 0.75, -s.row)

    fig = go.Figure()
    for p in PATHS:
        (x0, y0), (x1, y1) = xy(p.source), xy(p.target)
        down = p.kind == "step_down"
        if x0 == x1 and y1 > y0:  # back up the main line: draw beside it, not on top of it
            x0, x1 = x0 + 0.12, x1 + 0.12
        fig.add_annotation(
            x=x1,
            y=y1,
            ax=x0,
            ay=y0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowsize=1.1,
            arrowwidth=1.6,
            arrowcolor="#2e7d32" if down else "#6b7280",
            standoff=11,
            startstandoff=11,
            text="",
        )
    lit = [s.key in highlight for s in STEPS]
    fig.add_trace(
        go.Scatter(
            x=[xy(s.key)[0] for s in STEPS],
            y=[xy(s.key)[1] for s in STEPS],
            mode="markers+text",
            text=[
                (
                    f"<b>{SHORT_LABELS.get(s.key, s.label)}</b>"
                    if on
                    else SHORT_LABELS.get(s.key, s.label)
                )
                for s, on in zip(STEPS, lit, strict=True)
            ],
            textposition=["middle left" if s.column == 0 else "middle right" for s in STEPS],
            textfont={"size": 12, "color": ["#b45309" if on else "#1f2937" for on in lit]},
            marker={
                "size": [20 if on else 14 for on in lit],
                "color": [
                    "#f59e0b" if on else ("#86efac" if s.column else "#93c5fd")
                    for s, on in zip(STEPS, lit, strict=True)
                ],
                "line": {"width": 2, "color": ["#b45309" if on else "#374151" for on in lit]},
            },
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}, "textfont": {"color": "#1f2937"}},
            customdata=[s.key for s in STEPS],
            hovertext=[s.summary for s in STEPS],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(visible=False, range=[-1.3, 1.75], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-8.5, 0.5], fixedrange=True)
    fig.update_layout(
        height=460 if compact else 560,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        dragmode=False,
        clickmode="event+select",
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        hoverlabel={"namelength": -1},
    )
    return fig


def selected_step(event: Any) -> str | None:
    """The step key a click on the process picture selected, if any."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points:
        key = point.get("customdata")
        if isinstance(key, list):
            key = key[0] if key else None
        if key in STEPS_BY_KEY:
            return str(key)
        index = point.get("point_index")
        if isinstance(index, int) and 0 <= index < len(STEPS):
            return STEPS[index].key
    return None
