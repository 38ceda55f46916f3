//! Link annotations: where a page links to a web address. Resumes put their profile
//! links behind icons and handles, and a narrow sidebar wraps a long address over
//! two lines; the annotation has the whole target either way.

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::Link;

/// At most this many annotations are read per page (a hostile file can list millions).
const MAX_ANNOTATIONS: usize = 500;
/// Longer targets are not profile links (and not worth keeping).
const MAX_URI_BYTES: usize = 2048;

/// The page's links to web addresses (`http`, `https` or a bare `www.`), in the
/// order the page lists them; `mailto:` and `tel:` targets are left out (the text
/// carries those).
pub(crate) fn web_links(
    doc: &Document,
    page_id: ObjectId,
    page: usize,
    origin: (f32, f32),
    height: f32,
) -> Vec<Link> {
    let Ok(page_dict) = doc.get_dictionary(page_id) else {
        return Vec::new();
    };
    let Some(annots) = page_dict
        .get(b"Annots")
        .ok()
        .and_then(|o| resolve(doc, o).as_array().ok())
    else {
        return Vec::new();
    };
    annots
        .iter()
        .take(MAX_ANNOTATIONS)
        .filter_map(|a| resolve(doc, a).as_dict().ok())
        .filter_map(|annot| link(doc, annot, page, origin, height))
        .collect()
}

fn link(
    doc: &Document,
    annot: &Dictionary,
    page: usize,
    origin: (f32, f32),
    height: f32,
) -> Option<Link> {
    if annot.get(b"Subtype").and_then(Object::as_name).ok()? != b"Link" {
        return None;
    }
    let action = resolve(doc, annot.get(b"A").ok()?).as_dict().ok()?;
    let uri = match resolve(doc, action.get(b"URI").ok()?) {
        Object::String(bytes, _) if bytes.len() <= MAX_URI_BYTES => {
            String::from_utf8_lossy(bytes).trim().to_owned()
        }
        _ => return None,
    };
    let lower = uri.to_ascii_lowercase();
    let web =
        lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.");
    if !web || uri.chars().any(char::is_control) {
        return None;
    }
    let rect: Vec<f32> = resolve(doc, annot.get(b"Rect").ok()?)
        .as_array()
        .ok()?
        .iter()
        .filter_map(|v| resolve(doc, v).as_float().ok())
        .collect();
    let [a, b, c, d] = rect.as_slice() else {
        return None;
    };
    let (x0, x1) = (a.min(*c) - origin.0, a.max(*c) - origin.0);
    let (bottom, top) = (b.min(*d) - origin.1, b.max(*d) - origin.1);
    Some(Link {
        uri,
        page,
        x0,
        y0: height - top,
        x1,
        y1: height - bottom,
    })
}

fn resolve<'d>(doc: &'d Document, o: &'d Object) -> &'d Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}
