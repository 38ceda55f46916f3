//! A content-stream interpreter that records where each glyph is drawn.
//!
//! Only what text placement needs: the graphics state's CTM (`q`/`Q`/`cm`), the text
//! state (`BT`, `Tf`, `Tm`, `Td`, `TD`, `T*`, `TL`, `Tc`, `Tw`, `Tz`, `Ts`), the text
//! showing operators (`Tj`, `TJ`, `'`, `"`) and Form XObjects (`Do`), to a bounded depth.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::content::{Lexer, Operand, Operands};
use crate::fonts::Font;

const MAX_FORM_DEPTH: usize = 4;
const MAX_GRAPHICS_STACK: usize = 256;

/// One drawn glyph, in page space with y growing downwards from the top edge. Its
/// text is a range of the page's text (`Page::text`): a page draws thousands of
/// glyphs, and a `String` each was an allocation each.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    start: u32,
    end: u32,
    pub x0: f32,
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    pub size: f32,
    pub bold: bool,
}

impl Glyph {
    pub fn text<'t>(&self, page_text: &'t str) -> &'t str {
        page_text
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

/// What a page draws: its glyphs, and the text they index.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub glyphs: Vec<Glyph>,
    pub text: String,
}

#[derive(Clone, Copy)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other` in PDF's row-vector convention.
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }
}

#[derive(Clone, Copy)]
struct TextState {
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
    size: f32,
}

/// Interprets the pages of one document, one after another. Fonts are read once
/// per document: a resume sets every page in the same few fonts.
pub(crate) struct Interpreter<'a> {
    doc: &'a Document,
    max_stream_bytes: usize,
    /// Each font dictionary read, by id: its slot in `fonts`.
    font_slots: HashMap<ObjectId, usize>,
    /// `None` where the dictionary is not a font that could be read.
    fonts: Vec<Option<Font>>,
    // The page being read.
    page_height: f32,
    budget: usize,
    page: Page,
    error: Option<lopdf::Error>,
    /// Read simple fonts by their `/Encoding` before their `/ToUnicode`.
    encoding_first: bool,
}

struct Frame<'a> {
    ctm: Matrix,
    resources: Option<&'a Dictionary>,
}

impl<'a> Interpreter<'a> {
    pub fn new(doc: &'a Document, max_stream_bytes: usize, encoding_first: bool) -> Self {
        Self {
            doc,
            max_stream_bytes,
            encoding_first,
            font_slots: HashMap::new(),
            fonts: Vec::new(),
            page_height: 0.0,
            budget: 0,
            page: Page::default(),
            error: None,
        }
    }

    /// The glyphs of a page, running at most `max_operations` operations. After an
    /// error in the page's content the glyphs drawn before it are kept; an error
    /// that is not the page's alone (a decompression bomb) is returned.
    pub fn page(
        &mut self,
        page_id: ObjectId,
        media_origin: (f32, f32),
        page_height: f32,
        max_operations: usize,
    ) -> Result<Page, lopdf::Error> {
        self.page_height = page_height;
        self.budget = max_operations;
        self.error = None;
        let content = self
            .doc
            .get_page_content_with_limit(page_id, self.max_stream_bytes);
        match content {
            Ok(content) => {
                // Resumes draw about a glyph per three to six bytes of content.
                self.page = Page {
                    glyphs: Vec::with_capacity(content.len() / 3),
                    text: String::with_capacity(content.len() / 3),
                };
                let resources = page_resources(self.doc, page_id);
                let origin = Matrix::translate(-media_origin.0, -media_origin.1);
                self.run(
                    &content,
                    Frame {
                        ctm: origin,
                        resources,
                    },
                    0,
                );
            }
            Err(e @ lopdf::Error::Decompress(_)) => return Err(e),
            // One damaged page must not lose the others.
            Err(_) => {}
        }
        let page = std::mem::take(&mut self.page);
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(page),
        }
    }

    fn run(&mut self, content: &[u8], frame: Frame<'a>, depth: usize) {
        let mut ctm = frame.ctm;
        let mut stack: Vec<Matrix> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut ts = TextState {
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            size: 0.0,
        };
        let mut font: Option<usize> = None;

        let mut lexer = Lexer::new(content);
        let mut operands = Operands::default();
        while let Some(next) = lexer.next_operation(&mut operands) {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            // A damaged tail of a stream still leaves the text before it.
            let Ok(operator) = next else { break };
            // The first six numbers among the operands, and how many there are.
            let mut nums = [0.0f32; 6];
            let mut count = 0;
            for n in operands.list.iter().filter_map(Operand::number) {
                if let Some(slot) = nums.get_mut(count) {
                    *slot = n;
                }
                count += 1;
            }
            let [n0, n1, n2, n3, n4, n5] = nums;
            match operator {
                b"q" if stack.len() < MAX_GRAPHICS_STACK => stack.push(ctm),
                b"Q" => ctm = stack.pop().unwrap_or(ctm),
                b"cm" if count == 6 => {
                    ctm = Matrix([n0, n1, n2, n3, n4, n5]).then(ctm);
                }
                b"BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                b"Tf" => {
                    if let Some(size) = operands.get(1).and_then(Operand::number) {
                        ts.size = size;
                    }
                    font = operands
                        .get(0)
                        .and_then(Operand::name)
                        .and_then(|name| font_id(self.doc, frame.resources, name))
                        .map(|id| self.load_font(id));
                }
                b"Tc" if count == 1 => ts.char_spacing = n0,
                b"Tw" if count == 1 => ts.word_spacing = n0,
                b"Tz" if count == 1 => ts.h_scale = n0 / 100.0,
                b"TL" if count == 1 => ts.leading = n0,
                b"Ts" if count == 1 => ts.rise = n0,
                b"Td" if count == 2 => {
                    tlm = Matrix::translate(n0, n1).then(tlm);
                    tm = tlm;
                }
                b"TD" if count == 2 => {
                    ts.leading = -n1;
                    tlm = Matrix::translate(n0, n1).then(tlm);
                    tm = tlm;
                }
                b"Tm" if count == 6 => {
                    tlm = Matrix([n0, n1, n2, n3, n4, n5]);
                    tm = tlm;
                }
                b"T*" => {
                    tlm = Matrix::translate(0.0, -ts.leading).then(tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" | b"TJ" => {
                    if operator == b"'" || operator == b"\"" {
                        if operator == b"\"" && count >= 2 {
                            ts.word_spacing = n0;
                            ts.char_spacing = n1;
                        }
                        tlm = Matrix::translate(0.0, -ts.leading).then(tlm);
                        tm = tlm;
                    }
                    let Some(id) = font else { continue };
                    for operand in &operands.list {
                        match operand {
                            Operand::String(bytes) => self.show(id, bytes, &ts, &mut tm, ctm),
                            Operand::Array(items) if operator == b"TJ" => {
                                for item in operands.array(items) {
                                    match item {
                                        Operand::String(bytes) => {
                                            self.show(id, bytes, &ts, &mut tm, ctm)
                                        }
                                        Operand::Number(n) => {
                                            let tx = -n / 1000.0 * ts.size * ts.h_scale;
                                            tm = Matrix::translate(tx, 0.0).then(tm);
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                b"Do" if depth < MAX_FORM_DEPTH => {
                    let Some(name) = operands.get(0).and_then(Operand::name) else {
                        continue;
                    };
                    if let Some((stream_content, form_resources, matrix)) =
                        self.form(frame.resources, name)
                    {
                        let inner = Frame {
                            ctm: matrix.then(ctm),
                            resources: form_resources.or(frame.resources),
                        };
                        self.run(&stream_content, inner, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// The slot of font `id`, read on first use.
    fn load_font(&mut self, id: ObjectId) -> usize {
        if let Some(slot) = self.font_slots.get(&id) {
            return *slot;
        }
        let font = match self.doc.get_dictionary(id) {
            Ok(dict) => {
                match Font::load(self.doc, dict, self.max_stream_bytes, self.encoding_first) {
                    Ok(f) => Some(f),
                    Err(e) => {
                        if matches!(e, lopdf::Error::Decompress(_)) {
                            self.error = Some(e);
                        }
                        None
                    }
                }
            }
            Err(_) => None,
        };
        let slot = self.fonts.len();
        self.fonts.push(font);
        self.font_slots.insert(id, slot);
        slot
    }

    fn show(&mut self, font: usize, bytes: &[u8], ts: &TextState, tm: &mut Matrix, ctm: Matrix) {
        let Some(Some(font)) = self.fonts.get(font) else {
            return;
        };
        let page_height = self.page_height;
        let page = &mut self.page;
        font.glyphs(bytes, |g| {
            let trm = tm.then(ctm);
            let (x0, y0) = trm.apply(0.0, ts.rise);
            let mut advance = g.width * ts.size + ts.char_spacing;
            if g.is_space_code {
                advance += ts.word_spacing;
            }
            advance *= ts.h_scale;
            let (x1, _) = trm.apply(g.width * ts.size * ts.h_scale, ts.rise);
            // The rendered size: the font size scaled by the matrices' vertical factor.
            let [_, b, _, d, _, _] = trm.0;
            let size = (ts.size * (b * b + d * d).sqrt()).abs();
            if !g.text.is_empty() && size > 0.5 && !font.icon {
                let start = page.text.len();
                page.text.push_str(g.text);
                // The operation budget keeps a page's text far below 4 GiB.
                if let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(page.text.len()))
                {
                    page.glyphs.push(Glyph {
                        start,
                        end,
                        x0,
                        x1: x1.max(x0),
                        y: page_height - y0,
                        size,
                        bold: font.bold,
                    });
                }
            }
            *tm = Matrix::translate(advance, 0.0).then(*tm);
        });
    }

    fn form(
        &self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
    ) -> Option<(Vec<u8>, Option<&'a Dictionary>, Matrix)> {
        let xobjects = resources?.get(b"XObject").ok()?;
        let xobjects = self.doc.dereference(xobjects).ok()?.1.as_dict().ok()?;
        let (_, obj) = self.doc.dereference(xobjects.get(name).ok()?).ok()?;
        let stream = obj.as_stream().ok()?;
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok()? != b"Form" {
            return None;
        }
        let content = stream
            .get_plain_content_with_limit(self.max_stream_bytes)
            .ok()?;
        let form_resources = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| self.doc.dereference(r).ok())
            .and_then(|(_, r)| r.as_dict().ok());
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|m| m.as_array().ok())
            .map(|m| {
                m.iter()
                    .filter_map(|v| v.as_float().ok())
                    .collect::<Vec<_>>()
            })
            .filter(|m| m.len() == 6)
            .map(|m| Matrix([m[0], m[1], m[2], m[3], m[4], m[5]]))
            .unwrap_or(Matrix::IDENTITY);
        Some((content, form_resources, matrix))
    }
}

fn page_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    let (direct, ids) = doc.get_page_resources(page_id).ok()?;
    direct.or_else(|| ids.first().and_then(|id| doc.get_dictionary(*id).ok()))
}

fn font_id(doc: &Document, resources: Option<&Dictionary>, name: &[u8]) -> Option<ObjectId> {
    let fonts = resources?.get(b"Font").ok()?;
    let fonts = doc.dereference(fonts).ok()?.1.as_dict().ok()?;
    fonts.get(name).ok()?.as_reference().ok()
}
