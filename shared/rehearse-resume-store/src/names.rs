//! File names: the one shown to the user, and the one inside a bucket key.

use rehearse_core::UserId;
use unicode_normalization::UnicodeNormalization;

/// What an upload without a usable name is called.
pub const FALLBACK_FILE_NAME: &str = "resume.pdf";
/// `resumes.file_name` allows 1 to 255 characters.
const MAX_DISPLAY_CHARS: usize = 255;
/// The name part of a key: short enough that keys stay readable in a console.
const MAX_KEY_NAME_BYTES: usize = 100;

/// The name to store and show: the client's name without any directory part
/// (some clients send a whole path), control and invisible formatting characters
/// (a right-to-left override can disguise an extension), at most 255 characters.
pub fn display_file_name(raw: Option<&str>) -> String {
    let base = raw
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !hidden(*c)).collect();
    let name: String = cleaned.trim().chars().take(MAX_DISPLAY_CHARS).collect();
    let name = name.trim_end();
    if name.is_empty() || name.chars().all(|c| c == '.') {
        FALLBACK_FILE_NAME.to_owned()
    } else {
        name.to_owned()
    }
}

fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// The name part of a bucket key: ASCII letters, digits, `-`, `_` and single
/// dots only (accents are folded, `Résumé` becomes `Resume`; spaces become `_`),
/// never a path separator or `..`, at most 100 bytes, always ending in `.pdf`
/// (the content is a PDF whatever the name said), `resume.pdf` when nothing is left.
pub fn key_file_name(display: &str) -> String {
    let mut safe = String::new();
    for c in display.nfkd() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' => safe.push(c),
            '.' if safe.ends_with('.') => {}
            '.' => {
                // "cv .pdf" reads better as "cv.pdf" than as "cv_.pdf".
                if safe.ends_with('_') {
                    safe.pop();
                }
                safe.push('.');
            }
            c if (c == '_' || c.is_whitespace()) && !safe.ends_with(['.', '_']) => safe.push('_'),
            _ => {}
        }
    }
    let stem = match safe.len().checked_sub(4) {
        Some(cut)
            if safe
                .get(cut..)
                .is_some_and(|ext| ext.eq_ignore_ascii_case(".pdf")) =>
        {
            safe.get(..cut).unwrap_or_default()
        }
        _ => safe.as_str(),
    };
    let stem = stem
        .get(..stem.len().min(MAX_KEY_NAME_BYTES - 4))
        .unwrap_or_default();
    let stem = stem.trim_matches(['.', '_', '-']);
    if stem.chars().any(|c| c.is_ascii_alphanumeric()) {
        format!("{stem}.pdf")
    } else {
        FALLBACK_FILE_NAME.to_owned()
    }
}

/// `{user_id}/{unix_millis}_{key_file_name}`: the user's prefix keeps each
/// user's objects together (account deletion removes one prefix).
pub fn object_key(user: UserId, unix_millis: i128, key_name: &str) -> String {
    format!("{user}/{unix_millis}_{key_name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_lose_paths_and_hidden_characters() {
        assert_eq!(display_file_name(Some("Ada CV.pdf")), "Ada CV.pdf");
        assert_eq!(
            display_file_name(Some("C:\\Users\\ada\\Desktop\\cv.pdf")),
            "cv.pdf"
        );
        assert_eq!(display_file_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(display_file_name(Some("cv\u{202e}fdp.exe")), "cvfdp.exe");
        assert_eq!(display_file_name(Some("a\u{0}b\nc.pdf")), "abc.pdf");
        for empty in [
            None,
            Some(""),
            Some("   "),
            Some("dir/"),
            Some(".."),
            Some("\u{200b}"),
        ] {
            assert_eq!(display_file_name(empty), FALLBACK_FILE_NAME, "{empty:?}");
        }
        let long = "é".repeat(300);
        assert_eq!(display_file_name(Some(&long)).chars().count(), 255);
    }

    #[test]
    fn key_names_are_a_safe_ascii_subset() {
        assert_eq!(key_file_name("Ada CV.pdf"), "Ada_CV.pdf");
        assert_eq!(key_file_name("Résumé – 2024.PDF"), "Resume_2024.pdf");
        assert_eq!(key_file_name("../../etc/passwd"), "etcpasswd.pdf");
        assert_eq!(key_file_name("a..b...pdf"), "a.b.pdf");
        assert_eq!(key_file_name(".hidden"), "hidden.pdf");
        assert_eq!(key_file_name("cv.docx"), "cv.docx.pdf");
        assert_eq!(key_file_name("Ada CV .pdf"), "Ada_CV.pdf");
        for nothing in ["", "履歴書.pdf", "....", "/", "___.pdf", "%%%"] {
            assert_eq!(key_file_name(nothing), FALLBACK_FILE_NAME, "{nothing:?}");
        }
        let long = format!("{}.pdf", "x".repeat(500));
        let key = key_file_name(&long);
        assert_eq!(key.len(), 100);
        assert!(key.ends_with("x.pdf"));
    }

    #[test]
    fn every_key_name_is_safe_whatever_the_input() {
        let nasty = [
            "..\\..\\a",
            "a/../../b",
            "..",
            ".",
            "-rf .pdf",
            "a\u{0}.pdf",
            "💥.pdf",
            "a .. b",
            "CON",
            "x\u{202e}fdp.exe",
            " .pdf ",
            "a....pdf",
        ];
        for input in nasty {
            let key = key_file_name(&display_file_name(Some(input)));
            assert!(
                key.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
                "{input:?} -> {key:?}"
            );
            assert!(!key.contains(".."), "{input:?} -> {key:?}");
            assert!(!key.starts_with(['.', '-', '_']), "{input:?} -> {key:?}");
            assert!(
                key.ends_with(".pdf") && key.len() <= 100,
                "{input:?} -> {key:?}"
            );
        }
    }

    #[test]
    fn keys_live_under_the_users_prefix() {
        let user: UserId = "6f9619ff-8b86-d011-b42d-00c04fc964ff".parse().unwrap();
        assert_eq!(
            object_key(user, 1_700_000_000_123, "cv.pdf"),
            "6f9619ff-8b86-d011-b42d-00c04fc964ff/1700000000123_cv.pdf"
        );
    }
}
