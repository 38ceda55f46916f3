//! The whole upload path on arbitrary bytes: `parse_pdf` (extraction + structure)
//! must return `Ok` or `Err` for every input, never panic, overflow or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rehearse_resume::Limits;

fuzz_target!(|data: &[u8]| {
    let _ = rehearse_resume::parse_pdf(data, &Limits::default());
});
