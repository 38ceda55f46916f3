//! Loading only the objects that text extraction reads.
//!
//! `lopdf::Document::load_mem` parses every object of the file, and was a fifth of
//! the parse once text extraction itself had been made fast: the font programs,
//! images, structure trees, outlines and metadata of a resume are most of its
//! objects and none of its text. lopdf has no lazy loader (its `Reader`, which
//! reads objects on demand for metadata, cannot be built outside the crate, and a
//! `LoadOptions::filter` sees each object only after it was parsed), so this reads
//! the cross-reference data itself and loads into a `lopdf::Document` what is
//! reachable from the page tree, leaving out font programs, images, appearance
//! streams, metadata and graphics-state resources.
//!
//! It is a fast path, not a second PDF reader: anything unusual (an encrypted
//! file, a damaged or missing cross-reference section, an object that is not
//! where its entry says, a stream whose length is wrong, an object no entry
//! names) gives up, and the caller loads the whole file with lopdf as before,
//! with its repairs and its errors. Where it succeeds, every object it loads
//! parses as lopdf parses it (the same grammar: `crate::content::Lexer`).

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use crate::content::{Lexer, Number, is_regular, is_whitespace};

/// lopdf's bound on the nesting of arrays and dictionaries.
const MAX_NESTING: usize = 100;
/// Sections of cross-reference data followed through `/Prev` before giving up.
const MAX_SECTIONS: usize = 64;
/// Keys whose values text extraction never reads: font programs, images' masks
/// and colour spaces, appearance streams, graphics states, metadata, thumbnails,
/// application data, Type 3 glyph procedures.
const SKIPPED_KEYS: &[&[u8]] = &[
    b"FontFile",
    b"FontFile2",
    b"FontFile3",
    b"CIDSet",
    b"CharProcs",
    b"AP",
    b"ExtGState",
    b"ColorSpace",
    b"Pattern",
    b"Shading",
    b"SMask",
    b"Group",
    b"Metadata",
    b"Thumb",
    b"PieceInfo",
];

#[derive(Debug, Clone, Copy)]
enum Entry {
    Free,
    Normal { offset: usize },
    Compressed { container: u32 },
}

/// A decoded object stream: its content and where each object starts.
struct Container {
    content: Vec<u8>,
    offsets: HashMap<u32, usize>,
}

struct Loader<'a> {
    /// The file from its `%PDF-` header on (offsets count from there, as in lopdf).
    buf: &'a [u8],
    max_stream_bytes: usize,
    entries: HashMap<u32, Entry>,
    containers: HashMap<u32, Container>,
}

/// The document with the objects that text extraction reads, or `None` where the
/// whole file must be loaded instead.
pub(crate) fn load(bytes: &[u8], max_stream_bytes: usize) -> Option<Document> {
    let base = bytes.windows(5).position(|w| w == b"%PDF-")?;
    let buf = bytes.get(base..)?;
    if !header_ok(buf) {
        return None;
    }
    let mut loader = Loader {
        buf,
        max_stream_bytes,
        entries: HashMap::new(),
        containers: HashMap::new(),
    };
    let trailer = loader.read_cross_references(xref_start(buf)?)?;
    // Decryption, and the errors for files that need a password, are lopdf's.
    if trailer.has(b"Encrypt") {
        return None;
    }
    let root = trailer.get(b"Root").ok()?.as_reference().ok()?;
    let mut doc = Document::new();
    let catalog = loader.object(root)?;
    // Of the catalog, only the page tree: not outlines, names, structure, forms.
    let pages = catalog.as_dict().ok()?.get(b"Pages").ok()?.clone();
    doc.objects.insert(root, catalog);
    doc.trailer = trailer;

    let mut seen: HashSet<ObjectId> = HashSet::from([root]);
    let mut pending: Vec<ObjectId> = Vec::new();
    references(&pages, &mut pending);
    while let Some(id) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(entry) = loader.entries.get(&id.0).copied() else {
            // lopdf might find it in an object stream no entry names.
            return None;
        };
        if let Entry::Free = entry {
            // lopdf leaves it out too: the reference dangles.
            continue;
        }
        let (found, object) = match entry {
            Entry::Normal { offset } => loader.indirect_object(offset, true)?,
            Entry::Compressed { container } => ((id.0, 0), loader.compressed(container, id.0)?),
            Entry::Free => continue,
        };
        if found != id {
            return None;
        }
        // An image is never text, and a missing one reads as one that is not a form.
        if let Object::Stream(s) = &object
            && s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")
        {
            continue;
        }
        references(&object, &mut pending);
        doc.objects.insert(id, object);
    }
    // Where the root of the page tree did not load, lopdf rebuilds the cross-reference
    // table by scanning the file: leave that to it.
    let kids = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .and_then(|pages| pages.get_deref(b"Kids", &doc))
        .and_then(Object::as_array);
    if kids.is_err() {
        return None;
    }
    doc.max_id = doc.objects.keys().map(|id| id.0).max().unwrap_or(0);
    Some(doc)
}

/// Push the references of `object` that text extraction may follow.
fn references(object: &Object, out: &mut Vec<ObjectId>) {
    match object {
        Object::Reference(id) => out.push(*id),
        Object::Array(items) => items.iter().for_each(|o| references(o, out)),
        Object::Dictionary(dict) => dict_references(dict, out),
        Object::Stream(stream) => dict_references(&stream.dict, out),
        _ => {}
    }
}

fn dict_references(dict: &Dictionary, out: &mut Vec<ObjectId>) {
    for (key, value) in dict.iter() {
        if !SKIPPED_KEYS.contains(&key.as_slice()) {
            references(value, out);
        }
    }
}

/// `%PDF-` and a version on a line of its own, as lopdf requires.
fn header_ok(buf: &[u8]) -> bool {
    let Some(rest) = buf.get(5..) else {
        return false;
    };
    let line = rest
        .iter()
        .position(|c| *c == b'\r' || *c == b'\n')
        .unwrap_or(rest.len());
    line < rest.len()
}

/// The offset that `startxref` names, found as lopdf finds it: the last `%%EOF`
/// in the last kilobyte, the `startxref` just before it.
fn xref_start(buf: &[u8]) -> Option<usize> {
    let end = buf.iter().rposition(|c| !is_whitespace(*c))? + 1;
    let from = end.saturating_sub(1024);
    let eof = from
        + buf
            .get(from..end)?
            .windows(5)
            .rposition(|w| w == b"%%EOF")?;
    if eof <= 25 {
        return None;
    }
    let at = eof - 25
        + buf
            .get(eof - 25..eof)?
            .windows(9)
            .rposition(|w| w == b"startxref")?;
    let mut i = at + 9;
    if buf.get(i) == Some(&b' ') {
        i += 1;
    }
    i = eol(buf, i)?;
    while buf.get(i) == Some(&b' ') {
        i += 1;
    }
    let start = i;
    while buf.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let offset: usize = std::str::from_utf8(buf.get(start..i)?).ok()?.parse().ok()?;
    while buf.get(i) == Some(&b' ') {
        i += 1;
    }
    i = eol(buf, i)?;
    buf.get(i..)?.starts_with(b"%%EOF").then_some(offset)
}

/// Past one end of line (CR LF, LF or CR) at `i`.
fn eol(buf: &[u8], i: usize) -> Option<usize> {
    match (buf.get(i), buf.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => Some(i + 2),
        (Some(b'\n' | b'\r'), _) => Some(i + 1),
        _ => None,
    }
}

impl<'a> Loader<'a> {
    /// Read the cross-reference sections from `start` back through `/Prev`; a newer
    /// section's entry wins. The trailer is the newest section's.
    fn read_cross_references(&mut self, start: usize) -> Option<Dictionary> {
        let mut trailer = None;
        let mut seen = HashSet::new();
        let mut next = Some(start);
        while let Some(offset) = next {
            if !seen.insert(offset) {
                break;
            }
            if seen.len() > MAX_SECTIONS {
                return None;
            }
            // Within a section the last entry for an id stands.
            let (mut section, section_trailer) = self.section(offset)?;
            // A hybrid file's stream fills in what its table leaves free.
            if let Ok(stream_offset) = section_trailer.get(b"XRefStm").and_then(Object::as_i64) {
                let (stream_entries, _) = self.section(usize::try_from(stream_offset).ok()?)?;
                for (id, entry) in stream_entries {
                    match section.get(&id) {
                        Some(Entry::Normal { .. } | Entry::Compressed { .. }) => {}
                        _ => {
                            section.insert(id, entry);
                        }
                    }
                }
            }
            // Across sections the newest stands.
            for (id, entry) in section {
                self.entries.entry(id).or_insert(entry);
            }
            next = match section_trailer.get(b"Prev").and_then(Object::as_i64) {
                Ok(prev) => Some(usize::try_from(prev).ok()?),
                Err(_) => None,
            };
            trailer.get_or_insert(section_trailer);
        }
        trailer
    }

    /// One section of cross-reference data: a table and its trailer, or a stream.
    fn section(&mut self, offset: usize) -> Option<(HashMap<u32, Entry>, Dictionary)> {
        let rest = self.buf.get(offset..)?;
        if rest.starts_with(b"xref") {
            self.table(offset)
        } else {
            self.xref_stream(offset)
        }
    }

    /// A cross-reference table with lopdf's leniency: 20-byte entries or 19-byte ones
    /// ending in a bare LF or CR.
    fn table(&mut self, offset: usize) -> Option<(HashMap<u32, Entry>, Dictionary)> {
        let buf = self.buf;
        let mut i = offset + 4;
        if buf.get(i) == Some(&b' ') {
            i += 1;
        }
        i = eol(buf, i)?;
        let mut entries = HashMap::new();
        let mut sections = 0;
        while let Some((first, after)) = unsigned(buf, i) {
            if buf.get(after) != Some(&b' ') {
                break;
            }
            let Some((count, mut j)) = unsigned(buf, after + 1) else {
                break;
            };
            if buf.get(j) == Some(&b' ') {
                j += 1;
            }
            let Some(mut j) = eol(buf, j) else { break };
            sections += 1;
            // A table cannot list more entries than its bytes hold.
            if count > buf.len() / 19 {
                return None;
            }
            for index in 0..count {
                let (entry_offset, k) = unsigned(buf, j)?;
                if buf.get(k) != Some(&b' ') {
                    return None;
                }
                let (generation, k) = unsigned(buf, k + 1)?;
                if buf.get(k) != Some(&b' ') {
                    return None;
                }
                let kind = *buf.get(k + 1)?;
                j = match (buf.get(k + 2), buf.get(k + 3)) {
                    (Some(b' '), Some(b'\r' | b'\n')) | (Some(b'\r'), Some(b'\n')) => k + 4,
                    (Some(b'\n' | b'\r'), _) => k + 3,
                    _ => return None,
                };
                let id = u32::try_from(first.checked_add(index)?).ok()?;
                let entry = match kind {
                    b'n' if u16::try_from(generation).is_ok() => Entry::Normal {
                        offset: entry_offset,
                    },
                    b'n' => continue,
                    b'f' => Entry::Free,
                    _ => return None,
                };
                entries.insert(id, entry);
            }
            i = j;
        }
        if sections == 0 {
            return None;
        }
        let mut lexer = Lexer::new(buf);
        lexer.pos = i;
        lexer.skip_space();
        if !lexer.rest().starts_with(b"trailer") {
            return None;
        }
        lexer.pos += 7;
        lexer.skip_space();
        let trailer = match direct(&mut lexer, MAX_NESTING)? {
            Object::Dictionary(d) => d,
            _ => return None,
        };
        trailer.get(b"Size").and_then(Object::as_i64).ok()?;
        Some((entries, trailer))
    }

    /// A cross-reference stream: its entries, and its dictionary as the trailer.
    fn xref_stream(&mut self, offset: usize) -> Option<(HashMap<u32, Entry>, Dictionary)> {
        let (_, object) = self.indirect_object(offset, false)?;
        let Object::Stream(stream) = object else {
            return None;
        };
        let content = stream
            .get_plain_content_with_limit(self.max_stream_bytes)
            .ok()?;
        let dict = stream.dict;
        let size = dict.get(b"Size").and_then(Object::as_i64).ok()?;
        let integers = |key: &[u8]| -> Option<Vec<i64>> {
            dict.get(key)
                .ok()?
                .as_array()
                .ok()?
                .iter()
                .map(|o| o.as_i64().ok())
                .collect()
        };
        let index = match dict.get(b"Index") {
            Ok(_) => integers(b"Index")?,
            Err(_) => vec![0, size],
        };
        let widths = integers(b"W")?;
        let [w0, w1, w2] = <[i64; 3]>::try_from(widths.get(..3)?).ok()?;
        if [w0, w1, w2].iter().any(|w| !(0..=4).contains(w)) {
            return None;
        }
        let (w0, w1, w2) = (w0 as usize, w1 as usize, w2 as usize);
        let width = w0 + w1 + w2;
        if width == 0 {
            return None;
        }
        let field = |bytes: &[u8]| bytes.iter().fold(0u32, |v, b| (v << 8) | u32::from(*b));
        let mut entries = HashMap::new();
        let mut records = content.chunks_exact(width);
        for pair in index.chunks_exact(2) {
            let (start, count) = (pair[0], pair[1]);
            if start < 0 || count < 0 {
                return None;
            }
            for j in 0..count {
                let record = records.next()?;
                let kind = if w0 == 0 { 1 } else { field(&record[..w0]) };
                let f2 = field(&record[w0..w0 + w1]);
                let entry = match kind {
                    0 => Entry::Free,
                    1 => Entry::Normal {
                        offset: f2 as usize,
                    },
                    2 => Entry::Compressed { container: f2 },
                    _ => continue,
                };
                let id = u32::try_from(start.checked_add(j)?).ok()?;
                entries.insert(id, entry);
            }
        }
        let mut trailer = dict;
        trailer.remove(b"Length");
        trailer.remove(b"W");
        trailer.remove(b"Index");
        Some((entries, trailer))
    }

    /// The object an entry names, by its id.
    fn object(&mut self, id: ObjectId) -> Option<Object> {
        match *self.entries.get(&id.0)? {
            Entry::Normal { offset } => {
                let (found, object) = self.indirect_object(offset, true)?;
                (found == id).then_some(object)
            }
            Entry::Compressed { container } if id.1 == 0 => self.compressed(container, id.0),
            _ => None,
        }
    }

    /// `n g obj` at `offset` and the object after it; a stream's data is taken by its
    /// `/Length` (a reference to it is followed when `follow_length`, to an integer
    /// object listed in the table).
    fn indirect_object(
        &mut self,
        offset: usize,
        follow_length: bool,
    ) -> Option<(ObjectId, Object)> {
        let buf = self.buf;
        let mut lexer = Lexer::new(buf);
        lexer.pos = offset;
        lexer.skip_space();
        let (number, after) = unsigned(buf, lexer.pos)?;
        lexer.pos = after;
        lexer.skip_space();
        let (generation, after) = unsigned(buf, lexer.pos)?;
        lexer.pos = after;
        lexer.skip_space();
        if !lexer.rest().starts_with(b"obj") {
            return None;
        }
        lexer.pos += 3;
        lexer.skip_space();
        let id = (u32::try_from(number).ok()?, u16::try_from(generation).ok()?);
        let object = direct(&mut lexer, MAX_NESTING)?;
        let Object::Dictionary(dict) = object else {
            return Some((id, object));
        };
        // `stream`, spaces or tabs, one end of line (`direct` skipped the space before).
        if !lexer.rest().starts_with(b"stream") {
            return Some((id, Object::Dictionary(dict)));
        }
        let mut i = lexer.pos + 6;
        while matches!(buf.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let start = eol(buf, i)?;
        let length = match dict.get(b"Length").ok()? {
            // The length's own object is read without following anything further, so
            // lengths that name each other cannot recurse.
            Object::Reference(length_id) if follow_length => {
                let Entry::Normal { offset } = *self.entries.get(&length_id.0)? else {
                    return None;
                };
                match self.indirect_object(offset, false)? {
                    (found, Object::Integer(n)) if found == *length_id => n,
                    _ => return None,
                }
            }
            Object::Integer(n) => *n,
            _ => return None,
        };
        let end = start.checked_add(usize::try_from(length).ok()?)?;
        let data = buf.get(start..end)?;
        let after = eol(buf, end).unwrap_or(end);
        if !buf.get(after..)?.starts_with(b"endstream") {
            return None;
        }
        Some((id, Object::Stream(Stream::new(dict, data.to_vec()))))
    }

    /// Object `number` of the object stream `container`.
    fn compressed(&mut self, container: u32, number: u32) -> Option<Object> {
        if !self.containers.contains_key(&container) {
            let decoded = self.container(container)?;
            self.containers.insert(container, decoded);
        }
        let c = self.containers.get(&container)?;
        let mut lexer = Lexer::new(&c.content);
        lexer.pos = *c.offsets.get(&number)?;
        lexer.skip_space();
        lexer.peek()?;
        direct(&mut lexer, MAX_NESTING)
    }

    /// Decode an object stream and read its index as lopdf does.
    fn container(&mut self, container: u32) -> Option<Container> {
        let Entry::Normal { offset } = *self.entries.get(&container)? else {
            return None;
        };
        let (id, object) = self.indirect_object(offset, true)?;
        if id != (container, 0) {
            return None;
        }
        let Object::Stream(stream) = object else {
            return None;
        };
        if !stream.dict.has_type(b"ObjStm") {
            return None;
        }
        let content = stream
            .get_plain_content_with_limit(self.max_stream_bytes)
            .ok()?;
        let first =
            usize::try_from(stream.dict.get(b"First").and_then(Object::as_i64).ok()?).ok()?;
        // lopdf drops an object stream without /N.
        stream.dict.get(b"N").and_then(Object::as_i64).ok()?;
        let index = std::str::from_utf8(content.get(..first)?).ok()?;
        let numbers: Vec<Option<u32>> = index
            .split(['\r', '\n'])
            .flat_map(|line| {
                line.split('%')
                    .next()
                    .unwrap_or_default()
                    .split_whitespace()
            })
            .map(|n| n.parse().ok())
            .collect();
        let mut offsets = HashMap::new();
        for pair in numbers.chunks_exact(2) {
            let (Some(number), Some(at)) = (pair[0], pair[1]) else {
                // lopdf skips the pair; an object it names would then come from elsewhere.
                return None;
            };
            let at = first.checked_add(at as usize)?;
            if at >= content.len() {
                return None;
            }
            offsets.insert(number, at);
        }
        Some(Container { content, offsets })
    }
}

/// A run of ASCII digits at `i` and the index after it.
fn unsigned(buf: &[u8], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    let mut value: usize = 0;
    while let Some(d) = buf.get(j).filter(|c| c.is_ascii_digit()) {
        value = value.checked_mul(10)?.checked_add(usize::from(d - b'0'))?;
        j += 1;
    }
    (j > i).then_some((value, j))
}

/// A direct object as lopdf parses it, and the space after it.
fn direct(lexer: &mut Lexer, depth: usize) -> Option<Object> {
    let depth = depth.checked_sub(1)?;
    let object = match lexer.peek()? {
        b'n' | b't' | b'f' => {
            let start = lexer.pos;
            while lexer.peek().is_some_and(is_regular) {
                lexer.pos += 1;
            }
            match lexer.since(start) {
                b"null" => Object::Null,
                b"true" => Object::Boolean(true),
                b"false" => Object::Boolean(false),
                _ => return None,
            }
        }
        b'0'..=b'9' => {
            let start = lexer.pos;
            match lexer.number_token().ok()? {
                Number::Real(r) => Object::Real(r),
                Number::Integer(n) => reference(lexer, start).unwrap_or(Object::Integer(n)),
            }
        }
        b'+' | b'-' | b'.' => match lexer.number_token().ok()? {
            Number::Real(r) => Object::Real(r),
            Number::Integer(n) => Object::Integer(n),
        },
        b'/' => {
            lexer.pos += 1;
            Object::Name(lexer.name().into_owned())
        }
        b'(' => Object::String(
            lexer.literal_string().ok()?.into_owned(),
            StringFormat::Literal,
        ),
        b'<' if lexer.rest().starts_with(b"<<") => {
            lexer.pos += 2;
            let mut dict = Dictionary::new();
            loop {
                lexer.skip_space();
                if lexer.rest().starts_with(b">>") {
                    lexer.pos += 2;
                    break;
                }
                if lexer.peek()? != b'/' {
                    return None;
                }
                lexer.pos += 1;
                let key = lexer.name().into_owned();
                lexer.skip_space();
                let value = direct(lexer, depth)?;
                dict.set(key, value);
            }
            Object::Dictionary(dict)
        }
        b'<' => Object::String(
            lexer.hex_string().ok()?.into_owned(),
            StringFormat::Hexadecimal,
        ),
        b'[' => {
            lexer.pos += 1;
            let mut items = Vec::new();
            loop {
                lexer.skip_space();
                if lexer.peek()? == b']' {
                    lexer.pos += 1;
                    break;
                }
                items.push(direct(lexer, depth)?);
            }
            Object::Array(items)
        }
        _ => return None,
    };
    lexer.skip_space();
    Some(object)
}

/// `n g R` from `start`, where the integer `n` was just read.
fn reference(lexer: &mut Lexer, start: usize) -> Option<Object> {
    let buf = lexer.input();
    let (number, mut i) = unsigned(buf, start)?;
    let number = u32::try_from(number).ok()?;
    let saved = lexer.pos;
    lexer.pos = i;
    lexer.skip_space();
    let Some((generation, after)) = unsigned(buf, lexer.pos) else {
        lexer.pos = saved;
        return None;
    };
    i = after;
    lexer.pos = i;
    lexer.skip_space();
    match (u16::try_from(generation), lexer.peek()) {
        (Ok(generation), Some(b'R')) => {
            lexer.pos += 1;
            Some(Object::Reference((number, generation)))
        }
        _ => {
            lexer.pos = saved;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use lopdf::{SaveOptions, dictionary};

    use super::*;

    /// A one-page document with what a resume carries besides its text: an embedded
    /// font program, an image, outlines and metadata.
    fn document() -> Document {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font_file = doc.add_object(Stream::new(dictionary! {}, b"font program".to_vec()));
        let descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontName" => "Demo", "Flags" => 32, "FontFile2" => font_file,
        });
        let widths = doc.add_object(vec![Object::Integer(500); 3]);
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Demo",
            "FirstChar" => 65, "Widths" => widths, "FontDescriptor" => descriptor,
        });
        let image = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1 },
            vec![0],
        ));
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"BT /F1 12 Tf (ABC) Tj ET".to_vec(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font },
                "XObject" => dictionary! { "Im1" => image },
            },
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let metadata = doc.add_object(Stream::new(
            dictionary! { "Type" => "Metadata" },
            b"<x/>".to_vec(),
        ));
        let outlines = doc.add_object(dictionary! { "Type" => "Outlines", "Count" => 0 });
        let catalog = doc.add_object(dictionary! {
            "Type" => "Catalog", "Pages" => pages_id, "Outlines" => outlines, "Metadata" => metadata,
        });
        doc.trailer.set("Root", catalog);
        doc
    }

    fn saved(mut doc: Document, options: SaveOptions) -> Vec<u8> {
        let mut out = Vec::new();
        doc.save_with_options(&mut out, options).unwrap();
        out
    }

    fn check_against_lopdf(bytes: &[u8]) {
        let fast = load(bytes, 1 << 20).expect("the fast path reads a well-formed file");
        let full = Document::load_mem(bytes).unwrap();
        assert_eq!(fast.get_pages(), full.get_pages());
        let mut kept = 0;
        for (id, object) in &fast.objects {
            assert_eq!(
                format!("{object:?}"),
                format!("{:?}", full.objects[id]),
                "{id:?}"
            );
            kept += 1;
        }
        // Catalog, page tree, page, contents, font, widths, descriptor: not the font
        // program, the image, the outlines or the metadata.
        assert_eq!(kept, 7, "{:?}", fast.objects.keys().collect::<Vec<_>>());
        let text = crate::extract(bytes, &crate::Limits::default());
        assert!(
            matches!(text, Err(crate::PdfError::NoTextLayer)),
            "{text:?}"
        );
    }

    #[test]
    fn reads_the_page_tree_as_lopdf_does_and_leaves_out_the_rest() {
        check_against_lopdf(&saved(document(), SaveOptions::default()));
        // Cross-reference and object streams (PDF 1.5).
        let modern = SaveOptions::builder()
            .use_object_streams(true)
            .use_xref_streams(true)
            .build();
        check_against_lopdf(&saved(document(), modern));
    }

    #[test]
    fn leaves_damaged_and_encrypted_files_to_lopdf() {
        let bytes = saved(document(), SaveOptions::default());
        assert!(load(&bytes, 1 << 20).is_some());
        // No `startxref` at the end.
        assert!(load(&bytes[..bytes.len() - 40], 1 << 20).is_none());
        // A cross-reference table off by a byte.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let at = text.rfind("startxref").unwrap();
        let offset: usize = text[at + 10..]
            .lines()
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let moved = text.replacen(
            &format!("startxref\n{offset}"),
            &format!("startxref\n{}", offset + 1),
            1,
        );
        assert!(load(moved.as_bytes(), 1 << 20).is_none());
        // An object that is not where its entry says (the page tree's root is 1 0 obj).
        let renumbered = text.replacen("\n1 0 obj", "\n9 0 obj", 1);
        assert!(load(renumbered.as_bytes(), 1 << 20).is_none());
        // Encrypted: lopdf decrypts or refuses.
        let encrypted = text.replacen("trailer\n<<", "trailer\n<</Encrypt 99 0 R", 1);
        assert!(load(encrypted.as_bytes(), 1 << 20).is_none());
    }

    fn parse(text: &[u8]) -> Option<Object> {
        direct(&mut Lexer::new(text), MAX_NESTING)
    }

    #[test]
    fn objects_as_lopdf_reads_them() {
        let Some(Object::Dictionary(d)) = parse(
            b"<< /Type /Page /Kids [1 0 R 2 0 R] /N 12 /R -.5 /S (a\\)b) /H <4142> /B true /Z null /D << /X 3 4 R >> >>",
        ) else {
            panic!("not a dictionary");
        };
        assert_eq!(d.get(b"Type").unwrap().as_name().unwrap(), b"Page");
        assert_eq!(
            d.get(b"Kids").unwrap().as_array().unwrap(),
            &vec![Object::Reference((1, 0)), Object::Reference((2, 0))]
        );
        assert_eq!(d.get(b"N").unwrap(), &Object::Integer(12));
        assert_eq!(d.get(b"R").unwrap(), &Object::Real(-0.5));
        assert_eq!(
            d.get(b"S").unwrap(),
            &Object::String(b"a)b".to_vec(), StringFormat::Literal)
        );
        assert_eq!(
            d.get(b"H").unwrap(),
            &Object::String(b"AB".to_vec(), StringFormat::Hexadecimal)
        );
        assert_eq!(d.get(b"B").unwrap(), &Object::Boolean(true));
        assert_eq!(d.get(b"Z").unwrap(), &Object::Null);
        assert_eq!(
            d.get(b"D").unwrap().as_dict().unwrap().get(b"X").unwrap(),
            &Object::Reference((3, 4))
        );
        // Integers that are not a reference stay integers.
        assert_eq!(
            parse(b"[1 2 3]"),
            Some(Object::Array(vec![
                Object::Integer(1),
                Object::Integer(2),
                Object::Integer(3)
            ]))
        );
        assert_eq!(parse(b"<< /A nul >>"), None);
        assert_eq!(parse(&[b"[".repeat(200), b"]".repeat(200)].concat()), None);
    }
}
