//! ToUnicode CMaps: the character codes of a font to the Unicode text they show.
//!
//! lopdf's reader of these maps was a tenth of the whole parse: a strict nom grammar
//! of the CMap's PostScript wrapper, then a reverse map (Unicode to codes, for
//! writing text) built by walking every code of every range, which resumes never
//! need and which a range over all of `<00000000> <FFFFFFFF>` turns into billions of
//! steps. Here the map is read with the content-stream lexer: `beginbfchar` and
//! `beginbfrange` sections are all that matter, and ranges stay ranges.
//!
//! A later mapping of a code replaces an earlier one, as in lopdf.

use std::collections::BTreeMap;

use crate::content::{Lexer, Operand, Operands};

/// Longest target string kept, in UTF-16 units (the spec's 512 bytes).
const MAX_TARGET_UNITS: usize = 256;

/// Codes of one length (1 to 4 bytes), `lo..=hi`, mapped from `base`.
#[derive(Debug, Clone, Copy)]
struct Span {
    lo: u32,
    hi: u32,
    /// The first code of the mapping this span came from (a range split by a later
    /// mapping keeps its offsets).
    base: u32,
    target: u32,
}

#[derive(Debug)]
enum Target {
    /// The code `base + i` maps to this string with `i` added to its last unit.
    Start(Vec<u16>),
    /// The code `base + i` maps to the `i`th string.
    List(Vec<Vec<u16>>),
}

#[derive(Debug, Default)]
pub(crate) struct ToUnicode {
    /// By code length less one: disjoint spans sorted by `lo`.
    spans: [Vec<Span>; 4],
    targets: Vec<Target>,
}

impl ToUnicode {
    /// The map of a CMap stream, or `None` if it maps nothing.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        let mut builder = Builder::default();
        let mut lexer = Lexer::new(bytes);
        let mut operands = Operands::default();
        // A damaged token ends the map; what was read before it stays.
        while let Some(Ok(operator)) = lexer.next_operation(&mut operands) {
            match operator {
                b"endbfchar" => {
                    for pair in operands.list.chunks_exact(2) {
                        let (Some((code, len)), Some(Operand::String(dst))) =
                            (source_code(&pair[0]), pair.get(1))
                        else {
                            continue;
                        };
                        builder.add(code, code, len, Target::Start(utf16_units(dst)));
                    }
                }
                b"endbfrange" => {
                    for triple in operands.list.chunks_exact(3) {
                        let (Some((lo, len)), Some((hi, hi_len))) =
                            (source_code(&triple[0]), source_code(&triple[1]))
                        else {
                            continue;
                        };
                        if len != hi_len || hi < lo {
                            continue;
                        }
                        let target = match &triple[2] {
                            Operand::String(dst) => Target::Start(utf16_units(dst)),
                            Operand::Array(range) => {
                                let list: Vec<Vec<u16>> = operands
                                    .array(range)
                                    .iter()
                                    .filter_map(|o| match o {
                                        Operand::String(s) => Some(utf16_units(s)),
                                        _ => None,
                                    })
                                    .collect();
                                if list.is_empty() {
                                    continue;
                                }
                                Target::List(list)
                            }
                            _ => continue,
                        };
                        builder.add(lo, hi, len, target);
                    }
                }
                _ => {}
            }
        }
        builder.finish()
    }

    /// The map of `len`-byte codes given as `bfrange`s with string targets, in the
    /// order a CMap would list them (a later range replaces an earlier one):
    /// `(first code, last code, target in UTF-16 units)`.
    pub fn from_ranges(
        len: usize,
        ranges: impl IntoIterator<Item = (u32, u32, Vec<u16>)>,
    ) -> Option<Self> {
        if !(1..=4).contains(&len) {
            return None;
        }
        let mut builder = Builder::default();
        for (lo, hi, mut units) in ranges {
            if hi < lo {
                continue;
            }
            units.truncate(MAX_TARGET_UNITS);
            builder.add(lo, hi, len, Target::Start(units));
        }
        builder.finish()
    }

    /// Append the text of the `len`-byte code `code` to `out`; `false` if the map
    /// does not have it.
    pub fn write(&self, code: u32, len: usize, out: &mut String) -> bool {
        let Some(spans) = len.checked_sub(1).and_then(|i| self.spans.get(i)) else {
            return false;
        };
        let at = spans.partition_point(|s| s.lo <= code);
        let Some(span) = at.checked_sub(1).and_then(|i| spans.get(i)) else {
            return false;
        };
        if code > span.hi {
            return false;
        }
        let offset = code - span.base;
        match self.targets.get(span.target as usize) {
            Some(Target::Start(units)) => {
                let Some((last, head)) = units.split_last() else {
                    return true;
                };
                let last = last.wrapping_add(offset as u16);
                push_utf16(head.iter().copied().chain([last]), out);
            }
            Some(Target::List(list)) => match list.get(offset as usize) {
                Some(units) => push_utf16(units.iter().copied(), out),
                None => out.push(char::REPLACEMENT_CHARACTER),
            },
            None => return false,
        }
        true
    }
}

/// A map being read: spans by code length, and the targets they point at.
#[derive(Default)]
struct Builder {
    building: [BTreeMap<u32, Span>; 4],
    targets: Vec<Target>,
}

impl Builder {
    /// Map the `len`-byte codes `lo..=hi` (`len` is 1 to 4) to `target`.
    fn add(&mut self, lo: u32, hi: u32, len: usize, target: Target) {
        let Some(map) = len.checked_sub(1).and_then(|i| self.building.get_mut(i)) else {
            return;
        };
        let index = self.targets.len() as u32;
        self.targets.push(target);
        insert(map, lo, hi, index);
    }

    fn finish(self) -> Option<ToUnicode> {
        if self.targets.is_empty() {
            return None;
        }
        Some(ToUnicode {
            spans: self.building.map(|m| m.into_values().collect()),
            targets: self.targets,
        })
    }
}

fn push_utf16(units: impl Iterator<Item = u16>, out: &mut String) {
    out.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
}

/// A source code and its length in bytes (1 to 4).
fn source_code(operand: &Operand) -> Option<(u32, usize)> {
    let Operand::String(bytes) = operand else {
        return None;
    };
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let code = bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
    Some((code, bytes.len()))
}

/// A target string as UTF-16BE units (an odd byte count is read as if a zero
/// byte led it).
fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    let pad = bytes.len() % 2;
    let mut units = Vec::with_capacity(bytes.len().div_ceil(2));
    let mut iter = bytes.iter().copied();
    if pad == 1 {
        units.extend(iter.next().map(u16::from));
    }
    while let (Some(hi), Some(lo)) = (iter.next(), iter.next()) {
        units.push(u16::from_be_bytes([hi, lo]));
    }
    units.truncate(MAX_TARGET_UNITS);
    units
}

/// Map `lo..=hi` to `target`, replacing whatever those codes mapped to before.
fn insert(map: &mut BTreeMap<u32, Span>, lo: u32, hi: u32, target: u32) {
    // The spans in the map are disjoint, so those overlapping `lo..=hi` are the last
    // ones starting at or before `hi`.
    let overlapping: Vec<Span> = map
        .range(..=hi)
        .rev()
        .take_while(|(_, s)| s.hi >= lo)
        .map(|(_, s)| *s)
        .collect();
    for s in overlapping {
        map.remove(&s.lo);
        if s.lo < lo {
            map.insert(s.lo, Span { hi: lo - 1, ..s });
        }
        if s.hi > hi {
            map.insert(hi + 1, Span { lo: hi + 1, ..s });
        }
    }
    map.insert(
        lo,
        Span {
            lo,
            hi,
            base: lo,
            target,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(map: &ToUnicode, code: u32, len: usize) -> Option<String> {
        let mut out = String::new();
        map.write(code, len, &mut out).then_some(out)
    }

    const PDFTEX: &[u8] = b"%!PS-Adobe-3.0 Resource-CMap
/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo
<< /Registry (TeX)
/Ordering (T1)
/Supplement 0
>> def
/CMapName /TeX-T1-0 def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfchar
<1B> <00660066>
<2D> <002D>
endbfchar
2 beginbfrange
<41> <43> <0041>
<61> <63> [<0061> <0062>]
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
";

    #[test]
    fn chars_ranges_and_arrays() {
        let map = ToUnicode::parse(PDFTEX).unwrap();
        assert_eq!(text(&map, 0x1B, 1).as_deref(), Some("ff"));
        assert_eq!(text(&map, 0x2D, 1).as_deref(), Some("-"));
        assert_eq!(text(&map, 0x42, 1).as_deref(), Some("B"));
        assert_eq!(text(&map, 0x43, 1).as_deref(), Some("C"));
        assert_eq!(text(&map, 0x44, 1), None);
        assert_eq!(text(&map, 0x62, 1).as_deref(), Some("b"));
        // An array shorter than its range: the replacement character.
        assert_eq!(text(&map, 0x63, 1).as_deref(), Some("\u{FFFD}"));
        // A code is looked up at its own length only.
        assert_eq!(text(&map, 0x41, 2), None);
    }

    #[test]
    fn later_mappings_win_and_split_ranges() {
        let map = ToUnicode::parse(
            b"1 beginbfrange <0000> <00FF> <0000> endbfrange
              1 beginbfchar <0041> <0058> endbfchar
              1 beginbfrange <0050> <0052> <0070> endbfrange",
        )
        .unwrap();
        assert_eq!(text(&map, 0x40, 2).as_deref(), Some("@"));
        assert_eq!(text(&map, 0x41, 2).as_deref(), Some("X"));
        assert_eq!(text(&map, 0x42, 2).as_deref(), Some("B"));
        assert_eq!(text(&map, 0x51, 2).as_deref(), Some("q"));
        assert_eq!(text(&map, 0x53, 2).as_deref(), Some("S"));
        assert_eq!(text(&map, 0xFF, 2).as_deref(), Some("\u{FF}"));
    }

    #[test]
    fn surrogates_wrapping_and_huge_ranges() {
        let map = ToUnicode::parse(
            b"2 beginbfrange <01> <02> <D83DFFFF> <00000000> <FFFFFFFF> <0020> endbfrange
              1 beginbfchar <03> <D83DDE00> endbfchar",
        )
        .unwrap();
        // The last unit wraps (and the lone surrogate left is replaced).
        assert_eq!(text(&map, 0x02, 1).as_deref(), Some("\u{FFFD}\0"));
        assert_eq!(text(&map, 0x03, 1).as_deref(), Some("😀"));
        assert_eq!(text(&map, 0x21, 4).as_deref(), Some("A"));
    }

    #[test]
    fn a_map_without_mappings_is_none() {
        assert!(ToUnicode::parse(b"").is_none());
        assert!(ToUnicode::parse(b"/CIDInit /ProcSet findresource begin end").is_none());
        assert!(ToUnicode::parse(b"1 beginbfrange <02> <01> <0041> endbfrange").is_none());
    }
}
