#!/usr/bin/env python3
"""Writes the LibreOffice Writer CVs of the sidebar corpus as flat ODF (.fodt).

Two documents laid out the way people build sidebar CVs in a word processor: a
two-cell table whose shaded narrow cell is the rail (left rail, name at the top of
the main cell; or a name paragraph above a table with the rail on the right).
make.sh converts each .fodt to PDF with `soffice --headless --convert-to pdf`.
Standard library only.
"""

from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>{title}</dc:title></office:meta>
 <office:font-face-decls>
  <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
  <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.08cm"/>
   <style:text-properties style:font-name="{font}" fo:font-size="{size}pt" fo:language="en" fo:country="GB"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Name" style:family="paragraph">
   <style:paragraph-properties fo:margin-bottom="0.1cm"/>
   <style:text-properties fo:font-size="{name_size}pt" fo:font-weight="bold" fo:color="{accent}"/>
  </style:style>
  <style:style style:name="Tagline" style:family="paragraph">
   <style:paragraph-properties fo:margin-bottom="0.35cm"/>
   <style:text-properties fo:font-size="12pt" fo:color="#555555"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph">
   <style:paragraph-properties fo:margin-top="0.45cm" fo:margin-bottom="0.15cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="10pt" fo:font-weight="bold" fo:text-transform="uppercase" fo:letter-spacing="{spacing}" fo:color="{accent}"/>
  </style:style>
  <style:style style:name="RailHeading" style:family="paragraph" style:parent-style-name="Heading">
   <style:text-properties fo:color="{rail_accent}"/>
  </style:style>
  <style:style style:name="JobTitle" style:family="paragraph">
   <style:paragraph-properties fo:margin-top="0.2cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-weight="bold" fo:font-size="{title_size}pt"/>
  </style:style>
  <style:style style:name="Meta" style:family="paragraph">
   <style:paragraph-properties fo:keep-with-next="always"/>
   <style:text-properties fo:font-style="italic" fo:color="#444444"/>
  </style:style>
  <style:style style:name="Bullet" style:family="paragraph">
   <style:paragraph-properties fo:margin-left="0.45cm" fo:text-indent="-0.3cm"/>
  </style:style>
  <style:style style:name="Strong" style:family="text">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="Page">
   <style:page-layout-properties fo:page-width="{page_w}" fo:page-height="{page_h}"
     fo:margin-top="1.3cm" fo:margin-bottom="1.2cm" fo:margin-left="1.3cm" fo:margin-right="1.3cm"/>
  </style:page-layout>
  <style:style style:name="Grid" style:family="table">
   <style:table-properties style:width="{table_w}" table:align="left"/>
  </style:style>
  <style:style style:name="Grid.Rail" style:family="table-column">
   <style:table-column-properties style:column-width="{rail_w}"/>
  </style:style>
  <style:style style:name="Grid.Main" style:family="table-column">
   <style:table-column-properties style:column-width="{main_w}"/>
  </style:style>
  <style:style style:name="Grid.RailCell" style:family="table-cell">
   <style:table-cell-properties fo:background-color="{rail_bg}" fo:padding="0.3cm" fo:border="none" style:vertical-align="top"/>
  </style:style>
  <style:style style:name="Grid.MainCell" style:family="table-cell">
   <style:table-cell-properties fo:padding-left="0.5cm" fo:padding-right="0.1cm" fo:padding-top="0.1cm" fo:border="none" style:vertical-align="top"/>
  </style:style>
 {sections}</office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="Page"/>
 </office:master-styles>
 <office:body><office:text>
"""

TAIL = """ </office:text></office:body>
</office:document>
"""


def p(style, text, strong=None):
    """A paragraph; `strong` is a leading run set in bold."""
    body = escape(text)
    if strong:
        body = f'<text:span text:style-name="Strong">{escape(strong)}</text:span>{body}'
    return f'<text:p text:style-name="{style}">{body}</text:p>\n'


def link(style, url, shown):
    return (
        f'<text:p text:style-name="{style}"><text:a xlink:type="simple" xlink:href="{escape(url)}">'
        f"{escape(shown)}</text:a></text:p>\n"
    )


def job(title, meta, bullets):
    out = p("JobTitle", title) + p("Meta", meta)
    out += "".join(p("Bullet", "•\u00a0" + b) for b in bullets)
    return out


def table(rail, main, rail_first):
    cells = [("Grid.RailCell", rail), ("Grid.MainCell", main)]
    cols = ["Grid.Rail", "Grid.Main"]
    if not rail_first:
        cells.reverse()
        cols.reverse()
    out = '<table:table table:name="Layout" table:style-name="Grid">\n'
    out += "".join(f'<table:table-column table:style-name="{c}"/>\n' for c in cols)
    out += "<table:table-row>\n"
    for style, content in cells:
        out += f'<table:table-cell table:style-name="{style}" office:value-type="string">\n{content}</table:table-cell>\n'
    out += "</table:table-row>\n</table:table>\n"
    return out


def priya_raman():
    """A4, shaded rail on the left, the name at the top of the main cell."""
    rail = (
        p("RailHeading", "Contact")
        + p("Standard", "priya.raman@outlook.com")
        + p("Standard", "+91 98450 12763")
        + p("Standard", "Bengaluru, India")
        + link("Standard", "https://www.linkedin.com/in/priya-raman-qa", "linkedin.com/in/priya-raman-qa")
        + p("RailHeading", "Skills")
        + "".join(
            p("Standard", s)
            for s in [
                "Selenium",
                "Cypress",
                "Playwright",
                "Java",
                "TypeScript",
                "REST Assured",
                "JMeter",
                "Jenkins",
                "SQL",
            ]
        )
        + p("RailHeading", "Certifications")
        + p("Standard", "ISTQB Certified Tester Advanced Level – Test Automation Engineer (2021)")
        + p("Standard", "AWS Certified Cloud Practitioner (2020)")
        + p("RailHeading", "Languages")
        + p("Standard", "English – Fluent")
        + p("Standard", "Tamil – Native")
        + p("Standard", "Hindi – Intermediate")
        + p("Standard", "Kannada – Basic")
    )
    main = (
        p("Name", "PRIYA RAMAN")
        + p("Tagline", "Senior QA Automation Engineer")
        + p("Heading", "Profile")
        + p(
            "Standard",
            "Test automation engineer with nine years in e-commerce and banking. I build test frameworks "
            "developers actually run, and I measure quality by escaped defects, not test counts.",
        )
        + p("Heading", "Work Experience")
        + job(
            "Senior QA Automation Engineer",
            "Flipkart, Bengaluru, India | Apr 2019 – Present",
            [
                "Built the Playwright end-to-end suite for checkout (1,400 tests, 12 minutes in parallel on Jenkins).",
                "Cut escaped checkout defects by 45% in two years by adding contract tests between 30 services.",
                "Lead a guild of 14 QA engineers; run the quarterly flaky-test clean-up.",
            ],
        )
        + job(
            "QA Engineer",
            "Infosys, Mysuru, India | Jul 2016 – Mar 2019",
            [
                "Automated regression for a UK bank's payments portal with Selenium and Java (TestNG).",
                "Wrote JMeter load tests that found a connection-pool leak before the Black Friday release.",
            ],
        )
        + job(
            "Graduate Engineer Trainee",
            "Tata Consultancy Services, Chennai, India | Aug 2015 – Jun 2016",
            ["Manual and API testing for an insurance claims system; wrote the team's first REST Assured tests."],
        )
        + p("Heading", "Education")
        + p("JobTitle", "Anna University")
        + p("Standard", "B.E. in Computer Science and Engineering, 2015")
    )
    return dict(
        file="priya-raman-libreoffice-table.fodt",
        title="Priya Raman — CV",
        font="Liberation Sans",
        size=9.5,
        name_size=24,
        title_size=10.5,
        accent="#6b2d5c",
        rail_accent="#6b2d5c",
        spacing="0.06cm",
        page_w="21cm",
        page_h="29.7cm",
        table_w="18.4cm",
        rail_w="5.9cm",
        main_w="12.5cm",
        rail_bg="#f1e6ee",
        body=table(rail, main, rail_first=True),
    )


def jonas_becker():
    """Letter size, the name above a table whose rail is the right-hand cell."""
    rail = (
        p("RailHeading", "Contact")
        + p("Standard", "jonas.becker@mailbox.org")
        + p("Standard", "+49 171 2345 678")
        + p("Standard", "Munich, Germany")
        + link("Standard", "https://github.com/jbecker-embedded", "github.com/jbecker-embedded")
        + link("Standard", "https://jonasbecker.engineering/talks", "jonasbecker.engineering/talks")
        + p("RailHeading", "Education")
        + p("Standard", "", strong="Technical University of Munich")
        + p("Standard", "M.Sc. Electrical Engineering")
        + p("Standard", "10/2012 – 09/2014")
        + p("Standard", "", strong="Karlsruhe Institute of Technology")
        + p("Standard", "B.Sc. Electrical Engineering")
        + p("Standard", "10/2009 – 09/2012")
        + p("RailHeading", "Languages")
        + p("Standard", "German · native")
        + p("Standard", "English · C1")
        + p("Standard", "French · A2")
        + p("RailHeading", "Certifications")
        + p("Standard", "iSAQB Certified Professional for Software Architecture (CPSA-F)")
        + p("Standard", "Professional Scrum Master I (PSM I)")
    )
    main = (
        p("Heading", "Summary")
        + p(
            "Standard",
            "Embedded software lead for medical imaging devices. Ten years of C and C++ on real-time "
            "systems, from board bring-up to IEC 62304 audits.",
        )
        + p("Heading", "Experience")
        + job(
            "Lead Embedded Software Engineer",
            "Siemens Healthineers, Erlangen, Germany — 01/2020 – present",
            [
                "Lead the firmware team (8 engineers) for the detector control unit of a CT scanner line.",
                "Moved the build to CMake and Yocto with reproducible images; release preparation fell from two weeks to two days.",
                "Owned the IEC 62304 software documentation for two successful audits.",
            ],
        )
        + job(
            "Embedded Software Engineer",
            "Rohde & Schwarz GmbH & Co. KG, Munich, Germany — 11/2014 – 12/2019",
            [
                "Real-time signal-path firmware in C++ on ARM Cortex-A and FreeRTOS for spectrum analysers.",
                "Wrote the hardware-in-the-loop test rig in Python that runs nightly on 12 devices.",
            ],
        )
        + job(
            "Working Student, Firmware",
            "Infineon Technologies, Neubiberg, Germany (04/2013 – 09/2014)",
            ["Drivers and test firmware for automotive microcontrollers (AURIX, C)."],
        )
        + p("Heading", "Skills")
        + p("Standard", "C, C++, Embedded Linux, Yocto, FreeRTOS, CMake, Python, Git, Jenkins")
    )
    header = p("Name", "Jonas Becker") + p("Tagline", "Lead Embedded Software Engineer")
    return dict(
        file="jonas-becker-libreoffice-right.fodt",
        title="Jonas Becker — Lebenslauf / CV",
        font="Liberation Serif",
        size=10,
        name_size=28,
        title_size=11,
        accent="#1c4e80",
        rail_accent="#1c4e80",
        spacing="0.12cm",
        page_w="21.59cm",
        page_h="27.94cm",
        table_w="18.99cm",
        rail_w="6.2cm",
        main_w="12.79cm",
        rail_bg="#e8eef5",
        body=header + table(rail, main, rail_first=False),
    )


SECTION_STYLES = """
  <style:style style:name="TwoColumns" style:family="section">
   <style:section-properties text:dont-balance-text-columns="true">
    <style:columns fo:column-count="2" fo:column-gap="0.7cm">
     <style:column style:rel-width="3000*" fo:start-indent="0cm" fo:end-indent="0.35cm"/>
     <style:column style:rel-width="6500*" fo:start-indent="0.35cm" fo:end-indent="0cm"/>
    </style:columns>
   </style:section-properties>
  </style:style>
  <style:style style:name="ColumnBreak" style:family="paragraph" style:parent-style-name="Heading">
   <style:paragraph-properties fo:break-before="column"/>
  </style:style>
"""


def lucia_romero():
    """A4, the name above a two-column text section: the rail is the narrow first
    column, a column break starts the main one (how Writer users lay out a CV
    without tables)."""
    rail = (
        p("RailHeading", "Contacto")
        + p("Standard", "lucia.romero@gmail.com")
        + p("Standard", "+34 612 345 678")
        + p("Standard", "Valencia, Spain")
        + link("Standard", "https://www.linkedin.com/in/lucia-romero-data", "linkedin.com/in/lucia-romero-data")
        + p("RailHeading", "Skills")
        + "".join(p("Standard", s) for s in ["Power BI", "SQL", "Python", "Excel", "Tableau", "dbt"])
        + p("RailHeading", "Languages")
        + p("Standard", "Spanish: native")
        + p("Standard", "Catalan: native")
        + p("Standard", "English: C1 (Cambridge Advanced)")
        + p("RailHeading", "Education")
        + p("Standard", "", strong="Universitat de València")
        + p("Standard", "BSc in Mathematics")
        + p("Standard", "2012 – 2016")
    )
    main = (
        p("ColumnBreak", "About me")
        + p(
            "Standard",
            "Data analyst who turns messy operational data into dashboards that managers actually open. "
            "Seven years in logistics and retail.",
        )
        + p("Heading", "Experience")
        + job(
            "Senior Data Analyst",
            "Mercadona, Valencia, Spain · March 2021 – Present",
            [
                "Built the store-replenishment dashboards in Power BI used by 1,600 store managers.",
                "Rewrote 40 legacy Excel reports as dbt models on the company warehouse.",
            ],
        )
        + job(
            "Data Analyst",
            "DHL Supply Chain, Madrid, Spain · June 2017 – February 2021",
            [
                "Warehouse productivity analysis in SQL and Python; cut picking errors by 12%.",
            ],
        )
        + job(
            "Business Intelligence Intern",
            "Ford España, Almussafes, Spain · September 2016 – May 2017",
            ["Tableau reports for the assembly plant's quality team."],
        )
        + p("Heading", "Certifications")
        + p("Standard", "Microsoft Certified: Power BI Data Analyst Associate (2022)")
    )
    header = p("Name", "Lucía Romero") + p("Tagline", "Senior Data Analyst")
    section = (
        '<text:section text:style-name="TwoColumns" text:name="CV">\n' + rail + main + "</text:section>\n"
    )
    return dict(
        file="lucia-romero-libreoffice-columns.fodt",
        title="Lucía Romero — CV",
        font="Liberation Sans",
        size=9.5,
        name_size=26,
        title_size=10.5,
        accent="#9c2f2f",
        rail_accent="#9c2f2f",
        spacing="0.03cm",
        page_w="21cm",
        page_h="29.7cm",
        table_w="18.4cm",
        rail_w="5.9cm",
        main_w="12.5cm",
        rail_bg="#ffffff",
        body=header + section,
    )


def main():
    for doc in (priya_raman(), jonas_becker(), lucia_romero()):
        body = doc.pop("body")
        name = doc.pop("file")
        sections = SECTION_STYLES if "text:section" in body else ""
        (HERE / name).write_text(HEAD.format(sections=sections, **doc) + body + TAIL, encoding="utf-8")
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
