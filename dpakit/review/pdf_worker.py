"""The text layer of a PDF, extracted in a child process that can be stopped.

A small PDF can cost minutes of CPU and gigabytes of memory to extract (400 pages sharing one heavy
content stream: 78 KB, many minutes), and a thread cannot be stopped. So ``extract`` runs pypdf in a
fresh interpreter (``python -I -c …``, stdlib ``subprocess``: no fork of a threaded Streamlit server, no
re-import of the caller's ``__main__``) that limits itself before it reads a byte:

- address space (``RLIMIT_AS``) to ``memory`` bytes, CPU time (``RLIMIT_CPU``) to the timeout plus a little,
  so a child whose parent went away cannot run on;
- at most ``max_pages`` pages (refused from the page count, before any page is extracted) and
  ``max_chars`` characters (extraction stops at the page that goes over).

The parent waits at most ``timeout`` seconds (wall clock), then kills the child. Whatever goes wrong comes
back as a one-line reason (``PdfLimit``) for ``dpakit.review.reading`` to turn into a
``DocumentInputError``; the child's stderr (pypdf's warnings on damaged files) is discarded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])


class PdfLimit(Exception):
    """The PDF could not be read within the limits; ``kind`` is encrypted / pages / chars / timeout /
    memory / damaged / empty, ``str()`` the detail."""

    def __init__(self, kind: str, detail: str = ""):
        self.kind = kind
        super().__init__(detail)


def extract(data: bytes, *, max_pages: int, max_chars: int, timeout: float, memory: int) -> list[str]:
    """The text of every page, or ``PdfLimit``; see the module doc."""
    code = (
        f"import sys; sys.path.insert(0, {_ROOT!r}); from dpakit.review.pdf_worker import _child; "
        f"_child({max_pages}, {max_chars}, {int(memory)}, {float(timeout)})"
    )
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError as exc:  # pragma: no cover - no interpreter to start
        raise PdfLimit("damaged", f"the PDF reader could not be started ({exc})") from None
    try:
        out, _ = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise PdfLimit("timeout", f"{timeout:g} s") from None
    except BaseException:  # KeyboardInterrupt, a stopped Streamlit script: never leave the child running
        proc.kill()
        proc.communicate()
        raise
    try:
        result = json.loads(out.decode("utf-8")) if out else None
    except (UnicodeDecodeError, ValueError):
        result = None
    if not isinstance(result, dict):
        # killed by a signal (CPU limit: SIGXCPU; out of address space inside C code) or died
        if proc.returncode in (-24, 152):  # SIGXCPU
            raise PdfLimit("timeout", f"{timeout:g} s")
        raise PdfLimit(
            "memory" if proc.returncode in (-6, -9, -11, 134, 137, 139) else "damaged", f"exit status {proc.returncode}"
        )
    if "error" in result:
        raise PdfLimit(str(result["error"]), str(result.get("detail", "")))
    return [str(t) for t in result["texts"]]


def _child(max_pages: int, max_chars: int, memory: int, timeout: float) -> None:  # pragma: no cover - child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(timeout) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))

    payload: dict | None
    try:
        payload = _extract(sys.stdin.buffer.read(), max_pages, max_chars)
    except MemoryError:
        payload = None  # leaving the except block frees what the failed extraction held
    except RecursionError:
        payload = {"error": "damaged", "detail": "RecursionError"}
    try:
        encoded = _MEMORY_REPLY if payload is None else json.dumps(payload).encode("utf-8")
    except MemoryError:  # the text itself is too big to encode within the limit
        encoded = _MEMORY_REPLY
    sys.stdout.buffer.write(encoded)
    sys.stdout.buffer.flush()


_MEMORY_REPLY = b'{"error": "memory"}'
"""Encoded before it is needed: after a MemoryError the child may not have the memory to build a reply."""


def _extract(data: bytes, max_pages: int, max_chars: int) -> dict:  # pragma: no cover - runs in the child
    import io
    import logging

    logging.disable(logging.CRITICAL)
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
            except (FileNotDecryptedError, NotImplementedError, PdfReadError, ValueError):
                opened = False
            if not opened:
                return {"error": "encrypted"}
        count = len(reader.pages)
        if count > max_pages:
            return {"error": "pages", "detail": str(count)}
        texts: list[str] = []
        chars = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            chars += len(text)
            if chars > max_chars:
                return {"error": "chars", "detail": str(len(texts) + 1)}
            texts.append(text)
    except MemoryError:
        raise
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        if _out_of_memory(exc):  # pypdf (or zlib) wrapped the MemoryError of the address-space limit
            return {"error": "memory"}
        if isinstance(exc, PdfReadError | FileNotDecryptedError):
            return {"error": "damaged", "detail": str(exc)[:200]}
        return {"error": "damaged", "detail": type(exc).__name__}
    return {"texts": texts}


def _out_of_memory(exc: BaseException) -> bool:
    """True when ``exc`` is, or was raised while handling, a ``MemoryError`` (or zlib's "out of memory")."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, MemoryError) or "out of memory" in str(current).lower():
            return True
        current = current.__cause__ or current.__context__
    return False
