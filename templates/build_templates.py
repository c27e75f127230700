"""Build ``templates/dpa.docx``: the Word template of the DPA, reproducibly.

    python templates/build_templates.py            # rewrite templates/dpa.docx
    python templates/build_templates.py --check    # exit 1 if the committed file differs from a fresh build

The committed ``dpa.docx`` is what lawyers edit in Word; this script is how it was first made and how it
can be remade from scratch. Styles and numbering are raw WordprocessingML (python-docx cannot express a
multilevel list); the body is laid down with python-docx, with docxtpl tags as ordinary text.

Structure and numbering
-----------------------
One multilevel list (``w:abstractNum`` 1, "DPA clauses") carries every clause number, linked to the
paragraph styles, so numbers are real Word numbering that renumbers itself when a lawyer inserts a clause:

    level 0  Heading 1      "1."     clause heading
    level 1  Clause Text    "1.1"    numbered paragraph of a clause with several paragraphs
    level 2  Clause List 1  "(a)"
    level 3  Clause List 2  "(i)"
    level 4  Clause List 3  "(A)"

A clause with a single paragraph uses "Clause Body" (unnumbered, aligned with the heading text). Bullets
use abstractNum 2 ("Clause Bullet 1–3"). ``w:num`` 1 is the body's list; ``w:num`` 11–14 are the same
list restarted at 1, one per schedule (schedule clauses are numbered from 1 within each schedule), used
through paragraph-level ``w:numPr`` by the drafting code. Unnumbered headings: "Heading 2" (parts such as
Definitions, Signatures, parts of an annex), "Schedule Heading" and "Annex Heading" (each starts a page,
outline level 1 so they show in Word's navigation pane).

Template variables are the fields of ``dpakit.drafting.draft.DraftContext`` (a test checks it).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import docx  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.shared import Twips  # noqa: E402

from dpakit.docx_render import make_reproducible, template_build_main  # noqa: E402

OUT = HERE / "dpa.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'
TEXT_WIDTH = 9026  # A4 with 2.54 cm margins, in twips

NAVY = "1F3864"
RULE = "8EA9DB"
SHADE = "DCE6F2"

# --- styles --------------------------------------------------------------------------------------


def _pstyle(
    style_id: str, name: str, *, based="Normal", nxt=None, ppr="", rpr="", outline=None, ui_priority=None, qformat=True
) -> str:
    parts = [f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{based}"/>')
    parts.append(f'<w:next w:val="{nxt or style_id}"/>')
    if ui_priority is not None:
        parts.append(f'<w:uiPriority w:val="{ui_priority}"/>')
    if qformat:
        parts.append("<w:qFormat/>")
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    parts.append(f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>")
    return "".join(parts)


def _num(ilvl: int, num_id: int = 1) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


def _ind(left: int, hanging: int = 0) -> str:
    return f'<w:ind w:left="{left}" w:hanging="{hanging}"/>' if hanging else f'<w:ind w:left="{left}"/>'


SP = '<w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/>'
JUSTIFY = '<w:jc w:val="both"/>'

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NS}>
<w:docDefaults>
  <w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/>
    <w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
  <w:pPrDefault><w:pPr>{SP}</w:pPr></w:pPrDefault>
</w:docDefaults>
<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" w:defUnhideWhenUsed="0"
  w:defQFormat="0" w:count="376"/>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>
  <w:pPr>{SP}</w:pPr><w:rPr/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
  <w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
  <w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
  <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>
  <w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>
  </w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>
  <w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:tblPr><w:tblBorders>
    <w:top w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:left w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:right w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    <w:insideV w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
  </w:tblBorders><w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
  <w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="SignatureTable"><w:name w:val="Signature Table"/>
  <w:basedOn w:val="TableNormal"/><w:uiPriority w:val="60"/>
  <w:pPr><w:spacing w:before="60" w:after="60" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>
  <w:bottom w:w="0" w:type="dxa"/><w:right w:w="284" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
{
    _pstyle(
        "Title",
        "Title",
        ppr='<w:spacing w:before="1440" w:after="240"/><w:jc w:val="center"/>',
        rpr=f'<w:b/><w:caps/><w:color w:val="{NAVY}"/><w:spacing w:val="20"/><w:sz w:val="44"/><w:szCs w:val="44"/>',
        nxt="CoverText",
        ui_priority=10,
    )
}
{
    _pstyle(
        "CoverText",
        "Cover Text",
        ppr='<w:spacing w:before="60" w:after="60"/><w:jc w:val="center"/>',
        rpr='<w:sz w:val="24"/><w:szCs w:val="24"/>',
    )
}
{
    _pstyle(
        "CoverParty",
        "Cover Party",
        based="CoverText",
        ppr='<w:spacing w:before="120" w:after="0"/>',
        rpr=f'<w:b/><w:color w:val="{NAVY}"/><w:sz w:val="30"/><w:szCs w:val="30"/>',
        nxt="CoverText",
    )
}
{
    _pstyle(
        "DraftNotice",
        "Draft Notice",
        ppr=(
            '<w:keepLines/><w:pBdr><w:top w:val="single" w:sz="12" w:space="6" w:color="C00000"/>'
            '<w:left w:val="single" w:sz="12" w:space="6" w:color="C00000"/>'
            '<w:bottom w:val="single" w:sz="12" w:space="6" w:color="C00000"/>'
            '<w:right w:val="single" w:sz="12" w:space="6" w:color="C00000"/></w:pBdr>'
            '<w:shd w:val="clear" w:color="auto" w:fill="FBEAEA"/>'
            '<w:spacing w:before="480" w:after="0"/><w:ind w:left="284" w:right="284"/><w:jc w:val="center"/>'
        ),
        rpr='<w:b/><w:color w:val="C00000"/><w:sz w:val="24"/><w:szCs w:val="24"/>',
    )
}
{
    _pstyle(
        "DraftNoticeText",
        "Draft Notice Text",
        based="DraftNotice",
        ppr='<w:spacing w:before="0" w:after="0"/>',
        rpr='<w:b w:val="0"/><w:color w:val="000000"/><w:sz w:val="19"/><w:szCs w:val="19"/>',
    )
}
{
    _pstyle(
        "Heading1",
        "heading 1",
        nxt="ClauseText",
        ui_priority=9,
        outline=0,
        ppr=(f'<w:keepNext/><w:keepLines/>{_num(0)}<w:spacing w:before="280" w:after="100"/>' + _ind(709, 709)),
        rpr=f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:sz w:val="23"/><w:szCs w:val="23"/>',
    )
}
{
    _pstyle(
        "Heading2",
        "heading 2",
        nxt="Normal",
        ui_priority=9,
        outline=1,
        ppr='<w:keepNext/><w:keepLines/><w:spacing w:before="280" w:after="100"/>',
        rpr=f'<w:b/><w:bCs/><w:caps/><w:color w:val="{NAVY}"/><w:sz w:val="21"/><w:szCs w:val="21"/>',
    )
}
{
    _pstyle(
        "ScheduleHeading",
        "Schedule Heading",
        nxt="Normal",
        outline=0,
        ppr=(
            f'<w:keepNext/><w:pageBreakBefore/><w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" '
            f'w:color="{NAVY}"/></w:pBdr><w:spacing w:before="0" w:after="240"/><w:jc w:val="center"/>'
        ),
        rpr=f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:sz w:val="28"/><w:szCs w:val="28"/>',
    )
}
{_pstyle("AnnexHeading", "Annex Heading", based="ScheduleHeading", nxt="Normal", outline=0)}
{_pstyle("ClauseText", "Clause Text", nxt="ClauseText", ppr=f"{_num(1)}{_ind(709, 709)}{JUSTIFY}")}
{_pstyle("ClauseBody", "Clause Body", nxt="ClauseBody", ppr=f"{_ind(709)}{JUSTIFY}")}
{
    _pstyle(
        "ClauseList1",
        "Clause List 1",
        nxt="ClauseList1",
        ppr=f'{_num(2)}{_ind(1276, 567)}{JUSTIFY}<w:spacing w:after="80"/>',
    )
}
{
    _pstyle(
        "ClauseList2",
        "Clause List 2",
        nxt="ClauseList2",
        ppr=f'{_num(3)}{_ind(1843, 567)}{JUSTIFY}<w:spacing w:after="80"/>',
    )
}
{
    _pstyle(
        "ClauseList3",
        "Clause List 3",
        nxt="ClauseList3",
        ppr=f'{_num(4)}{_ind(2410, 567)}{JUSTIFY}<w:spacing w:after="80"/>',
    )
}
{
    _pstyle(
        "ClauseBullet1",
        "Clause Bullet 1",
        nxt="ClauseBullet1",
        ppr=f'{_num(0, 2)}{_ind(1276, 567)}<w:spacing w:after="80"/>',
    )
}
{
    _pstyle(
        "ClauseBullet2",
        "Clause Bullet 2",
        nxt="ClauseBullet2",
        ppr=f'{_num(1, 2)}{_ind(1843, 567)}<w:spacing w:after="80"/>',
    )
}
{
    _pstyle(
        "ClauseBullet3",
        "Clause Bullet 3",
        nxt="ClauseBullet3",
        ppr=f'{_num(2, 2)}{_ind(2410, 567)}<w:spacing w:after="80"/>',
    )
}
{_pstyle("Party", "Party", nxt="Party", ppr=f"{_ind(709, 709)}{JUSTIFY}")}
{_pstyle("Definition", "Definition", nxt="Definition", ppr=f"{_ind(709)}{JUSTIFY}")}
{
    _pstyle(
        "NoteText",
        "Note Text",
        nxt="Normal",
        rpr='<w:i/><w:iCs/><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
    )
}
{
    _pstyle(
        "TableText",
        "Table Text",
        nxt="TableText",
        ppr='<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>',
        rpr='<w:sz w:val="19"/><w:szCs w:val="19"/>',
    )
}
{
    _pstyle(
        "TableHeading",
        "Table Heading",
        based="TableText",
        nxt="TableText",
        ppr="<w:keepNext/>",
        rpr=f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/>',
    )
}
{
    _pstyle(
        "SignatureLine",
        "Signature Line",
        nxt="TableText",
        ppr=(
            '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
            '<w:spacing w:before="600" w:after="40"/>'
        ),
        qformat=False,
    )
}
{
    _pstyle(
        "Header",
        "header",
        nxt="Header",
        qformat=False,
        ppr='<w:tabs><w:tab w:val="center" w:pos="4513"/><w:tab w:val="right" w:pos="9026"/></w:tabs>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        rpr='<w:color w:val="7F7F7F"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
    )
}
{_pstyle("Footer", "footer", based="Header", nxt="Footer", qformat=False)}
{
    _pstyle(
        "CommentText",
        "annotation text",
        nxt="CommentText",
        qformat=False,
        ppr='<w:spacing w:after="60" w:line="240" w:lineRule="auto"/>',
        rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
    )
}
<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/>
  <w:basedOn w:val="DefaultParagraphFont"/><w:semiHidden/><w:unhideWhenUsed/>
  <w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>
</w:styles>"""

# --- numbering -----------------------------------------------------------------------------------


def _lvl(
    ilvl: int, fmt: str, text: str, left: int, hanging: int, style: str | None, bold=False, restart: int | None = None
) -> str:
    restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else '<w:rPr><w:b w:val="0"/></w:rPr>'
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{restart_xml}{pstyle}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>{_ind(left, hanging)}</w:pPr>{rpr}</w:lvl>'
    )


CLAUSE_LEVELS = "".join(
    [
        _lvl(0, "decimal", "%1.", 709, 709, "Heading1", bold=True),
        _lvl(1, "decimal", "%1.%2", 709, 709, "ClauseText"),
        _lvl(2, "lowerLetter", "(%3)", 1276, 567, "ClauseList1"),
        _lvl(3, "lowerRoman", "(%4)", 1843, 567, "ClauseList2"),
        _lvl(4, "upperLetter", "(%5)", 2410, 567, "ClauseList3"),
        *(_lvl(i, "decimal", f"%{i + 1}.", 2977 + 567 * (i - 5), 567, None) for i in range(5, 9)),
    ]
)


def _bullet(ilvl: int, char: str, left: int, style: str | None) -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>{pstyle}'
        f'<w:lvlText w:val="{char}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>{_ind(left, 567)}</w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/></w:rPr></w:lvl>'
    )


BULLET_LEVELS = "".join(
    [
        _bullet(0, "\u2022", 1276, "ClauseBullet1"),
        _bullet(1, "\u2013", 1843, "ClauseBullet2"),
        _bullet(2, "\u25aa", 2410, "ClauseBullet3"),
        *(_bullet(i, "\u2022", 2977 + 567 * (i - 3), None) for i in range(3, 9)),
    ]
)

SCHEDULE_NUM_IDS = (11, 12, 13, 14)


def _restarted(num_id: int) -> str:
    overrides = "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="1"/></w:lvlOverride>' for i in range(5))
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="1"/>{overrides}</w:num>'


NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {NS}>
<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="multilevel"/><w:name w:val="DPA clauses"/>
{CLAUSE_LEVELS}</w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="hybridMultilevel"/><w:name w:val="DPA bullets"/>
{BULLET_LEVELS}</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
{"".join(_restarted(n) for n in SCHEDULE_NUM_IDS)}
</w:numbering>"""

# --- building the body ---------------------------------------------------------------------------


class Builder:
    def __init__(self) -> None:
        self.doc = docx.Document()
        self._install_parts()
        body = self.doc.element.body
        for child in list(body):
            if not child.tag.endswith("sectPr"):
                body.remove(child)

    def _install_parts(self) -> None:
        part = self.doc.part
        part._styles_part._element = parse_xml(STYLES.encode())
        part.numbering_part._element = parse_xml(NUMBERING.encode())
        # Parts of python-docx's own default template that a DPA template should not carry.
        for rel_id, rel in list(part.rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
                part.drop_rel(rel_id)
        pkg_rels = part.package.rels
        for rel_id, rel in list(pkg_rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                pkg_rels.pop(rel_id)

    # paragraphs
    def p(self, text: str = "", style: str = "Normal", *, bold_terms: bool = False):
        """A paragraph; ``**x**`` in ``text`` makes ``x`` bold (template text only, never values)."""
        para = self.doc.add_paragraph(style=self.style(style))
        if bold_terms:
            for i, piece in enumerate(text.split("**")):
                if piece:
                    para.add_run(piece).bold = bool(i % 2) or None
        elif text:
            para.add_run(text)
        return para

    def style(self, style_id: str):
        """The style with this id (python-docx looks styles up by name)."""
        return next(s for s in self.doc.styles if s.style_id == style_id)

    def tag(self, text: str):
        """A paragraph that holds only a docxtpl ``{%p … %}`` tag (removed on render)."""
        return self.doc.add_paragraph(text, style="Normal")

    def page_break(self) -> None:
        para = self.doc.add_paragraph(style="Normal")
        para._p.append(parse_xml(f'<w:r {NS}><w:br w:type="page"/></w:r>'))

    # tables
    def table(
        self,
        widths: list[int],
        rows: list[list[str]],
        *,
        header: bool = False,
        label_column: bool = False,
        style: str = "TableGrid",
        spacer: bool = True,
    ):
        table = self.doc.add_table(rows=len(rows), cols=len(widths))
        table.style = self.style(style)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        tbl_pr.append(parse_xml(f'<w:tblW {NS} w:w="{sum(widths)}" w:type="dxa"/>'))
        tbl_pr.append(parse_xml(f'<w:tblLayout {NS} w:type="fixed"/>'))
        for r, values in enumerate(rows):
            row = table.rows[r]
            if header and r == 0:
                tr_pr = row._tr.get_or_add_trPr()
                tr_pr.append(parse_xml(f"<w:tblHeader {NS}/>"))
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(parse_xml(f"<w:cantSplit {NS}/>"))
            for c, value in enumerate(values):
                cell = row.cells[c]
                cell.width = Twips(widths[c])
                is_head = (header and r == 0) or (label_column and c == 0)
                if is_head and style == "TableGrid":
                    cell._tc.get_or_add_tcPr().append(
                        parse_xml(f'<w:shd {NS} w:val="clear" w:color="auto" w:fill="{SHADE}"/>')
                    )
                para = cell.paragraphs[0]
                para.style = self.style("TableHeading" if is_head else "TableText")
                if value:
                    para.add_run(value)
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(f"{{{W}}}gridCol"), widths, strict=True):
            col.set(f"{{{W}}}w", str(width))
        if spacer:
            self.doc.add_paragraph(style="Normal").paragraph_format.space_after = 0
        return table

    def header_footer(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Twips(11906), Twips(16838)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Twips(1440))
        section.header_distance = section.footer_distance = Twips(567)
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.style = self.style("Header")
        header.add_run("Data Processing Agreement\tDRAFT\tFor review by a qualified lawyer — not legal advice")
        footer = section.footer.paragraphs[0]
        footer.style = self.style("Footer")
        footer.add_run("Clause library {{ library_version }}\t\tPage ")
        footer._p.append(parse_xml(f'<w:fldSimple {NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        footer.add_run(" of ")
        footer._p.append(parse_xml(f'<w:fldSimple {NS} w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        first = section.first_page_footer.paragraphs[0]
        first.style = self.style("Footer")
        first.add_run("Generated by dpakit {{ dpakit_version }} — a draft, not legal advice")


def build() -> bytes:
    b = Builder()
    b.header_footer()

    # --- cover ---------------------------------------------------------------------------------
    b.p("Data Processing Agreement", "Title")
    b.p("between", "CoverText")
    b.p("{{ controller.name }}", "CoverParty")
    b.p("as {{ controller.role_label }}", "CoverText")
    b.p("and", "CoverText")
    b.p("{{ processor.name }}", "CoverParty")
    b.p("as {{ processor.role_label }}", "CoverText")
    b.p("relating to {{ main_agreement }}", "CoverText").paragraph_format.space_before = Twips(360)
    b.p("Effective date: {{ effective_date }}", "CoverText")
    b.p("Draft for review by a qualified lawyer — not legal advice", "DraftNotice")
    b.p(
        "This draft was assembled by software from questionnaire answers. It has not been reviewed by a "
        "lawyer. Check every clause, the annexes and the schedules against the facts and the law before "
        "anyone signs it.",
        "DraftNoticeText",
    )
    b.p("Document details", "Heading2").paragraph_format.space_before = Twips(480)
    b.table(
        [2600, TEXT_WIDTH - 2600],
        [
            ["Prepared by", "{{ prepared_by }}"],
            ["Laws in scope", "{{ regimes_text }}"],
            ["Schedules", "{{ schedules_text }}"],
            ["Clause library version", "{{ library_version }}"],
            ["Generated by", "dpakit {{ dpakit_version }}"],
            ["Answers fingerprint", "SHA-256 {{ answers_sha256 }}"],
            [
                "Document fingerprint",
                "The SHA-256 of this file is recorded in manifest.json beside it and in "
                "dpakit’s document history (a file cannot contain its own hash).",
            ],
            ["Reviewer comments", "{{ comments_note }}"],
        ],
        label_column=True,
        spacer=False,
    )
    # "Before you sign": the conditions this draft states instead of facts, and every gap (built in Python).
    b.p("Before you sign", "Heading2").paragraph_format.space_before = Twips(360)
    b.tag("{{p before_you_sign }}")
    b.page_break()

    # --- the clauses --------------------------------------------------------------------------------
    b.tag("{{p clauses }}")

    # --- signatures ---------------------------------------------------------------------------------
    b.p("Signatures", "Heading2")
    b.p("Signed by the authorised representatives of the parties on the dates set out below.")
    half = TEXT_WIDTH // 2
    table = b.table(
        [half, TEXT_WIDTH - half],
        [
            ["For the Controller", "For the Processor"],
            ["{{ controller.name }}", "{{ processor.name }}"],
            ["", ""],
            ["Signature", "Signature"],
            ["Name:", "Name:"],
            ["Title:", "Title:"],
            ["Date:", "Date:"],
        ],
        style="SignatureTable",
    )
    for cell in table.rows[0].cells:
        cell.paragraphs[0].style = b.style("TableHeading")
    for cell in table.rows[2].cells:
        cell.paragraphs[0].style = b.style("SignatureLine")
    for row in table.rows[3:]:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Twips(120)

    # --- schedules ----------------------------------------------------------------------------------
    b.tag("{{p schedules }}")

    # --- Annex I --------------------------------------------------------------------------------------
    b.p("Annex I — List of parties", "AnnexHeading")
    for key, heading in (("controller", "Controller"), ("processor", "Processor")):
        b.p(f"{heading}{{{{ {key}.annex_suffix }}}}", "Heading2")
        b.table(
            [2600, TEXT_WIDTH - 2600],
            [
                ["Name", f"{{{{ {key}.name }}}}"],
                ["Address", f"{{{{ {key}.address }}}}"],
                ["Registration number", f"{{{{ {key}.registration }}}}"],
                ["Contact person", f"{{{{ {key}.contact }}}}"],
                ["Data protection officer", f"{{{{ {key}.dpo }}}}"],
                ["Role", f"{{{{ {key}.role }}}}"],
                ["Activities relevant to the processing", f"{{{{ {key}.activities }}}}"],
                ["Signature and date", "See the signature block of this DPA."],
            ],
            label_column=True,
        )
    b.tag("{%p if has_transfer_parties %}")
    b.p("Parties to each transfer", "Heading2")
    b.table(
        [2600, 3213, TEXT_WIDTH - 2600 - 3213],
        [
            ["Transfer terms", "Data exporter", "Data importer"],
            ["{%tr for t in transfer_parties %}", "", ""],
            ["{{ t.instrument }}", "{{ t.exporter }}", "{{ t.importer }}"],
            ["{%tr endfor %}", "", ""],
        ],
        header=True,
    )
    b.tag("{%p endif %}")
    b.tag("{%p if show_authority %}")
    b.p("Competent supervisory authority", "Heading2")
    b.p("For the EU SCCs (Clause 13), the competent supervisory authority is: {{ supervisory_authority }}.")
    b.tag("{%p endif %}")

    # --- Annex II -------------------------------------------------------------------------------------
    b.p("Annex II — Description of the processing", "AnnexHeading")
    b.table(
        [2600, TEXT_WIDTH - 2600],
        [
            ["Categories of data subjects", "{{ processing.data_subjects }}"],
            ["Categories of personal data", "{{ processing.data_categories }}"],
            ["Sensitive data", "{{ processing.sensitive }}"],
            ["Restrictions and safeguards for sensitive data", "{{ processing.safeguards }}"],
            ["Subject-matter", "{{ processing.subject_matter }}"],
            ["Nature of the processing", "{{ processing.nature }}"],
            ["Purposes", "{{ processing.purposes }}"],
            ["Duration", "{{ processing.duration }}"],
            ["Retention", "{{ processing.retention }}"],
            ["Frequency of transfers", "{{ processing.frequency }}"],
            ["Place of processing", "{{ processing.location }}"],
            ["Scope of this agreement", "{{ processing.scope }}"],
        ],
        label_column=True,
    )

    # --- Annex III ------------------------------------------------------------------------------------
    b.p("Annex III — Technical and organisational measures", "AnnexHeading")
    b.p("{{ measures_intro }}", "Normal")
    b.tag("{%p if has_measures %}")
    measures = b.table(
        [2600, TEXT_WIDTH - 2600],
        [
            ["Area", "Measure"],
            ["{%tr for m in measures %}", ""],
            ["{{ m.area }}", "{{ m.measure }}"],
            ["{%tr endfor %}", ""],
        ],
        header=True,
    )
    _plain_cell(measures.rows[2].cells[0], b, "TableHeading")
    b.tag("{%p endif %}")
    b.tag("{%p if not has_measures %}")
    b.p(
        "[To be completed before signature: no technical or organisational measure was confirmed in the "
        "questionnaire, and this Annex lists only measures confirmed to be in place.]",
        "Normal",
    )
    b.tag("{%p endif %}")
    b.p("{{ measures_note }}", "NoteText")

    # --- Annex IV -------------------------------------------------------------------------------------
    b.p("Annex IV — List of sub-processors", "AnnexHeading")
    b.p("{{ subprocessors_intro }}", "Normal")
    b.tag("{%p if has_subprocessors %}")
    b.table(
        [2300, 3026, 1500, 2200],
        [
            ["Sub-processor", "Processing carried out", "Location", "Address"],
            ["{%tr for s in subprocessors %}", "", "", ""],
            ["{{ s.name }}", "{{ s.service }}", "{{ s.country }}", "{{ s.address }}"],
            ["{%tr endfor %}", "", "", ""],
        ],
        header=True,
    )
    b.tag("{%p endif %}")

    return make_reproducible(_save(b.doc), title="Data Processing Agreement (template)", subject="dpakit DPA template")


def _plain_cell(cell, b: Builder, style: str) -> None:
    cell.paragraphs[0].style = b.style(style)


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    return template_build_main(OUT, build, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
