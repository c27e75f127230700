"""Export every document for one answers set into a folder, and do it for many answers files at once.

    result = export_documents(answers, out_dir, comments=True)     # python -m dpakit draft
    summary = draft_batch(in_dir, out_dir, jobs=4)                  # python -m dpakit draft-batch

One export writes ``dpa.docx``, the action plan (``action-plan.docx``, ``.md``, ``.csv``),
``report.json`` (the risk score report and the included clauses with
their reasons and requirement ids) and ``manifest.json`` (SHA-256 of every file, the answers hash and the
clause library version). The same answers give the same bytes (the action plan's due dates also
depend on the start date, today unless given).

A batch runs one export per ``*.json`` answers file in a ``ProcessPoolExecutor``, each into its own
subfolder named after the file. A bad file (unreadable, invalid, a coverage gap) is reported in the
summary with its one-line reason and does not stop the others.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DpakitError, InputError
from .manifest import MANIFEST_NAME, OutputFile, write_outputs


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    files: list[str]
    dpa_sha256: str
    manifest: Path
    missing_measures: list[str] = field(default_factory=list)


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def action_plan_files(analysis, report, start: dt.date | None = None) -> list[OutputFile]:
    """The action plan as DOCX, Markdown and CSV (due dates counted from ``start``, default today)."""
    from .. import actions

    plan = actions.action_plan(analysis, start, report=report)
    return [
        OutputFile("action-plan.docx", "action_plan", actions.to_docx(plan), {"format": "docx"}),
        OutputFile("action-plan.md", "action_plan", actions.to_markdown(plan).encode("utf-8"), {"format": "md"}),
        OutputFile("action-plan.csv", "action_plan", actions.to_csv(plan).encode("utf-8"), {"format": "csv"}),
    ]


def export_documents(answers, out_dir: Path, *, comments: bool = True, start: dt.date | None = None) -> ExportResult:
    """Draft every document for ``answers`` into ``out_dir`` (created if needed), with ``manifest.json``.

    ``start`` is the date the action plan's suggested due dates count from (default: today); everything
    else depends only on the answers and the clause library.
    """
    from ..analysis import analyse
    from ..answers_file import answers_sha256
    from ..risk import score
    from .clauses import load_library
    from .draft import dpakit_version, draft_dpa

    analysis = analyse(answers)
    library = load_library()
    draft = draft_dpa(analysis, library, comments=comments)
    risk = score(analysis)
    files = [OutputFile("dpa.docx", "dpa", draft.docx, {"comments": comments})]
    files.extend(action_plan_files(analysis, risk, start))
    report = {"risk": risk.as_dict(), "dpa": draft.report}
    files.append(OutputFile("report.json", "report", _json_bytes(report)))
    manifest = write_outputs(
        Path(out_dir),
        files,
        answers_sha256=answers_sha256(answers),
        library_version=library.version,
        generator=f"dpakit {dpakit_version()}",
    )
    return ExportResult(
        Path(out_dir),
        [f.name for f in files] + [MANIFEST_NAME],
        draft.sha256,
        manifest,
        [m.sentence() for m in draft.missing_measures],
    )


# --- batch ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchItem:
    source: str
    out_dir: str
    ok: bool
    message: str
    dpa_sha256: str = ""


def _folder_name(path: Path, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", path.stem).strip("._") or "answers"
    name, n = base, 2
    while name.casefold() in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name.casefold())
    return name


def _one(job: tuple[str, str, bool, dt.date | None]) -> BatchItem:
    source, out_dir, comments, start = job
    from ..answers_file import parse_answers

    try:
        path = Path(source)
        answers = parse_answers(path.read_bytes(), name=path.name)
        result = export_documents(answers, Path(out_dir), comments=comments, start=start)
        return BatchItem(source, out_dir, True, f"{len(result.files)} files", result.dpa_sha256)
    except DpakitError as exc:
        return BatchItem(source, out_dir, False, str(exc))
    except OSError as exc:
        return BatchItem(source, out_dir, False, f"{exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch; say what happened
        return BatchItem(source, out_dir, False, f"unexpected error: {type(exc).__name__}: {exc}")


def answers_files(in_dir: Path) -> list[Path]:
    in_dir = Path(in_dir)
    if not in_dir.is_dir():
        raise InputError(f"{in_dir}: not a folder")
    return sorted(p for p in in_dir.glob("*.json") if p.is_file())


def draft_batch(
    in_dir: Path, out_dir: Path, *, jobs: int = 1, comments: bool = True, start: dt.date | None = None
) -> list[BatchItem]:
    """Export documents for every ``*.json`` answers file in ``in_dir``; one subfolder of ``out_dir`` each."""
    files = answers_files(in_dir)
    taken: set[str] = set()
    work = [(str(p), str(Path(out_dir) / _folder_name(p, taken)), comments, start) for p in files]
    jobs = max(1, min(int(jobs), len(work) or 1, os.cpu_count() or 1))
    if jobs == 1:
        return [_one(w) for w in work]
    # Each worker handles whole files; a chunk of several files per task keeps inter-process overhead low.
    chunksize = max(1, len(work) // (jobs * 4))
    from concurrent.futures import ProcessPoolExecutor  # only here: 25 ms of imports ``draft`` does not need

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_one, work, chunksize=chunksize))


def batch_summary(items: Sequence[BatchItem]) -> dict[str, Any]:
    """Counts, failures with their reasons, and the documents drafted, for a ``draft_batch`` run."""
    return {
        "total": len(items),
        "ok": sum(1 for i in items if i.ok),
        "failed": [{"source": i.source, "reason": i.message} for i in items if not i.ok],
        "documents": [{"source": i.source, "out_dir": i.out_dir, "dpa_sha256": i.dpa_sha256} for i in items if i.ok],
    }


__all__ = [
    "BatchItem",
    "ExportResult",
    "action_plan_files",
    "answers_files",
    "batch_summary",
    "draft_batch",
    "export_documents",
]
