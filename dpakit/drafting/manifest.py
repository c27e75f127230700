"""``manifest.json``: what was generated, from what, with which hashes — written beside exported files.

    files = [OutputFile("dpa.docx", "dpa", data, {"comments": True}), ...]
    write_outputs(out_dir, files, answers=answers, library_version=library.version)
    problems = verify_manifest(out_dir)     # [] when every file still matches its recorded SHA-256

The manifest holds no timestamps, so the same answers and library give the same manifest, byte for byte
(the store records *when* a document was generated). Files are written atomically (temporary file, then
rename), so an interrupted export never leaves a half-written document under its final name.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class OutputFile:
    """One generated file: its name in the output folder, its kind, its bytes and the options used."""

    name: str
    kind: str
    content: bytes
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def build_manifest(
    files: Sequence[OutputFile], *, answers_sha256: str, library_version: str, generator: str
) -> dict[str, Any]:
    """The manifest as a dict (files in the order given)."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "generator": generator,
        "answers_sha256": answers_sha256,
        "library_version": library_version,
        "files": [
            {
                "name": f.name,
                "kind": f.kind,
                "sha256": f.sha256,
                "size": len(f.content),
                "options": dict(sorted(f.options.items())),
            }
            for f in files
        ],
    }


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def _safe_name(name: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\\" in name or name == MANIFEST_NAME:
        raise InputError(f"not a usable output file name: {name!r}")
    return name


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(
    out_dir: Path, files: Sequence[OutputFile], *, answers_sha256: str, library_version: str, generator: str
) -> Path:
    """Write every file and then ``manifest.json`` into ``out_dir``; returns the manifest's path."""
    out_dir = Path(out_dir)
    names = [_safe_name(f.name) for f in files]
    if len(set(names)) != len(names):
        raise InputError("two output files have the same name")
    for f in files:
        write_atomic(out_dir / f.name, f.content)
    manifest = build_manifest(
        files, answers_sha256=answers_sha256, library_version=library_version, generator=generator
    )
    path = out_dir / MANIFEST_NAME
    write_atomic(path, manifest_bytes(manifest))
    return path


def read_manifest(out_dir: Path) -> dict[str, Any]:
    path = Path(out_dir) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no manifest") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("manifest_version") != MANIFEST_VERSION:
        raise InputError(f"{path}: unknown manifest version")
    return data


def verify_manifest(out_dir: Path) -> list[str]:
    """Problems with the files a manifest lists (missing, or changed since): ``[]`` means all match."""
    out_dir = Path(out_dir)
    problems = []
    for entry in read_manifest(out_dir).get("files", []):
        path = out_dir / _safe_name(str(entry.get("name", "")))
        if not path.is_file():
            problems.append(f"{path.name}: missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != entry.get("sha256"):
            problems.append(f"{path.name}: changed since it was generated (SHA-256 differs)")
    return problems


__all__ = [
    "MANIFEST_NAME",
    "OutputFile",
    "build_manifest",
    "manifest_bytes",
    "read_manifest",
    "verify_manifest",
    "write_atomic",
    "write_outputs",
]
