"""How a run is shown: a terminal table, a Markdown report with the worst questions, the files."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from tutor.evals.run import BY_NAME, METRICS, QuestionResult, Run


def fmt(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    metric = BY_NAME[name]
    if metric.percent:
        return f"{value:.1%}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3f}"


def metrics_table(run: Run) -> Table:
    table = Table(title=f"eval {run.id} — {run.config.get('engine')} / {run.config.get('model')}, k={run.config.get('k')}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    if run.spread:
        table.add_column("spread (min–max)", justify="right")
    for row in _metric_rows(run):
        table.add_row(*row)
    return table


def _metric_rows(run: Run) -> list[list[str]]:
    """Each measured metric as [label, value] and, when the run was repeated, its "min–max" spread."""
    rows = []
    for metric in METRICS:
        value = run.metrics.get(metric.name)
        if value is None:
            continue
        row = [metric.label, fmt(metric.name, value)]
        if run.spread:
            s = run.spread.get(metric.name)
            row.append(f"{fmt(metric.name, s['min'])}–{fmt(metric.name, s['max'])}" if s else "")
        rows.append(row)
    return rows


def worst(run: Run, n: int) -> list[QuestionResult]:
    return sorted(run.questions, key=lambda q: (q.quality, q.id))[:n]


def markdown(run: Run, n_worst: int = 10) -> str:
    """The report a person reads: config, metrics, then the worst questions in full."""
    lines = [f"# Eval run {run.id}", "", f"Created {run.created}.", "", "## Config", ""]
    lines += [f"- **{key}**: `{value}`" for key, value in run.config.items()]
    lines += [
        "",
        "## Metrics",
        "",
        "| metric | value |" + (" spread |" if run.spread else ""),
        "|---|---:|" + ("---:|" if run.spread else ""),
    ]
    lines += [f"| {' | '.join(row)} |" for row in _metric_rows(run)]
    lines += ["", f"## Worst {n_worst} questions", ""]
    for q in worst(run, n_worst):
        lines += _question(q)
    return "\n".join(lines) + "\n"


def _question(q: QuestionResult) -> list[str]:
    scores = ", ".join(f"{k}={v:.2f}" for k, v in q.scores.items() if v is not None and k != "context_chars")
    out = [f"### {q.id} ({q.kind}) — quality {q.quality:.2f}", "", f"**Question:** {q.question}", ""]
    for asked, said in q.expected.get("history") or []:
        out += [f"> earlier: {asked} → {said}", ""]
    if q.query != q.question:
        out += [f"**Query used:** {q.query}", ""]
    out += [f"**Scores:** {scores or '—'}", "", "**Expected:**", ""]
    expected = q.expected
    if q.kind == "unanswerable":
        out.append("- an abstention: the notes do not cover this")
    else:
        out += [f"- source: `{expected.get('location')}`", f"- evidence: {expected.get('evidence') or '—'}"]
        out += [f"- key facts: {', '.join(expected.get('key_facts') or []) or '—'}", f"- reference: {expected.get('reference') or '—'}"]
    out += ["", "**Retrieved:**", ""]
    for hit in q.retrieved or [{"rank": "-", "location": "nothing", "text": ""}]:
        snippet = " ".join(str(hit.get("text", "")).split())[:160]
        out.append(f"{hit['rank']}. `{_short(hit['location'])}` {snippet}")
    if q.answer is not None:
        out += ["", "**Answered**" + (" (abstained)" if q.abstained else "") + ":", ""]
        out += ["> " + line for line in (q.answer.strip() or "(empty)").splitlines()]
    if q.judge:
        out += ["", f"**Judge:** {q.judge}"]
    return [*out, ""]


def _short(location: str) -> str:
    parts = Path(location).parts
    return str(Path(*parts[-2:])) if len(parts) > 2 else location


def write(run: Run, directory: Path, n_worst: int = 10) -> tuple[Path, Path]:
    """``run.json`` and ``report.md`` in ``directory``."""
    json_path = run.save(directory / "run.json")
    md_path = directory / "report.md"
    md_path.write_text(markdown(run, n_worst), encoding="utf-8")
    return json_path, md_path
