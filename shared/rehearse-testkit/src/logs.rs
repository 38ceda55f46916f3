//! Capturing what a request writes to the logs, in the production format.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

/// A log sink tests read back. Pass [`LogCapture::writer`] to
/// `rehearse_http::json_logs` and install that with `tracing::subscriber::set_default`.
#[derive(Debug, Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    /// A `MakeWriter` (tracing-subscriber takes any `Fn() -> impl Write`).
    pub fn writer(&self) -> impl Fn() -> CaptureWriter + Send + Sync + 'static {
        let sink = self.0.clone();
        move || CaptureWriter(sink.clone())
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[derive(Debug)]
pub struct CaptureWriter(Arc<Mutex<Vec<u8>>>);

impl Write for CaptureWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
