//! A simple font's `/Encoding`: its one-byte codes to text, resolved as lopdf's
//! `Dictionary::get_font_encoding_with_limit` resolves them.
//!
//! lopdf looks `/Differences` glyph names up with one `match` of 4,495 byte
//! strings, which compiles to 400 KB of machine code, about a twentieth of the PDF
//! functions' zips. Here the names are a sorted table built from the same list
//! (`data/glyphlist.txt`, by `build.rs`), searched by bisection, and the five base
//! encodings are lopdf's tables as it decodes them (`data/base-encodings.txt`; its
//! own are private). The tests check both against lopdf, code by code.
//!
//! lopdf's leniency is kept: an encoding it cannot read (a glyph name it does not
//! know, a `/Differences` that is not an array, a reference cycle) is the
//! StandardEncoding, and a base encoding named but not known shows nothing. One
//! difference: where lopdf would read a simple font's `/ToUnicode` with its own
//! parser after ours found no mapping in it (no `/Encoding`, or `/Identity-H` as a
//! simple font's encoding), this is the StandardEncoding too.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object};

include!(concat!(env!("OUT_DIR"), "/glyphs.rs"));
include!(concat!(env!("OUT_DIR"), "/base_encodings.rs"));

/// A one-byte encoding: the UTF-16 code unit each code shows, if any.
type Table = [Option<u16>; 256];

/// The UTF-16 code unit of glyph `name` in the Adobe Glyph List.
pub(crate) fn glyph_unit(name: &[u8]) -> Option<u16> {
    let name_at = |i: usize| {
        let start = i.checked_sub(1).map_or(0, |p| GLYPH_NAME_ENDS[p] as usize);
        &GLYPH_NAMES.as_bytes()[start..GLYPH_NAME_ENDS[i] as usize]
    };
    let mut range = 0..GLYPH_UNITS.len();
    while !range.is_empty() {
        let mid = range.start + range.len() / 2;
        match name_at(mid).cmp(name) {
            std::cmp::Ordering::Less => range.start = mid + 1,
            std::cmp::Ordering::Greater => range.end = mid,
            std::cmp::Ordering::Equal => return Some(GLYPH_UNITS[mid]),
        }
    }
    None
}

/// What a base encoding's name decodes to.
#[derive(Debug, Clone, Copy)]
enum Base {
    Table(&'static Table),
    /// `UniGB-UCS2-H`, `UniGB-UTF16-H`: each byte alone is half a UTF-16 unit.
    Utf16Be,
    /// Any other name: lopdf decodes nothing with it.
    Unknown,
}

#[derive(Debug)]
pub(crate) struct SimpleEncoding {
    base: Base,
    /// `/Differences`: codes whose glyph it names, as UTF-16 code units.
    differences: Option<Box<Table>>,
}

impl SimpleEncoding {
    fn standard() -> Self {
        Self {
            base: Base::Table(&STANDARD_ENCODING),
            differences: None,
        }
    }

    /// Append the text of code `byte` to `out`; `false` if the encoding decodes
    /// nothing for it (lopdf's error, which the caller shows as nothing).
    pub fn write(&self, byte: u8, out: &mut String) -> bool {
        if let Some(unit) = self.differences.as_ref().and_then(|d| d[usize::from(byte)]) {
            out.extend(char::decode_utf16([unit]).flatten());
            return true;
        }
        match self.base {
            Base::Table(table) => {
                if let Some(unit) = table[usize::from(byte)] {
                    out.extend(char::decode_utf16([unit]).flatten());
                }
                true
            }
            // One byte of UTF-16 is a malformed sequence.
            Base::Utf16Be => {
                out.push(char::REPLACEMENT_CHARACTER);
                true
            }
            Base::Unknown => false,
        }
    }
}

/// The encoding of simple font `dict`, as lopdf resolves it with a decompression
/// limit: its errors are the StandardEncoding, but not a dictionary that is not a
/// `/Font` (an error, as in lopdf).
pub(crate) fn resolve(doc: &Document, dict: &Dictionary) -> Result<SimpleEncoding, lopdf::Error> {
    if !dict.has_type(b"Font") {
        return Err(lopdf::Error::DictType {
            expected: "Font",
            found: String::from_utf8_lossy(dict.get_type().unwrap_or(b"None")).into_owned(),
        });
    }
    let Ok(object) = dict.get(b"Encoding") else {
        return Ok(SimpleEncoding::standard());
    };
    Ok(from_object(doc, object).unwrap_or_else(SimpleEncoding::standard))
}

/// `None` where lopdf fails (and so falls back to the StandardEncoding).
fn from_object<'d>(doc: &'d Document, mut object: &'d Object) -> Option<SimpleEncoding> {
    let mut visited = HashSet::new();
    loop {
        match object {
            Object::Name(name) => {
                return Some(SimpleEncoding {
                    base: base(name)?,
                    differences: None,
                });
            }
            Object::Reference(id) => {
                if !visited.insert(*id) {
                    return None;
                }
                object = doc.get_object(*id).ok()?;
            }
            Object::Dictionary(dict) => {
                match dict.get(b"Type").and_then(Object::as_name) {
                    Ok(b"Encoding") | Err(_) => {}
                    Ok(_) => return None,
                }
                let base = match dict.get(b"BaseEncoding").and_then(Object::as_name) {
                    Ok(name) => base(name)?,
                    Err(_) => Base::Table(&STANDARD_ENCODING),
                };
                let differences = match dict.get(b"Differences") {
                    Ok(array) => Some(differences(array.as_array().ok()?)?),
                    Err(_) => None,
                };
                return Some(SimpleEncoding { base, differences });
            }
            _ => return None,
        }
    }
}

/// `None` for `/Identity-H` and `/Identity-V`, which lopdf reads from the font's
/// `/ToUnicode` (see the module's comment).
fn base(name: &[u8]) -> Option<Base> {
    Some(match name {
        b"StandardEncoding" => Base::Table(&STANDARD_ENCODING),
        b"MacRomanEncoding" => Base::Table(&MAC_ROMAN_ENCODING),
        b"MacExpertEncoding" => Base::Table(&MAC_EXPERT_ENCODING),
        b"WinAnsiEncoding" => Base::Table(&WIN_ANSI_ENCODING),
        b"PDFDocEncoding" => Base::Table(&PDF_DOC_ENCODING),
        b"Identity-H" | b"Identity-V" => return None,
        b"UniGB-UCS2-H" | b"UniGB-UTF16-H" => Base::Utf16Be,
        _ => Base::Unknown,
    })
}

/// A `/Differences` array: codes (0 to 255), each followed by the names of the
/// glyphs at it and the codes after it. `None` for anything lopdf refuses: a code
/// out of range, a name not in the glyph list, any other object.
fn differences(array: &[Object]) -> Option<Box<Table>> {
    let mut map = Box::new([None; 256]);
    let mut code = 0u8;
    for object in array {
        match object {
            Object::Integer(c) => code = u8::try_from(*c).ok()?,
            Object::Name(name) => {
                map[usize::from(code)] = Some(glyph_unit(name)?);
                code = code.wrapping_add(1);
            }
            _ => return None,
        }
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use lopdf::dictionary;

    use super::*;

    fn names() -> Vec<&'static [u8]> {
        let mut start = 0;
        GLYPH_NAME_ENDS
            .iter()
            .map(|end| {
                let name = &GLYPH_NAMES.as_bytes()[start..*end as usize];
                start = *end as usize;
                name
            })
            .collect()
    }

    /// Every name of the table decodes, in a `/Differences`, as lopdf decodes it,
    /// and names not in the list make lopdf fall back as they make us.
    #[test]
    fn the_glyph_table_is_lopdfs() {
        let doc = Document::with_version("1.7");
        let names = names();
        assert_eq!(names.len(), 4495);
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        for (chunk_no, chunk) in names.chunks(256).enumerate() {
            let mut items = vec![Object::Integer(0)];
            items.extend(chunk.iter().map(|n| Object::Name(n.to_vec())));
            let dict = font(Object::Dictionary(dictionary! { "Differences" => items }));
            let (Ok(ours), Ok(theirs)) = (resolve(&doc, &dict), dict.get_font_encoding(&doc))
            else {
                panic!("chunk {chunk_no} does not resolve");
            };
            for (code, name) in chunk.iter().enumerate() {
                let byte = u8::try_from(code).unwrap_or(0);
                let (mut a, mut b) = (String::new(), String::new());
                assert!(ours.write(byte, &mut a));
                assert!(theirs.write_to_string(&[byte], &mut b).is_ok());
                assert_eq!(a, b, "{}", String::from_utf8_lossy(name));
                assert_eq!(
                    glyph_unit(name).map(|u| char::decode_utf16([u]).flatten().collect::<String>()),
                    Some(b)
                );
            }
        }
        for name in [&b""[..], b"uni0041", b"g123", b"zzzzzzz", b"AAAAA", b"a.sc"] {
            assert_eq!(glyph_unit(name), None, "{}", String::from_utf8_lossy(name));
        }
    }

    fn font(encoding: Object) -> Dictionary {
        dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => encoding,
        }
    }

    /// Every code of every font decodes as lopdf decodes it with the encoding it
    /// resolves.
    #[test]
    fn fonts_decode_as_lopdf_decodes_them() {
        let mut doc = Document::with_version("1.7");
        let named = doc.add_object(Object::Name(b"MacRomanEncoding".to_vec()));
        let cycle_a = doc.new_object_id();
        let cycle_b = doc.add_object(Object::Reference(cycle_a));
        doc.objects.insert(cycle_a, Object::Reference(cycle_b));
        let diffs = |items: Vec<Object>| Object::Array(items);
        let name = |n: &str| Object::Name(n.as_bytes().to_vec());
        let mut fonts: Vec<Dictionary> = [
            "StandardEncoding",
            "MacRomanEncoding",
            "MacExpertEncoding",
            "WinAnsiEncoding",
            "PDFDocEncoding",
            "UniGB-UCS2-H",
            "SomethingElse",
        ]
        .iter()
        .map(|n| font(name(n)))
        .collect();
        fonts.extend([
            font(Object::Reference(named)),
            font(Object::Reference(cycle_a)),
            font(Object::Integer(3)),
            font(Object::Dictionary(dictionary! {
                "Type" => "Encoding",
                "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => diffs(vec![
                    Object::Integer(32), name("space"), name("Euro"), name("fi"),
                    Object::Integer(250), name("alpha"), name("afii10017"), name("uni20AC"),
                ]),
            })),
            font(Object::Dictionary(dictionary! {
                "Differences" => diffs(vec![
                    Object::Integer(65), name("B"), name("A"), name("zero"), name("Omega"),
                    Object::Integer(255), name("ellipsis"), name("hyphen"),
                ]),
            })),
            font(Object::Dictionary(dictionary! {
                "BaseEncoding" => "UniGB-UTF16-H",
                "Differences" => diffs(vec![Object::Integer(97), name("Aacute")]),
            })),
            font(Object::Dictionary(dictionary! {
                "BaseEncoding" => "NoSuchEncoding",
                "Differences" => diffs(vec![Object::Integer(97), name("Aacute")]),
            })),
            font(Object::Dictionary(dictionary! {
                "Differences" => diffs(vec![Object::Integer(300), name("A")]),
            })),
            font(Object::Dictionary(dictionary! {
                "Differences" => diffs(vec![Object::Integer(40), name("NotAGlyphName")]),
            })),
            font(Object::Dictionary(dictionary! {
                "Differences" => diffs(vec![Object::Real(40.0), name("A")]),
            })),
            font(Object::Dictionary(
                dictionary! { "Differences" => Object::Integer(4) },
            )),
            font(Object::Dictionary(dictionary! { "Type" => "Other" })),
            font(Object::Dictionary(
                dictionary! { "BaseEncoding" => "Identity-H" },
            )),
            dictionary! { "Type" => "Font", "Subtype" => "TrueType" },
        ]);
        for (i, dict) in fonts.iter().enumerate() {
            let (Ok(ours), Ok(theirs)) = (resolve(&doc, dict), dict.get_font_encoding(&doc)) else {
                panic!("font {i} does not resolve");
            };
            for byte in 0..=255u8 {
                let (mut a, mut b) = (String::new(), String::new());
                let decoded = ours.write(byte, &mut a);
                let lopdf = theirs.write_to_string(&[byte], &mut b).is_ok();
                assert_eq!(decoded, lopdf, "font {i}, code {byte}");
                if decoded {
                    assert_eq!(a, b, "font {i}, code {byte}");
                }
            }
        }
        // Not a font: an error for both.
        let not_a_font = dictionary! { "Type" => "XObject" };
        assert!(resolve(&doc, &not_a_font).is_err());
        assert!(not_a_font.get_font_encoding(&doc).is_err());
    }
}
