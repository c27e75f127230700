"""A redline between two DPAs: the newer document, with native Word tracked changes showing the older one.

    data, summary = redline(old_docx, new_docx, date="2026-11-01T10:00:00Z")

Word's own "Compare" shows the same thing; here it is computed without Word. The paragraphs (and table
rows and cells) of both documents are aligned with ``difflib`` — on their style and text, ignoring a
leading clause number, so that an inserted clause does not make everything after it "changed". A pair of
paragraphs that differ is diffed word by word: unchanged and inserted words keep the new document's
formatting, deleted words the old one's. What is only in the new document is wrapped in ``w:ins``, what
is only in the old one is copied in as ``w:del``/``w:delText`` (its comments, bookmarks and relationships
removed, since they belong to the old package); paragraph marks of whole inserted or deleted paragraphs
and rows are marked too, so accepting all changes in Word gives the new document and rejecting them all
gives the old one's text. Every revision has a unique ``w:id``, the given author and one fixed date, so
the same two documents always give the same bytes.

Paragraphs with content this module does not take apart (fields, hyperlinks, drawings, existing
revisions) are compared whole: deleted and re-inserted when they differ. DPAs drafted by dpakit have
none of these; a lawyer's edited copy may.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree

from ..errors import InputError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DOCUMENT = "word/document.xml"
DEFAULT_AUTHOR = "dpakit"
DEFAULT_DATE = "2000-01-01T00:00:00Z"
PAIR_THRESHOLD = 0.5
_MAX_ALIGN = 4_000  # cells of the pairing table; larger replaced stretches are paired in order
_MAX_BLOCK_DIFF = 250_000
"""Most (old blocks × new blocks) aligned exactly; a drafted DPA has a few hundred blocks."""
_MAX_WORD_DIFF = 2_000_000
"""Most (old tokens × new tokens) compared word by word: ``difflib`` is quadratic in the worst case (two
16,000-token paragraphs of repeated words took 15 s). Larger pairs are scored by ``quick_ratio`` and
redlined as a whole deletion and insertion."""
_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|\([a-z0-9]{1,4}\)|[a-z]\))\s+", re.IGNORECASE)
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_TEXT_RUN_PARTS = {"rPr", "t", "tab", "br"}
_MARKERS = {"bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "proofErr"}


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _parent(el: etree._Element) -> etree._Element:
    """The parent of an element inside a document body (every element this module moves or wraps has one)."""
    parent = el.getparent()
    if parent is None:
        raise ValueError(f"a {_local(el) or 'node'} element outside the document body")
    return parent


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


@dataclass(frozen=True)
class RedlineSummary:
    inserted: int  # whole paragraphs or rows only in the new document
    deleted: int  # whole paragraphs or rows only in the old document
    changed: int  # paragraphs diffed word by word
    revisions: int  # w:ins and w:del elements written

    @property
    def identical(self) -> bool:
        return self.revisions == 0


class _Revisions:
    """Makes ``w:ins``/``w:del`` marks with unique ids, one author, one date."""

    def __init__(self, author: str, date: str, first_id: int):
        self.author, self.date, self.next_id = author, date, first_id
        self.inserted = self.deleted = self.changed = self.count = 0

    def mark(self, kind: str) -> etree._Element:
        el = etree.Element(w(kind))
        el.set(w("id"), str(self.next_id))
        el.set(w("author"), self.author)
        el.set(w("date"), self.date)
        self.next_id += 1
        self.count += 1
        return el


# --- reading blocks ------------------------------------------------------------------------------


def _text(el: etree._Element) -> str:
    parts = []
    for node in el.iter(w("t"), w("tab"), w("br"), w("delText")):
        if node.tag == w("t"):
            parts.append(node.text or "")
        elif node.tag == w("tab"):
            parts.append("\t")
        elif node.tag == w("br"):
            parts.append("\n")
    return "".join(parts)


def _style(p: etree._Element) -> str:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val"), "") if style is not None else ""


def _key(el: etree._Element) -> str:
    if el.tag == w("p"):
        return f"p|{_style(el)}|{_NUMBER.sub('', _text(el))}"
    if el.tag == w("tbl"):
        return "tbl|" + "\x1f".join(_text(row) for row in el.iter(w("tr")))
    if el.tag == w("tr"):
        return "tr|" + "\x1f".join(_text(tc) for tc in el.findall(w("tc")))
    return f"{_local(el)}|{_text(el)}"


def _similarity(a: etree._Element, b: etree._Element) -> float:
    if a.tag != b.tag:
        return 0.0
    if a.tag == w("p") and _style(a) != _style(b):
        return 0.0
    if a.tag == w("tr"):
        cells_a, cells_b = a.findall(w("tc")), b.findall(w("tc"))
        if len(cells_a) == len(cells_b) and cells_a:
            same = sum(_text(x) == _text(y) for x, y in zip(cells_a, cells_b, strict=True)) / len(cells_a)
            if same >= PAIR_THRESHOLD:  # a label column that stays: the same row with a new value
                return max(same, PAIR_THRESHOLD)
    ta, tb = _TOKENS.findall(_NUMBER.sub("", _text(a))), _TOKENS.findall(_NUMBER.sub("", _text(b)))
    if not ta and not tb:
        return 1.0
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    if matcher.real_quick_ratio() < PAIR_THRESHOLD or matcher.quick_ratio() < PAIR_THRESHOLD:
        return 0.0
    if len(ta) * len(tb) > _MAX_WORD_DIFF:
        return matcher.quick_ratio()  # linear: the same words, in any order
    return matcher.ratio()


def _align(olds: Sequence, news: Sequence) -> list[tuple[int | None, int | None]]:
    """Pair similar blocks of a replaced stretch, in order (maximum total similarity), others alone."""
    n, m = len(olds), len(news)
    if n * m > _MAX_ALIGN:
        pairs: list[tuple[int | None, int | None]] = []
        for k in range(max(n, m)):
            i, j = (k if k < n else None), (k if k < m else None)
            if i is not None and j is not None and _similarity(olds[i], news[j]) < PAIR_THRESHOLD:
                pairs += [(i, None), (None, j)]
            else:
                pairs.append((i, j))
        return pairs
    sim = [[_similarity(o, nw) for nw in news] for o in olds]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + sim[i][j] if sim[i][j] >= PAIR_THRESHOLD else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n or j < m:
        if i < n and j < m and sim[i][j] >= PAIR_THRESHOLD and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif i < n and (j >= m or best[i][j] == best[i + 1][j]):
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    return pairs


# --- marking whole blocks ------------------------------------------------------------------------


def _mark_paragraph(p: etree._Element, kind: str, rev: _Revisions) -> None:
    """Mark a paragraph's mark as inserted or deleted (``w:pPr/w:rPr/w:ins|w:del``)."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.Element(w("rPr"))
        before = next((c for c in ppr if c.tag in (w("sectPr"), w("pPrChange"))), None)
        if before is not None:
            before.addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, rev.mark(kind))


def _mark_row(tr: etree._Element, kind: str, rev: _Revisions) -> None:
    trpr = tr.find(w("trPr"))
    if trpr is None:
        trpr = etree.Element(w("trPr"))
        anchor = tr.find(w("tblPrEx"))
        if anchor is not None:
            anchor.addnext(trpr)
        else:
            tr.insert(0, trpr)
    change = trpr.find(w("trPrChange"))
    if change is not None:
        change.addprevious(rev.mark(kind))
    else:
        trpr.append(rev.mark(kind))


def _wrap_runs(el: etree._Element, kind: str, rev: _Revisions) -> None:
    """Wrap every run in ``el`` (each group of neighbouring runs) in one ``w:ins``/``w:del``."""
    runs = [r for r in el.iter(w("r")) if _parent(r).tag not in (w("ins"), w("del"))]
    handled: set[int] = set()
    for run in runs:
        if id(run) in handled:
            continue
        group = [run]
        nxt = run.getnext()
        while nxt is not None and nxt.tag == w("r"):
            group.append(nxt)
            nxt = nxt.getnext()
        wrapper = rev.mark(kind)
        run.addprevious(wrapper)
        for r in group:
            handled.add(id(r))
            if kind == "del":
                for t in r.iter(w("t")):
                    t.tag = w("delText")
            wrapper.append(r)


def _insert_whole(el: etree._Element, rev: _Revisions) -> etree._Element:
    el = copy.deepcopy(el)
    if el.tag == w("p"):
        _wrap_runs(el, "ins", rev)
        _mark_paragraph(el, "ins", rev)
        rev.inserted += 1
    elif el.tag == w("tbl"):
        for tr in el.findall(w("tr")):
            _insert_row(tr, rev, in_place=True)
    return el


def _insert_row(tr: etree._Element, rev: _Revisions, in_place: bool = False) -> etree._Element:
    tr = tr if in_place else copy.deepcopy(tr)
    _mark_row(tr, "ins", rev)
    for p in list(tr.iter(w("p"))):
        _wrap_runs(p, "ins", rev)
        _mark_paragraph(p, "ins", rev)
    rev.inserted += 1
    return tr


def _sanitise_old(el: etree._Element, numbering_ids: set[str]) -> etree._Element:
    """A copy of an old block without what refers into the old package (comments, bookmarks, links)."""
    el = copy.deepcopy(el)
    for tag in (
        "commentRangeStart",
        "commentRangeEnd",
        "bookmarkStart",
        "bookmarkEnd",
        "proofErr",
        "permStart",
        "permEnd",
    ):
        for node in list(el.iter(w(tag))):
            _parent(node).remove(node)
    for ref in list(el.iter(w("commentReference"), w("footnoteReference"), w("endnoteReference"))):
        run = _parent(ref)
        holder = run.getparent()
        if holder is not None:
            holder.remove(run)
    for tag in ("hyperlink", "fldSimple", "smartTag", "customXml"):
        for node in list(el.iter(w(tag))):
            parent = _parent(node)
            index = parent.index(node)
            for child in [c for c in node if c.tag != w(f"{tag}Pr")]:
                parent.insert(index, child)
                index += 1
            parent.remove(node)
    for node in list(el.iter()):
        if any(isinstance(k, str) and k.startswith(f"{{{R_NS}}}") for k in node.attrib):
            run_or_none: etree._Element | None = node
            while run_or_none is not None and run_or_none.tag != w("r"):
                run_or_none = run_or_none.getparent()
            target = run_or_none if run_or_none is not None else node
            holder = target.getparent()
            if holder is not None:
                holder.remove(target)
    for num in list(el.iter(w("numPr"))):
        num_id = num.find(w("numId"))
        if num_id is None or num_id.get(w("val")) not in numbering_ids:
            _parent(num).remove(num)
    return el


def _delete_whole(el: etree._Element, rev: _Revisions, numbering_ids: set[str]) -> etree._Element:
    el = _sanitise_old(el, numbering_ids)
    if el.tag == w("p"):
        _wrap_runs(el, "del", rev)
        _mark_paragraph(el, "del", rev)
        rev.deleted += 1
    elif el.tag == w("tbl"):
        for tr in el.findall(w("tr")):
            _delete_row(tr, rev, numbering_ids, sanitised=True)
    return el


def _delete_row(tr: etree._Element, rev: _Revisions, numbering_ids: set[str], sanitised: bool = False):
    tr = tr if sanitised else _sanitise_old(tr, numbering_ids)
    _mark_row(tr, "del", rev)
    for p in list(tr.iter(w("p"))):
        _wrap_runs(p, "del", rev)
        _mark_paragraph(p, "del", rev)
    rev.deleted += 1
    return tr


# --- word-level diff inside a paragraph ----------------------------------------------------------


@dataclass
class _Atom:
    char: str
    rpr: etree._Element | None
    special: etree._Element | None  # a w:tab or w:br element, copied as it is


def _atoms(p: etree._Element, keep_markers: bool) -> tuple[list[_Atom], list[tuple[int, etree._Element]]] | None:
    """A simple paragraph as characters with their formatting, and its markers at text offsets."""
    atoms: list[_Atom] = []
    markers: list[tuple[int, etree._Element]] = []
    for child in p:
        name = _local(child)
        if name == "pPr":
            continue
        if name in _MARKERS:
            if keep_markers:
                markers.append((len(atoms), child))
            continue
        if name != "r":
            return None
        parts = {_local(c) for c in child}
        if parts <= _TEXT_RUN_PARTS:
            rpr = child.find(w("rPr"))
            for part in child:
                if part.tag == w("t"):
                    atoms += [_Atom(ch, rpr, None) for ch in part.text or ""]
                elif part.tag in (w("tab"), w("br")):
                    atoms.append(_Atom("\t" if part.tag == w("tab") else "\n", rpr, part))
        elif parts <= {"rPr", "commentReference"}:
            if keep_markers:
                markers.append((len(atoms), child))
        else:
            return None
    return atoms, markers


def _runs(atoms: Sequence[_Atom], deleted: bool) -> list[etree._Element]:
    runs: list[etree._Element] = []
    key = None
    for atom in atoms:
        rpr_key = etree.tostring(atom.rpr) if atom.rpr is not None else b""
        if not runs or rpr_key != key:
            run = etree.Element(w("r"))
            if atom.rpr is not None:
                run.append(copy.deepcopy(atom.rpr))
            runs.append(run)
            key = rpr_key
        run = runs[-1]
        if atom.special is not None:
            run.append(copy.deepcopy(atom.special))
            continue
        tag = w("delText") if deleted else w("t")
        last = run[-1] if len(run) else None
        if last is None or last.tag != tag:
            last = etree.SubElement(run, tag)
            last.set(XML_SPACE, "preserve")
            last.text = ""
        last.text = (last.text or "") + atom.char
    return runs


def _tokens(atoms: Sequence[_Atom]) -> tuple[list[str], list[tuple[int, int]]]:
    text = "".join(a.char for a in atoms)
    spans = [m.span() for m in _TOKENS.finditer(text)]
    return [text[a:b] for a, b in spans], spans


def _trivial(tokens: Sequence[str]) -> bool:
    """Spaces, punctuation and at most one short word: too little to keep between two changes."""
    words = [t for t in tokens if t[0].isalnum() or t[0] == "_"]
    return len(words) == 0 or (len(words) == 1 and len(words[0]) <= 3)


def _readable(opcodes: Sequence[tuple[str, int, int, int, int]], new_tokens: Sequence[str]):
    """Fold a trivial unchanged stretch between two changes into them, as a person would read the edit
    ("Researches and qualifies" → "Hosting and support" as one change, not three)."""
    ops = list(opcodes)
    changed = True
    while changed:
        changed = False
        for k in range(1, len(ops) - 1):
            tag, i1, i2, j1, j2 = ops[k]
            if tag == "equal" and ops[k - 1][0] != "equal" and ops[k + 1][0] != "equal" and _trivial(new_tokens[j1:j2]):
                ops[k - 1 : k + 2] = [("replace", ops[k - 1][1], ops[k + 1][2], ops[k - 1][3], ops[k + 1][4])]
                changed = True
                break
    return ops


def _diff_paragraph(old: etree._Element, new: etree._Element, rev: _Revisions) -> list[etree._Element] | None:
    """The new paragraph with word-level ``w:ins``/``w:del``; ``None`` if either is not simple."""
    old_read, new_read = _atoms(old, keep_markers=False), _atoms(new, keep_markers=True)
    if old_read is None or new_read is None:
        return None
    old_atoms, _ = old_read
    new_atoms, markers = new_read
    old_tokens, old_spans = _tokens(old_atoms)
    new_tokens, new_spans = _tokens(new_atoms)
    if len(old_tokens) * len(new_tokens) > _MAX_WORD_DIFF:
        return None  # too long to compare word by word in bounded time: replaced as a whole
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    out = copy.deepcopy(new)
    for child in [c for c in out if c.tag != w("pPr")]:
        out.remove(child)
    pending = list(markers)
    position = 0  # offset in the new paragraph's text

    def flush(upto: int) -> None:
        while pending and pending[0][0] <= upto:
            out.append(copy.deepcopy(pending.pop(0)[1]))

    def emit(atoms: Sequence[_Atom], kind: str | None) -> None:
        nonlocal position
        if not atoms:
            return
        if kind is None or kind == "ins":
            start = position
            # split at marker offsets so a comment range keeps its place in the text
            cuts = sorted({m for m, _ in pending if start < m < start + len(atoms)})
            pieces, last = [], 0
            for cut in cuts:
                pieces.append(atoms[last : cut - start])
                last = cut - start
            pieces.append(atoms[last:])
            for piece in pieces:
                flush(position)
                runs = _runs(piece, deleted=False)
                if kind == "ins":
                    wrapper = rev.mark("ins")
                    wrapper.extend(runs)
                    out.append(wrapper)
                else:
                    out.extend(runs)
                position += len(piece)
        else:
            flush(position)
            wrapper = rev.mark("del")
            wrapper.extend(_runs(atoms, deleted=True))
            out.append(wrapper)

    def span_atoms(atoms, spans, i1, i2):
        if i1 == i2:
            return []
        return atoms[spans[i1][0] : spans[i2 - 1][1]]

    for tag, i1, i2, j1, j2 in _readable(matcher.get_opcodes(), new_tokens):
        if tag == "equal":
            emit(span_atoms(new_atoms, new_spans, j1, j2), None)
        else:
            emit(span_atoms(old_atoms, old_spans, i1, i2), "del")
            emit(span_atoms(new_atoms, new_spans, j1, j2), "ins")
    flush(len(new_atoms))
    for _, marker in pending:
        out.append(copy.deepcopy(marker))
    rev.changed += 1
    return [out]


# --- blocks --------------------------------------------------------------------------------------


def _same(a: etree._Element, b: etree._Element) -> bool:
    return _text(a) == _text(b)


def _diff_pair(old: etree._Element, new: etree._Element, rev: _Revisions, nums: set[str]) -> list[etree._Element]:
    if _same(old, new):
        return [copy.deepcopy(new)]
    if old.tag == w("p") and new.tag == w("p"):
        rebuilt = _diff_paragraph(old, new, rev)
        if rebuilt is not None:
            return rebuilt
    if old.tag == w("tbl") and new.tag == w("tbl"):
        return [_diff_table(old, new, rev, nums)]
    return [_delete_whole(old, rev, nums), _insert_whole(new, rev)]


def _diff_sequence(
    olds: Sequence, news: Sequence, rev: _Revisions, pair: Callable, insert: Callable, delete: Callable
) -> list[etree._Element]:
    # Exact alignment of every block is cubic when keys repeat (2,000 against 3,000 alternating short
    # paragraphs: 45 s); beyond _MAX_BLOCK_DIFF pairs, difflib's own heuristic treats keys found in more
    # than 1 % of the new blocks as junk, which keeps it near-linear.
    exact = len(olds) * len(news) <= _MAX_BLOCK_DIFF
    matcher = difflib.SequenceMatcher(None, [_key(o) for o in olds], [_key(n) for n in news], autojunk=not exact)
    out: list[etree._Element] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for o, n in zip(olds[i1:i2], news[j1:j2], strict=True):
                out += pair(o, n)
            continue
        for i, j in _align(olds[i1:i2], news[j1:j2]):
            if i is not None and j is not None:
                out += pair(olds[i1 + i], news[j1 + j])
            elif i is not None:
                out.append(delete(olds[i1 + i]))
            elif j is not None:
                out.append(insert(news[j1 + j]))
    return out


def _diff_blocks(olds: Sequence, news: Sequence, rev: _Revisions, nums: set[str]) -> list[etree._Element]:
    return _diff_sequence(
        olds,
        news,
        rev,
        pair=lambda o, n: _diff_pair(o, n, rev, nums),
        insert=lambda n: _insert_whole(n, rev),
        delete=lambda o: _delete_whole(o, rev, nums),
    )


def _blocks(container: etree._Element) -> list[etree._Element]:
    return [c for c in container if c.tag in (w("p"), w("tbl"))]


def _diff_cell(old: etree._Element, new: etree._Element, rev: _Revisions, nums: set[str]) -> etree._Element:
    out = copy.deepcopy(new)
    for child in _blocks(out):
        out.remove(child)
    out.extend(_diff_blocks(_blocks(old), _blocks(new), rev, nums))
    return out


def _diff_row(old: etree._Element, new: etree._Element, rev: _Revisions, nums: set[str]) -> list[etree._Element]:
    old_cells, new_cells = old.findall(w("tc")), new.findall(w("tc"))
    if len(old_cells) != len(new_cells):
        return [_delete_row(old, rev, nums), _insert_row(new, rev)]
    if _same(old, new):
        return [copy.deepcopy(new)]
    out = copy.deepcopy(new)
    for index, (oc, nc) in enumerate(zip(old_cells, new_cells, strict=True)):
        cell = out.findall(w("tc"))[index]
        cell.addprevious(_diff_cell(oc, nc, rev, nums))
        out.remove(cell)
    return [out]


def _diff_table(old: etree._Element, new: etree._Element, rev: _Revisions, nums: set[str]) -> etree._Element:
    out = copy.deepcopy(new)
    for tr in out.findall(w("tr")):
        out.remove(tr)
    out.extend(
        _diff_sequence(
            old.findall(w("tr")),
            new.findall(w("tr")),
            rev,
            pair=lambda o, n: _diff_row(o, n, rev, nums),
            insert=lambda n: _insert_row(n, rev),
            delete=lambda o: _delete_row(o, rev, nums),
        )
    )
    return out


# --- the package ---------------------------------------------------------------------------------


def _read(data: bytes, which: str) -> tuple[dict[str, bytes], etree._Element, etree._Element]:
    """Every member of a stored DOCX (the redline rewrites them all), unpacked within ``SafeZip``'s limits."""
    from ..safezip import SafeZip

    with SafeZip(data, what=f"the {which} document", error=InputError) as package:
        members = package.read_all()
    try:
        root = etree.fromstring(members[DOCUMENT], etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"the {which} document is not a readable DOCX ({exc})") from None
    body = root.find(w("body"))
    if body is None:
        raise InputError(f"the {which} document has no body")
    return members, root, body


def _numbering_ids(members: dict[str, bytes]) -> set[str]:
    data = members.get("word/numbering.xml")
    if not data:
        return set()
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"the newer document's numbering part is not readable XML ({exc})") from None
    return {num_id for n in root.findall(w("num")) if (num_id := n.get(w("numId"))) is not None}


def _max_id(*roots: etree._Element) -> int:
    ids = [
        int(v)
        for root in roots
        for el in root.iter()
        if isinstance(el.tag, str)
        for v in [el.get(w("id"))]
        if v is not None and v.lstrip("-").isdigit()
    ]
    return max(ids, default=0)


def redline(
    old: bytes, new: bytes, *, author: str = DEFAULT_AUTHOR, date: str = DEFAULT_DATE, title: str = "Redline"
) -> tuple[bytes, RedlineSummary]:
    """The new DOCX with the differences from the old one as Word tracked changes, and a summary."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", date):
        raise InputError(f"a revision date looks like 2026-11-01T10:00:00Z, not {date!r}")
    _, _, old_body = _read(old, "older")
    members, new_root, new_body = _read(new, "newer")
    comments = members.get("word/comments.xml")
    try:
        extra = (
            [etree.fromstring(comments, etree.XMLParser(resolve_entities=False, no_network=True))] if comments else []
        )
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"the newer document's comments part is not readable XML ({exc})") from None
    rev = _Revisions(author[:100] or DEFAULT_AUTHOR, date, _max_id(new_root, *extra) + 1)
    section = new_body.find(w("sectPr"))
    merged = _diff_blocks(_blocks(old_body), _blocks(new_body), rev, _numbering_ids(members))
    for child in list(new_body):
        new_body.remove(child)
    new_body.extend(merged)
    if section is not None:
        new_body.append(section)
    members[DOCUMENT] = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    from ..docx_render import make_reproducible

    data = make_reproducible(members, title=title, subject="Tracked changes computed by dpakit")
    return data, RedlineSummary(rev.inserted, rev.deleted, rev.changed, rev.count)
