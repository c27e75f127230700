"""The parse cache of dpakit/content.py: the same bytes give the same table, a changed file is parsed again,
and the on-disk cache is used only when it is sound (never when damaged, foreign or holding other types)."""

from __future__ import annotations

import hashlib
import os
import pickle

import pytest

from dpakit import content
from dpakit.errors import ContentError


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("DPAKIT_CACHE_DIR", str(folder))
    content.clear_parse_cache()
    yield folder
    content.clear_parse_cache()


def entries(folder):
    return sorted(folder.glob("*.toml.pickle"))


def test_the_same_file_gives_the_same_object_and_a_changed_file_is_read_again(cache, tmp_path):
    path = tmp_path / "a.toml"
    path.write_text("x = 1\nwhen = 2026-01-05\n", encoding="utf-8")
    first = content.read_toml(path)
    assert content.read_toml(path) is first
    assert first["x"] == 1 and str(first["when"]) == "2026-01-05"
    path.write_text("x = 2\n", encoding="utf-8")
    assert content.read_toml(path) == {"x": 2}
    path.write_text("x = [\n", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid TOML"):
        content.read_toml(path)


def test_a_new_process_reads_the_disk_cache_and_gets_an_equal_table(cache, tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('x = "y"\nwhen = 2026-01-05T10:00:00Z\n', encoding="utf-8")
    parsed = content.read_toml(path)
    assert len(entries(cache)) == 1
    content.clear_parse_cache()  # as a new interpreter
    again = content.read_toml(path)
    assert again == parsed and again is not parsed


def _entry_for(cache, data: bytes):
    return cache / f"{content._content_key(data)}.toml.pickle"


@pytest.mark.parametrize(
    "damage",
    ["truncated", "checksum", "foreign type", "not a table"],
)
def test_a_damaged_or_planted_cache_entry_is_ignored(cache, tmp_path, damage):
    path = tmp_path / "a.toml"
    data = b"x = 1\n"
    path.write_bytes(data)
    content.read_toml(path)
    entry = _entry_for(cache, data)
    blob = entry.read_bytes()
    head = content._CACHE_FORMAT
    if damage == "truncated":
        blob = blob[: len(head) + 10]
    elif damage == "checksum":
        blob = blob[:-1] + bytes([blob[-1] ^ 1])
    else:
        value = {"x": os.system} if damage == "foreign type" else ["x"]
        payload = pickle.dumps(value)
        blob = head + hashlib.sha256(payload).digest() + payload
    entry.write_bytes(blob)
    content.clear_parse_cache()
    assert content.read_toml(path) == {"x": 1}


def test_an_entry_with_other_content_is_not_used_for_this_file(cache, tmp_path):
    path = tmp_path / "a.toml"
    path.write_bytes(b"x = 1\n")
    content.read_toml(path)
    (entry,) = entries(cache)
    path.write_bytes(b"x = 2\n")  # the old entry is still there, but keyed by the old bytes
    content.clear_parse_cache()
    assert content.read_toml(path) == {"x": 2}
    assert entry.exists() and len(entries(cache)) == 2


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_folder_others_can_write_to_is_neither_read_nor_written(cache, tmp_path):
    path = tmp_path / "a.toml"
    data = b"x = 1\n"
    path.write_bytes(data)
    cache.mkdir()
    payload = pickle.dumps({"x": "planted"})
    _entry_for(cache, data).write_bytes(content._CACHE_FORMAT + hashlib.sha256(payload).digest() + payload)
    cache.chmod(0o777)
    assert content.read_toml(path) == {"x": 1}
    cache.chmod(0o700)
    content.clear_parse_cache()
    assert content.read_toml(path) == {"x": "planted"}  # the check above was the folder's mode, nothing else


def test_an_unwritable_or_disabled_cache_only_means_parsing(tmp_path, monkeypatch):
    path = tmp_path / "a.toml"
    path.write_bytes(b"x = 1\n")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    for setting in (str(blocker / "cache"), ""):
        monkeypatch.setenv("DPAKIT_CACHE_DIR", setting)
        content.clear_parse_cache()
        assert content.read_toml(path) == {"x": 1}
    assert content.cache_dir() is None
    content.clear_parse_cache()


def test_front_matter_is_cached_like_files(cache):
    first = content.parse_toml_text('id = "a"\n', "clause.md")
    assert content.parse_toml_text('id = "a"\n', "other.md") is first
    with pytest.raises(ContentError, match="other.md"):
        content.parse_toml_text("id = \n", "other.md")


def test_display_path_is_remembered_only_for_absolute_paths(monkeypatch):
    data_file = content.DATA_DIR / "annexes.toml"
    assert content.display_path(data_file) == "dpakit/data/annexes.toml"
    assert content.display_path(data_file) == "dpakit/data/annexes.toml"
    relative = content.Path("data/annexes.toml")
    monkeypatch.chdir(content.PACKAGE_DIR)
    assert content.display_path(relative) == "dpakit/data/annexes.toml"
    monkeypatch.chdir(content.PROJECT_DIR)
    assert content.display_path(relative) == "data/annexes.toml"  # not the answer from the other folder
