//! Profile links: the addresses written among the contact details (a wrapped one
//! rejoined), labelled ones anywhere (`Blog: http://...`), and the targets of the
//! link annotations over the contact details (icons and bare handles link to the
//! whole address, and an annotation has it whole where the text wraps).

use rehearse_pdf::Link;

use crate::Links;
use crate::contact;
use crate::sections::Placed;

/// The resume's profile links. `contact_lines` are the header and the contact or
/// links sections, in reading order; `all` every placed line; `annotations` the
/// document's link annotations.
pub fn profile_links(contact_lines: &[&Placed], all: &[Placed], annotations: &[Link]) -> Links {
    let mut written: Vec<String> = Vec::new();
    for text in rejoined(contact_lines) {
        written.extend(contact::urls(&text));
    }
    for p in all {
        if let Some(url) = labelled(&p.line.text) {
            written.push(url);
        }
    }
    let anchored: Vec<&Link> = annotations
        .iter()
        .filter(|a| contact_lines.iter().any(|p| anchors(a, p)))
        .collect();
    let mut links = Links::default();
    for url in &written {
        // A written address the annotation continues was cut (`.../ingrid-sorensen-`).
        let key = contact::link_key(url);
        let whole = anchored.iter().find(|a| {
            let target = contact::link_key(&a.uri);
            target.len() > key.len() && target.starts_with(&key)
        });
        match whole {
            Some(a) => contact::add_link(&mut links, a.uri.clone()),
            None => contact::add_link(&mut links, url.clone()),
        }
    }
    for a in anchored {
        if !is_bare_site(&contact::link_key(&a.uri)) {
            contact::add_link(&mut links, a.uri.clone());
        }
    }
    links
}

/// `github.com` or `linkedin.com` without a path: the site, not a profile on it.
fn is_bare_site(key: &str) -> bool {
    !key.contains('/')
        && [
            "github.com",
            "linkedin.com",
            "gitlab.com",
            "x.com",
            "twitter.com",
        ]
        .contains(&key)
}

/// Whether annotation `a` lies over line `p`, a contact line (a few words, or an
/// address): a link inside a sentence is no profile.
fn anchors(a: &Link, p: &Placed) -> bool {
    let l = p.line;
    let contact_like = l
        .text
        .split('\t')
        .all(|cell| cell.split_whitespace().count() <= 6)
        || contact::has_url(&l.text);
    contact_like
        && a.page == p.page
        && l.y >= a.y0 - 2.0
        && l.y <= a.y1 + l.size * 0.5 + 2.0
        && l.x < a.x1
        && l.x1.max(l.x + 1.0) > a.x0
}

/// The contact lines' texts with an address that wraps onto the next line rejoined:
/// the line ends in an address cut at `-`, `/` or `_` (or the next line opens with
/// one of them), and the next line is one token of address characters.
fn rejoined(lines: &[&Placed]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut previous: Option<&Placed> = None;
    for p in lines {
        let text = p.line.text.trim();
        let continues = previous.is_some_and(|a| {
            let prev = a.line.text.trim();
            let tail = prev.rsplit([' ', '\t']).next().unwrap_or_default();
            a.page == p.page
                && a.line.column == p.line.column
                && p.line.y > a.line.y
                && p.line.y - a.line.y <= a.line.size * 1.8
                && contact::has_url(tail)
                && is_address_piece(text)
                && (tail.ends_with(['-', '/', '_', '.']) || text.starts_with(['-', '/', '_', '.']))
        });
        match out.last_mut() {
            Some(last) if continues => last.push_str(text),
            _ => out.push(text.to_owned()),
        }
        previous = Some(p);
    }
    out
}

/// One token of characters an address's path is made of, and no address itself.
fn is_address_piece(text: &str) -> bool {
    !text.is_empty()
        && !text.contains('@')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "-._~/%#?=&+:".contains(c))
        // Not an address of its own (`example.com`), only the rest of one (`-sre`).
        && (!contact::has_url(text) || text.starts_with(['-', '/', '.']))
}

/// `Blog: http://your.blog.me`, `• GitHub: https://github.com/ada`: a line that is a
/// short label and one address.
fn labelled(text: &str) -> Option<String> {
    let t = text.trim_start_matches(['•', '*', '-', '▪', ' ']).trim();
    let (label, rest) = t.split_once(':')?;
    // `https://...` splits at its own colon: the label must come before an address.
    if label.split_whitespace().count() > 3
        || label.contains(['/', ',', '.'])
        || label.trim().is_empty()
        || rest.starts_with("//")
    {
        return None;
    }
    let rest = rest.trim();
    let urls = contact::urls(rest);
    match urls.as_slice() {
        [url] if rest.len() <= url.len() + 10 && !rest.contains(' ') => Some(url.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_before_addresses() {
        assert_eq!(
            labelled("• Blog: http://your.blog.me").as_deref(),
            Some("http://your.blog.me")
        );
        assert_eq!(
            labelled("GitHub: https://github.com/username").as_deref(),
            Some("https://github.com/username")
        );
        assert_eq!(
            labelled("Built the site at example.com for a client: done"),
            None
        );
        assert_eq!(labelled("https://example.com"), None);
    }

    #[test]
    fn address_pieces() {
        assert!(is_address_piece("design"));
        assert!(is_address_piece("-sre"));
        assert!(!is_address_piece("Danish - native"));
        assert!(!is_address_piece("ada@example.com"));
    }
}
