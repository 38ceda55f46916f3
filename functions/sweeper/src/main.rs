//! Scheduled (no route): deletes anonymous sessions older than 24 hours and
//! retries failed bucket object deletions. On Lambda it runs per schedule event;
//! from a shell (`cargo run -p sweeper`) it sweeps once and exits.

mod handler;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    rehearse_http::init_tracing();
    let state = handler::State::from_env(&rehearse_secrets::load().await?).await?;
    // The Lambda runtime (and `cargo lambda watch`) sets this; a shell does not.
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        let state = &*Box::leak(Box::new(state));
        lambda_runtime::run(lambda_runtime::service_fn(move |event| {
            handler::handler(state, event)
        }))
        .await
    } else {
        let report = handler::run(&state).await?;
        tracing::info!(?report, "swept");
        Ok(())
    }
}
