//! Finalize the session once and return its summary; signed in, also save it and claim an anonymous session.

mod handler;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    rehearse_http::init_tracing();
    let state = handler::State::from_env(&rehearse_secrets::load().await?)?;
    rehearse_http::serve(state, handler::handler).await
}
