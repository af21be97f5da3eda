"""What a CI job shows of an evaluation: JUnit XML (one test per case and scorer, and per check) for
its test view, and a Markdown summary with the verdict and the deltas against the baseline for a step
summary or a pull-request comment."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from .report import _fmt

if TYPE_CHECKING:
    from .evaluate import Evaluation


def to_junit(e: Evaluation) -> str:
    """A test suite per gate (floors, baseline) and one per case: a test per scorer of the case,
    failed when the case is behind a failing check on that scorer, an error when it has no recorded
    answer."""
    strategy = e.run.options.strategy
    root = ET.Element("testsuites", name=f"eval {strategy}")
    checks = ET.SubElement(root, "testsuite", name=f"eval.{strategy}.checks")
    failing_by_group: dict[str, set[str]] = {}
    for c in e.checks:
        case = ET.SubElement(checks, "testcase", classname=f"eval.{strategy}.checks", name=c.name)
        if c.passed:
            ET.SubElement(case, "system-out").text = c.message
        else:
            ET.SubElement(case, "failure", message=c.message).text = c.message
            group = c.name.split(" ", 1)[1].split(".", 1)[0]
            failing_by_group.setdefault(group, set()).update(c.cases)
    unanswered = set(e.unanswered)
    changed = e.comparison.cases_by_scorer() if e.comparison else {}
    groups = list(e.report.cases[0].scores) if e.report.cases else []
    suite = ET.SubElement(root, "testsuite", name=f"eval.{strategy}.cases")
    for cs in e.report.cases:
        for group in groups:
            case = ET.SubElement(suite, "testcase", classname=f"eval.{strategy}.{cs.id}", name=group)
            if cs.id in unanswered:
                ET.SubElement(case, "error", message="no recorded answer", type=cs.error_type or "").text = cs.error
            elif cs.id in failing_by_group.get(group, set()):
                ET.SubElement(case, "failure", message=f"{cs.id} is behind a failing {group} check")
            else:
                better, worse = changed.get(group, ([], []))
                note = "worse than the baseline" if cs.id in worse else "better" if cs.id in better else "unchanged"
                ET.SubElement(case, "system-out").text = f"{group}: {note}"
    for s in root:
        s.set("tests", str(len(s)))
        s.set("failures", str(sum(1 for t in s if t.find("failure") is not None)))
        s.set("errors", str(sum(1 for t in s if t.find("error") is not None)))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def to_summary(e: Evaluation) -> str:
    """Markdown: the verdict, the figures against the baseline (delta, interval, direction of better,
    significance), the failing checks and the cases that changed, by scorer."""
    lines = [f"### {e.verdict}", ""]
    failed = [c for c in e.checks if not c.passed]
    if failed:
        lines += ["**Regressions**", ""] + [f"- `{c.name}`: {c.message}" for c in failed] + [""]
    comp = e.comparison
    if comp is None:
        lines += ["| figure | value | 95% interval |", "|---|---|---|"]
        for key, v in e.report.totals.items():
            lo, hi = e.report.intervals.get(key, (v, v))
            lines.append(f"| {key} | {_fmt(key, v)} | [{_fmt(key, lo)}, {_fmt(key, hi)}] |")
        return "\n".join(lines) + "\n"
    lines += [
        f"Baseline: {comp.a.options.strategy} of {comp.a.run_created} (prompt {comp.a.identity.get('prompt', '?')}); "
        f"candidate: prompt {comp.b.identity.get('prompt', '?')}, model `{comp.b.options.model}` via "
        f"{comp.b.options.endpoint}; {len(comp.common)} common cases. Changed since the baseline: "
        f"{comp.what_changed()}.",
        "",
    ]
    lines += [f"> {w}" for w in comp.warnings()] + ([""] if comp.warnings() else [])
    lines += [
        "| figure | better | baseline | candidate | delta | 95% interval of delta | |",
        "|---|---|---|---|---|---|---|",
    ]
    for d in comp.differences:
        mark = "regression" if any(c.name == f"baseline {d.key}" and not c.passed for c in e.checks) else (
            "significant" if d.significant and (d.worse or d.improved) else ("not significant" if d.delta else "")
        )  # fmt: skip
        lines.append(
            f"| {d.key} | {'↑' if d.better == 'higher' else '↓'} | {_fmt(d.key, d.a)} | {_fmt(d.key, d.b)} | "
            f"{d.delta:+.4f} | [{d.low:+.4f}, {d.high:+.4f}] | {mark} |"
        )
    moved = comp.cases_by_scorer()
    if any(b or w for b, w in moved.values()):
        lines += ["", "**Cases that changed, by scorer**", "", "| scorer | better | worse |", "|---|---|---|"]
        for group, (better, worse) in moved.items():
            if better or worse:
                lines.append(f"| {group} | {', '.join(better) or '–'} | {', '.join(worse) or '–'} |")
    return "\n".join(lines) + "\n"
