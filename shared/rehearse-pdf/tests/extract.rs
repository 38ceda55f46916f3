//! Extraction from PDFs built here with lopdf: ordinary text, layouts, the font
//! tricks real producers use, and hostile files.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, dictionary};
use rehearse_pdf::{Limits, PdfError, extract};

/// Text drawn at a position: (x, y from the bottom, size, text).
type Run<'a> = (f32, f32, f32, &'a str);

fn helvetica(doc: &mut Document) -> lopdf::ObjectId {
    doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    })
}

fn page_with(
    doc: &mut Document,
    pages_id: lopdf::ObjectId,
    fonts: Dictionary,
    ops: Vec<Operation>,
) -> lopdf::ObjectId {
    let content = Content { operations: ops };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => fonts },
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    })
}

fn text_ops(font: &str, runs: &[Run]) -> Vec<Operation> {
    let mut ops = vec![Operation::new("BT", vec![])];
    for (x, y, size, text) in runs {
        ops.push(Operation::new("Tf", vec![font.into(), (*size).into()]));
        ops.push(Operation::new(
            "Tm",
            vec![
                1.into(),
                0.into(),
                0.into(),
                1.into(),
                (*x).into(),
                (*y).into(),
            ],
        ));
        ops.push(Operation::new("Tj", vec![Object::string_literal(*text)]));
    }
    ops.push(Operation::new("ET", vec![]));
    ops
}

fn finish(mut doc: Document, pages_id: lopdf::ObjectId, kids: Vec<lopdf::ObjectId>) -> Vec<u8> {
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids.into_iter().map(Object::Reference).collect::<Vec<_>>(),
            "Count" => count,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A one-page PDF in Helvetica.
fn simple_pdf(runs: &[Run]) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = helvetica(&mut doc);
    let page = page_with(
        &mut doc,
        pages_id,
        dictionary! { "F1" => font },
        text_ops("F1", runs),
    );
    finish(doc, pages_id, vec![page])
}

const RESUME: &[Run] = &[
    (72.0, 720.0, 20.0, "Ada Lovelace"),
    (
        72.0,
        700.0,
        10.0,
        "ada@example.com | +44 20 7946 0958 | London, UK",
    ),
    (72.0, 670.0, 12.0, "EXPERIENCE"),
    (
        72.0,
        655.0,
        10.0,
        "Senior Engineer, Analytical Engines Ltd, 2019 - Present",
    ),
    (
        84.0,
        642.0,
        10.0,
        "Designed the first published algorithm for a computing machine.",
    ),
    (72.0, 620.0, 12.0, "SKILLS"),
    (72.0, 605.0, 10.0, "Python, Rust, PostgreSQL, Kubernetes"),
];

#[test]
fn extracts_lines_in_reading_order() {
    let got = extract(&simple_pdf(RESUME), &Limits::default()).unwrap();
    let lines: Vec<&str> = got.lines().map(|l| l.text.as_str()).collect();
    assert_eq!(lines[0], "Ada Lovelace");
    assert_eq!(lines[1], "ada@example.com | +44 20 7946 0958 | London, UK");
    assert_eq!(
        lines[3],
        "Senior Engineer, Analytical Engines Ltd, 2019 - Present"
    );
    assert_eq!(lines.len(), RESUME.len());
    let name = got.lines().next().unwrap();
    assert!((name.size - 20.0).abs() < 0.01);
    assert!(
        (name.y - 72.0).abs() < 0.5,
        "y is measured from the top: {}",
        name.y
    );
}

#[test]
fn a_sidebar_is_read_as_its_own_column() {
    let mut runs: Vec<Run> = vec![(40.0, 750.0, 20.0, "Grace Hopper")];
    let main = [
        "EXPERIENCE",
        "Rear Admiral, US Navy, 1943 - 1986",
        "Led the team that built COBOL compilers for the fleet",
        "Invented the first compiler for a programming language",
        "Popularised machine independent programming languages",
        "Senior Mathematician, Remington Rand, 1949 - 1967",
        "Developed the A-0 system and FLOW-MATIC language",
        "Promoted standards for testing computer systems",
        "Taught programming courses to naval officers",
    ];
    let side = [
        "SKILLS",
        "COBOL",
        "FORTRAN",
        "Compilers",
        "Leadership",
        "LANGUAGES",
        "English",
        "German",
        "Latin",
    ];
    let texts: Vec<String> = main
        .iter()
        .chain(side.iter())
        .map(|s| (*s).to_owned())
        .collect();
    let leaked: &'static [String] = Box::leak(texts.into_boxed_slice());
    for (i, t) in leaked[..main.len()].iter().enumerate() {
        runs.push((40.0, 700.0 - 14.0 * i as f32, 10.0, t.as_str()));
    }
    for (i, t) in leaked[main.len()..].iter().enumerate() {
        runs.push((430.0, 700.0 - 14.0 * i as f32, 10.0, t.as_str()));
    }
    let got = extract(&simple_pdf(&runs), &Limits::default()).unwrap();
    let text = got.text();
    let main_block = text.find("EXPERIENCE").unwrap()..text.find("Taught programming").unwrap();
    let skills_at = text.find("SKILLS").unwrap();
    assert!(
        !main_block.contains(&skills_at),
        "the sidebar was interleaved:\n{text}"
    );
    assert!(text.contains("SKILLS\nCOBOL\nFORTRAN\n"), "{text}");
    assert!(got.lines().any(|l| l.column == 1 && l.text == "Latin"));
}

#[test]
fn words_are_spaced_from_glyph_positions_and_kerning_is_not_a_space() {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = helvetica(&mut doc);
    // Word and Quartz place words with TJ offsets instead of space characters.
    let ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 10.into()]),
        Operation::new("Td", vec![72.into(), 700.into()]),
        Operation::new(
            "TJ",
            vec![Object::Array(vec![
                Object::string_literal("Senior"),
                (-300).into(),
                Object::string_literal("Eng"),
                20.into(),
                Object::string_literal("ineer"),
                (-300).into(),
                Object::string_literal("at Acme Corporation with a long enough line of text"),
            ])],
        ),
        Operation::new("ET", vec![]),
    ];
    let page = page_with(&mut doc, pages_id, dictionary! { "F1" => font }, ops);
    let got = extract(&finish(doc, pages_id, vec![page]), &Limits::default()).unwrap();
    assert_eq!(
        got.lines().next().unwrap().text,
        "Senior Engineer at Acme Corporation with a long enough line of text"
    );
}

/// Chromium's Type 3 fonts: a made-up encoding, the real text only in ToUnicode.
#[test]
fn tounicode_wins_over_a_made_up_encoding() {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let text = "Distributed systems engineer with ten years of production experience";
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T3 def\n1 begincodespacerange <00> <FF> endcodespacerange\n",
    );
    let mut codes = Vec::new();
    let mut seen: Vec<char> = Vec::new();
    for c in text.chars() {
        let code = match seen.iter().position(|s| *s == c) {
            Some(i) => i + 1,
            None => {
                seen.push(c);
                seen.len()
            }
        };
        codes.push(code as u8);
    }
    cmap.push_str(&format!("{} beginbfchar\n", seen.len()));
    for (i, c) in seen.iter().enumerate() {
        cmap.push_str(&format!("<{:02X}> <{:04X}>\n", i + 1, *c as u32));
    }
    cmap.push_str("endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n");
    let tounicode = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
    let differences: Vec<Object> = std::iter::once(Object::Integer(1))
        .chain((1..=seen.len()).map(|i| Object::Name(format!("g{i}").into_bytes())))
        .collect();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type3",
        "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
        "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
        "FirstChar" => 1,
        "LastChar" => seen.len() as i64,
        "Widths" => vec![Object::Integer(500); seen.len()],
        "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => differences },
        "CharProcs" => dictionary! {},
        "Resources" => dictionary! {},
        "ToUnicode" => tounicode,
    });
    let shown = Object::String(codes, lopdf::StringFormat::Hexadecimal);
    assert_eq!(first_line(doc, pages_id, font, shown), text);
}

/// The first extracted line of a one-page PDF showing `shown` in `font` at 10 pt.
fn first_line(
    mut doc: Document,
    pages_id: lopdf::ObjectId,
    font: lopdf::ObjectId,
    shown: Object,
) -> String {
    let ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 10.into()]),
        Operation::new("Td", vec![72.into(), 700.into()]),
        Operation::new("Tj", vec![shown]),
        Operation::new("ET", vec![]),
    ];
    let page = page_with(&mut doc, pages_id, dictionary! { "F1" => font }, ops);
    let got = extract(&finish(doc, pages_id, vec![page]), &Limits::default()).unwrap();
    got.lines().next().unwrap().text.clone()
}

/// A ToUnicode map that is wrong (every code to a private-use character) over a
/// right encoding: the second reading, by the encoding, gives the text; the
/// `/Differences` glyph names are read as lopdf reads them.
#[test]
fn a_wrong_tounicode_map_gives_way_to_the_encoding() {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Bad def\n1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfrange\n<00> <FF> <E000>\nendbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end\n";
    let tounicode = doc.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "BaseEncoding" => "WinAnsiEncoding",
            // Codes 1 and 2 are "é" and "fi" by glyph name.
            "Differences" => vec![Object::Integer(1), Object::Name(b"eacute".to_vec()), Object::Name(b"fi".to_vec())],
        },
        "ToUnicode" => tounicode,
    });
    let mut shown = b"Caf\x01 owner, ".to_vec();
    shown.extend_from_slice(b"\x02eld engineer for twelve years of distributed systems work");
    let shown = Object::String(shown, lopdf::StringFormat::Literal);
    assert_eq!(
        first_line(doc, pages_id, font, shown),
        "Café owner, field engineer for twelve years of distributed systems work"
    );
}

#[test]
fn not_a_pdf_and_too_large() {
    assert_eq!(
        extract(b"\x89PNG\r\n\x1a\n....", &Limits::default()),
        Err(PdfError::NotAPdf)
    );
    assert_eq!(extract(b"", &Limits::default()), Err(PdfError::NotAPdf));
    let small = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    assert_eq!(
        extract(&simple_pdf(RESUME), &small),
        Err(PdfError::TooLarge { limit: 100 })
    );
}

#[test]
fn encrypted_files_are_refused_as_encrypted() {
    let bytes = simple_pdf(RESUME);
    let mut doc = Document::load_mem(&bytes).unwrap();
    let id = Object::String(
        b"0123456789abcdef".to_vec(),
        lopdf::StringFormat::Hexadecimal,
    );
    doc.trailer.set("ID", vec![id.clone(), id]);
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: "secret",
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    assert_eq!(extract(&out, &Limits::default()), Err(PdfError::Encrypted));
}

#[test]
fn a_page_without_text_has_no_text_layer() {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    // A scanned page: only drawing operations, no text.
    let ops = vec![
        Operation::new("re", vec![72.into(), 72.into(), 400.into(), 600.into()]),
        Operation::new("f", vec![]),
    ];
    let page = page_with(&mut doc, pages_id, dictionary! {}, ops);
    assert_eq!(
        extract(&finish(doc, pages_id, vec![page]), &Limits::default()),
        Err(PdfError::NoTextLayer)
    );
}

#[test]
fn truncated_and_garbage_files_are_unreadable() {
    let bytes = simple_pdf(RESUME);
    for cut in [12, 40, bytes.len() / 3] {
        let got = extract(&bytes[..cut], &Limits::default());
        assert!(
            matches!(
                got,
                Err(PdfError::Unreadable(_)) | Err(PdfError::NoTextLayer)
            ),
            "cut at {cut}: {got:?}"
        );
    }
    let got = extract(
        b"%PDF-1.7\n\x00\x01garbage that is not a document at all\n%%EOF",
        &Limits::default(),
    );
    assert!(matches!(got, Err(PdfError::Unreadable(_))), "{got:?}");
}

#[test]
fn a_page_tree_cycle_is_unreadable_not_a_hang() {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![Object::Reference(pages_id)], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    let got = extract(&out, &Limits::default());
    assert!(matches!(got, Err(PdfError::Unreadable(_))), "{got:?}");
}

#[test]
fn a_decompression_bomb_is_refused_within_the_stream_limit() {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = helvetica(&mut doc);
    // 64 MiB of spaces compresses to about 64 KiB.
    let mut stream = Stream::new(dictionary! {}, vec![b' '; 64 * 1024 * 1024]);
    stream.compress().unwrap();
    let content_id = doc.add_object(stream);
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    });
    let bytes = finish(doc, pages_id, vec![page]);
    assert!(
        bytes.len() < 1024 * 1024,
        "the bomb itself is small: {}",
        bytes.len()
    );
    let got = extract(&bytes, &Limits::default());
    assert!(matches!(got, Err(PdfError::Unreadable(_))), "{got:?}");
}

#[test]
fn a_flood_of_operations_is_cut_off_by_the_budget() {
    let mut runs: Vec<Run> = RESUME.to_vec();
    runs.truncate(3);
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = helvetica(&mut doc);
    let mut ops = text_ops("F1", &runs);
    // Half a million no-op graphics state changes after the text.
    ops.extend((0..500_000).map(|_| Operation::new("w", vec![1.into()])));
    let page = page_with(&mut doc, pages_id, dictionary! { "F1" => font }, ops);
    let bytes = finish(doc, pages_id, vec![page]);
    let limits = Limits {
        max_operations_per_page: 10_000,
        ..Limits::default()
    };
    let started = Instant::now();
    let got = extract(&bytes, &limits).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(got.text().contains("Ada Lovelace"));
}

#[test]
fn pages_beyond_the_limit_are_ignored() {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = helvetica(&mut doc);
    let mut kids = Vec::new();
    for n in 0..5 {
        let text: &'static str = Box::leak(
            format!("This is page number {n} of the resume with enough text").into_boxed_str(),
        );
        kids.push(page_with(
            &mut doc,
            pages_id,
            dictionary! { "F1" => font },
            text_ops("F1", &[(72.0, 700.0, 10.0, text)]),
        ));
    }
    let bytes = finish(doc, pages_id, kids);
    let limits = Limits {
        max_pages: 2,
        ..Limits::default()
    };
    let got = extract(&bytes, &limits).unwrap();
    assert_eq!(got.pages.len(), 2);
    assert!(!got.text().contains("page number 2"));
}

#[test]
fn letter_spaced_capitals_close_up_even_where_kerning_pulls_letters_closer() {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = helvetica(&mut doc);
    // CSS letter-spacing as character spacing (Tc), a kerned "TA", and a word space
    // written as an offset rather than a space glyph (LibreOffice).
    let ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 10.into()]),
        Operation::new("Tc", vec![2.2.into()]),
        Operation::new("Td", vec![72.into(), 700.into()]),
        Operation::new(
            "TJ",
            vec![Object::Array(vec![
                Object::string_literal("CONT"),
                70.into(),
                Object::string_literal("ACT"),
            ])],
        ),
        Operation::new("Td", vec![0.into(), (-20).into()]),
        Operation::new(
            "TJ",
            vec![Object::Array(vec![
                Object::string_literal("WORK"),
                (-280).into(),
                Object::string_literal("EXPERIENCE"),
            ])],
        ),
        Operation::new("Tc", vec![0.into()]),
        Operation::new("Td", vec![0.into(), (-20).into()]),
        Operation::new(
            "Tj",
            vec![Object::string_literal("Senior Product Designer")],
        ),
        Operation::new("ET", vec![]),
    ];
    let page = page_with(&mut doc, pages_id, dictionary! { "F1" => font }, ops);
    let got = extract(&finish(doc, pages_id, vec![page]), &Limits::default()).unwrap();
    let lines: Vec<&str> = got.lines().map(|l| l.text.as_str()).collect();
    assert_eq!(
        lines,
        ["CONTACT", "WORK EXPERIENCE", "Senior Product Designer"]
    );
}

#[test]
fn a_standard_font_without_widths_is_measured_by_its_metrics() {
    // reportlab's canvas writes Helvetica without /Widths. This line of narrow letters
    // is 153.5 points wide (Helvetica's metrics) and ends 26 points before the rail;
    // guessed at half an em a glyph it would be 252 points wide and run into the rail.
    let mut runs: Vec<Run> = Vec::new();
    let main = "illicit little lilies fill tiny itinerant lists till it";
    for i in 0..18 {
        runs.push((50.0, 700.0 - 14.0 * i as f32, 9.0, main));
        runs.push((230.0, 700.0 - 14.0 * i as f32, 9.0, "Kubernetes"));
    }
    let got = extract(&simple_pdf(&runs), &Limits::default()).unwrap();
    assert!(
        got.lines()
            .all(|l| l.text == main || l.text == "Kubernetes"),
        "{}",
        got.text()
    );
    let line = got.lines().next().unwrap();
    assert!((line.x1 - 203.5).abs() < 1.0, "ends at {}", line.x1);
}

#[test]
fn a_band_of_columns_above_the_main_column_is_read_column_by_column() {
    let mut runs: Vec<Run> = vec![(40.0, 760.0, 28.0, "Amara Okafor")];
    let band = [
        ["CONTACT", "EDUCATION", "LANGUAGES"],
        ["amara@proton.me", "University College London", "English"],
        ["+44 7700 900 418", "MSc Machine Learning, 2017", "Yoruba"],
        ["London, UK", "University of Lagos", "French"],
        ["amaraokafor.dev", "BSc Statistics, 2015", "Italian"],
    ];
    for (row, cells) in band.iter().enumerate() {
        for (col, text) in cells.iter().enumerate() {
            runs.push((
                40.0 + 190.0 * col as f32,
                700.0 - 15.0 * row as f32,
                9.0,
                text,
            ));
        }
    }
    let body = [
        "EXPERIENCE",
        "Lead Data Scientist at Monzo Bank, London, a team of five on credit-limit models",
        "Designed the bank's sequential testing framework in Python and BigQuery for all",
        "Data Scientist at Flutterwave, Lagos, fraud-scoring models for card payments",
        "Moved feature pipelines from cron scripts to Airflow with data-quality checks",
    ];
    for (i, text) in body.iter().enumerate() {
        runs.push((40.0, 600.0 - 15.0 * i as f32, 9.0, text));
    }
    let got = extract(&simple_pdf(&runs), &Limits::default()).unwrap();
    let text = got.text();
    assert!(
        text.contains(
            "CONTACT\namara@proton.me\n+44 7700 900 418\nLondon, UK\namaraokafor.dev\nEDUCATION\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("LANGUAGES\nEnglish\nYoruba\nFrench\nItalian\nEXPERIENCE\n"),
        "{text}"
    );
}

#[test]
fn link_annotations_give_the_whole_web_address() {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = helvetica(&mut doc);
    let annot = |uri: &str, rect: [i64; 4]| {
        Object::Dictionary(dictionary! {
            "Type" => "Annot",
            "Subtype" => "Link",
            "Rect" => rect.iter().map(|v| Object::Integer(*v)).collect::<Vec<_>>(),
            "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal(uri) },
        })
    };
    let web = doc.add_object(annot(
        "https://dribbble.com/ingrid-sorensen-design",
        [72, 695, 200, 712],
    ));
    let mail = doc.add_object(annot("mailto:ingrid@posteo.dk", [72, 675, 200, 690]));
    let page = page_with(
        &mut doc,
        pages_id,
        dictionary! { "F1" => font },
        text_ops(
            "F1",
            &[
                (72.0, 700.0, 10.0, "dribbble.com/ingrid-sorensen-"),
                (72.0, 688.0, 10.0, "design"),
                (
                    72.0,
                    676.0,
                    10.0,
                    "ingrid@posteo.dk and enough text to count as a text layer",
                ),
            ],
        ),
    );
    if let Ok(Object::Dictionary(d)) = doc.get_object_mut(page) {
        d.set(
            "Annots",
            vec![Object::Reference(web), Object::Reference(mail)],
        );
    }
    let got = extract(&finish(doc, pages_id, vec![page]), &Limits::default()).unwrap();
    assert_eq!(got.links.len(), 1, "{:?}", got.links);
    let link = &got.links[0];
    assert_eq!(link.uri, "https://dribbble.com/ingrid-sorensen-design");
    assert_eq!(link.page, 0);
    // The area in the lines' coordinates: over the first line's baseline (y = 92).
    assert!(link.y0 < 92.0 && link.y1 > 92.0, "{link:?}");
    assert!((link.x0 - 72.0).abs() < 0.01 && (link.x1 - 200.0).abs() < 0.01);
}
