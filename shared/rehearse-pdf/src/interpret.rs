//! A content-stream interpreter that records where each glyph is drawn.
//!
//! Only what text placement needs: the graphics state's CTM (`q`/`Q`/`cm`), the text
//! state (`BT`, `Tf`, `Tm`, `Td`, `TD`, `T*`, `TL`, `Tc`, `Tw`, `Tz`, `Ts`), the text
//! showing operators (`Tj`, `TJ`, `'`, `"`) and Form XObjects (`Do`), to a bounded depth.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::fonts::Font;

const MAX_FORM_DEPTH: usize = 4;
const MAX_GRAPHICS_STACK: usize = 256;

/// One drawn glyph, in page space with y growing downwards from the top edge.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    pub size: f32,
    pub bold: bool,
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

pub(crate) struct PageInterpreter<'a> {
    doc: &'a Document,
    page_height: f32,
    max_stream_bytes: usize,
    budget: usize,
    fonts: HashMap<ObjectId, Option<Font<'a>>>,
    pub glyphs: Vec<Glyph>,
    pub error: Option<lopdf::Error>,
}

struct Frame<'a> {
    ctm: Matrix,
    resources: Option<&'a Dictionary>,
}

impl<'a> PageInterpreter<'a> {
    pub fn new(
        doc: &'a Document,
        page_height: f32,
        max_stream_bytes: usize,
        max_operations: usize,
    ) -> Self {
        Self {
            doc,
            page_height,
            max_stream_bytes,
            budget: max_operations,
            fonts: HashMap::new(),
            glyphs: Vec::new(),
            error: None,
        }
    }

    pub fn run_page(
        &mut self,
        page_id: ObjectId,
        media_origin: (f32, f32),
    ) -> Result<(), lopdf::Error> {
        let content = self
            .doc
            .get_page_content_with_limit(page_id, self.max_stream_bytes)?;
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
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
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
        let mut font: Option<ObjectId> = None;

        for op in Content::decode_iter(content) {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            // A damaged tail of a stream still leaves the text before it.
            let Ok(op) = op else { break };
            let nums: Vec<f32> = op
                .operands
                .iter()
                .filter_map(|o| o.as_float().ok())
                .collect();
            match op.operator.as_str() {
                "q" if stack.len() < MAX_GRAPHICS_STACK => stack.push(ctm),
                "Q" => ctm = stack.pop().unwrap_or(ctm),
                "cm" if nums.len() == 6 => {
                    ctm = Matrix([nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]]).then(ctm);
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    if let Some(size) = op.operands.get(1).and_then(|o| o.as_float().ok()) {
                        ts.size = size;
                    }
                    font = op
                        .operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| font_id(self.doc, frame.resources, name));
                    if let Some(id) = font {
                        self.load_font(id);
                    }
                }
                "Tc" if nums.len() == 1 => ts.char_spacing = nums[0],
                "Tw" if nums.len() == 1 => ts.word_spacing = nums[0],
                "Tz" if nums.len() == 1 => ts.h_scale = nums[0] / 100.0,
                "TL" if nums.len() == 1 => ts.leading = nums[0],
                "Ts" if nums.len() == 1 => ts.rise = nums[0],
                "Td" if nums.len() == 2 => {
                    tlm = Matrix::translate(nums[0], nums[1]).then(tlm);
                    tm = tlm;
                }
                "TD" if nums.len() == 2 => {
                    ts.leading = -nums[1];
                    tlm = Matrix::translate(nums[0], nums[1]).then(tlm);
                    tm = tlm;
                }
                "Tm" if nums.len() == 6 => {
                    tlm = Matrix([nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]]);
                    tm = tlm;
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -ts.leading).then(tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "'" || op.operator == "\"" {
                        if op.operator == "\"" && nums.len() >= 2 {
                            ts.word_spacing = nums[0];
                            ts.char_spacing = nums[1];
                        }
                        tlm = Matrix::translate(0.0, -ts.leading).then(tlm);
                        tm = tlm;
                    }
                    let Some(id) = font else { continue };
                    for operand in &op.operands {
                        match operand {
                            Object::String(bytes, _) => self.show(id, bytes, &ts, &mut tm, ctm),
                            Object::Array(items) if op.operator == "TJ" => {
                                for item in items {
                                    match item {
                                        Object::String(bytes, _) => {
                                            self.show(id, bytes, &ts, &mut tm, ctm)
                                        }
                                        other => {
                                            if let Ok(n) = other.as_float() {
                                                let tx = -n / 1000.0 * ts.size * ts.h_scale;
                                                tm = Matrix::translate(tx, 0.0).then(tm);
                                            }
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
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

    fn load_font(&mut self, id: ObjectId) {
        if self.fonts.contains_key(&id) {
            return;
        }
        let font = match self.doc.get_dictionary(id) {
            Ok(dict) => match Font::load(self.doc, dict, self.max_stream_bytes) {
                Ok(f) => Some(f),
                Err(e) => {
                    if matches!(e, lopdf::Error::Decompress(_)) {
                        self.error = Some(e);
                    }
                    None
                }
            },
            Err(_) => None,
        };
        self.fonts.insert(id, font);
    }

    fn show(
        &mut self,
        font_id: ObjectId,
        bytes: &[u8],
        ts: &TextState,
        tm: &mut Matrix,
        ctm: Matrix,
    ) {
        let Some(Some(font)) = self.fonts.get(&font_id) else {
            return;
        };
        for g in font.glyphs(bytes) {
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
                self.glyphs.push(Glyph {
                    text: g.text,
                    x0,
                    x1: x1.max(x0),
                    y: self.page_height - y0,
                    size,
                    bold: font.bold,
                });
            }
            *tm = Matrix::translate(advance, 0.0).then(*tm);
        }
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
