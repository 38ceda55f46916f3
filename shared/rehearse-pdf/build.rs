//! Adobe's CID → Unicode CMaps (`data/cmap/`) as compact records for the binary.
//!
//! The PostScript text spends ~14 bytes a mapping on hex digits and brackets; the
//! four maps were 928 KB of the PDF functions' binaries and a third of a megabyte of
//! their zips. Each `bfchar` and `bfrange` line becomes one record, in file order,
//! of LEB128 numbers: the zigzag delta of its first code from the previous
//! record's, the range's length less one, its target's UTF-16 unit count, and each
//! unit as a zigzag delta from the unit before it (across records). `src/cid.rs`
//! replays the records through the same insertion as the text parser, and its
//! tests check every code of every map against the text parsed as before.
//!
//! It also turns the glyph list (`data/glyphlist.txt`) into a table sorted by name
//! for `src/encoding.rs`: the names run together in one string, their end offsets
//! and their UTF-16 units in two arrays of plain numbers.

use std::path::PathBuf;

/// The collections `src/cid.rs` includes, by file name.
const MAPS: [&str; 4] = [
    "Adobe-GB1-UCS2",
    "Adobe-CNS1-UCS2",
    "Adobe-Japan1-UCS2",
    "Adobe-Korea1-UCS2",
];

fn main() {
    for name in MAPS {
        generate(
            &format!("data/cmap/{name}"),
            &format!("{name}.bin"),
            |text| encode(&parse(name, text)),
        );
    }
    generate("data/glyphlist.txt", "glyphs.rs", |text| {
        glyph_table(text).into_bytes()
    });
    generate("data/base-encodings.txt", "base_encodings.rs", |text| {
        base_tables(text).into_bytes()
    });
}

/// Write `$OUT_DIR/{output}` from the crate's file `source` (rebuilt when it changes).
fn generate(source: &str, output: &str, make: impl FnOnce(&str) -> Vec<u8>) {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let source = manifest.join(source);
    println!("cargo:rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(&source)
        .unwrap_or_else(|e| panic!("reading {}: {e}", source.display()));
    std::fs::write(out_dir.join(output), make(&text))
        .unwrap_or_else(|e| panic!("writing {output}: {e}"));
}

/// `data/base-encodings.txt` (`encoding code hex` lines) as one `Table` static each.
fn base_tables(text: &str) -> String {
    const NAMES: [(&str, &str); 5] = [
        ("StandardEncoding", "STANDARD_ENCODING"),
        ("MacRomanEncoding", "MAC_ROMAN_ENCODING"),
        ("MacExpertEncoding", "MAC_EXPERT_ENCODING"),
        ("WinAnsiEncoding", "WIN_ANSI_ENCODING"),
        ("PDFDocEncoding", "PDF_DOC_ENCODING"),
    ];
    let mut tables = [[None::<u16>; 256]; 5];
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [encoding, code, hex] = fields[..] else {
            panic!("base-encodings.txt: not `encoding code hex`: {line}");
        };
        let table = NAMES
            .iter()
            .position(|(n, _)| *n == encoding)
            .unwrap_or_else(|| panic!("base-encodings.txt: unknown encoding {encoding}"));
        let code: u8 = code
            .parse()
            .unwrap_or_else(|e| panic!("base-encodings.txt: {line}: {e}"));
        let unit = u16::from_str_radix(hex, 16)
            .unwrap_or_else(|e| panic!("base-encodings.txt: {line}: {e}"));
        tables[table][usize::from(code)] = Some(unit);
    }
    let mut out = String::new();
    for ((_, rust), table) in NAMES.iter().zip(tables) {
        let entries: Vec<String> = table
            .iter()
            .map(|u| u.map_or("None".to_owned(), |u| format!("Some(0x{u:04x})")))
            .collect();
        out.push_str(&format!(
            "static {rust}: Table = [{}];\n",
            entries.join(",")
        ));
    }
    out
}

/// `data/glyphlist.txt` (`name hex` lines, `#` comments) as Rust statics.
fn glyph_table(text: &str) -> String {
    let mut glyphs: Vec<(&str, u16)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (name, hex) = l
                .split_once(' ')
                .unwrap_or_else(|| panic!("glyphlist.txt: not `name hex`: {l}"));
            let unit = u16::from_str_radix(hex.trim(), 16)
                .unwrap_or_else(|e| panic!("glyphlist.txt: {l}: {e}"));
            (name, unit)
        })
        .collect();
    glyphs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    if glyphs.windows(2).any(|w| w[0].0 == w[1].0) {
        panic!("glyphlist.txt: a name is listed twice");
    }
    let mut names = String::new();
    let mut ends = Vec::new();
    for (name, _) in &glyphs {
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            panic!("glyphlist.txt: unexpected characters in {name}");
        }
        names.push_str(name);
        ends.push(names.len().to_string());
    }
    let units: Vec<String> = glyphs.iter().map(|(_, u)| format!("0x{u:04x}")).collect();
    format!(
        "/// The glyph names, sorted, run together.\n\
         static GLYPH_NAMES: &str = {names:?};\n\
         /// Where each name ends in `GLYPH_NAMES`.\n\
         static GLYPH_NAME_ENDS: [u32; {n}] = [{ends}];\n\
         /// Each name's UTF-16 code unit.\n\
         static GLYPH_UNITS: [u16; {n}] = [{units}];\n",
        n = glyphs.len(),
        ends = ends.join(","),
        units = units.join(","),
    )
}

/// A map's mappings in file order: first code, last code, target in UTF-16 units.
fn parse(name: &str, text: &str) -> Vec<(u32, u32, Vec<u16>)> {
    let mut mappings = Vec::new();
    let mut section: Option<usize> = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            section = Some(2);
            continue;
        }
        if line.ends_with("beginbfrange") {
            section = Some(3);
            continue;
        }
        if line.starts_with("endbf") {
            section = None;
            continue;
        }
        let Some(fields) = section else { continue };
        let hex: Vec<&str> = line
            .split_whitespace()
            .map(|f| {
                f.strip_prefix('<')
                    .and_then(|f| f.strip_suffix('>'))
                    .unwrap_or_else(|| panic!("{name}:{}: not a hex string: {f}", number + 1))
            })
            .collect();
        if hex.len() != fields {
            panic!("{name}:{}: {fields} hex strings expected", number + 1);
        }
        let code = |h: &str| {
            if h.len() != 4 {
                panic!("{name}:{}: a CID is two bytes: <{h}>", number + 1);
            }
            u32::from_str_radix(h, 16).unwrap_or_else(|e| panic!("{name}:{}: {e}", number + 1))
        };
        let target = hex[fields - 1];
        if target.is_empty() || !target.len().is_multiple_of(4) {
            panic!("{name}:{}: a target is whole UTF-16 units", number + 1);
        }
        let units = (0..target.len())
            .step_by(4)
            .map(|i| {
                u16::from_str_radix(&target[i..i + 4], 16)
                    .unwrap_or_else(|e| panic!("{name}:{}: {e}", number + 1))
            })
            .collect();
        let lo = code(hex[0]);
        let hi = code(hex[fields - 2]);
        if hi < lo {
            panic!("{name}:{}: a range ends before it starts", number + 1);
        }
        mappings.push((lo, hi, units));
    }
    if mappings.is_empty() {
        panic!("{name}: no mappings");
    }
    mappings
}

fn encode(mappings: &[(u32, u32, Vec<u16>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut previous_code, mut previous_unit) = (0i64, 0i64);
    for (lo, hi, units) in mappings {
        leb128(&mut out, zigzag(i64::from(*lo) - previous_code));
        leb128(&mut out, u64::from(hi - lo));
        leb128(&mut out, units.len() as u64);
        for unit in units {
            leb128(&mut out, zigzag(i64::from(*unit) - previous_unit));
            previous_unit = i64::from(*unit);
        }
        previous_code = i64::from(*lo);
    }
    out
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn leb128(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}
