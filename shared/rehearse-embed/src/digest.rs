//! The embedding table's fingerprint, shared by build.rs (which records it
//! for the table it compiled against) and the crate (which checks the file it
//! opens): SipHash-1-3 of the table's header and per-row scales. Not a
//! defence against a crafted file, which the deployment's own integrity
//! covers; it catches a model layer or path from another build.

use std::hash::Hasher;

/// The digest of bytes fed in pieces: the same as [`of`] their concatenation.
pub struct Digest(siphasher::sip::SipHasher13);

impl Digest {
    pub fn new() -> Self {
        Self(siphasher::sip::SipHasher13::new())
    }

    pub fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

#[cfg_attr(not(test), allow(dead_code))]
pub fn of(bytes: &[u8]) -> u64 {
    let mut d = Digest::new();
    d.write(bytes);
    d.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_digest_of_pieces_is_the_digest_of_the_whole() {
        let bytes: Vec<u8> = (0..40_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut d = super::Digest::new();
        for piece in bytes.chunks(16 * 1024) {
            d.write(piece);
        }
        assert_eq!(d.finish(), super::of(&bytes));
        assert_ne!(super::of(&bytes[1..]), super::of(&bytes));
    }
}
