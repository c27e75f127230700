"""``python -m dpakit``: the command line. It mirrors the Python API and never imports streamlit.

Every failure a user can cause ends with exit status 2 and a one-line reason on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from dpakit import DpakitError, InputError

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _read_answers(path: str):
    from dpakit import parse_answers

    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: no such file")
    return parse_answers(file.read_bytes(), name=path)


def cmd_schema(args: argparse.Namespace) -> int:
    from dpakit import Answers

    print(json.dumps(Answers.model_json_schema(), indent=2))
    return 0


def cmd_example(args: argparse.Namespace) -> int:
    from dpakit import example_json, list_examples

    if args.list or not args.name:
        for key, name, description in list_examples():
            print(f"{key}\t{name}\t{description}")
        return 0
    text = example_json(args.name)
    if args.out:
        out = Path(args.out)
        if out.is_dir():
            out = out / f"{args.name}.json"
        out.write_text(text, encoding="utf-8")
        print(out)
    else:
        sys.stdout.write(text)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from dpakit import answer_problems, progress

    answers = _read_answers(args.file)
    problems = answer_problems(answers)
    if problems:  # answers the drafting would refuse (e.g. a Clause 17 law outside the EU for Modules 1-3)
        raise InputError(f"{args.file}: " + "; ".join(problems))
    done = progress(answers)
    print(
        f"{args.file}: valid (schema version {answers.schema_version}; "
        f"{done.answered} of {done.visible} visible questions answered)"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from dpakit import run_checks

    questions = Path(args.questions) if args.questions else None
    if questions is not None and not questions.is_dir():
        raise InputError(f"{args.questions}: no such folder")
    for line in run_checks(questions_dir=questions):
        print(line)
    return 0


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _chosen_agreements(answers, choice: str) -> list[str]:
    if choice == "all":
        return list(answers.agreement_ids)
    if choice not in answers.agreement_ids:
        raise InputError(
            f"no agreement {choice!r} in this answers file; its agreements: {', '.join(answers.agreement_ids)}"
        )
    return [choice]


def cmd_draft(args: argparse.Namespace) -> int:
    from dpakit import export_documents

    answers = _read_answers(args.answers)
    chosen = _chosen_agreements(answers, args.agreement)
    out = Path(args.out)
    if len(chosen) == 1:  # one DPA: the export as before (dpa.docx with the action plan, report, manifest)
        result = export_documents(answers.focused(chosen[0]), out, comments=not args.no_comments, start=args.start_date)
        for name in result.files:
            print(out / name)
        print(f"dpa.docx SHA-256 {result.dpa_sha256}")
        _print_missing(result.missing_measures)
        return 0
    return _draft_each(answers, chosen, out, args)


def _draft_each(answers, chosen: list[str], out: Path, args: argparse.Namespace) -> int:
    """One DPA per agreement, each under its own name (``dpa_file_name``), with the organisation's action
    plan (DOCX, Markdown, CSV) and ``report.json`` (the risk report once, each DPA's clauses by agreement)."""
    from dpakit import (
        action_plan,
        action_plan_csv,
        action_plan_docx,
        action_plan_markdown,
        analyse,
        draft_dpa,
        load_library,
        score,
    )

    library = load_library()
    comments = not args.no_comments
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, bytes]] = []
    sums, reports, missing = [], {}, {}
    organisation = answers.organisation.legal_name
    for agreement_id in chosen:
        agreement = answers.agreement_by_id(agreement_id)
        from dpakit import dpa_file_name

        name = dpa_file_name(organisation, agreement.counterparty_name, agreement_id)
        if name in (n for n, _ in written):
            name = name.removesuffix(".docx") + f"-{agreement_id}.docx"
        draft = draft_dpa(analyse(answers.focused(agreement_id)), library, comments=comments)
        written.append((name, draft.docx))
        sums.append((name, draft.sha256))
        reports[agreement_id] = {"file": name, "sha256": draft.sha256, **draft.report}
        missing[name] = [m.sentence() for m in draft.missing_measures]
    analysis = analyse(answers)
    risk = score(analysis)
    plan = action_plan(analysis, args.start_date, report=risk)
    written += [
        ("action-plan.docx", action_plan_docx(plan)),
        ("action-plan.md", action_plan_markdown(plan).encode()),
        ("action-plan.csv", action_plan_csv(plan).encode()),
    ]
    report = {"risk": risk.as_dict(), "dpas": reports}
    written.append(("report.json", (json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n").encode()))
    for name, data in written:
        (out / name).write_bytes(data)
        print(out / name)
    for name, sha in sums:
        print(f"{name} SHA-256 {sha}")
    for name, lines in missing.items():
        if lines:
            print(f"{name}:")
            _print_missing(lines)
    return 0


def _print_missing(lines: list[str]) -> None:
    if lines:
        print("Security measures not confirmed (left out of Annex III):")
        for line in lines:
            print(f"  - {line}")


def cmd_draft_batch(args: argparse.Namespace) -> int:
    from dpakit import batch_summary, draft_batch

    items = draft_batch(
        Path(args.dir), Path(args.out), jobs=args.jobs, comments=not args.no_comments, start=args.start_date
    )
    for item in items:
        print(f"{'ok' if item.ok else 'FAILED'}\t{item.source}\t{item.message}")
    summary = batch_summary(items)
    print(f"{summary['ok']} of {summary['total']} answers files drafted into {args.out}")
    return 0 if summary["ok"] == summary["total"] else 1


def cmd_score(args: argparse.Namespace) -> int:
    from dpakit import analyse, full_report, report_text

    data = full_report(analyse(_read_answers(args.answers)))
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        print(report_text(data))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    import datetime as dt

    from dpakit import action_plan, action_plan_csv, action_plan_docx, action_plan_markdown, analyse

    start = args.start_date or dt.date.today()
    plan = action_plan(analyse(_read_answers(args.answers)), start)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in (
        ("action-plan.docx", action_plan_docx(plan)),
        ("action-plan.md", action_plan_markdown(plan).encode()),
        ("action-plan.csv", action_plan_csv(plan).encode()),
    ):
        (out / name).write_bytes(data)
        print(out / name)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from dpakit import (
        parse_regimes,
        read_path,
        review_document,
        review_docx,
        review_json,
        review_markdown,
        review_text,
    )

    regimes = parse_regimes(args.regimes)
    doc = read_path(args.file)
    transfers = {"auto": None, "yes": True, "no": False}[args.transfers]
    report = review_document(doc, regimes, args.role, transfers=transfers)
    if args.docx:
        Path(args.docx).write_bytes(review_docx(report))
    if args.markdown:
        Path(args.markdown).write_text(review_markdown(report), encoding="utf-8")
    sys.stdout.write(review_json(report) if args.format == "json" else review_text(report))
    return 0


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "schema": (cmd_schema, "print the JSON Schema of the answers file"),
    "example": (cmd_example, "list the example organisations or write one as an answers file"),
    "validate": (cmd_validate, "check an answers file"),
    "check": (cmd_check, "validate every content file (questions, requirements, rules, clauses, …)"),
    "draft": (cmd_draft, "draft the DPA, action plan, report and manifest for one answers file"),
    "draft-batch": (cmd_draft_batch, "draft documents for every answers file in a folder, in parallel"),
    "score": (cmd_score, "which laws apply, transfers, and the explained risk findings and scores"),
    "plan": (cmd_plan, "write the action plan as DOCX, Markdown and CSV"),
    "review": (cmd_review, "review an existing DPA (DOCX, PDF or text) against the mandatory DPA terms"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m dpakit", description="dpakit: privacy house-keeping for CRM users.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (_, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == "example":
            p.add_argument("name", nargs="?", help="example id (see --list)")
            p.add_argument("--list", action="store_true", help="list the examples")
            p.add_argument("--out", help="file or folder to write (default: standard output)")
        elif name == "check":
            p.add_argument("--questions", help="check the question files in this folder instead")
        elif name == "validate":
            p.add_argument("file", help="answers file (.json)")
        elif name == "draft":
            p.add_argument("answers", help="answers file (.json)")
            p.add_argument("--out", required=True, help="folder to write the documents into")
            p.add_argument("--no-comments", action="store_true", help="a clean copy without reviewer comments")
            p.add_argument(
                "--start-date",
                type=_date,
                help="date the action plan's due dates count from (YYYY-MM-DD; default today)",
            )
            p.add_argument(
                "--agreement",
                default="all",
                metavar="ID|all",
                help="draft the DPA of this agreement only, or of every agreement (default all: one DPA per "
                "agreement, named dpa-<organisation>-<counterparty>.docx when there are several)",
            )
        elif name == "draft-batch":
            p.add_argument("dir", help="folder of answers files (*.json)")
            p.add_argument("--out", required=True, help="folder for the results (one subfolder per file)")
            p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
            p.add_argument("--no-comments", action="store_true", help="clean copies without reviewer comments")
            p.add_argument(
                "--start-date",
                type=_date,
                help="date the action plans' due dates count from (YYYY-MM-DD; default today)",
            )
        elif name == "score":
            p.add_argument("answers", help="answers file (.json)")
            p.add_argument("--format", choices=("json", "text"), default="json", help="output format (default json)")
        elif name == "plan":
            p.add_argument("answers", help="answers file (.json)")
            p.add_argument("--out", required=True, help="folder to write action-plan.docx/.md/.csv into")
            # --start is the old spelling, kept so existing scripts go on working; draft uses --start-date.
            p.add_argument(
                "--start-date",
                "--start",
                dest="start_date",
                type=_date,
                help="date the action plan's due dates count from (YYYY-MM-DD; default today)",
            )
        elif name == "review":
            p.add_argument("file", help="the DPA to review (.docx, .pdf with a text layer, .txt or .md)")
            p.add_argument("--regimes", required=True, help="comma-separated: eu_gdpr,uk_gdpr,ccpa,popia")
            p.add_argument(
                "--role",
                choices=("controller", "processor"),
                default="controller",
                help="your role under the DPA (default controller)",
            )
            p.add_argument("--format", choices=("json", "text"), default="json", help="output format (default json)")
            p.add_argument(
                "--transfers",
                choices=("auto", "yes", "no"),
                default="auto",
                help="check the transfer terms (SCCs, UK Addendum, POPIA s.72); auto: if the text "
                "mentions international transfers",
            )
            p.add_argument("--docx", help="also write the report as a Word document to this path")
            p.add_argument("--markdown", help="also write the report as Markdown to this path")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # usage errors (exit 2 with a one-line reason) and --help (exit 0)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler = COMMANDS[args.command][0]
    try:
        return handler(args)
    except DpakitError as exc:
        print(f"dpakit {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"dpakit {args.command}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
