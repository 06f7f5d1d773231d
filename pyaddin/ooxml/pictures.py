"""A picture on a sheet (the fishbone beside the root-cause table), replaced in place when drawn again.

The picture is a ``pic`` in the sheet's drawing part (DrawingML, ECMA-376 Part 1 §20.5), named
so that the next drawing finds and replaces it; the rest of the drawing (a user's own charts
and pictures) is kept.  Creating a drawing adds the part, its relationship from the sheet, the
``<drawing>`` element at its place in the sheet's element order, and the content types.
"""
from __future__ import annotations

import posixpath
import re
import struct

from lxml import etree

from .package import Package
from .tables import NS, REL_DRAWING, parse_xml, relationships, rels_part

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = NS["r"]
REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
EMU_PER_PX = 9525
AFTER_DRAWING = (b"<legacyDrawing", b"<legacyDrawingHF", b"<drawingHF", b"<picture", b"<oleObjects", b"<controls",
                 b"<webPublishItems", b"<tableParts", b"<extLst")


def png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{x}"/>' for i, t, x in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
            + NS["rel"] + '">' + body + "</Relationships>").encode()


def _add_rel(pkg: Package, part: str, rel_type: str, target_rel: str) -> str:
    rp = rels_part(part)
    if rp in pkg:
        root = parse_xml(pkg.read(rp))
        ids = {r.get("Id") for r in root}
    else:
        root = etree.Element(f"{{{NS['rel']}}}Relationships", nsmap={None: NS["rel"]})
        ids = set()
    n = 1
    while f"rIdQB{n}" in ids:
        n += 1
    rid = f"rIdQB{n}"
    etree.SubElement(root, f"{{{NS['rel']}}}Relationship", Id=rid, Type=rel_type, Target=target_rel)
    pkg.write(rp, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    return rid


def _content_types(pkg: Package, drawing: str | None) -> None:
    types = parse_xml(pkg.read("[Content_Types].xml"))
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    if not any(d.get("Extension", "").lower() == "png" for d in types.findall(f"{ct}Default")):
        etree.SubElement(types, f"{ct}Default", Extension="png", ContentType="image/png")
        types.insert(0, types[-1])  # Defaults first
    if drawing and not any(o.get("PartName") == "/" + drawing for o in types.findall(f"{ct}Override")):
        etree.SubElement(types, f"{ct}Override", PartName="/" + drawing, ContentType=DRAWING_TYPE)
    pkg.write("[Content_Types].xml", etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True))


def _new_part(pkg: Package, pattern: str) -> str:
    n = 1
    while pattern.format(n) in pkg:
        n += 1
    return pattern.format(n)


def place_picture(pkg: Package, sheet_part: str, png: bytes, name: str, col: int, row: int) -> None:
    """Put ``png`` on the sheet with its top-left corner at (col, row), 0-based; replace a picture of that name."""
    drawing = next((t for _, typ, t in relationships(pkg, sheet_part) if typ == REL_DRAWING), None)
    if drawing is None:
        drawing = _new_part(pkg, "xl/drawings/drawing{}.xml")
        root = etree.Element(f"{{{XDR}}}wsDr", nsmap={"xdr": XDR, "a": A})
        rid = _add_rel(pkg, sheet_part, REL_DRAWING, "../drawings/" + posixpath.basename(drawing))
        xml = pkg.read(sheet_part)
        at = min([i for i in (xml.find(tag) for tag in AFTER_DRAWING) if i >= 0] or [xml.rfind(b"</worksheet>")])
        pkg.write(sheet_part, xml[:at] + f'<drawing r:id="{rid}"/>'.encode() + xml[at:])
        if b'xmlns:r="' not in pkg.read(sheet_part)[:2000]:
            x = pkg.read(sheet_part)
            pkg.write(sheet_part, x.replace(b"<worksheet ", f'<worksheet xmlns:r="{R}" '.encode(), 1))
    else:
        root = parse_xml(pkg.read(drawing))
    width, height = png_size(png)
    for anchor in list(root):
        pic = anchor.find(f"{{{XDR}}}pic")
        if pic is not None and pic.find(f".//{{{XDR}}}cNvPr").get("name") == name:
            embed = pic.find(f".//{{{A}}}blip").get(f"{{{R}}}embed")
            target = dict((i, t) for i, _, t in relationships(pkg, drawing))[embed]
            pkg.write(target, png)  # the same picture part, new bytes
            ext = anchor.find(f"{{{XDR}}}ext")
            ext.set("cx", str(width * EMU_PER_PX))
            ext.set("cy", str(height * EMU_PER_PX))
            pkg.write(drawing, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
            _content_types(pkg, drawing)
            return
    media = _new_part(pkg, "xl/media/qb_picture{}.png")
    pkg.write(media, png)
    rid = _add_rel(pkg, drawing, REL_IMAGE, "../media/" + posixpath.basename(media))
    ids = [int(e.get("id")) for e in root.iter(f"{{{XDR}}}cNvPr") if re.fullmatch(r"\d+", e.get("id", ""))]
    anchor = etree.SubElement(root, f"{{{XDR}}}oneCellAnchor")
    frm = etree.SubElement(anchor, f"{{{XDR}}}from")
    for tag, v in (("col", col), ("colOff", 0), ("row", row), ("rowOff", 0)):
        etree.SubElement(frm, f"{{{XDR}}}{tag}").text = str(v)
    etree.SubElement(anchor, f"{{{XDR}}}ext", cx=str(width * EMU_PER_PX), cy=str(height * EMU_PER_PX))
    pic = etree.SubElement(anchor, f"{{{XDR}}}pic")
    nv = etree.SubElement(pic, f"{{{XDR}}}nvPicPr")
    etree.SubElement(nv, f"{{{XDR}}}cNvPr", id=str(max(ids, default=1) + 1), name=name)
    cnv = etree.SubElement(nv, f"{{{XDR}}}cNvPicPr")
    etree.SubElement(cnv, f"{{{A}}}picLocks", noChangeAspect="1")
    fill = etree.SubElement(pic, f"{{{XDR}}}blipFill")
    etree.SubElement(fill, f"{{{A}}}blip", {f"{{{R}}}embed": rid})
    etree.SubElement(etree.SubElement(fill, f"{{{A}}}stretch"), f"{{{A}}}fillRect")
    sp = etree.SubElement(pic, f"{{{XDR}}}spPr")
    xfrm = etree.SubElement(sp, f"{{{A}}}xfrm")
    etree.SubElement(xfrm, f"{{{A}}}off", x="0", y="0")
    etree.SubElement(xfrm, f"{{{A}}}ext", cx=str(width * EMU_PER_PX), cy=str(height * EMU_PER_PX))
    etree.SubElement(etree.SubElement(sp, f"{{{A}}}prstGeom", prst="rect"), f"{{{A}}}avLst")
    etree.SubElement(anchor, f"{{{XDR}}}clientData")
    pkg.write(drawing, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    _content_types(pkg, drawing)
