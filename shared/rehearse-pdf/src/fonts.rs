//! What the interpreter needs to know of a font: how its codes become Unicode,
//! how wide each glyph is, and whether it looks bold.
//!
//! Unlike `lopdf::Document::extract_text`, a `/ToUnicode` map wins over `/Encoding`:
//! Chromium's Type 3 fonts carry a made-up `/Differences` encoding and the real
//! text only in their ToUnicode map (read by `tounicode`). Where that reading is
//! gibberish, `crate::extract` reads the pages again with `encoding_first`, lopdf's
//! order, for producers whose ToUnicode maps are the wrong ones (`encoding`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use lopdf::{Dictionary, Document, Object};

use crate::encoding::SimpleEncoding;

use crate::standard::Standard;
use crate::tounicode::ToUnicode;

/// Most entries read from a `/W` or `/Widths` array (a hostile font can list millions).
const MAX_WIDTH_ENTRIES: usize = 65_536;

pub(crate) struct Font {
    decoder: Decoder,
    /// Glyph widths in text space units per unit of font size, by code.
    widths: Widths,
    default_width: f32,
    /// A standard font without `/Widths`: widths from its metrics, by character.
    standard: Option<Standard>,
    /// Codes are two bytes (composite fonts with Identity-like CMaps).
    two_byte: bool,
    pub bold: bool,
    /// An icon font (FontAwesome and the like): its glyphs are pictures, even where
    /// its ToUnicode map names them (`GITHUB-SQUARE`).
    pub icon: bool,
}

enum Decoder {
    Unicode(ToUnicode),
    Simple(SimpleEncoding),
    /// A CJK font keyed by the CIDs of an Adobe collection (see `cid`).
    Collection(&'static ToUnicode),
    /// A composite font without a usable ToUnicode map: nothing reliable to decode.
    Opaque,
}

/// Widths by code: a simple font's one-byte codes in a table, a composite font's
/// listed CIDs in a map. Looked up for every glyph.
enum Widths {
    Simple(Box<[Option<f32>; 256]>),
    Composite(HashMap<u32, f32, BuildHasherDefault<CodeHasher>>),
}

impl Widths {
    fn get(&self, code: u32) -> Option<f32> {
        match self {
            Self::Simple(table) => table.get(code as usize).copied().flatten(),
            Self::Composite(map) => map.get(&code).copied(),
        }
    }

    /// Whether the font lists no widths at all (a simple font's table is built only
    /// when its /Widths has some).
    fn is_empty(&self) -> bool {
        match self {
            Self::Simple(_) => false,
            Self::Composite(map) => map.is_empty(),
        }
    }
}

/// A multiplicative hash for glyph codes (SipHash, the default, was a tenth of the
/// interpreter's time): the keys are a font's own CIDs, not attacker-chosen
/// strings, and a crafted /W array is bounded by `MAX_WIDTH_ENTRIES` anyway.
#[derive(Default)]
struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// One decoded glyph: its text (possibly empty, possibly several chars) and advance.
pub(crate) struct Glyph<'t> {
    pub text: &'t str,
    pub width: f32,
    /// The single-byte code 32, to which word spacing (`Tw`) applies.
    pub is_space_code: bool,
}

impl Font {
    pub fn load(
        doc: &Document,
        dict: &Dictionary,
        max_stream_bytes: usize,
        encoding_first: bool,
    ) -> Result<Self, lopdf::Error> {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let composite = subtype == b"Type0";
        let descendant_dict = if composite {
            dict.get(b"DescendantFonts")
                .and_then(|o| resolve(doc, o).as_array())
                .ok()
                .and_then(|a| a.first())
                .and_then(|o| resolve(doc, o).as_dict().ok())
        } else {
            None
        };
        let decoder = decoder(
            doc,
            dict,
            descendant_dict,
            composite,
            max_stream_bytes,
            encoding_first,
        )?;
        let base_font = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let name = String::from_utf8_lossy(base_font).to_ascii_lowercase();
        let mut bold = ["bold", "black", "heavy", "semibold", "demi"]
            .iter()
            .any(|w| name.contains(w));
        let (widths, default_width) = if composite {
            let descendant = dict
                .get(b"DescendantFonts")
                .and_then(|o| resolve(doc, o).as_array().cloned())
                .ok()
                .and_then(|a| a.first().cloned())
                .and_then(|o| resolve(doc, &o).as_dict().ok().cloned());
            if let Some(d) = &descendant {
                bold |= descriptor_is_bold(doc, d);
            }
            composite_widths(doc, descendant.as_ref())
        } else {
            bold |= descriptor_is_bold(doc, dict);
            simple_widths(doc, dict, subtype == b"Type3")
        };
        let icon = [
            "awesome",
            "icon",
            "fontello",
            "glyphicons",
            "material",
            "octicons",
            "academicons",
            "dingbat",
        ]
        .iter()
        .any(|w| name.contains(w));
        let standard = (!composite && widths.is_empty())
            .then(|| Standard::from_base_font(&String::from_utf8_lossy(base_font)))
            .flatten();
        Ok(Self {
            decoder,
            widths,
            default_width,
            standard,
            two_byte: composite,
            bold,
            icon,
        })
    }

    /// Split a shown string into glyphs, handing each to `f`. The text of each is
    /// decoded into one buffer, reused from glyph to glyph.
    pub fn glyphs(&self, bytes: &[u8], mut f: impl FnMut(Glyph<'_>)) {
        let mut text = String::new();
        if self.two_byte {
            for pair in bytes.chunks(2) {
                let code = pair.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
                text.clear();
                let found = match &self.decoder {
                    Decoder::Unicode(map) => map.write(code, 2, &mut text),
                    Decoder::Collection(map) => map.write(code, 2, &mut text),
                    _ => false,
                };
                if !found {
                    text.push(char::REPLACEMENT_CHARACTER);
                }
                f(Glyph {
                    text: &text,
                    width: self.width(code),
                    is_space_code: false,
                });
            }
        } else {
            for &b in bytes {
                let code = u32::from(b);
                text.clear();
                match &self.decoder {
                    Decoder::Unicode(map) => {
                        if !map.write(code, 1, &mut text) {
                            text.push(char::REPLACEMENT_CHARACTER);
                        }
                    }
                    Decoder::Simple(enc) => {
                        // A code the encoding cannot decode shows nothing.
                        if !enc.write(b, &mut text) {
                            text.clear();
                        }
                    }
                    _ => text.push(char::REPLACEMENT_CHARACTER),
                }
                let width = self
                    .standard
                    .and_then(|s| s.width(text.chars().next()?))
                    .unwrap_or_else(|| self.width(code));
                f(Glyph {
                    text: &text,
                    width,
                    is_space_code: b == 32,
                });
            }
        }
    }

    fn width(&self, code: u32) -> f32 {
        self.widths.get(code).unwrap_or(self.default_width)
    }
}

fn resolve<'d>(doc: &'d Document, o: &'d Object) -> &'d Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn decoder<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    descendant: Option<&'a Dictionary>,
    composite: bool,
    max_stream_bytes: usize,
    encoding_first: bool,
) -> Result<Decoder, lopdf::Error> {
    if encoding_first && !composite && dict.has(b"Encoding") {
        return Ok(Decoder::Simple(crate::encoding::resolve(doc, dict)?));
    }
    // lopdf reads the encodings of dictionaries typed /Font only, and a ToUnicode
    // map before any /Encoding; so does this (only the map's reader is our own).
    if dict.has_type(b"Font")
        && let Ok(stream) = dict
            .get_deref(b"ToUnicode", doc)
            .and_then(Object::as_stream)
    {
        match stream.get_plain_content_with_limit(max_stream_bytes) {
            Ok(content) => {
                if let Some(map) = ToUnicode::parse(&content) {
                    return Ok(Decoder::Unicode(map));
                }
            }
            // A decompression bomb must surface, not be silently replaced by a fallback.
            Err(
                e @ lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }),
            ) => {
                return Err(e);
            }
            Err(_) => {}
        }
    }
    if composite {
        if let Some(map) = crate::cid::identity_collection(doc, dict, descendant)
            .and_then(crate::cid::collection_map)
        {
            return Ok(Decoder::Collection(map));
        }
        return Ok(Decoder::Opaque);
    }
    Ok(Decoder::Simple(crate::encoding::resolve(doc, dict)?))
}

fn descriptor_is_bold(doc: &Document, dict: &Dictionary) -> bool {
    let Some(desc) = dict
        .get(b"FontDescriptor")
        .ok()
        .and_then(|o| resolve(doc, o).as_dict().ok())
    else {
        return false;
    };
    let weight = desc
        .get(b"FontWeight")
        .and_then(Object::as_float)
        .unwrap_or(0.0);
    // Flags bit 19: ForceBold.
    let flags = desc.get(b"Flags").and_then(Object::as_i64).unwrap_or(0);
    weight >= 600.0 || flags & (1 << 18) != 0
}

fn simple_widths(doc: &Document, dict: &Dictionary, type3: bool) -> (Widths, f32) {
    // Type 3 glyph space is mapped by /FontMatrix; everything else is 1/1000 of text space.
    let scale = if type3 {
        dict.get(b"FontMatrix")
            .and_then(|o| resolve(doc, o).as_array())
            .ok()
            .and_then(|m| m.first())
            .and_then(|v| v.as_float().ok())
            .map(f32::abs)
            .unwrap_or(0.001)
    } else {
        0.001
    };
    let first = dict
        .get(b"FirstChar")
        .and_then(Object::as_i64)
        .unwrap_or(0)
        .max(0) as u32;
    // Only one-byte codes are ever looked up.
    let mut widths = Box::new([None; 256]);
    let mut any = false;
    if let Ok(arr) = dict.get(b"Widths").and_then(|o| resolve(doc, o).as_array()) {
        for (i, w) in arr.iter().take(MAX_WIDTH_ENTRIES).enumerate() {
            if let Ok(w) = resolve(doc, w).as_float() {
                any = true;
                let code = first.saturating_add(i as u32) as usize;
                if let Some(slot) = widths.get_mut(code) {
                    *slot = Some(w * scale);
                }
            }
        }
    }
    let missing = dict
        .get(b"FontDescriptor")
        .ok()
        .and_then(|o| resolve(doc, o).as_dict().ok())
        .and_then(|d| d.get(b"MissingWidth").and_then(Object::as_float).ok())
        .filter(|w| *w > 0.0)
        .map(|w| w * scale);
    // Without widths (the 14 standard fonts), assume an average Helvetica glyph.
    let default = missing.unwrap_or(if any { 0.0 } else { 0.5 });
    let widths = if any {
        Widths::Simple(widths)
    } else {
        Widths::Composite(HashMap::default())
    };
    (widths, default)
}

fn composite_widths(doc: &Document, descendant: Option<&Dictionary>) -> (Widths, f32) {
    let mut widths = HashMap::default();
    let Some(d) = descendant else {
        return (Widths::Composite(widths), 1.0);
    };
    let default = d.get(b"DW").and_then(Object::as_float).unwrap_or(1000.0) * 0.001;
    let Ok(w) = d.get(b"W").and_then(|o| resolve(doc, o).as_array()) else {
        return (Widths::Composite(widths), default);
    };
    // /W lists `c [w1 w2 ...]` and `cfirst clast w` entries.
    let mut i = 0;
    while i < w.len() && widths.len() < MAX_WIDTH_ENTRIES {
        let Ok(start) = resolve(doc, &w[i]).as_i64() else {
            break;
        };
        let start = start.max(0) as u32;
        match w.get(i + 1).map(|o| resolve(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().take(MAX_WIDTH_ENTRIES).enumerate() {
                    if let Ok(v) = resolve(doc, v).as_float() {
                        widths.insert(start.saturating_add(k as u32), v * 0.001);
                    }
                }
                i += 2;
            }
            Some(end) => {
                let (Ok(end), Some(Ok(v))) = (
                    end.as_i64(),
                    w.get(i + 2).map(|o| resolve(doc, o).as_float()),
                ) else {
                    break;
                };
                let end = (end.max(0) as u32).min(start.saturating_add(MAX_WIDTH_ENTRIES as u32));
                for code in start..=end {
                    widths.insert(code, v * 0.001);
                }
                i += 3;
            }
            None => break,
        }
    }
    (Widths::Composite(widths), default)
}
