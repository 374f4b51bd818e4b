"""Build small PDFs for tests: pypdf reads them, so no PDF-writing package is needed.

CJK lines use a Type0 font (no embedded glyphs) whose ToUnicode CMap maps glyph ids to the
characters, which is how real CJK PDFs make their text extractable.
"""
from __future__ import annotations


def make_pdf(lines, title=None):
    """A one-page PDF; CJK lines use a Type0 font whose ToUnicode CMap maps glyph ids to text."""
    cjk_chars = sorted({c for ln in lines if not ln.isascii() for c in ln})
    cid = {c: i + 1 for i, c in enumerate(cjk_chars)}
    ops = ["BT", "14 TL", "72 770 Td"]
    for ln in lines:
        if ln.isascii():
            esc = ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"/F1 12 Tf ({esc}) Tj T*")
        else:
            ops.append("/F2 12 Tf <" + "".join(f"{cid[c]:04X}" for c in ln) + "> Tj T*")
    ops.append("ET")
    content = "\n".join(ops).encode("ascii")
    bf = "\n".join(f"<{cid[c]:04X}> <{ord(c):04X}>" for c in cjk_chars)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(cjk_chars)} beginbfchar\n{bf}\nendbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end").encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /MSung-Light /Encoding /Identity-H "
        b"/DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /MSung-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 "
        b"/FontDescriptor 9 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /MSung-Light /Flags 4 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    info = None
    if title:
        objs.append(b"<< /Title <FEFF" + title.encode("utf-16-be").hex().upper().encode() + b"> >>")
        info = len(objs)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objs) + 1)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
