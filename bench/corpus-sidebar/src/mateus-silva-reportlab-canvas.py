#!/usr/bin/env python3
"""Mateus Silva's CV drawn on a reportlab canvas by hand, the way generators that
position every string do: the name across the top, the main column on the left, a
rail on the right, headings in capitals with letter spacing (charSpace), two pages.
Usage: python3 THIS OUT.pdf"""

import sys

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

# Same bytes on every run (no timestamps or random document id).
rl_config.invariant = 1

W, H = letter
MAIN_X, MAIN_W = 50, 330
RAIL_X, RAIL_W = 412, 158
TOP, BOTTOM = H - 150, 60
INK = colors.HexColor("#1a1a2e")
ACCENT = colors.HexColor("#0f7b6c")
GREY = colors.HexColor("#5f6368")


class Column:
    """Writes lines downwards from `y`, wrapping at `width`; a new page continues at TOP."""

    def __init__(self, c, x, width, y):
        self.c, self.x, self.width, self.y = c, x, width, y

    def need(self, height):
        if self.y - height < BOTTOM:
            new_page(self.c)
            self.y = H - 60

    def heading(self, text):
        self.need(40)
        self.y -= 14
        self.c.setFillColor(ACCENT)
        self.c.setFont("Helvetica-Bold", 9.5)
        self.c.drawString(self.x, self.y, text.upper(), charSpace=2.2)
        self.c.setStrokeColor(ACCENT)
        self.c.setLineWidth(0.6)
        self.c.line(self.x, self.y - 4, self.x + self.width, self.y - 4)
        self.y -= 17

    def text(self, text, font="Helvetica", size=9.3, color=INK, indent=0, leading=12.4, gap=0, url=None):
        lines = wrap(text, font, size, self.width - indent)
        self.need(leading * len(lines))
        self.c.setFillColor(color)
        self.c.setFont(font, size)
        for i, line in enumerate(lines):
            self.c.drawString(self.x + indent, self.y, line)
            if url:
                w = self.c.stringWidth(line, font, size)
                self.c.linkURL(url, (self.x + indent, self.y - 2, self.x + indent + w, self.y + size), relative=0)
            self.y -= leading
        self.y -= gap

    def bullet(self, text):
        lines = simpleSplit(text, "Helvetica", 9.3, self.width - 11)
        self.need(12.4 * len(lines))
        self.c.setFillColor(INK)
        self.c.setFont("Helvetica", 9.3)
        self.c.drawString(self.x + 2, self.y, "•")
        for line in lines:
            self.c.drawString(self.x + 11, self.y, line)
            self.y -= 12.4
        self.y -= 1.5

    def job(self, title, company, dates, bullets):
        self.need(60)
        self.c.setFillColor(INK)
        self.c.setFont("Helvetica-Bold", 10.4)
        self.c.drawString(self.x, self.y, title)
        self.c.setFont("Helvetica", 9)
        self.c.setFillColor(GREY)
        self.c.drawRightString(self.x + self.width, self.y, dates)
        self.y -= 12.6
        self.text(company, font="Helvetica-Oblique", color=GREY, gap=2)
        for b in bullets:
            self.bullet(b)
        self.y -= 6


def wrap(text, font, size, width):
    """Lines of `text` within `width`; a word longer than the line (a URL) is broken
    after a '/' or '-' that fits, as browsers and word processors do."""
    out = []
    for line in simpleSplit(text, font, size, width):
        while stringWidth(line, font, size) > width:
            cut = max((i + 1 for i, ch in enumerate(line) if ch in "/-" and stringWidth(line[: i + 1], font, size) <= width), default=0)
            if cut == 0:
                break
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def new_page(c):
    c.showPage()


def main(out):
    c = canvas.Canvas(out, pagesize=letter)
    c.setTitle("Mateus Silva - Curriculum")
    c.setAuthor("Mateus Silva")

    c.setFillColor(INK)
    c.setFont("Helvetica-Bold", 32)
    c.drawString(MAIN_X, H - 78, "MATEUS SILVA")
    c.setFillColor(ACCENT)
    c.setFont("Helvetica", 12.5)
    c.drawString(MAIN_X, H - 100, "Full-Stack Engineer · Fintech")
    c.setStrokeColor(colors.HexColor("#d0d7d5"))
    c.line(RAIL_X - 16, TOP + 12, RAIL_X - 16, BOTTOM)

    rail = Column(c, RAIL_X, RAIL_W, TOP)
    rail.heading("Contact")
    rail.text("mateus.silva@gmail.com")
    rail.text("+55 11 98765-4321")
    rail.text("São Paulo, Brazil", gap=3)
    rail.text("github.com/mateussilva-dev", url="https://github.com/mateussilva-dev")
    rail.text("mateussilva.dev/portfolio-fintech-case-studies", url="https://mateussilva.dev/portfolio-fintech-case-studies", gap=4)
    rail.heading("Skills")
    for s in ["TypeScript", "React", "Node.js", "NestJS", "PostgreSQL", "AWS", "Docker", "GraphQL", "Jest"]:
        rail.text(s)
    rail.y -= 4
    rail.heading("Languages")
    for s in ["Portuguese — Native", "English — Advanced", "Spanish — Intermediate"]:
        rail.text(s)
    rail.y -= 4
    rail.heading("Certifications")
    rail.text("AWS Certified Developer – Associate", gap=3)
    rail.text("Microsoft Certified: Azure Fundamentals", gap=3)
    rail.y -= 4
    rail.heading("Education")
    rail.text("Universidade de São Paulo", font="Helvetica-Bold")
    rail.text("Bacharelado em Ciência da Computação")
    rail.text("2012 – 2016", color=GREY)

    main_col = Column(c, MAIN_X, MAIN_W, TOP)
    main_col.heading("Summary")
    main_col.text(
        "Full-stack engineer with eight years in Brazilian fintech. I ship product end to end: React "
        "front ends, Node.js services, the PostgreSQL schema under them and the dashboards that tell us "
        "whether any of it worked.",
        gap=4,
    )
    main_col.heading("Experience")
    main_col.job(
        "Senior Software Engineer",
        "Nubank, São Paulo, Brazil",
        "Mar 2021 – Present",
        [
            "Tech lead for the Pix transfers web experience used by 20M customers a month.",
            "Rebuilt the transfer limits service in NestJS with PostgreSQL; p99 latency from 900 ms to 120 ms.",
            "Introduced contract tests and feature flags; the team now deploys 15 times a day.",
            "Mentor three engineers and run the front-end chapter's architecture forum.",
        ],
    )
    main_col.job(
        "Software Engineer",
        "PicPay, São Paulo, Brazil",
        "Jan 2018 – Feb 2021",
        [
            "Built the merchant onboarding flow in React and TypeScript with a GraphQL gateway.",
            "Cut onboarding drop-off by 28% through experiment-driven changes.",
            "Moved four Node.js services to Docker on AWS ECS with Terraform.",
        ],
    )
    main_col.job(
        "Junior Developer",
        "Totvs, Joinville, Brazil",
        "Feb 2016 – Dec 2017",
        [
            "Maintained ERP reporting modules and wrote the first automated tests (Jest) for them.",
            "Supported customer migrations from on-premise installations to the cloud offering.",
        ],
    )
    main_col.job(
        "Intern",
        "Itaú Unibanco, São Paulo, Brazil",
        "Jul 2015 – Jan 2016",
        ["Internal tools for the fraud analytics team in JavaScript and SQL."],
    )
    main_col.heading("Projects")
    for title, text in [
        ("Boleto Parser", "An open-source TypeScript library that validates and decodes Brazilian bank slips; 40k weekly npm downloads."),
        ("Pix QR Kit", "React components and a Node.js API for generating and reading static and dynamic Pix QR codes."),
        ("Fintech Case Studies", "Long-form write-ups of three payment products I helped build, with architecture diagrams."),
    ]:
        main_col.text(title, font="Helvetica-Bold", size=10)
        main_col.text(text, gap=6)
    main_col.heading("Community")
    main_col.text("Mentor at Programaria, São Paulo (2019 – present): weekly code reviews for women changing careers into software.", gap=4)
    main_col.text("Organiser of the São Paulo TypeScript meetup, 2020 – 2023.", gap=4)
    c.save()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "mateus-silva-reportlab-canvas.pdf")
