"""`archer check`: the whole pipeline (read, warn, prove) and the formats it reports in.

Every finding gets a stable code from the table below (e.g. `A201 unknown-reference`),
so that an editor, a CI job or an author's notes can name a kind of problem. Codes
are numbered by how early in the pipeline the problem arises (reading files, then
shapes, then references, then the story's graph, then the proof), and findings are
listed in that order: an error that is only the knock-on of another comes after it.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from game.story.findings import Finding
from game.story.sanitize import escape_controls

if TYPE_CHECKING:  # the engine only when the proof runs: `--no-proof` starts in a fraction of the time
    from game.engine.explore import Exploration

FORMATS = ("text", "json", "sarif", "github")

# (code, name, what the message says): the first whose pattern matches names the finding
# (so the narrow patterns come before the broad ones; the numbers give the order of the list).
CODES: tuple[tuple[str, str, str], ...] = (
    ("A001", "no-story-folder", r"^no such story folder"),
    ("A002", "missing-file", r"^(missing |every story needs a story\.yaml)"),
    ("A003", "not-utf8", r"not UTF-8"),
    ("A004", "yaml-syntax", r"^YAML|nests too deeply|tags like"),
    ("A005", "duplicate-key", r"appears twice in one mapping"),
    ("A006", "not-cross-checked", r"were not checked: fix the YAML errors"),
    ("A007", "unreadable-file", r"cannot be read|not a regular file|outside the story folder"),
    ("A008", "control-characters", r"control character"),
    ("A009", "cut-by-comment", r"cut short by a comment"),
    ("A010", "stale-schema", r"^the schema .* is out of date"),
    ("A106", "bad-condition", r"^bad condition"),
    ("A107", "bad-effect", r"^bad effect"),
    ("A101", "unknown-field", r"^unknown field"),
    ("A102", "empty-field", r"is empty"),
    ("A103", "missing-field", r"is missing '"),
    ("A104", "wrong-type", r"should be |should map |should look like|needs exactly one|takes one|quote it"),
    ("A105", "bad-id", r"is not a valid|reserved|clashes with"),
    ("A108", "defined-twice", r"defined twice|declared twice|share the id"),
    ("A201", "unknown-reference", r"^unknown |is not one of the beats|has unknown"),
    ("A202", "never-set", r"is never (set|changed) by any effect"),
    ("A203", "beat-crossing", r"beat|trigger"),
    ("A301", "unreachable-scene", r"^scene '.*' cannot be reached"),
    ("A302", "dead-end-scene", r"has no choices and is not an ending"),
    ("A303", "unreachable-ending", r"^ending '.*' is never reached: no reachable choice"),
    ("A304", "clue-never-given", r"is never given"),
    ("A305", "clue-never-used", r"is never used"),
    ("A306", "silent-character", r"never speaks"),
    ("A307", "answer-never-held", r"a player can never hold it there"),
    ("A308", "word-never-learned", r"^word '.*' is never learned"),
    ("A309", "answer-offered-alone", r"with its right answer alone"),
    ("A401", "soft-lock", r"^soft-lock"),
    ("A402", "scene-never-played", r"^scene '.*' is never reached in any playthrough"),
    ("A403", "ending-never-played", r"^ending '.*' is never reached in any playthrough"),
    ("A900", "other", r""),
)
_PATTERNS = [(f"{code} {name}", re.compile(pattern)) for code, name, pattern in CODES]
_SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


def with_code(finding: Finding) -> Finding:
    """The finding with its code from the table (one given where it was found is kept)."""
    if finding.code:
        return finding
    code = next(code for code, pattern in _PATTERNS if pattern.search(finding.message))
    return replace(finding, code=code)


def ordered(findings: list[Finding]) -> list[Finding]:
    """Errors, warnings, notes; within each, causes (earlier codes) before their knock-ons."""
    return sorted(
        (with_code(f) for f in findings),
        key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.code, f.file, f.line, f.column, f.message),
    )


def run_check(root: Path, *, strict: bool = False, output: str = "text", deep: bool = False, proof: bool = True) -> int:
    """Check the story in `root`, print the findings in `output` format; the exit status of `archer check`."""
    from game.story.check import check_story, endings_led_to, reachable_scenes

    story, findings = check_story(root, use_cache=True)
    summary = "the soft-lock proof not run"
    if proof and story is not None and not any(f.severity == "error" for f in findings):
        from game.engine.engine import Engine
        from game.engine.explore import (
            DEEP_BUDGET,
            DEFAULT_BUDGET,
            describe_cut_short,
            exploration_findings,
            explore,
            never_reached_findings,
        )
        from game.engine.matching import confusable_choices

        budget = DEEP_BUDGET if deep else DEFAULT_BUDGET
        quick = None
        if not deep and budget.seconds is not None:  # the abstraction first, in at most 3/4 of the time
            from game.engine.modal import prove_no_soft_lock

            started = time.monotonic()
            quick = prove_no_soft_lock(story, budget.seconds * 0.75, budget.megabytes)
            budget = replace(budget, seconds=max(0.0, budget.seconds - (time.monotonic() - started)))
        result = explore(Engine(story), budget=budget)
        reached, led_to = reachable_scenes(story), endings_led_to(story)  # as the warnings found them
        already = {*(s for s in story.scenes if s not in reached), *(e for e in story.endings if e not in led_to)}
        findings = findings + exploration_findings(story, result, already) + confusable_choices(story)
        if quick is not None and quick.complete and not quick.why and not result.complete:
            # What no abstract playthrough reaches, no playthrough does: said although the exact search was cut.
            findings += never_reached_findings(story, quick.scenes, quick.endings, already)
        summary = _proof_summary(result, deep)
        if quick is not None and quick.proven and not result.complete:
            summary = (
                f"no soft-lock: proven on an abstraction of {quick.states:,} states in {quick.seconds:.1f} s of CPU; "
                "the exact search (which tells exactly which scenes and endings a playthrough can reach) "
                f"was cut short by its budget "
                f"({DEFAULT_BUDGET}): {describe_cut_short(result)}; "
                "run 'archer check --deep' to lift its time limit"
            )
    if strict:
        findings = [f if f.severity != "warning" else replace(f, severity="error") for f in findings]
    findings = ordered(findings)
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    print(format_findings(findings, output), end="")
    if story is None:
        print(f"{root}: the story could not be read", file=sys.stderr)
        return 2
    if errors:
        print(f"{errors} error(s), {warnings} warning(s) in {root}", file=sys.stderr)
        return 1
    verdict = "story is sound" if proof else "no errors in the files"
    print(f"{root}: {verdict} ({warnings} warning(s); {summary})", file=sys.stderr)
    return 0


def exit_now(status: int) -> NoReturn:
    """End `archer check` with `status` once its report is out, without the interpreter's teardown.

    A big story is hundreds of megabytes of small objects (0.1 s to free one by one at 10,000 scenes)
    that the system takes back at once. Only for the command itself: nothing else runs after it (no
    atexit handler is registered on its way), and a test calling cli.main gets its status back.
    """
    sys.stdout.flush()  # a reader gone (`archer check | head`) raises BrokenPipeError here, as it would at exit
    sys.stderr.flush()
    os._exit(status)


def _proof_summary(result: Exploration, deep: bool) -> str:
    from game.engine.explore import DEEP_BUDGET, DEFAULT_BUDGET, describe_cut_short

    if result.complete:
        return f"proof complete: explored all {result.states:,} distinct states in {result.seconds:.1f} s"
    budget = DEEP_BUDGET if deep else DEFAULT_BUDGET
    text = f"proof cut short by its budget ({budget}), no proof either way: {describe_cut_short(result)}"
    return text if deep else text + "; run 'archer check --deep' to lift the time limit"


def format_findings(findings: list[Finding], output: str) -> str:
    """The findings as text lines, a JSON list, a SARIF 2.1.0 log or GitHub workflow annotations."""
    if output == "json":
        return json.dumps([asdict(f) for f in findings], indent=1) + "\n"
    if output == "sarif":
        return json.dumps(to_sarif(findings), indent=1) + "\n"
    if output == "github":
        return "".join(_github_line(f) + "\n" for f in findings)
    return "".join(f"{finding}\n" for finding in findings)


def _github_line(finding: Finding) -> str:
    """A workflow command: GitHub shows it on the line of the file in a pull request."""
    level = {"error": "error", "warning": "warning"}.get(finding.severity, "notice")
    where = f"file={_escape_property(finding.file)},line={max(finding.line, 1)}"
    if finding.column:
        where += f",col={finding.column}"
    title = _escape_property(finding.code)
    return f"::{level} {where},title={title}::{_escape_data(finding.message)}"


def _escape_data(text: str) -> str:
    return escape_controls(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_sarif(findings: list[Finding]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: the rules are the codes, the results the findings."""
    rules = [
        {"id": code, "name": name, "shortDescription": {"text": name.replace("-", " ")}} for code, name, _ in CODES
    ]
    rule_index = {code: index for index, (code, _, _) in enumerate(CODES)}
    results = []
    for finding in findings:
        code = finding.code.split(" ")[0]
        region: dict[str, int] = {"startLine": max(finding.line, 1)}
        if finding.column:
            region["startColumn"] = finding.column
        results.append(
            {
                "ruleId": code,
                "ruleIndex": rule_index.get(code, len(CODES) - 1),
                "level": {"error": "error", "warning": "warning"}.get(finding.severity, "note"),
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": finding.file}, "region": region}}],
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "archer check", "rules": rules}},
                "results": results,
            }
        ],
    }
