//! The embedding table's fingerprint, shared by build.rs (which records it
//! for the table it compiled against) and the crate (which checks the file it
//! opens): SipHash-1-3 of the table's header and per-row scales. Not a
//! defence against a crafted file, which the deployment's own integrity
//! covers; it catches a model layer or path from another build.

use std::hash::Hasher;

pub fn of(bytes: &[u8]) -> u64 {
    let mut h = siphasher::sip::SipHasher13::new();
    h.write(bytes);
    h.finish()
}
