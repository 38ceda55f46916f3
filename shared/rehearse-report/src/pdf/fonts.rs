//! The embedded faces and their metrics: Noto Sans Regular and Bold, from the
//! `notosans` crate (Google's fonts under the SIL Open Font License 1.1, which
//! permits embedding them in documents). They cover Latin with its extensions
//! (Vietnamese, Polish...), Greek and Cyrillic.
//!
//! Glyphs are placed here rather than by a shaper: one glyph per character from
//! the font's `cmap`, advanced by its `hmtx` width. That is all these scripts need
//! once the text is NFC (every Vietnamese letter has a precomposed glyph), and it
//! makes the width used for line wrapping exactly the width drawn.

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;

use crate::error::ReportError;

/// One face: what krilla embeds, and what layout measures.
pub(crate) struct Face {
    pub font: Font,
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
    /// Ascender and descender (positive, below the baseline), per unit of font size.
    pub ascent: f32,
    pub descent: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("units_per_em", &self.units_per_em)
            .finish_non_exhaustive()
    }
}

impl Face {
    fn load(name: &str, bytes: &'static [u8]) -> Result<Self, ReportError> {
        let bad = || ReportError::Pdf(format!("the embedded font {name} cannot be read"));
        let font_ref = skrifa::FontRef::new(bytes).map_err(|_| bad())?;
        let metrics = font_ref.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(metrics.units_per_em);
        if units_per_em <= 0.0 {
            return Err(bad());
        }
        Ok(Self {
            font: Font::new(bytes.into(), 0).ok_or_else(bad)?,
            charmap: font_ref.charmap(),
            metrics: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
            ascent: metrics.ascent / units_per_em,
            descent: -metrics.descent / units_per_em,
        })
    }

    fn glyph(&self, c: char) -> skrifa::GlyphId {
        self.charmap.map(c).unwrap_or(skrifa::GlyphId::NOTDEF)
    }

    /// Whether the face has a glyph for `c`.
    #[cfg(test)]
    pub fn covers(&self, c: char) -> bool {
        self.charmap.map(c).is_some()
    }

    /// The advance of `c`, per unit of font size.
    fn advance(&self, c: char) -> f32 {
        self.metrics.advance_width(self.glyph(c)).unwrap_or(0.0) / self.units_per_em
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// `text` as positioned glyphs, each mapped back to its character so the
    /// PDF's ToUnicode map gives the text back.
    pub fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                KrillaGlyph::new(
                    GlyphId::new(self.glyph(c).to_u32()),
                    self.advance(c),
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

/// The report's two faces.
#[derive(Debug)]
pub(crate) struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn load() -> Result<Self, ReportError> {
        Ok(Self {
            regular: Face::load("Noto Sans Regular", notosans::REGULAR_TTF)?,
            bold: Face::load("Noto Sans Bold", notosans::BOLD_TTF)?,
        })
    }

    pub fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }
}

#[cfg(test)]
mod tests {
    use krilla::text::Glyph;

    use super::*;

    #[test]
    fn both_faces_cover_vietnamese_polish_greek_and_cyrillic() {
        let fonts = Fonts::load().expect("the embedded fonts load");
        let sample = "Nguyễn Thị Lan Trần Đức Phạm Hoàng Yến ỹỵửữựằẳẵặ \
                      Łukasz Wróblewski Źdźbło żółć gęślą jaźń \
                      Γιώργος Παπαδόπουλος ΐΰϊϋ \
                      Дмитрий Иванович Ёлка Їжак Ґанок \
                      “quotes” ‘single’ – — • … € £ ·";
        for face in [&fonts.regular, &fonts.bold] {
            let missing: Vec<char> = sample
                .chars()
                .filter(|c| !c.is_whitespace() && !face.covers(*c))
                .collect();
            assert!(missing.is_empty(), "no glyph for {missing:?}");
        }
    }

    #[test]
    fn width_is_the_sum_of_the_glyph_advances() {
        let fonts = Fonts::load().expect("the embedded fonts load");
        let face = &fonts.regular;
        let text = "Łukasz";
        let sum: f32 = face.glyphs(text).iter().map(|g| g.x_advance(10.0)).sum();
        assert!((face.width(text, 10.0) - sum).abs() < 1e-3);
        assert!(fonts.bold.width("Wide", 10.0) > face.width("Wide", 10.0));
    }
}
