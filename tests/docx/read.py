"""Reads DOCX files with python-docx, an independent reader of Word documents,
and prints what it finds as JSON (one object per file) for the integration
tests (tests/integration/docx.rs) to assert on: paragraphs with their style
names and list numbering, tables with their header rows, hyperlinks, the
logo's alternative text, headers and footers with their field codes, style
colours and fonts, and the core properties.

usage: python3 tests/docx/read.py FILE.docx [FILE.docx ...]
"""

import json
import sys

import docx
from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def numbering_formats(document):
    """numId -> {ilvl: (numFmt, lvlText)}, through each num's abstractNum."""
    part = document.part.numbering_part.element
    abstract = {}
    for a in part.findall(qn("w:abstractNum")):
        levels = {}
        for lvl in a.findall(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            text = lvl.find(qn("w:lvlText"))
            levels[lvl.get(qn("w:ilvl"))] = (
                fmt.get(qn("w:val")) if fmt is not None else None,
                text.get(qn("w:val")) if text is not None else None,
            )
        abstract[a.get(qn("w:abstractNumId"))] = levels
    nums = {}
    for num in part.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        starts = {
            o.get(qn("w:ilvl")): int(o.find(qn("w:startOverride")).get(qn("w:val")))
            for o in num.findall(qn("w:lvlOverride"))
            if o.find(qn("w:startOverride")) is not None
        }
        nums[num.get(qn("w:numId"))] = (abstract.get(ref, {}), starts)
    return nums


def num_pr(element):
    """(numId, ilvl) of a paragraph's or a style's w:numPr, if any."""
    ppr = element.find(qn("w:pPr"))
    if ppr is None:
        return None
    pr = ppr.find(qn("w:numPr"))
    if pr is None:
        return None
    num_id = pr.find(qn("w:numId"))
    ilvl = pr.find(qn("w:ilvl"))
    return (
        num_id.get(qn("w:val")) if num_id is not None else None,
        ilvl.get(qn("w:val")) if ilvl is not None else "0",
    )


def paragraph_numbering(paragraph, nums):
    """What numbers a paragraph: its own numPr, else its style's."""
    pr = num_pr(paragraph._p)
    if pr is None and paragraph.style is not None:
        pr = num_pr(paragraph.style.element)
    if pr is None or pr[0] in (None, "0"):
        return None
    levels, starts = nums.get(pr[0], ({}, {}))
    fmt, text = levels.get(pr[1], (None, None))
    return {
        "num_id": int(pr[0]),
        "level": int(pr[1]),
        "format": fmt,
        "text": text,
        "start": starts.get(pr[1]),
    }


def part_text(part):
    return "\n".join(p.text for p in part.paragraphs)


def instructions(element):
    return [t.text for t in element.iter(qn("w:instrText"))]


def alt_texts(element):
    return [d.get("descr") for d in element.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]


def style_look(document, name):
    style = document.styles[name]
    colour = style.font.color.rgb if style.font.color and style.font.color.type else None
    return {"colour": str(colour) if colour is not None else None, "bold": style.font.bold}


def read(path):
    document = docx.Document(path)
    nums = numbering_formats(document)
    paragraphs = []
    for p in document.paragraphs:
        paragraphs.append(
            {
                "style": p.style.name if p.style is not None else None,
                "text": p.text,
                "numbering": paragraph_numbering(p, nums),
                "links": [
                    {"text": h.text, "address": h.address, "fragment": h.fragment}
                    for h in p.hyperlinks
                ],
                "bookmarks": [b.get(qn("w:name")) for b in p._p.iter(qn("w:bookmarkStart"))],
                "page_break_before": bool(p.paragraph_format.page_break_before),
            }
        )
    tables = []
    for t in document.tables:
        rows = []
        for row in t.rows:
            tr_pr = row._tr.trPr
            rows.append(
                {
                    "header": tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None,
                    "cells": [c.text for c in row.cells],
                    "min_height_mm": round(row.height.mm) if row.height is not None else None,
                }
            )
        tables.append({"style": t.style.name if t.style is not None else None, "rows": rows})
    section = document.sections[0]
    core = document.core_properties
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = sorted({f.get(qn("w:ascii")) for f in defaults.iter(qn("w:rFonts"))})
    langs = sorted({l.get(qn("w:val")) for l in defaults.iter(qn("w:lang"))})
    return {
        "paragraphs": paragraphs,
        "tables": tables,
        "images": alt_texts(document.element.body),
        "header": part_text(section.header),
        "header_images": alt_texts(section.header._element),
        "first_page_header": part_text(section.first_page_header),
        "different_first_page": section.different_first_page_header_footer,
        "footer": part_text(section.footer),
        "footer_fields": instructions(section.footer._element),
        "first_page_footer": part_text(section.first_page_footer),
        "first_page_footer_fields": instructions(section.first_page_footer._element),
        "page": {
            "width_mm": round(section.page_width.mm),
            "height_mm": round(section.page_height.mm),
        },
        "styles": {
            name: style_look(document, name)
            for name in ["Title", "Heading 1", "Heading 2", "Heading 3", "Hyperlink"]
        },
        "fonts": fonts,
        "languages": langs,
        "core": {
            "title": core.title,
            "author": core.author,
            "subject": core.subject,
            "keywords": core.keywords,
            "language": core.language,
            "version": core.version,
            "created": core.created.isoformat() if core.created else None,
            "modified": core.modified.isoformat() if core.modified else None,
        },
    }


if __name__ == "__main__":
    json.dump([read(path) for path in sys.argv[1:]], sys.stdout, ensure_ascii=False, indent=1)
