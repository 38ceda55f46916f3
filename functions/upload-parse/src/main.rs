//! Parse a PDF resume uploaded straight to the bucket and keep it.

mod handler;

fn main() -> Result<(), lambda_http::Error> {
    // Before anything else, and before any thread exists: when this process is
    // the isolated PDF parser its parent spawned, it parses stdin and exits here.
    rehearse_isolate::run_worker_if_requested();
    tokio::runtime::Runtime::new()?.block_on(async {
        rehearse_http::init_tracing();
        let state = handler::State::from_env(&rehearse_secrets::load().await?).await?;
        rehearse_http::serve(state, handler::handler).await
    })
}
