//! Store the signed-in user's uploaded PDF resume, parsed.

mod handler;

fn main() -> Result<(), lambda_http::Error> {
    // When this process is the isolated PDF parser its parent spawned, it parses
    // stdin and exits before any runtime or thread exists.
    rehearse_isolate::run_worker_or_block_on(async {
        rehearse_http::init_tracing();
        let state = handler::State::from_env(&rehearse_secrets::load().await?).await?;
        rehearse_http::serve(state, handler::handler).await
    })
}
