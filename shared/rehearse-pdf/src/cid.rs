//! Unicode for CID-keyed CJK fonts that carry no ToUnicode map: with an Identity
//! encoding the code is the CID, and Adobe's published maps turn the CIDs of its
//! character collections (GB1, CNS1, Japan1, Korea1) into Unicode.

use std::sync::OnceLock;

use lopdf::{Dictionary, Document, Object};

use crate::tounicode::ToUnicode;

struct Collection {
    ordering: &'static [u8],
    cmap: &'static [u8],
    parsed: OnceLock<Option<ToUnicode>>,
}

static COLLECTIONS: [Collection; 4] = [
    Collection {
        ordering: b"GB1",
        cmap: include_bytes!("../data/cmap/Adobe-GB1-UCS2"),
        parsed: OnceLock::new(),
    },
    Collection {
        ordering: b"CNS1",
        cmap: include_bytes!("../data/cmap/Adobe-CNS1-UCS2"),
        parsed: OnceLock::new(),
    },
    Collection {
        ordering: b"Japan1",
        cmap: include_bytes!("../data/cmap/Adobe-Japan1-UCS2"),
        parsed: OnceLock::new(),
    },
    Collection {
        ordering: b"Korea1",
        cmap: include_bytes!("../data/cmap/Adobe-Korea1-UCS2"),
        parsed: OnceLock::new(),
    },
];

/// The CID → Unicode map of Adobe collection `ordering`, parsed on first use.
pub(crate) fn collection_map(ordering: &[u8]) -> Option<&'static ToUnicode> {
    let c = COLLECTIONS.iter().find(|c| c.ordering == ordering)?;
    c.parsed.get_or_init(|| ToUnicode::parse(c.cmap)).as_ref()
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
}
