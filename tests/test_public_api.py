"""The public API: ``__all__`` is sorted, complete and every name resolves (httpx's exported-members test)."""

import dpakit


def test_all_is_sorted_and_unique():
    assert dpakit.__all__ == sorted(set(dpakit.__all__))


def test_every_exported_name_resolves_to_something_real():
    for name in dpakit.__all__:
        assert getattr(dpakit, name) is not None, name


def test_the_documented_example_runs():
    report = dpakit.score(dpakit.analyse(dpakit.load_example("fynbos")))
    assert report.findings


def test_unknown_names_raise_attribute_error():
    try:
        dpakit.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")
