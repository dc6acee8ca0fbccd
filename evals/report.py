"""Reports of a run: `results.jsonl` (one line per case × scorer), `summary.md` (a table per dataset: mean, pass
rate, threshold, baseline, delta), a self-contained `report.html` (inline CSS and SVG, no CDN: scores, failures
with the answer and the reason, and a chart of score history from `history.jsonl`), and the terminal table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evals.gate import GateCheck
    from evals.runner import CaseResult, RunResult

HISTORY_RUNS = 30
FAILURES_PER_DATASET = 40
PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563")


# --- results.jsonl and history -------------------------------------------------------------------------


def result_rows(result: RunResult) -> list[dict[str, Any]]:
    rows = []
    for case in result.results:
        scored = list(case.scores.items()) + ([("judge", case.judge)] if case.judge is not None else [])
        for scorer, score in scored:
            rows.append(
                {
                    "run_id": result.run_id,
                    "dataset": case.dataset,
                    "case": case.case_id,
                    "tags": case.tags,
                    "scorer": scorer,
                    "gated": scorer != "judge",
                    "value": round(score.value, 4),
                    "passed": score.passed,
                    "reason": score.reason,
                    "question": case.question,
                    "latency_ms": case.latency_ms,
                    "tokens_in": case.tokens_in,
                    "tokens_out": case.tokens_out,
                    **case.answer,
                }
            )
    return rows


def append_history(path: Path, result: RunResult) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "run_id": result.run_id,
        "at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "config": result.config,
        "passed": result.passed,
        "scores": {a.key: round(a.mean, 4) for a in result.aggregates},
    }
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")


def read_history(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by an interrupted run
    return entries


def write_reports(result: RunResult, *, history_path: Path) -> None:
    out = result.out_dir
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
        for row in result_rows(result):
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    (out / "summary.md").write_text(summary_markdown(result), encoding="utf-8")
    (out / "report.html").write_text(report_html(result, read_history(history_path)), encoding="utf-8")


# --- Markdown ------------------------------------------------------------------------------------------


def summary_markdown(result: RunResult, *, failures: bool = True) -> str:
    verdict = result.verdict
    config = ", ".join(f"{k}: {v}" for k, v in result.config.items() if v is not None)
    lines = [
        f"# Eval run {result.run_id}: gate {verdict}",
        "",
        f"{config}; {len(result.results)} cases in {result.duration_s:.0f} s.",
        *(f"_{m}_" for m in result.messages),
        "",
    ]
    lines += summary_tables(result)
    lines += tag_table(result)
    failed = [c for c in result.checks if c.status == "fail"]
    if failed:
        lines += ["## Gate failures", ""]
        lines += [f"- {c.aggregate.key}: {c.message}" for c in failed]
        lines.append("")
    judged = [a for a in result.aggregates if not a.gated]
    if judged:
        lines += ["## LLM judge (reported, not gated)", "", "| dataset | n | mean | pass rate |", "|---|---|---|---|"]
        lines += [f"| {a.dataset} | {a.n} | {a.mean:.3f} | {a.pass_rate:.3f} |" for a in judged]
        lines.append("")
    if failures:
        lines += ["## Failing cases", ""]
        for case, scorer, reason in _failures(result.results):
            lines.append(f"- `{case.dataset}/{case.case_id}` {scorer}: {reason}")
        lines.append("")
    return "\n".join(lines)


def summary_tables(result: RunResult) -> list[str]:
    checks = {c.aggregate.key: c for c in result.checks}
    by_dataset: dict[str, list[GateCheck]] = defaultdict(list)
    for aggregate in result.aggregates:
        if aggregate.gated:
            by_dataset[aggregate.dataset].append(checks[aggregate.key])
    lines: list[str] = []
    for dataset, rows in by_dataset.items():
        cases = [c for c in result.results if c.dataset == dataset]
        lines += [
            f"## {dataset} ({len(cases)} cases)",
            "",
            "| scorer | n | mean | pass rate | min | baseline | delta | gate |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for check in rows:
            a = check.aggregate
            minimum = "" if check.minimum is None else f"{check.minimum:.2f}"
            base = "" if check.baseline is None else f"{check.baseline:.3f}"
            delta = _delta(check.delta)
            status = {"pass": "pass", "fail": "**FAIL**", "ungated": "-"}[check.status]
            lines.append(
                f"| {a.scorer} | {a.n} | {a.mean:.3f} | {a.pass_rate:.3f} | {minimum} | {base} | {delta} | {status} |"
            )
        latencies = sorted(c.latency_ms for c in cases if c.latency_ms)
        if latencies:
            p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
            tokens_in = sum(c.tokens_in for c in cases)
            tokens_out = sum(c.tokens_out for c in cases)
            lines += [
                "",
                f"Latency: mean {sum(latencies) / len(latencies):.0f} ms, p95 {p95} ms, max {latencies[-1]} ms; "
                f"tokens {tokens_in} in / {tokens_out} out.",
            ]
        lines.append("")
    return lines


def tag_counts(result: RunResult) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Cases passing every scorer per dataset, tagged vs untagged: a held-out set read apart from the cases the
    backend was tuned on shows whether an improvement generalises. Returns the column names and the rows."""
    tags = sorted({tag for case in result.results for tag in case.tags})
    if not tags:
        return [], []
    rows = []
    for dataset in dict.fromkeys(c.dataset for c in result.results):
        cells = []
        for tag in [*tags, None]:
            cases = [c for c in result.results if c.dataset == dataset and (tag in c.tags if tag else not c.tags)]
            cells.append(f"{sum(c.passed for c in cases)}/{len(cases)}" if cases else "")
        rows.append((dataset, cells))
    return [*tags, "untagged"], rows


def tag_table(result: RunResult) -> list[str]:
    columns, rows = tag_counts(result)
    if not rows:
        return []
    lines = ["## Cases passing every scorer, by tag", "", "| dataset | " + " | ".join(columns) + " |"]
    lines.append("|---" * (len(columns) + 1) + "|")
    lines += [f"| {dataset} | " + " | ".join(cells) + " |" for dataset, cells in rows]
    return [*lines, ""]


def _tags_html(result: RunResult) -> str:
    columns, rows = tag_counts(result)
    if not rows:
        return ""
    head = "".join(f"<th>{escape(c)}</th>" for c in ["dataset", *columns])
    body = "".join(
        f"<tr><td>{escape(d)}</td>" + "".join(f"<td class='num'>{escape(c)}</td>" for c in cells) + "</tr>"
        for d, cells in rows
    )
    return f"<h2>Cases passing every scorer, by tag</h2><table><tr>{head}</tr>{body}</table>"


def _delta(delta: float | None) -> str:
    if delta is None:
        return ""
    return "+0.000" if abs(delta) < 0.0005 else f"{delta:+.3f}"


def terminal_summary(result: RunResult) -> str:
    lines = [*summary_tables(result), *tag_table(result)]
    failed = [c for c in result.checks if c.status == "fail"]
    label = "FAIL" if result.gated else "would fail"
    lines += [f"{label} {c.aggregate.key}: {c.message}" for c in failed]
    lines += result.messages
    lines.append(f"Gate {result.verdict}. Reports: {result.out_dir}")
    return "\n".join(lines)


def _failures(results: list[CaseResult]) -> list[tuple[CaseResult, str, str]]:
    found = []
    for case in results:
        for scorer, score in case.scores.items():
            if not score.passed:
                found.append((case, scorer, score.reason))
    return found


# --- HTML ----------------------------------------------------------------------------------------------

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#111827}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{padding:4px 8px;border-bottom:1px solid #f3f4f6;
text-align:left}th{background:#f9fafb}td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#e5e7eb;border-radius:3px;height:10px;width:140px;display:inline-block;vertical-align:middle}
.bar>span{display:block;height:10px;border-radius:3px;background:#2563eb}.pass{color:#15803d;font-weight:600}
.fail{color:#b91c1c;font-weight:700}.muted{color:#6b7280}details{border:1px solid #e5e7eb;border-radius:6px;
margin:6px 0;padding:6px 10px}summary{cursor:pointer}pre{white-space:pre-wrap;background:#f9fafb;padding:8px;
border-radius:4px;max-height:360px;overflow:auto;font-size:12px}.verdict{padding:4px 10px;border-radius:4px;
color:white}.ok{background:#15803d}.bad{background:#b91c1c}
.chart{display:inline-block;width:330px;margin:6px 18px 10px 0;vertical-align:top}
.legend span{display:inline-block;margin-right:10px;font-size:12px}
"""


def report_html(result: RunResult, history: list[dict[str, Any]]) -> str:
    if not result.gated:
        verdict = '<span class="verdict" style="background:#6b7280">report only</span>'
    elif result.passed:
        verdict = '<span class="verdict ok">gate passed</span>'
    else:
        verdict = '<span class="verdict bad">gate failed</span>'
    config = escape(", ".join(f"{k}: {v}" for k, v in result.config.items() if v is not None))
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>SAM Coach evals {escape(result.run_id)}</title><style>{CSS}</style></head><body>",
        f"<h1>SAM Coach eval run {escape(result.run_id)} {verdict}</h1>",
        f"<p class='muted'>{config}; {len(result.results)} cases in {result.duration_s:.0f} s.</p>",
        *(f"<p class='muted'>{escape(m)}</p>" for m in result.messages),
        _scores_html(result),
        _tags_html(result),
        "<h2>Score history</h2>",
        _history_html(history, result.config),
        _judge_html(result),
        "<h2>Failures</h2>",
        _failures_html(result.results),
        "</body></html>",
    ]
    return "\n".join(parts)


def _scores_html(result: RunResult) -> str:
    checks = {c.aggregate.key: c for c in result.checks}
    rows = []
    for aggregate in result.aggregates:
        if not aggregate.gated:
            continue
        check = checks[aggregate.key]
        status = {"pass": "<span class='pass'>pass</span>", "fail": "<span class='fail'>FAIL</span>"}.get(
            check.status, "<span class='muted'>-</span>"
        )
        minimum = "" if check.minimum is None else f"{check.minimum:.2f}"
        base = "" if check.baseline is None else f"{check.baseline:.3f}"
        delta = _delta(check.delta)
        width = max(0.0, min(1.0, aggregate.mean)) * 100
        rows.append(
            f"<tr><td>{escape(aggregate.dataset)}</td><td>{escape(aggregate.scorer)}</td>"
            f"<td class='num'>{aggregate.n}</td><td><span class='bar'><span style='width:{width:.0f}%'></span>"
            f"</span> {aggregate.mean:.3f}</td><td class='num'>{aggregate.pass_rate:.3f}</td>"
            f"<td class='num'>{minimum}</td><td class='num'>{base}</td><td class='num'>{delta}</td>"
            f"<td>{status} <span class='muted'>{escape(check.message if check.status == 'fail' else '')}</span></td>"
            "</tr>"
        )
    return (
        "<h2>Scores</h2><table><tr><th>dataset</th><th>scorer</th><th>n</th><th>mean</th><th>pass rate</th>"
        "<th>min</th><th>baseline</th><th>delta</th><th>gate</th></tr>" + "".join(rows) + "</table>"
    )


def _judge_html(result: RunResult) -> str:
    judged = [a for a in result.aggregates if not a.gated]
    if not judged:
        return ""
    rows = "".join(
        f"<tr><td>{escape(a.dataset)}</td><td class='num'>{a.n}</td><td class='num'>{a.mean:.3f}</td>"
        f"<td class='num'>{a.pass_rate:.3f}</td></tr>"
        for a in judged
    )
    return (
        "<h2>LLM judge (reported, not gated)</h2><table><tr><th>dataset</th><th>n</th><th>mean</th>"
        f"<th>pass rate</th></tr>{rows}</table>"
    )


def _failures_html(results: list[CaseResult]) -> str:
    by_dataset: dict[str, list[tuple[CaseResult, str, str]]] = defaultdict(list)
    for case, scorer, reason in _failures(results):
        by_dataset[case.dataset].append((case, scorer, reason))
    if not by_dataset:
        return "<p class='pass'>No failing case.</p>"
    parts = []
    for dataset, failures in by_dataset.items():
        parts.append(f"<h3>{escape(dataset)} ({len(failures)})</h3>")
        for case, scorer, reason in failures[:FAILURES_PER_DATASET]:
            answer = case.answer.get("answer") or case.answer.get("error") or json.dumps(case.answer)[:2000]
            calls = ", ".join(f"{c['name']}({_args(c['args'])})" for c in case.answer.get("tool_calls", []))
            parts.append(
                f"<details><summary><b>{escape(case.case_id)}</b> · {escape(scorer)}: {escape(reason[:240])}"
                f"</summary><p><b>Asked:</b> {escape(case.question)}</p>"
                f"<p><b>Tools:</b> {escape(calls or 'none')}</p><pre>{escape(str(answer))}</pre></details>"
            )
        if len(failures) > FAILURES_PER_DATASET:
            parts.append(f"<p class='muted'>… and {len(failures) - FAILURES_PER_DATASET} more in results.jsonl</p>")
    return "".join(parts)


def _args(args: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in args.items() if k != "rationale")[:200]


def _history_html(history: list[dict[str, Any]], config: dict[str, Any]) -> str:
    """Runs of the same backend and embedding only: a smoke run on the hash embedding is not a regression."""
    same = [r for r in history if all(r.get("config", {}).get(k) == config.get(k) for k in ("backend", "embedding"))]
    runs = same[-HISTORY_RUNS:]
    if len(runs) < 2:
        return "<p class='muted'>The chart appears from the second run with this configuration (history.jsonl).</p>"
    series: dict[str, dict[str, list[float | None]]] = defaultdict(dict)
    keys = sorted({key for run in runs for key in run.get("scores", {})})
    for key in keys:
        dataset, scorer = key.split("/", 1)
        series[dataset][scorer] = [run.get("scores", {}).get(key) for run in runs]
    return "".join(_chart(dataset, lines, [r.get("run_id", "") for r in runs]) for dataset, lines in series.items())


def _chart(title: str, lines: dict[str, list[float | None]], labels: list[str]) -> str:
    width, height, pad = 320, 150, 28
    count = len(labels)

    def x(i: int) -> float:
        return pad + (width - 2 * pad) * (i / max(1, count - 1))

    def y(v: float) -> float:
        return height - pad + (2 * pad - height) * v

    grid = "".join(
        f"<line x1='{pad}' x2='{width - pad}' y1='{y(v):.1f}' y2='{y(v):.1f}' stroke='#e5e7eb'/>"
        f"<text x='2' y='{y(v) + 4:.1f}' font-size='9' fill='#6b7280'>{v:.1f}</text>"
        for v in (0.0, 0.5, 1.0)
    )
    paths, legend = [], []
    for number, (scorer, values) in enumerate(sorted(lines.items())):
        colour = PALETTE[number % len(PALETTE)]
        points = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values) if v is not None]
        if points:
            paths.append(
                f"<polyline fill='none' stroke='{colour}' stroke-width='1.6' points='{' '.join(points)}'>"
                f"<title>{escape(scorer)}</title></polyline>"
            )
        legend.append(f"<span style='color:{colour}'>■ {escape(scorer)}</span>")
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img' "
        f"aria-label='{escape(title)} score history'>{grid}{''.join(paths)}"
        f"<text x='{pad}' y='14' font-size='12' font-weight='600'>{escape(title)}</text></svg>"
    )
    return f"<div class='chart'>{svg}<div class='legend'>{''.join(legend)}</div></div>"
