//! Whether this deployment can reach its database and bucket.

mod handler;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    rehearse_http::init_tracing();
    let state = handler::State::from_env(&rehearse_secrets::load().await?).await?;
    rehearse_http::serve(state, handler::handler).await
}
