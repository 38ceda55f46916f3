//! Unicode for CID-keyed CJK fonts that carry no ToUnicode map: with an Identity
//! encoding the code is the CID, and Adobe's published maps turn the CIDs of its
//! character collections (GB1, CNS1, Japan1, Korea1) into Unicode.

use std::sync::OnceLock;

use lopdf::{Dictionary, Document, Object};

use crate::tounicode::ToUnicode;

struct Collection {
    ordering: &'static [u8],
    /// The collection's CMap as build.rs encodes it.
    cmap: &'static [u8],
    parsed: OnceLock<Option<ToUnicode>>,
}

static COLLECTIONS: [Collection; 4] = [
    Collection {
        ordering: b"GB1",
        cmap: include_bytes!(concat!(env!("OUT_DIR"), "/Adobe-GB1-UCS2.bin")),
        parsed: OnceLock::new(),
    },
    Collection {
        ordering: b"CNS1",
        cmap: include_bytes!(concat!(env!("OUT_DIR"), "/Adobe-CNS1-UCS2.bin")),
        parsed: OnceLock::new(),
    },
    Collection {
        ordering: b"Japan1",
        cmap: include_bytes!(concat!(env!("OUT_DIR"), "/Adobe-Japan1-UCS2.bin")),
        parsed: OnceLock::new(),
    },
    Collection {
        ordering: b"Korea1",
        cmap: include_bytes!(concat!(env!("OUT_DIR"), "/Adobe-Korea1-UCS2.bin")),
        parsed: OnceLock::new(),
    },
];

/// The CID → Unicode map of Adobe collection `ordering`, parsed on first use.
pub(crate) fn collection_map(ordering: &[u8]) -> Option<&'static ToUnicode> {
    let c = COLLECTIONS.iter().find(|c| c.ordering == ordering)?;
    c.parsed
        .get_or_init(|| ToUnicode::from_ranges(2, records(c.cmap)?))
        .as_ref()
}

/// The mappings build.rs encoded: per record, LEB128 numbers for the zigzag delta of
/// its first CID from the previous record's, its length less one, its unit count and
/// each UTF-16 unit as a zigzag delta from the one before. `None` if the data is cut
/// short or out of range (it is compiled in, so that means a build script bug).
fn records(mut bytes: &[u8]) -> Option<Vec<(u32, u32, Vec<u16>)>> {
    let mut records = Vec::new();
    let (mut code, mut unit) = (0i64, 0i64);
    while !bytes.is_empty() {
        code += unzigzag(leb128(&mut bytes)?);
        let lo = u32::try_from(code).ok()?;
        let hi = lo.checked_add(u32::try_from(leb128(&mut bytes)?).ok()?)?;
        let count = usize::try_from(leb128(&mut bytes)?).ok()?;
        let mut units = Vec::with_capacity(count.min(16));
        for _ in 0..count {
            unit += unzigzag(leb128(&mut bytes)?);
            units.push(u16::try_from(unit).ok()?);
        }
        records.push((lo, hi, units));
    }
    Some(records)
}

fn leb128(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// Whether a composite font's codes are CIDs of an Adobe collection we can map:
/// an Identity encoding and `/CIDSystemInfo` naming Adobe and the collection.
pub(crate) fn identity_collection<'d>(
    doc: &'d Document,
    font: &'d Dictionary,
    descendant: Option<&'d Dictionary>,
) -> Option<&'d [u8]> {
    let encoding = font.get(b"Encoding").and_then(Object::as_name).ok()?;
    if encoding != b"Identity-H" && encoding != b"Identity-V" {
        return None;
    }
    let info = descendant?.get(b"CIDSystemInfo").ok()?;
    let info = doc.dereference(info).ok()?.1.as_dict().ok()?;
    let registry = info.get(b"Registry").and_then(Object::as_str).ok()?;
    if registry != b"Adobe" {
        return None;
    }
    info.get(b"Ordering").and_then(Object::as_str).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_cids_of_each_collection() {
        // CID 1 is the space in every Adobe CJK collection.
        for ordering in [&b"GB1"[..], b"CNS1", b"Japan1", b"Korea1"] {
            let Some(map) = collection_map(ordering) else {
                panic!("no map for {}", String::from_utf8_lossy(ordering));
            };
            let mut space = String::new();
            assert!(map.write(1, 2, &mut space));
            assert_eq!(space, " ", "{}", String::from_utf8_lossy(ordering));
        }
        assert!(collection_map(b"Unknown").is_none());
    }

    /// Every two-byte code of every collection reads as the Adobe CMap it was
    /// encoded from, parsed as any embedded CMap is.
    #[test]
    fn compact_maps_read_as_the_cmaps() {
        let sources: [(&[u8], &[u8]); 4] = [
            (b"GB1", include_bytes!("../data/cmap/Adobe-GB1-UCS2")),
            (b"CNS1", include_bytes!("../data/cmap/Adobe-CNS1-UCS2")),
            (b"Japan1", include_bytes!("../data/cmap/Adobe-Japan1-UCS2")),
            (b"Korea1", include_bytes!("../data/cmap/Adobe-Korea1-UCS2")),
        ];
        for (ordering, source) in sources {
            let (Some(compact), Some(text)) = (collection_map(ordering), ToUnicode::parse(source))
            else {
                panic!("{} does not load", String::from_utf8_lossy(ordering));
            };
            let mut mapped = 0;
            for code in 0..=0xFFFF {
                let (mut a, mut b) = (String::new(), String::new());
                let found = compact.write(code, 2, &mut a);
                assert_eq!(found, text.write(code, 2, &mut b), "{code:04x}");
                assert_eq!(a, b, "{code:04x}");
                mapped += usize::from(found);
            }
            // Each collection maps over 18,000 CIDs.
            assert!(mapped > 18_000, "{mapped}");
        }
    }

    #[test]
    fn cut_records_are_refused() {
        assert!(records(&[0x02, 0x00, 0x01]).is_none());
        assert!(records(&[0x80]).is_none());
        assert_eq!(records(&[]), Some(Vec::new()));
        // CID 1 → U+0020, then CIDs 2..=3 → U+0021...
        assert_eq!(
            records(&[0x02, 0x00, 0x01, 0x40, 0x02, 0x01, 0x01, 0x02]),
            Some(vec![(1, 1, vec![0x20]), (2, 3, vec![0x21])])
        );
    }
}
