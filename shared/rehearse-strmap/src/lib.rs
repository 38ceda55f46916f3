//! A perfect-hash map from `&str` keys to small `Copy` values, compiled into
//! the binary by a build script ([`codegen::map`]).
//!
//! Why not `phf::Map<&'static str, V>`: each of its keys is a pointer, and a
//! position-independent executable has the dynamic loader relocate every
//! pointer in static data at every start (a 24-byte entry each in
//! `.rela.dyn`, and the pages holding them copied and written). For the
//! embedding vocabulary's 30,000 tokens that was ~1.4 MB resident and part of
//! the zip. Here every key is a byte range of one string and the slots are
//! plain numbers: nothing to relocate, and only the pages a lookup reads are
//! ever loaded. The hash and displacements are `phf`'s (`phf_generator` at
//! build time, `phf_shared` at run time).

/// A map written by [`codegen::map`]; its fields are public only so that
/// generated code can build it as a `static`.
#[derive(Debug)]
pub struct StrMap<V: 'static> {
    #[doc(hidden)]
    pub key: phf_shared::HashKey,
    #[doc(hidden)]
    pub disps: &'static [(u32, u32)],
    /// Per slot: the key's byte range in `text`, and its value.
    #[doc(hidden)]
    pub slots: &'static [(u32, u32, V)],
    #[doc(hidden)]
    pub text: &'static str,
}

impl<V: Copy> StrMap<V> {
    pub fn get(&self, key: &str) -> Option<V> {
        if self.disps.is_empty() || self.slots.is_empty() {
            return None;
        }
        let hashes = phf_shared::hash(key, &self.key);
        let index = phf_shared::get_index(&hashes, self.disps, self.slots.len());
        let &(start, end, value) = self.slots.get(index as usize)?;
        (self.text.get(start as usize..end as usize)? == key).then_some(value)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Every key and value, in slot order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, V)> + '_ {
        let text = self.text;
        self.slots
            .iter()
            .filter_map(move |&(start, end, v)| Some((text.get(start as usize..end as usize)?, v)))
    }
}

/// For build scripts.
pub mod codegen {
    use std::collections::HashSet;
    use std::fmt::Write as _;
    use std::io;
    use std::path::Path;

    /// A map's parts before they are written out: what [`map`] prints, and
    /// what the tests read back.
    #[derive(Debug)]
    pub struct Layout<'a, T> {
        pub key: u64,
        pub disps: Vec<(u32, u32)>,
        pub slots: Vec<(u32, u32, &'a T)>,
        pub text: String,
    }

    /// Lays `entries` out: the hash, and every key's byte range in one text.
    /// Keys must be distinct: with a duplicate no perfect hash exists (the
    /// generator would search forever), so it is an `InvalidInput` error.
    pub fn layout<'a, T>(entries: &'a [(&str, T)]) -> io::Result<Layout<'a, T>> {
        let mut seen = HashSet::new();
        if let Some((dup, _)) = entries.iter().find(|(k, _)| !seen.insert(*k)) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("duplicate key {dup:?}"),
            ));
        }
        let n = |x: usize| {
            u32::try_from(x).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too large"))
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
        if keys.is_empty() {
            return Ok(Layout {
                key: 0,
                disps: Vec::new(),
                slots: Vec::new(),
                text: String::new(),
            });
        }
        let state = phf_generator::generate_hash(&keys);
        let mut text = String::new();
        let mut slots = Vec::with_capacity(entries.len());
        for &i in &state.map {
            let (k, v) = &entries[i];
            let start = n(text.len())?;
            text.push_str(k);
            slots.push((start, n(text.len())?, v));
        }
        Ok(Layout {
            key: state.key,
            disps: state.disps,
            slots,
            text,
        })
    }

    /// Rust source for `static {name}: rehearse_strmap::StrMap<{value_type}>`
    /// holding `entries` (key, the value as a Rust expression of that type).
    /// Its key text is written beside it in `out_dir` as `{name}.keys` and
    /// included from there.
    pub fn map(
        name: &str,
        value_type: &str,
        entries: &[(&str, String)],
        out_dir: &Path,
    ) -> io::Result<String> {
        let l = layout(entries)?;
        let file = format!("{name}.keys");
        write_if_changed(&out_dir.join(&file), l.text.as_bytes())?;
        let disps: String = l
            .disps
            .iter()
            .map(|(a, b)| format!("({a}, {b}), "))
            .collect();
        let mut slots = String::new();
        for (a, b, v) in &l.slots {
            let _ = write!(slots, "({a}, {b}, {v}), ");
        }
        Ok(format!(
            "static {name}: rehearse_strmap::StrMap<{value_type}> = rehearse_strmap::StrMap {{\n\
             \x20   key: {},\n\
             \x20   disps: &[{disps}],\n\
             \x20   slots: &[{slots}],\n\
             \x20   text: include_str!(concat!(env!(\"OUT_DIR\"), \"/{file}\")),\n\
             }};\n",
            l.key
        ))
    }

    /// Writes `bytes` unless the file already holds them, so an unchanged
    /// output does not make cargo rebuild what includes it.
    pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<()> {
        if std::fs::read(path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        std::fs::write(path, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The map `codegen::map` would print for `entries`, built from the same
    /// layout (leaked, as the generated code's statics are).
    fn built(entries: &[(&str, u32)]) -> StrMap<u32> {
        let l = match codegen::layout(entries) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        let slots: Vec<(u32, u32, u32)> = l.slots.iter().map(|&(a, b, v)| (a, b, *v)).collect();
        StrMap {
            key: l.key,
            disps: l.disps.leak(),
            slots: slots.leak(),
            text: l.text.leak(),
        }
    }

    #[test]
    fn finds_every_key_and_nothing_else() {
        let keys = ["alpha", "beta", "gamma", "##ing", "é", "a"];
        let entries: Vec<(&str, u32)> = keys.iter().zip(0..).map(|(k, i)| (*k, i * 10)).collect();
        let map = built(&entries);
        for (k, v) in &entries {
            assert_eq!(map.get(k), Some(*v), "{k}");
            assert!(map.contains_key(k));
        }
        for absent in ["", "alph", "alphaa", "Beta", "delta", "##", "e"] {
            assert_eq!(map.get(absent), None, "{absent}");
        }
        assert_eq!(map.len(), keys.len());
        let mut seen: Vec<(&str, u32)> = map.entries().collect();
        seen.sort_unstable();
        let mut want = entries.clone();
        want.sort_unstable();
        assert_eq!(seen, want);
    }

    #[test]
    fn an_empty_map_finds_nothing_and_duplicates_are_refused() {
        let map = built(&[]);
        assert!(map.is_empty());
        assert_eq!(map.get("alpha"), None);
        assert_eq!(map.get(""), None);
        let dup = codegen::layout(&[("a", 1), ("b", 2), ("a", 3)]);
        assert!(matches!(dup, Err(e) if e.to_string().contains("\"a\"")));
    }

    #[test]
    fn the_generated_source_names_its_parts() {
        let dir = std::env::temp_dir().join(format!("strmap-test-{}", std::process::id()));
        let made = std::fs::create_dir_all(&dir).and_then(|()| {
            codegen::map(
                "WORDS",
                "u8",
                &[("x", "1".into()), ("yy", "2".into())],
                &dir,
            )
        });
        let code = match made {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert!(code.starts_with("static WORDS: rehearse_strmap::StrMap<u8> ="));
        assert!(code.contains("\"/WORDS.keys\""));
        let text = std::fs::read_to_string(dir.join("WORDS.keys")).unwrap_or_default();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(code.contains(", 1), ") && code.contains(", 2), "), "{code}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
