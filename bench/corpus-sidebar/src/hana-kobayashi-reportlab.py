#!/usr/bin/env python3
"""Hana Kobayashi's CV with reportlab's platypus: a dark left sidebar frame and a main
frame, the name set large at the top of the main frame. Usage: python3 THIS OUT.pdf"""

import sys

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph, Spacer

# Same bytes on every run (no timestamps or random document id).
rl_config.invariant = 1

W, H = A4
RAIL_W = 64 * mm
INK = colors.HexColor("#222831")
RAIL_BG = colors.HexColor("#2b2d42")
RAIL_INK = colors.HexColor("#edf2f4")
ACCENT = colors.HexColor("#ef233c")

body = ParagraphStyle("body", fontName="Helvetica", fontSize=9.2, leading=12.6, textColor=INK)
rail = ParagraphStyle("rail", parent=body, textColor=RAIL_INK, spaceAfter=1.5)
rail_strong = ParagraphStyle("rail_strong", parent=rail, fontName="Helvetica-Bold")
rail_head = ParagraphStyle(
    "rail_head", parent=rail, fontName="Helvetica-Bold", fontSize=10.5, textColor=ACCENT,
    spaceBefore=10, spaceAfter=4,
)
name = ParagraphStyle("name", parent=body, fontName="Helvetica-Bold", fontSize=28, leading=32)
tagline = ParagraphStyle("tagline", parent=body, fontSize=12, leading=15, textColor=ACCENT, spaceAfter=8)
head = ParagraphStyle(
    "head", parent=body, fontName="Helvetica-Bold", fontSize=12.5, leading=15, spaceBefore=10, spaceAfter=4,
)
job_title = ParagraphStyle("job_title", parent=body, fontName="Helvetica-Bold", fontSize=10.2, spaceBefore=5)
job_meta = ParagraphStyle("job_meta", parent=body, fontName="Helvetica-Oblique", textColor=colors.HexColor("#555555"))
bullet = ParagraphStyle("bullet", parent=body, leftIndent=10, bulletIndent=2, spaceBefore=1)


def paint_rail(canvas, doc):
    canvas.saveState()
    canvas.setFillColor(RAIL_BG)
    canvas.rect(0, 0, RAIL_W, H, stroke=0, fill=1)
    canvas.restoreState()


def job(title, meta, bullets):
    out = [Paragraph(title, job_title), Paragraph(meta, job_meta)]
    out += [Paragraph(b, bullet, bulletText="–") for b in bullets]
    return out


def main(out):
    doc = BaseDocTemplate(
        out, pagesize=A4, title="Hana Kobayashi – Motion Designer", author="Hana Kobayashi",
        leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0,
    )
    side = Frame(9 * mm, 12 * mm, RAIL_W - 16 * mm, H - 26 * mm, id="rail", showBoundary=0)
    main_frame = Frame(RAIL_W + 9 * mm, 12 * mm, W - RAIL_W - 22 * mm, H - 26 * mm, id="main")
    doc.addPageTemplates([PageTemplate(id="cv", frames=[side, main_frame], onPage=paint_rail)])

    story = [
        Paragraph("Contact", rail_head),
        Paragraph("hana.kobayashi@icloud.com", rail),
        Paragraph("+81 90 1234 5678", rail),
        Paragraph("Tokyo, Japan", rail),
        Paragraph("Links", rail_head),
        Paragraph('<link href="https://www.behance.net/hanakobayashi-motion">behance.net/hanakobayashi-motion</link>', rail),
        Paragraph('<link href="https://vimeo.com/hanakobayashi">vimeo.com/hanakobayashi</link>', rail),
        Paragraph("Education", rail_head),
        Paragraph("Tama Art University", rail_strong),
        Paragraph("BFA in Graphic Design", rail),
        Paragraph("Apr 2011 – Mar 2015", rail),
        Paragraph("Skills", rail_head),
        Paragraph("After Effects", rail),
        Paragraph("Cinema 4D", rail),
        Paragraph("Blender", rail),
        Paragraph("Figma", rail),
        Paragraph("Lottie", rail),
        Paragraph("Storyboarding", rail),
        Paragraph("Typography", rail),
        Paragraph("Languages", rail_head),
        Paragraph("Japanese (native)", rail),
        Paragraph("English (business)", rail),
        Paragraph("Korean (beginner)", rail),
        FrameBreak(),
        Paragraph("Hana Kobayashi", name),
        Paragraph("Motion Designer", tagline),
        Paragraph("About", head),
        Paragraph(
            "Motion designer for product interfaces and brand campaigns. I animate with intent: every "
            "transition explains something, and every file I hand over is ready for engineers to ship.",
            body,
        ),
        Paragraph("Experience", head),
        *job(
            "Senior Motion Designer",
            "Mercari, Tokyo, Japan · Apr 2021 – Present",
            [
                "Own motion for the marketplace app: 120 Lottie animations shipped across iOS, Android and web.",
                "Wrote the motion guidelines and a Figma component library for timing and easing tokens.",
                "Directed the 2023 brand campaign's product films (4 spots, 18M views).",
            ],
        ),
        *job(
            "Motion Designer",
            "teamLab, Tokyo, Japan · Jun 2017 – Mar 2021",
            [
                "Designed and animated interactive installations for museum exhibitions in Tokyo and Singapore.",
                "Built Cinema 4D and After Effects pipelines shared by a team of eleven artists.",
            ],
        ),
        *job(
            "Junior Designer",
            "Dentsu Digital, Tokyo, Japan · Apr 2015 – May 2017",
            ["Banner, social and web animation for consumer brands; storyboards for video pitches."],
        ),
        Paragraph("Awards", head),
        Paragraph("Good Design Award 2022 (Mercari onboarding motion).", body),
        Paragraph("Tokyo Type Directors Club, Selected Work, 2019.", body),
    ]
    doc.build(story)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hana-kobayashi-reportlab.pdf")
