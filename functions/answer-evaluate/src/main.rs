//! Score one answer outside any session (the database only counts quotas).

mod handler;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    rehearse_http::init_tracing();
    rehearse_session_store::warm_up_scoring()?;
    let state = handler::State::from_env(&rehearse_secrets::load().await?)?;
    rehearse_http::serve(state, handler::handler).await
}
