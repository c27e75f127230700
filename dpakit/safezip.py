"""ZIP packages: bounded reading (the one place dpakit unpacks a ZIP it did not just write) and the one
writer of the ZIPs dpakit makes (``fixed_zip``: DOCX files, the organisation record, the redline).

    data = fixed_zip({"b.txt": b"...", "a.txt": b"..."})   # same members, same bytes, every time

    package = SafeZip(data, what="vendor.docx", error=DocumentInputError)
    if "word/document.xml" in package:
        xml = package.read("word/document.xml")
    members = package.read_all()          # every member, within the limits (the redline needs them all)

A small upload can claim (or hold) gigabytes once inflated: a ZIP bomb. ``SafeZip`` refuses, with the
``error`` class given (an ``InputError``) and a message saying which part is too big and what to do:

- more than ``max_members`` members, or a central directory larger than ``MAX_DIRECTORY`` bytes
  (checked from the end record *before* ``zipfile`` builds one object per member);
- on opening, from the headers alone (nothing inflated, whichever parts will be read): a member whose
  declared uncompressed size (``ZipInfo.file_size``) is over ``max_member``, or whose expansion ratio is
  over ``max_ratio`` (for members over ``RATIO_FLOOR`` bytes), or members declaring more than
  ``max_total`` bytes in all; on reading, a part over the caller's own ``limit``, the actual bytes over
  ``max_ratio``, or more than ``max_total`` bytes read in all.

``file_size`` can lie, so every read is also capped: at most ``min(file_size, limit) + 1`` bytes are
inflated, and getting more than ``file_size`` is refused as a damaged package (``zipfile`` itself stops
at ``file_size`` and then fails the CRC check). Nothing is read until asked for, so parts that are not
needed (media, fonts) are never inflated. Every error ``zipfile``/``zlib`` can raise on a damaged or
unsupported package becomes the same ``error`` ("damaged"), never another exception.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from .errors import InputError

MAX_MEMBERS = 1000
"""Most members accepted (a Word document has a few dozen; hundreds with many images)."""
MAX_MEMBER = 100 * 1024 * 1024
"""Largest uncompressed member (100 MB)."""
MAX_TOTAL = 150 * 1024 * 1024
"""Most uncompressed bytes read from one package (150 MB)."""
MAX_RATIO = 200
"""Largest expansion (uncompressed / compressed) of a member; real Word XML inflates 5–30×."""
RATIO_FLOOR = 1024 * 1024
"""Members smaller than this (1 MB) are not held to ``MAX_RATIO`` (tiny parts inflate a lot)."""
MAX_DIRECTORY = 4 * 1024 * 1024
"""Largest central directory (4 MB), checked before ``zipfile`` parses it."""

_EOCD = b"PK\x05\x06"
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    KeyError,
    IndexError,
    OverflowError,
)


FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
"""The date every member written by ``fixed_zip`` carries (the earliest a ZIP header can hold)."""


def fixed_zip(members: Mapping[str, bytes], *, order: Callable[[str], Any] | None = None) -> bytes:
    """The ZIP holding ``members`` (name -> bytes), with bytes that depend on the members alone.

    Members go in sorted by ``order`` (a sort key over names; by name when ``None``), whatever order the
    mapping has; every member is deflated at level 6 with the same date (``FIXED_DATE_TIME``), the same
    file attributes and no extra fields, so the same members always give the same SHA-256.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(members, key=order):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            dst.writestr(info, members[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def directory_count(data: bytes) -> int | None:
    """How many members the ZIP in ``data`` declares, read from its end record before ``zipfile`` builds
    one object per member (``None`` when there is no end record: ``zipfile`` then reports the damage).
    A central directory over ``MAX_DIRECTORY`` bytes counts as at least one member per 46 bytes, so a
    ZIP64 directory cannot hide its size behind the 0xFFFF marker."""
    at = data.rfind(_EOCD, max(0, len(data) - 65_536 - 22))
    if at < 0 or len(data) < at + 22:
        return None
    entries, directory = struct.unpack("<HI", data[at + 10 : at + 16])
    if directory > MAX_DIRECTORY or entries == 0xFFFF:
        return max(directory // 46, entries if entries != 0xFFFF else 0, MAX_DIRECTORY // 46 + 1)
    return entries


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


class SafeZip:
    """A ZIP package read within limits; see the module docstring."""

    def __init__(
        self,
        data: bytes,
        *,
        what: str,
        error: type[InputError] = InputError,
        max_members: int = MAX_MEMBERS,
        max_member: int = MAX_MEMBER,
        max_total: int = MAX_TOTAL,
        max_ratio: float = MAX_RATIO,
    ):
        self.what = what
        self.error = error
        self.max_member = max_member
        self.max_total = max_total
        self.max_ratio = max_ratio
        self.total = 0
        self._check_directory(data, max_members)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except _ZIP_ERRORS:
            raise self._damaged("not a readable ZIP package") from None
        if len(infos) > max_members:
            raise self._too_many(len(infos), max_members)
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._infos.setdefault(info.filename, info)  # zipfile's own rule: the first of duplicate names
        self._check_declared(infos)

    # --- the package as a whole -----------------------------------------------------------------

    def _check_directory(self, data: bytes, max_members: int) -> None:
        count = directory_count(data)
        if count is not None and count > max_members:
            raise self._too_many(count, max_members)

    def _check_declared(self, infos: list[zipfile.ZipInfo]) -> None:
        """Refuse from the headers alone (nothing inflated): any member, or all of them, too big."""
        declared = 0
        for info in infos:
            self._check_member(info, self.max_member)
            declared += info.file_size
        if declared > self.max_total:
            raise self.error(
                f"{self.what}: the package unpacks to {_mb(declared)}; the limit is {_mb(self.max_total)}. "
                "Remove large images or embedded files, save the document again and try again"
            )

    def _check_member(self, info: zipfile.ZipInfo, limit: int) -> None:
        if info.file_size > limit:
            raise self._too_big(info.filename, info.file_size, limit)
        if info.file_size > RATIO_FLOOR and info.file_size > self.max_ratio * max(info.compress_size, 1):
            raise self._too_compressed(info.filename, info.file_size, info.compress_size)

    def _too_many(self, count: int, limit: int) -> InputError:
        return self.error(
            f"{self.what}: the package holds {count:,} parts; the limit is {limit:,}. "
            "Save the document again from Word (File › Save As… › Word Document) and try again"
        )

    def _damaged(self, detail: str) -> InputError:
        return self.error(
            f"{self.what}: the Word document is damaged ({detail}); open it in Word, save it again and try again"
        )

    def _too_big(self, name: str, size: int, limit: int) -> InputError:
        return self.error(
            f"{self.what}: the part {name!r} unpacks to {_mb(size)}; the limit is {_mb(limit)}. This is too "
            "big to review (or a ZIP bomb): remove large images or embedded files, save the document again "
            "and try again"
        )

    def _too_compressed(self, name: str, size: int, compressed: int) -> InputError:
        return self.error(
            f"{self.what}: the part {name!r} unpacks to {_mb(size)} from {_mb(compressed)} (more than "
            f"{self.max_ratio:g} times its packed size): this looks like a ZIP bomb, not a document. Save the "
            "document again from Word and try again"
        )

    # --- members --------------------------------------------------------------------------------

    def names(self) -> list[str]:
        return list(self._infos)

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def size(self, name: str) -> int:
        """The declared uncompressed size of ``name`` (may lie; ``read`` checks)."""
        return self._infos[name].file_size

    def read(self, name: str, limit: int | None = None) -> bytes:
        """The uncompressed bytes of ``name`` (``KeyError`` if absent), at most ``limit`` / ``max_member``."""
        info = self._infos[name]
        self._check_member(info, self.max_member if limit is None else min(limit, self.max_member))
        if self.total + info.file_size > self.max_total:
            raise self.error(
                f"{self.what}: the package unpacks to more than {_mb(self.max_total)}; remove "
                "large images or embedded files, save the document again and try again"
            )
        try:
            with self._zip.open(info) as stream:
                content = stream.read(info.file_size + 1)  # capped: never more than declared + 1
            if len(content) > info.file_size:  # more bytes than the header declares: the header lies
                raise self._damaged(f"the part {info.filename!r} is larger than its header says")
        except InputError:
            raise
        except _ZIP_ERRORS as exc:
            raise self._damaged(f"{info.filename}: {type(exc).__name__}") from None
        if len(content) > RATIO_FLOOR and len(content) > self.max_ratio * max(info.compress_size, 1):
            raise self._too_compressed(info.filename, len(content), info.compress_size)
        self.total += len(content)
        return content

    def read_all(self) -> dict[str, bytes]:
        """Every member by name, in package order, within the limits (declared sizes checked on opening)."""
        return {name: self.read(name) for name in self._infos}

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["FIXED_DATE_TIME", "MAX_MEMBER", "MAX_MEMBERS", "MAX_RATIO", "MAX_TOTAL", "SafeZip", "fixed_zip"]
