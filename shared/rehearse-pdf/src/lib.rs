//! Text extraction from PDF resumes, built on `lopdf`.
//!
//! Pure computation: bytes in, positioned text out. No I/O, no Lambda types.
//! Callers that handle untrusted files run this in a resource-limited child
//! process (`rehearse-isolate`), because a hostile PDF can exhaust memory or the
//! stack in ways `catch_unwind` cannot stop.

mod annotations;
mod cid;
mod content;
mod encoding;
mod error;
mod fonts;
mod interpret;
mod layout;
mod load;
mod normalize;
mod standard;
mod tounicode;

pub use error::PdfError;

/// Bounds on the work one document may cause.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Pages beyond this are ignored.
    pub max_pages: usize,
    /// Largest any single stream may decompress to.
    pub max_stream_bytes: usize,
    /// Most content-stream operations processed per page.
    pub max_operations_per_page: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 4 * 1024 * 1024,
            max_pages: 20,
            max_stream_bytes: 16 * 1024 * 1024,
            max_operations_per_page: 200_000,
        }
    }
}

/// One line of text as laid out on a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub text: String,
    /// Left edge, in points from the page's left.
    pub x: f32,
    /// Right edge of the last glyph, in points from the page's left (where a wrapped
    /// line ran out of room).
    pub x1: f32,
    /// Baseline, in points from the page's top (grows downwards).
    pub y: f32,
    /// The dominant font size.
    pub size: f32,
    /// Whether the dominant font looks bold (by name).
    pub bold: bool,
    /// Which column of the page the line belongs to (0 = leftmost).
    pub column: u8,
}

/// The text of a document, page by page, in reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub pages: Vec<Vec<Line>>,
    /// The web links of the pages' link annotations, in page order: the whole URL even
    /// where the visible text wraps, and the target of an icon or a bare handle.
    pub links: Vec<Link>,
}

/// A link annotation to a web address.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Link {
    /// The target as written in the file (`https://github.com/ada`).
    pub uri: String,
    /// Index of the page in [`Extracted::pages`].
    pub page: usize,
    /// The clickable area, in the lines' coordinates (points, y growing downwards).
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Extracted {
    /// All lines, in reading order, as plain text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for page in &self.pages {
            for line in page {
                out.push_str(&line.text);
                out.push('\n');
            }
        }
        out
    }

    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.pages.iter().flatten()
    }
}

/// How far into the file `%PDF-` may start (the spec allows leading junk; readers
/// accept about a kilobyte of it).
const HEADER_SEARCH_BYTES: usize = 1024;
/// Fewer meaningful characters than this in the whole document is "no text layer".
const MIN_TEXT_CHARS: usize = 40;
/// Below this share of ordinary characters the positioned path failed to decode.
const MIN_QUALITY: f32 = 0.85;

/// Extract the text of `bytes`, page by page, in reading order.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, PdfError> {
    if bytes.len() > limits.max_bytes {
        return Err(PdfError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let head = &bytes[..bytes.len().min(HEADER_SEARCH_BYTES)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotAPdf);
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..Default::default()
    };
    // What the text needs, where the file is well formed; otherwise all of it, as lopdf
    // reads it (with its repairs and its errors).
    let doc = match load::load(bytes, limits.max_stream_bytes) {
        Some(doc) => doc,
        None => {
            lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| unreadable(&e))?
        }
    };
    // lopdf loads encrypted files without complaint and then reports no pages.
    if doc.trailer.has(b"Encrypt") || doc.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(PdfError::Unreadable("the document has no pages".into()));
    }
    let page_ids: Vec<(u32, lopdf::ObjectId)> = pages.into_iter().take(limits.max_pages).collect();

    let mut extracted = read_pages(&doc, &page_ids, limits, false)?;
    let text = extracted.text();
    if normalize::text_quality(&text) < MIN_QUALITY {
        // Ours produced gibberish: read the fonts the other way, a simple font's
        // /Encoding before its /ToUnicode (lopdf's order), for producers whose
        // ToUnicode maps are wrong. The better of the two readings stays. (lopdf's
        // extract_text, which this replaced, also re-read composite fonts' ToUnicode
        // maps with its own parser; ours reads the same maps, so those fonts read
        // the same twice.)
        if let Ok(other) = read_pages(&doc, &page_ids, limits, true)
            && normalize::text_quality(&other.text()) > normalize::text_quality(&text)
        {
            extracted = other;
        }
    }
    let meaningful = extracted
        .text()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .count();
    if meaningful < MIN_TEXT_CHARS {
        return Err(PdfError::NoTextLayer);
    }
    Ok(extracted)
}

/// The pages' lines and links; `encoding_first` reads simple fonts by their
/// `/Encoding` before their `/ToUnicode`.
fn read_pages(
    doc: &lopdf::Document,
    page_ids: &[(u32, lopdf::ObjectId)],
    limits: &Limits,
    encoding_first: bool,
) -> Result<Extracted, PdfError> {
    let mut extracted = Extracted::default();
    let mut interpreter = interpret::Interpreter::new(doc, limits.max_stream_bytes, encoding_first);
    for (page_no, (_, page_id)) in page_ids.iter().enumerate() {
        let (origin, width, height) = page_box(doc, *page_id);
        extracted.links.extend(annotations::web_links(
            doc, *page_id, page_no, origin, height,
        ));
        let page = interpreter
            .page(*page_id, origin, height, limits.max_operations_per_page)
            .map_err(|e| unreadable(&e))?;
        let lines = layout::lay_out(page, width)
            .into_iter()
            .filter_map(|mut l| {
                l.text = normalize::line(&l.text);
                (!l.text.is_empty()).then_some(l)
            })
            .collect();
        extracted.pages.push(lines);
    }
    Ok(extracted)
}

fn unreadable(e: &lopdf::Error) -> PdfError {
    match e {
        lopdf::Error::Decompress(_) => {
            PdfError::Unreadable("a stream is too large once decompressed".into())
        }
        other => PdfError::Unreadable(other.to_string()),
    }
}

/// The page's crop (or media) box: its lower-left corner, width and height.
fn page_box(doc: &lopdf::Document, page_id: lopdf::ObjectId) -> ((f32, f32), f32, f32) {
    const LETTER: ((f32, f32), f32, f32) = ((0.0, 0.0), 612.0, 792.0);
    let mut node = doc.get_dictionary(page_id).ok();
    // The box may be inherited from the page tree; bound the walk against cycles.
    for _ in 0..32 {
        let Some(dict) = node else { break };
        for key in [&b"CropBox"[..], b"MediaBox"] {
            let values: Option<Vec<f32>> = dict
                .get(key)
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_array().ok())
                .map(|a| a.iter().filter_map(|v| v.as_float().ok()).collect());
            if let Some(v) = values.filter(|v| v.len() == 4) {
                let (x0, y0, x1, y1) = (
                    v[0].min(v[2]),
                    v[1].min(v[3]),
                    v[0].max(v[2]),
                    v[1].max(v[3]),
                );
                if x1 - x0 > 1.0 && y1 - y0 > 1.0 {
                    return ((x0, y0), x1 - x0, y1 - y0);
                }
            }
        }
        node = dict
            .get(b"Parent")
            .and_then(lopdf::Object::as_reference)
            .ok()
            .and_then(|id| doc.get_dictionary(id).ok());
    }
    LETTER
}
