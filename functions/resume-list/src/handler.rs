use lambda_http::http::StatusCode;
use rehearse_http::{
    ApiError, Body, Page, Request, Response, StoreState, json_response, require_user,
};
use rehearse_resume_store::list;

pub type State = StoreState;

/// `limit` when the client gives none, and the most it may ask for (DESIGN).
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

/// The caller's resumes, newest first (`limit` ≤ 100, default 20; `offset`), each
/// with a presigned `file_url` made for this response, and how many there are.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.backend.auth, &req).await?;
    let page = Page::from_query(&req, DEFAULT_LIMIT, MAX_LIMIT)?;
    let (resumes, total) = list(&state.backend.db, &state.storage, &user, page).await?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "success": true,
            "resumes": resumes,
            "count": resumes.len(),
            "total": total,
            "limit": page.limit,
            "offset": page.offset,
        }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_resume::Resume;
    use rehearse_resume_store::testing::saved_upload;
    use rehearse_testkit::event;
    use rehearse_testkit::handlers::{self, as_caller, auth_user, store_state};
    use serde_json::Value;

    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n% stand-in body\n%%EOF\n";

    async fn call(state: &State, case: &str, user: Option<UserId>) -> (StatusCode, Value) {
        let req = as_caller(event("resume-list", case), user);
        handlers::call(handler, state, req).await
    }

    /// Store a resume for `user` the way an upload does (no parser needed).
    async fn seed(state: &State, user: UserId, name: &str) {
        let resume = Resume {
            name: Some(name.to_owned()),
            skills: vec!["Rust".into()],
            years_of_experience: Some(3.0),
            ..Resume::default()
        };
        let auth = auth_user(user).await;
        saved_upload(&state.backend.db, &state.storage, &auth, name, PDF, &resume).await;
    }

    #[tokio::test]
    async fn lists_newest_first_with_fresh_working_urls_and_the_total() {
        let (state, _database) = store_state().await;
        let ada = UserId::new_random();
        for name in ["first.pdf", "second.pdf", "third.pdf"] {
            seed(&state, ada, name).await;
        }
        let (status, body) = call(&state, "signed-in", Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["total"], 3);
        assert_eq!(
            (body["limit"].clone(), body["offset"].clone()),
            (20.into(), 0.into())
        );
        let resumes = body["resumes"].as_array().unwrap();
        let names: Vec<&str> = resumes
            .iter()
            .map(|r| r["file_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["third.pdf", "second.pdf", "first.pdf"]);
        let first = &resumes[0];
        assert_eq!(first["parsed_data"]["name"], "third.pdf");
        assert_eq!(first["skills"], serde_json::json!(["Rust"]));
        assert_eq!(first["experience_years"], 3.0);
        assert_eq!(first["file_size"], PDF.len());
        assert_eq!(first["has_file"], true);
        for resume in resumes {
            // The seed document's names, with the same values.
            assert_eq!(resume["file_size_bytes"], resume["file_size"], "{resume}");
            assert_eq!(resume["parsed_json"], resume["parsed_data"], "{resume}");
        }
        assert_eq!(first["parsed_json"]["name"], "third.pdf");
        let url = first["file_url"].as_str().unwrap();
        let fetched = reqwest::get(url).await.unwrap();
        assert!(fetched.status().is_success(), "{}", fetched.status());
        assert_eq!(fetched.bytes().await.unwrap().as_ref(), PDF);

        let (status, page) = call(&state, "page", Some(ada)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["total"], 3, "the real total, not the page's size");
        assert_eq!(page["count"], 1);
        assert_eq!(page["resumes"][0]["file_name"], "second.pdf");
    }

    #[tokio::test]
    async fn another_users_list_is_empty() {
        let (state, _database) = store_state().await;
        seed(&state, UserId::new_random(), "ada.pdf").await;
        let (status, body) = call(&state, "signed-in", Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["total"], 0);
        assert_eq!(body["resumes"], serde_json::json!([]));
    }

    #[tokio::test]
    async fn a_limit_over_100_and_anonymous_callers_are_refused() {
        let (state, _database) = store_state().await;
        let (status, body) = call(&state, "bad-limit", Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_query_parameter");
        let (status, body) = call(&state, "anonymous", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
    }
}
