"""The only reader of content files (questions, requirements, rules, vendors, regimes, clauses).

Content is data that lawyers and consultants may edit; it is validated when it is read, and every
problem is reported as a ``ContentError`` that names the file and the item.

Parsing is cached, keyed by the SHA-256 of the bytes parsed (so an edited file is parsed afresh): in the
process, and on disk under the user's own cache folder (``$DPAKIT_CACHE_DIR``, else
``$XDG_CACHE_HOME/dpakit`` or ``~/.cache/dpakit``; ``DPAKIT_CACHE_DIR=""`` turns the disk cache off). A
new interpreter then skips TOML parsing, which was ~0.1 s of every ``python -m dpakit`` command. The disk
cache is only an optimisation: an entry is used only if the folder belongs to this user and nobody else
can write to it, its checksum matches and it unpickles to TOML's own types (a restricted unpickler that
can build nothing but dates and times); anything else, and any error, means the text is parsed again.
Parsed tables are shared: callers must treat them as read-only.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import os
import pickle
import sys
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ContentError

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_DIR = PACKAGE_DIR.parent
CLAUSES_DIR = PROJECT_DIR / "clauses"
TEMPLATES_DIR = PROJECT_DIR / "templates"

M = TypeVar("M", bound=BaseModel)


_DISPLAYED: dict[Path, str] = {}


def display_path(path: Path) -> str:
    """A path as a content author recognises it: relative to the project where possible.

    Remembered for absolute paths: loading the requirements asked for each file's name once per
    requirement, and every ``resolve`` is a round of system calls (40 ms for ``dpakit score``)."""
    shown = _DISPLAYED.get(path)
    if shown is None:
        try:
            shown = str(path.resolve().relative_to(PROJECT_DIR))
        except ValueError:
            shown = str(path)
        if path.is_absolute():
            _DISPLAYED[path] = shown
    return shown


# --- the parse cache -------------------------------------------------------------------------------------

_PARSED: dict[str, dict[str, Any]] = {}  # content key → parsed table, for this process
_CACHE_FORMAT = b"dpakit-toml-cache 1\n"
_TOML_TYPES = {
    ("datetime", "date"): _dt.date,
    ("datetime", "datetime"): _dt.datetime,
    ("datetime", "time"): _dt.time,
    ("datetime", "timezone"): _dt.timezone,
    ("datetime", "timedelta"): _dt.timedelta,
}


def _content_key(data: bytes) -> str:
    """What a parse depends on: the bytes, and the dpakit and Python versions that parsed them."""
    from . import __version__

    salt = f"{__version__}|{sys.version_info[:3]}|".encode()
    return hashlib.sha256(salt + data).hexdigest()


def cache_dir() -> Path | None:
    """The folder of the on-disk parse cache, or ``None`` when it is turned off."""
    chosen = os.environ.get("DPAKIT_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dpakit"


def _own_folder(folder: Path) -> bool:
    """The folder is a real directory of this user that no one else can write to (POSIX)."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not os.path.isdir(folder) or os.path.islink(folder):
        return False
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return False
    return True


class _TomlUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _TOML_TYPES[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not a TOML value") from None


def _disk_load(key: str) -> dict[str, Any] | None:
    folder = cache_dir()
    if folder is None or not _own_folder(folder):
        return None
    try:
        blob = (folder / f"{key}.toml.pickle").read_bytes()
        head, digest, payload = (
            blob[: len(_CACHE_FORMAT)],
            blob[len(_CACHE_FORMAT) : len(_CACHE_FORMAT) + 32],
            blob[len(_CACHE_FORMAT) + 32 :],
        )
        if head != _CACHE_FORMAT or hashlib.sha256(payload).digest() != digest:
            return None
        value = _TomlUnpickler(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 - a missing or damaged cache entry only means parsing again
        return None
    return value if isinstance(value, dict) else None


def _disk_store(key: str, value: dict[str, Any]) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _own_folder(folder):
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_CACHE_FORMAT + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, folder / f"{key}.toml.pickle")
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001, S110 - a folder that is not writable only means no disk cache
        pass


def _parse_cached(data: bytes) -> dict[str, Any]:
    """``tomllib.loads(data.decode())``, from the caches when the same bytes were parsed before."""
    key = _content_key(data)
    found = _PARSED.get(key)
    if found is None:
        found = _disk_load(key)
        if found is None:
            found = tomllib.loads(data.decode())
            _disk_store(key, found)
        _PARSED[key] = found
    return found


def clear_parse_cache() -> None:
    """Forget what this process has parsed (the on-disk cache is left alone)."""
    _PARSED.clear()


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file; any error becomes a ContentError naming the file.

    The same bytes give the same (shared, read-only) table; a changed file is parsed again."""
    try:
        return _parse_cached(path.read_bytes())
    except FileNotFoundError:
        raise ContentError(display_path(path), "file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(display_path(path), f"not valid TOML: {exc}") from None


def parse_toml_text(text: str, source: str) -> dict[str, Any]:
    """Parse TOML held in a string (e.g. clause front matter); errors name ``source``. Cached as ``read_toml``."""
    try:
        return _parse_cached(text.encode())
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(source, f"not valid TOML: {exc}") from None


def format_validation_error(exc: ValidationError) -> str:
    """One line per problem: ``location: message``."""
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def validate_item(model: type[M], data: Any, file: str, item: str | None = None) -> M:
    """Validate ``data`` as ``model``; a failure becomes a ContentError naming file and item."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(file, format_validation_error(exc), item) from None


def toml_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files of a folder, in a stable order."""
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def ensure_unique(ids: Iterable[tuple[str, str]], what: str) -> None:
    """Raise a ContentError for the first id that appears twice; ``ids`` is (id, file) pairs."""
    seen: dict[str, str] = {}
    for ident, file in ids:
        if ident in seen:
            raise ContentError(file, f"duplicate {what} id (also in {seen[ident]})", ident)
        seen[ident] = file
