//! Score the answer to the current question of a standard session and store it once.

mod handler;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    rehearse_http::init_tracing();
    rehearse_session_store::warm_up_scoring()?;
    let state = handler::State::from_env(&rehearse_secrets::load().await?)?;
    rehearse_http::serve(state, handler::handler).await
}
