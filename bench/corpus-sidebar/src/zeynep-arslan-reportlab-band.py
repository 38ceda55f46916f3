#!/usr/bin/env python3
"""Zeynep Arslan's CV with reportlab's platypus and an embedded TrueType font: a
coloured band across the top (the name, and the contact details beside it), then
a main frame on the left and a rail frame on the right. Usage: python3 THIS OUT.pdf"""

import sys

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph, Table, TableStyle

# Same bytes on every run (no timestamps or random document id).
rl_config.invariant = 1

FONTS = "/usr/share/fonts/truetype/dejavu/"
pdfmetrics.registerFont(TTFont("DejaVu", FONTS + "DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("DejaVu-Bold", FONTS + "DejaVuSans-Bold.ttf"))
pdfmetrics.registerFont(TTFont("DejaVu-Oblique", FONTS + "DejaVuSans-Oblique.ttf"))

W, H = A4
BAND = 50 * mm
INK = colors.HexColor("#1f2933")
BAND_BG = colors.HexColor("#123c69")
PALE = colors.HexColor("#eef2f7")

body = ParagraphStyle("body", fontName="DejaVu", fontSize=8.8, leading=12, textColor=INK)
white = ParagraphStyle("white", parent=body, textColor=colors.white)
name = ParagraphStyle("name", parent=white, fontName="DejaVu-Bold", fontSize=26, leading=30)
tag = ParagraphStyle("tag", parent=white, fontSize=11.5, leading=14)
head = ParagraphStyle("head", parent=body, fontName="DejaVu-Bold", fontSize=12, leading=15, spaceBefore=9, spaceAfter=3,
                      textColor=BAND_BG)
strong = ParagraphStyle("strong", parent=body, fontName="DejaVu-Bold", fontSize=9.6, spaceBefore=5)
meta = ParagraphStyle("meta", parent=body, fontName="DejaVu-Oblique", textColor=colors.HexColor("#52606d"))
bullet = ParagraphStyle("bullet", parent=body, leftIndent=9, bulletIndent=1)
rail = ParagraphStyle("rail", parent=body, spaceAfter=1)
rail_strong = ParagraphStyle("rail_strong", parent=rail, fontName="DejaVu-Bold")


def paint(canvas, doc):
    canvas.saveState()
    canvas.setFillColor(BAND_BG)
    canvas.rect(0, H - BAND, W, BAND, stroke=0, fill=1)
    canvas.setFillColor(PALE)
    canvas.rect(W - 68 * mm, 0, 68 * mm, H - BAND, stroke=0, fill=1)
    canvas.restoreState()


def job(title, place, bullets):
    out = [Paragraph(title, strong), Paragraph(place, meta)]
    return out + [Paragraph(b, bullet, bulletText="•") for b in bullets]


def main(out):
    doc = BaseDocTemplate(out, pagesize=A4, title="Zeynep Arslan – CV", author="Zeynep Arslan",
                          leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0)
    band = Frame(14 * mm, H - BAND + 4 * mm, W - 28 * mm, BAND - 8 * mm, id="band")
    main_frame = Frame(14 * mm, 12 * mm, W - 68 * mm - 22 * mm, H - BAND - 18 * mm, id="main")
    rail_frame = Frame(W - 68 * mm + 7 * mm, 12 * mm, 68 * mm - 14 * mm, H - BAND - 18 * mm, id="rail")
    doc.addPageTemplates([PageTemplate(id="cv", frames=[band, main_frame, rail_frame], onPage=paint)])

    contact = Table(
        [
            [Paragraph("Zeynep Arslan", name), Paragraph("zeynep.arslan@outlook.com", white)],
            [Paragraph("Mobile Engineer · iOS", tag), Paragraph("+90 532 123 45 67", white)],
            ["", Paragraph("İstanbul, Türkiye", white)],
            ["", Paragraph('<link href="https://github.com/zeyneparslan-ios">github.com/zeyneparslan-ios</link>', white)],
        ],
        colWidths=[W - 28 * mm - 62 * mm, 62 * mm],
    )
    contact.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story = [
        contact,
        FrameBreak(),
        Paragraph("Summary", head),
        Paragraph("iOS engineer with eight years of Swift, from a two-person start-up to a super-app with "
                  "fifteen million users. I like accessibility work, fast builds and small pull requests.", body),
        Paragraph("Experience", head),
        *job("Senior iOS Engineer", "Getir · İstanbul, Türkiye · 2021 – present", [
            "Lead the checkout squad's iOS work; moved the flow to SwiftUI with no drop in conversion.",
            "Cut clean build time from 14 to 5 minutes by splitting the app into 40 Swift packages.",
        ]),
        *job("iOS Engineer", "Trendyol · İstanbul, Türkiye · 2018 – 2021", [
            "Built the product-detail screens and the image pipeline used across the app.",
            "Introduced snapshot tests and VoiceOver audits for every release.",
        ]),
        *job("Mobile Developer", "Peak Games · İstanbul, Türkiye · 2016 – 2018", [
            "Swift and Objective-C for two casual games' social features.",
        ]),
        Paragraph("Projects", head),
        Paragraph("<b>SwiftLint Rules TR</b> – custom lint rules for Turkish-locale string handling.", body),
        Paragraph("<b>Kuyruk</b> – a tiny offline job queue for iOS apps, 900 stars on GitHub.", body),
        FrameBreak(),
        Paragraph("Skills", head),
        Paragraph("Swift, SwiftUI, UIKit, Combine, Objective-C, Xcode, Fastlane, Firebase", rail),
        Paragraph("Education", head),
        Paragraph("Boğaziçi University", rail_strong),
        Paragraph("BSc in Computer Engineering", rail),
        Paragraph("2011 – 2016", rail),
        Paragraph("Languages", head),
        Paragraph("Turkish (native)", rail),
        Paragraph("English (fluent)", rail),
        Paragraph("German (A2)", rail),
        Paragraph("Certifications", head),
        Paragraph("Apple Certified iOS Developer (App Development with Swift)", rail),
    ]
    doc.build(story)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "zeynep-arslan-reportlab-band.pdf")
