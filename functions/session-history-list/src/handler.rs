use lambda_http::http::StatusCode;
use rehearse_db::history::{self, SessionFilter};
use rehearse_http::{
    ApiError, Backend, Body, Page, Request, Response, json_response, query_param, require_user,
};

pub type State = Backend;

/// `limit` when the client gives none, and the most it may ask for (DESIGN).
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;
/// The schema's bound on `target_role`: a longer filter can match nothing.
const MAX_ROLE_CHARS: usize = 200;

/// The caller's sessions, newest first (`limit` ≤ 100, default 20; `offset`),
/// optionally only those with `status` and/or `target_role`, and how many match
/// in all (not the page's length).
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.auth, &req).await?;
    let page = Page::from_query(&req, DEFAULT_LIMIT, MAX_LIMIT)?;
    let filter = filter(&req)?;
    let found = state
        .db
        .as_user(&user, async |tx| {
            history::list_sessions(
                tx,
                user.id,
                &filter,
                i64::from(page.limit),
                i64::from(page.offset),
            )
            .await
        })
        .await?;
    let count = found.sessions.as_array().map_or(0, Vec::len);
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "success": true,
            "sessions": found.sessions,
            "count": count,
            "total": found.total,
            "limit": page.limit,
            "offset": page.offset,
        }),
    )
}

fn filter(req: &Request) -> Result<SessionFilter, ApiError> {
    let status = query_param::<String>(req, "status")?;
    if let Some(s) = &status
        && !matches!(s.as_str(), "in_progress" | "completed" | "abandoned")
    {
        return Err(ApiError::bad_request(
            "invalid_query_parameter",
            "query parameter status must be in_progress, completed or abandoned",
        ));
    }
    let target_role = query_param::<String>(req, "target_role")?;
    if target_role
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_ROLE_CHARS)
    {
        return Err(ApiError::bad_request(
            "invalid_query_parameter",
            format!("query parameter target_role is longer than {MAX_ROLE_CHARS} characters"),
        ));
    }
    Ok(SessionFilter {
        status,
        target_role,
    })
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_session_store::testing::completed_session;
    use rehearse_testkit::event;
    use rehearse_testkit::handlers::{self, as_caller, auth_user, backend_state};
    use serde_json::Value;

    use super::*;

    async fn call(state: &State, case: &str, user: Option<UserId>) -> (StatusCode, Value) {
        let req = as_caller(event("session-history-list", case), user);
        handlers::call(handler, state, req).await
    }

    const ANSWER: &str = "I profiled the slow endpoint, found an N+1 query, batched it and cut p99 latency by 80 percent.";

    fn ids(body: &Value) -> Vec<String> {
        body["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect()
    }

    #[tokio::test]
    async fn lists_only_the_callers_sessions_newest_first_with_the_real_total() {
        let (state, _database) = backend_state::<State>().await;
        let (ada, bob) = (UserId::new_random(), UserId::new_random());
        let ada_auth = auth_user(ada).await;
        let bob_auth = auth_user(bob).await;
        let first = completed_session(&state.db, &ada_auth, "Backend Engineer", 3, ANSWER).await;
        let second = completed_session(&state.db, &ada_auth, "Data Engineer", 2, ANSWER).await;
        let bobs = completed_session(&state.db, &bob_auth, "Data Engineer", 2, ANSWER).await;

        let (status, body) = call(&state, "signed-in", Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total"], 2);
        assert_eq!(ids(&body), [second.to_string(), first.to_string()]);
        let newest = &body["sessions"][0];
        assert_eq!(newest["status"], "completed");
        assert_eq!(newest["target_role"], "Data Engineer");
        assert_eq!(newest["questions_skipped"], 1);
        assert!(newest["overall_score"].is_number(), "{newest}");
        // The seed document's names, with the same values.
        for session in body["sessions"].as_array().unwrap() {
            assert_eq!(session["job_role"], session["target_role"], "{session}");
            let seconds = session["total_time_seconds"].as_i64().unwrap();
            assert_eq!(
                session["duration_minutes"],
                (seconds + 30) / 60,
                "whole minutes, half a minute rounding up: {session}"
            );
        }
        assert_eq!(newest["job_role"], "Data Engineer");

        let (_, page) = call(&state, "page", Some(ada)).await;
        assert_eq!(page["total"], 2, "the real total, not the page's size");
        assert_eq!(ids(&page), [first.to_string()]);

        let (_, filtered) = call(&state, "filtered", Some(ada)).await;
        assert_eq!(filtered["total"], 1);
        assert_eq!(ids(&filtered), [second.to_string()]);

        let (_, theirs) = call(&state, "signed-in", Some(bob)).await;
        assert_eq!(ids(&theirs), [bobs.to_string()]);
        assert_eq!(theirs["total"], 1);

        let (_, nobody) = call(&state, "signed-in", Some(UserId::new_random())).await;
        assert_eq!(nobody["total"], 0);
        assert_eq!(nobody["sessions"], serde_json::json!([]));
    }

    #[tokio::test]
    async fn bad_parameters_and_anonymous_callers_are_refused() {
        let (state, _database) = backend_state::<State>().await;
        // `nul-role`: a NUL character (`%00`) would reach Postgres, which refuses it in text.
        for case in ["bad-limit", "bad-status", "nul-role"] {
            let (status, body) = call(&state, case, Some(UserId::new_random())).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {body}");
            assert_eq!(body["error"]["code"], "invalid_query_parameter");
        }
        let (status, body) = call(&state, "anonymous", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
    }
}
