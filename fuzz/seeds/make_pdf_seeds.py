#!/usr/bin/env python3
"""Writes the small hand-made seed PDFs in fuzz/seeds/pdf/ (run once; the output is kept).

Each is uncompressed, so libFuzzer's mutations reach the content-stream interpreter,
the font decoders and the layout instead of dying in a deflate stream. Together they
cover: standard-14 fonts with Tj, TJ, ', ", T*, TL, Td, TD, Tm; a Type0 font with
Identity-H and a ToUnicode CMap (bfchar and bfrange); a Type 3 font with /FontMatrix,
/Differences and ToUnicode; a Form XObject drawn with Do under q/cm/Q; an inherited
/MediaBox and a /CropBox; two columns; and an incremental update. All text is invented.
"""

import pathlib

OUT = pathlib.Path(__file__).resolve().parent / "pdf"


def pdf(objects: dict[int, bytes], root: int = 1, update: dict[int, bytes] | None = None) -> bytes:
    """A PDF with a correct xref table for `objects` (numbered 1..n), plus an optional update."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    if update:
        new_offsets = {}
        for num in sorted(update):
            new_offsets[num] = len(out)
            out += b"%d 0 obj\n" % num + update[num] + b"\nendobj\n"
        prev = xref
        xref = len(out)
        out += b"xref\n"
        for num in sorted(new_offsets):
            out += b"%d 1\n%010d 00000 n \n" % (num, new_offsets[num])
        out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            max(size, max(update) + 1), root, prev, xref)
    return bytes(out)


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def simple() -> bytes:
    content = b"""BT
/F1 18 Tf 72 740 Td (Jane Q. Example) Tj
/F2 10 Tf 14 TL 0 -20 Td (jane.example@example.com | +1 \\(555\\) 010-0199 | Springfield, IL) Tj
T* [(linkedin.com/in/jane) -400 (github.com/jane)] TJ
/F1 12 Tf 0 -28 TD (EXPERIENCE) Tj
/F2 10 Tf T* (Senior Engineer, Acme Corp) Tj 300 0 Td (Jan 2019 \\226 Present) Tj -300 0 Td
(\\225 Built a parser in Rust; cut latency 40%.) '
12 2 (\\225 Led a team of 4 engineers.) "
1 0 0 1 72 560 Tm /F1 12 Tf (EDUCATION) Tj
/F2 10 Tf 1 0 0 1 72 546 Tm (B.S. Computer Science, State University, 2018 GPA 3.8/4.0) Tj
1 0 0 1 72 520 Tm /F1 12 Tf (SKILLS) Tj
/F2 10 Tf 1 0 0 1 72 506 Tm (Rust, Python, SQL, Kubernetes, C++, C#, Go) Tj
ET"""
    return pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>",
        3: b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>",
        4: stream(content),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        6: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    })


def cid_two_columns() -> bytes:
    # CIDs 1..26 are 'a'..'z' (a bfrange), 27 is space, 28 is '@', 29 is '.', 30 is 'J' (bfchar).
    cmap = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0001> <001A> <0061>
endbfrange
4 beginbfchar
<001B> <0020>
<001C> <0040>
<001D> <002E>
<001E> <004A>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""

    def cids(text: str) -> bytes:
        table = {" ": 27, "@": 28, ".": 29, "J": 30}
        return b"<" + "".join("%04X" % (table.get(c) or (ord(c) - 96)) for c in text).encode() + b">"

    content = b"BT /C1 20 Tf 1 0 0 1 40 750 Tm " + cids("Jo example") + b" Tj ET\n"
    content += b"BT /C1 9 Tf 1 0 0 1 40 700 Tm 12 TL " + cids("skills") + b" Tj T* " + cids("rust") + b" Tj T* " \
        + cids("python") + b" Tj T* " + cids("languages") + b" Tj T* " + cids("english") + b" Tj ET\n"
    content += b"BT /C1 12 Tf 1 0 0 1 220 700 Tm 14 TL " + cids("experience") + b" Tj T* [" \
        + cids("engineer") + b" -3000 " + cids("acme") + b"] TJ T* " + cids("jo@example.com") + b" Tj ET"
    return pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /CropBox [0 0 595 842] "
           b"/Resources << /Font << /C1 5 0 R >> >> /Contents 4 0 R >>",
        4: stream(content),
        5: b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Example /Encoding /Identity-H "
           b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        6: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Example "
           b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 /W [1 [600 600 600] 27 30 400] >>",
        7: stream(cmap),
    })


def type3_and_form() -> bytes:
    cmap = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /T3 def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
3 beginbfchar <01> <0048> <02> <0069> <03> <0021> endbfchar
1 beginbfrange <10> <12> [<0041> <0042> <FB01>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""
    form = b"BT /F1 10 Tf 0 0 Td (Projects: Compiler, Website) Tj ET"
    content = b"""q 1 0 0 1 72 600 cm /X1 Do Q
BT /T3 12 Tf 72 700 Td <010203> Tj <101112> Tj ET
q 0.5 0 0 0.5 0 0 cm BT /F1 20 Tf 144 1300 Td (Scaled heading) Tj ET Q"""
    return pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>",
        3: b"<< /Type /Page /Parent 2 0 R /Resources 8 0 R /Contents 4 0 R >>",
        4: stream(content),
        5: stream(form, b"/Type /XObject /Subtype /Form /BBox [0 0 300 50] /Matrix [1 0 0 1 0 0] "
                  b"/Resources << /Font << /F1 6 0 R >> >> "),
        6: b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
        7: b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 0] "
           b"/CharProcs << /g 9 0 R >> /Encoding << /Type /Encoding /Differences [1 /g /g /g 16 /g /g /g] >> "
           b"/FirstChar 1 /LastChar 18 /Widths [500 500 500 0 0 0 0 0 0 0 0 0 0 0 0 500 500 500] /ToUnicode 10 0 R >>",
        8: b"<< /Font << /T3 7 0 R /F1 6 0 R >> /XObject << /X1 5 0 R >> >>",
        9: stream(b"500 0 d0"),
        10: stream(cmap),
    }, update={
        # An incremental update that replaces the content stream.
        4: stream(content + b"\nBT /F1 9 Tf 72 100 Td (Updated: 2024) Tj ET"),
    })


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, make in [("simple.pdf", simple), ("cid-two-columns.pdf", cid_two_columns),
                       ("type3-form-update.pdf", type3_and_form)]:
        (OUT / name).write_bytes(make())


if __name__ == "__main__":
    main()
