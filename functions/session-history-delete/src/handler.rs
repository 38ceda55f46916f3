use lambda_http::http::StatusCode;
use rehearse_core::SessionId;
use rehearse_db::history;
use rehearse_http::{
    ApiError, Backend, Body, Request, Response, json_response, path_param, require_user,
};

pub type State = Backend;

/// Delete one of the caller's sessions and its answers; their statistics are
/// rebuilt from the remaining rows in the same transaction, so they stay exact.
/// Someone else's session is a 404 like a missing one.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.auth, &req).await?;
    let id: SessionId = path_param(&req, "session_id")?;
    state
        .db
        .as_user(&user, async |tx| {
            history::delete_session(tx, user.id, id).await
        })
        .await?
        .ok_or(ApiError::NotFound { what: "session" })?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "success": true,
            "message": "session deleted",
            "session_id": id,
        }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::{AuthUser, UserId};
    use rehearse_db::statistics::{self, Statistics};
    use rehearse_session_store::testing::{completed_session, for_session};
    use rehearse_testkit::event;
    use rehearse_testkit::handlers::{
        self, auth_user, backend_state, count, event_as, signed_in_as,
    };
    use serde_json::Value;

    use super::*;

    async fn call(state: &State, id: SessionId, user: Option<UserId>) -> (StatusCode, Value) {
        let req = for_session(event_as("session-history-delete", user), id);
        handlers::call(handler, state, req).await
    }

    /// The stored row, and the row rebuilt from the raw session and answer rows.
    async fn stored_and_recomputed(state: &State, user: &AuthUser) -> (Statistics, Statistics) {
        let stored = state
            .db
            .as_user(user, async |tx| statistics::get(tx, user.id).await)
            .await
            .unwrap()
            .unwrap();
        let recomputed = state
            .db
            .as_user(user, async |tx| statistics::recompute(tx, user.id).await)
            .await
            .unwrap();
        (stored, recomputed)
    }

    fn comparable(mut s: Statistics) -> Statistics {
        s.updated_at = time::OffsetDateTime::UNIX_EPOCH;
        s
    }

    const ANSWER: &str = "I set up canary deploys with automatic rollback on error-rate alarms, which caught two bad releases.";

    #[tokio::test]
    async fn deleting_a_session_removes_its_answers_and_updates_the_statistics() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let auth = auth_user(ada).await;
        let keep = completed_session(&state.db, &auth, "Backend Engineer", 3, ANSWER).await;
        let gone = completed_session(&state.db, &auth, "Data Engineer", 2, ANSWER).await;
        let (status, body) = call(&state, gone, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["session_id"], gone.to_string());
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_sessions").await,
            1
        );
        assert_eq!(
            count(
                &database,
                "SELECT count(DISTINCT session_id) FROM interview_answers"
            )
            .await,
            1
        );
        let (stored, recomputed) = stored_and_recomputed(&state, &auth).await;
        assert_eq!(stored.total_interviews, 1);
        assert_eq!(stored.most_common_role.as_deref(), Some("Backend Engineer"));
        assert_eq!(comparable(stored), comparable(recomputed));
        let _ = keep;

        let (status, _) = call(&state, gone, Some(ada)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "already deleted");
    }

    #[tokio::test]
    async fn another_users_session_is_404_and_stays() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let auth = auth_user(ada).await;
        let id = completed_session(&state.db, &auth, "Backend Engineer", 2, ANSWER).await;
        let (status, body) = call(&state, id, Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
        let (status, body) = call(&state, id, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
        let req = signed_in_as(event("session-history-delete", "invalid-id"), ada);
        let (status, body) = handlers::call(handler, &state, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_sessions").await,
            1
        );
        let stats = state
            .db
            .as_user(&auth, async |tx| statistics::get(tx, ada).await)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stats.total_interviews, 1);
    }

    /// Completions and deletions for one user at the same time, through the
    /// pooler: afterwards the stored row equals a recomputation from the raw rows.
    #[tokio::test]
    async fn statistics_stay_exact_under_concurrent_completions_and_deletions() {
        let (state, database) = backend_state::<State>().await;
        let state = std::sync::Arc::new(state);
        let ada = UserId::new_random();
        let auth = auth_user(ada).await;
        let roles = ["Backend Engineer", "Data Engineer", "SRE"];
        let mut doomed = Vec::new();
        for i in 0..6 {
            doomed.push(completed_session(&state.db, &auth, roles[i % 3], 2, ANSWER).await);
        }
        let mut tasks = Vec::new();
        for (i, id) in doomed.into_iter().enumerate() {
            let state = state.clone();
            tasks.push(tokio::spawn(async move {
                let (status, body) = call(&state, id, Some(ada)).await;
                assert_eq!(status, StatusCode::OK, "delete {i}: {body}");
            }));
        }
        for i in 0..6 {
            let (state, auth) = (state.clone(), auth.clone());
            tasks.push(tokio::spawn(async move {
                completed_session(&state.db, &auth, roles[(i + 1) % 3], 3, ANSWER).await;
            }));
        }
        for t in futures_util::future::join_all(tasks).await {
            t.unwrap();
        }
        let (stored, recomputed) = stored_and_recomputed(&state, &auth).await;
        assert_eq!(stored.total_interviews, 6);
        assert_eq!(stored.total_questions_answered, 12);
        assert_eq!(stored.total_questions_skipped, 6);
        assert_eq!(comparable(stored), comparable(recomputed));

        // The dashboard read model, rebuilt by triggers at each commit, equals
        // the document computed from the tables now.
        let stored = history::dashboard(&state.db, &auth).await.unwrap();
        let recomputed = state
            .db
            .as_user(&auth, async |tx| {
                history::dashboard_recomputed(tx, ada).await
            })
            .await
            .unwrap();
        assert_eq!(stored, recomputed);
        assert_eq!(stored["total_sessions"], 6);
        assert_eq!(stored["statistics"]["total_interviews"], 6);
        let stored_row: i64 = count(
            &database,
            &format!("SELECT count(*) FROM user_dashboards WHERE user_id = '{ada}'"),
        )
        .await;
        assert_eq!(stored_row, 1);
    }
}
