"""Drafting every DPA of an assessment with 10 agreements vs 10 times the DPA of one agreement (issue 10).

An assessment now holds several processing relationships; drafting them all must grow linearly with their
number, not with the number squared (each agreement's flows, schedules and "Before you sign" list are its
own). Ours: the fynbos example with 10 agreements (copies of its one with distinct ids and counterparties),
each DPA drafted from ``analyse(answers.focused(id))``, as the documents page and ``draft --agreement all``
do. Baseline, in the same run: the example with its one agreement, drafted 10 times. Alternating runs; the
figure is the ratio of the medians (1.0 = exactly linear).

    python -m benchmarks.bench_agreements [--quick]
"""

from __future__ import annotations

import sys

from benchmarks import Figure, alternate, median

TARGET = 1.2
COUNT = 10


def _answers(count: int):
    from dpakit.examples import load_example
    from dpakit.models import Agreement

    answers = load_example("fynbos")
    first = answers.agreement.model_dump(mode="json")
    for n in range(2, count + 1):
        copy = {**first, "id": f"agreement-{n}", "counterparty_name": f"Counterparty {n} (Pty) Ltd"}
        answers = answers.with_agreement(Agreement.model_validate(copy))
    return answers


def run(quick: bool = False) -> Figure:
    from dpakit.analysis import analyse
    from dpakit.drafting.clauses import load_library
    from dpakit.drafting.draft import draft_dpa

    library = load_library()
    many, one = _answers(COUNT), _answers(1)
    assert len(many.agreements) == COUNT

    def draft_all():
        for agreement_id in many.agreement_ids:
            draft_dpa(analyse(many.focused(agreement_id)), library)

    def draft_one_ten_times():
        for _ in range(COUNT):
            draft_dpa(analyse(one), library)

    repeat = 3 if quick else 7
    ours, bare = alternate(draft_all, draft_one_ten_times, repeat)
    ratio = median(ours) / median(bare)
    return Figure(
        "agreements",
        f"Drafting every DPA of an assessment with {COUNT} agreements vs {COUNT} × the DPA of one agreement",
        ratio,
        "×",
        f"≤ {TARGET:g}× (linear)",
        ratio <= TARGET,
        f"median {median(ours):.2f} s for {COUNT} agreements vs {median(bare):.2f} s for {COUNT} × one "
        f"({median(ours) / COUNT * 1000:.0f} ms per DPA); {repeat} alternating runs each",
        {"ours_s": ours, "bare_s": bare},
    )


if __name__ == "__main__":
    figure = run("--quick" in sys.argv)
    print(f"{figure.title}: {figure.measured_text()} ({figure.detail})")
    sys.exit(0 if figure.met else 1)
