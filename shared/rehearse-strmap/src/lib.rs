//! A perfect-hash map from `&str` keys to small `Copy` values, compiled into
//! the binary by a build script (feature `codegen`).
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
    pub key: phf_shared::HashKey,
    pub disps: &'static [(u32, u32)],
    /// Per slot: the key's byte range in `text`, and its value.
    pub slots: &'static [(u32, u32, V)],
    pub text: &'static str,
}

impl<V: Copy> StrMap<V> {
    pub fn get(&self, key: &str) -> Option<V> {
        if self.disps.is_empty() {
            return None;
        }
        let hashes = phf_shared::hash(key, &self.key);
        let index = phf_shared::get_index(&hashes, self.disps, self.slots.len());
        let &(start, end, value) = self.slots.get(index as usize)?;
        (self.text.get(start as usize..end as usize)? == key).then_some(value)
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

#[cfg(feature = "codegen")]
pub mod codegen {
    use std::fmt::Write as _;
    use std::path::Path;

    /// Rust source for `static {name}: rehearse_strmap::StrMap<{value_type}>`
    /// holding `entries` (key, the value as a Rust expression of that type;
    /// keys must be distinct). Its key text is written beside it in `out_dir`
    /// as `{name}.keys` and included from there.
    pub fn map(
        name: &str,
        value_type: &str,
        entries: &[(&str, String)],
        out_dir: &Path,
    ) -> std::io::Result<String> {
        let keys: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
        let (key, disps, order) = if keys.is_empty() {
            (0, Vec::new(), Vec::new())
        } else {
            let state = phf_generator::generate_hash(&keys);
            (state.key, state.disps, state.map)
        };
        let mut text = String::new();
        let mut slots = String::new();
        for i in order {
            let (k, v) = &entries[i];
            let start = text.len();
            text.push_str(k);
            let _ = write!(slots, "({start}, {}, {v}), ", text.len());
        }
        let file = format!("{name}.keys");
        write_if_changed(&out_dir.join(&file), text.as_bytes())?;
        let disps: String = disps.iter().map(|(a, b)| format!("({a}, {b}), ")).collect();
        Ok(format!(
            "static {name}: rehearse_strmap::StrMap<{value_type}> = rehearse_strmap::StrMap {{\n\
             \x20   key: {key},\n\
             \x20   disps: &[{disps}],\n\
             \x20   slots: &[{slots}],\n\
             \x20   text: include_str!(concat!(env!(\"OUT_DIR\"), \"/{file}\")),\n\
             }};\n"
        ))
    }

    /// Writes `bytes` unless the file already holds them, so an unchanged
    /// output does not make cargo rebuild what includes it.
    pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if std::fs::read(path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        std::fs::write(path, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A map as `codegen::map` lays it out for two keys, written by hand: the
    // hash key and displacements come from phf_generator in real use, so the
    // test builds them the same way.
    #[test]
    fn finds_every_key_and_nothing_else() {
        let keys = ["alpha", "beta", "gamma", "##ing", "é"];
        let state = phf_generator_for_tests(&keys);
        let mut text = String::new();
        let mut slots = Vec::new();
        for &i in &state.2 {
            let start = text.len() as u32;
            text.push_str(keys[i]);
            slots.push((start, text.len() as u32, i as u32 * 10));
        }
        let map = StrMap {
            key: state.0,
            disps: Box::leak(state.1.into_boxed_slice()),
            slots: Box::leak(slots.into_boxed_slice()),
            text: Box::leak(text.into_boxed_str()),
        };
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(map.get(k), Some(i as u32 * 10), "{k}");
        }
        for absent in ["", "alph", "alphaa", "Beta", "delta"] {
            assert_eq!(map.get(absent), None, "{absent}");
        }
        assert_eq!(map.len(), keys.len());
        let mut seen: Vec<&str> = map.entries().map(|(k, _)| k).collect();
        seen.sort_unstable();
        let mut want = keys.to_vec();
        want.sort_unstable();
        assert_eq!(seen, want);
        let empty: StrMap<u32> = StrMap {
            key: 0,
            disps: &[],
            slots: &[],
            text: "",
        };
        assert_eq!(empty.get("alpha"), None);
        assert!(empty.is_empty());
    }

    #[allow(clippy::type_complexity)]
    fn phf_generator_for_tests(keys: &[&str]) -> (u64, Vec<(u32, u32)>, Vec<usize>) {
        let s = phf_generator::generate_hash(keys);
        (s.key, s.disps, s.map)
    }
}
