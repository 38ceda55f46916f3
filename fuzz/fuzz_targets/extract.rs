//! Text extraction alone (`rehearse_pdf::extract`) on arbitrary bytes: faster per
//! input than `parse_pdf`, so more of the PDF parser and interpreter is explored.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rehearse_pdf::Limits;

fuzz_target!(|data: &[u8]| {
    let _ = rehearse_pdf::extract(data, &Limits::default());
});
