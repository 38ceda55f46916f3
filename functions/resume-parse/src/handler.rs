use lambda_http::http::StatusCode;
use rehearse_core::AuthUser;
use rehearse_http::{ApiError, Body, Bucket, Request, Response, json_response, multipart_file};
use rehearse_resume_store::{PdfUpload, UploadState, parse, save};

pub type State = UploadState;

/// Parse an uploaded PDF resume (multipart field `file`). Anonymous callers get
/// the parsed resume and nothing is kept; signed-in callers also get the PDF
/// stored in the bucket and a `resumes` row, both or neither.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    // Before reading the upload: a present but invalid token is a 401, never a
    // silent anonymous parse that would not be saved.
    let (auth, db) = (&state.backend.auth, &state.backend.db);
    let work = |caller| parse_and_keep(state, &req, caller);
    state
        .quotas
        .metered(auth, db, Bucket::Resume, &req, work)
        .await
}

async fn parse_and_keep(
    state: &State,
    req: &Request,
    user: Option<AuthUser>,
) -> Result<Response<Body>, ApiError> {
    let file = multipart_file(req, "file", state.max_upload_bytes()).await?;
    let upload = PdfUpload::from_file(file)?;
    let resume = parse(&state.parser, &upload).await?;
    let mut body = serde_json::json!({
        "success": true,
        "data": resume,
        "filename": upload.file_name,
        "saved_to_database": false,
    });
    let Some(user) = user else {
        return json_response(StatusCode::OK, &body);
    };
    let saved = save(&state.backend.db, &state.storage, &user, &upload, &resume).await;
    match saved.map_err(ApiError::from) {
        Ok(stored) => {
            body["saved_to_database"] = true.into();
            body["resume_id"] = serde_json::json!(stored.id);
        }
        // The parse is what the caller came for: with the bucket or the database
        // down it is still theirs, unsaved, and the answer says why (both or
        // neither of object and row were kept, as always).
        Err(e @ ApiError::Unavailable { .. }) => {
            tracing::warn!(
                code = e.code(),
                "resume parsed but not saved: a dependency is down"
            );
            body["save_error"] = serde_json::json!({ "code": e.code(), "message": e.to_string() });
        }
        Err(e) => return Err(e),
    }
    json_response(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_http::multipart_file;
    use rehearse_isolate::{IsolateConfig, Isolator, WorkerCommand};
    use rehearse_resume_store::testing::upload_state;
    use rehearse_testkit::handlers::{
        self, assert_hostile_tokens_refused, backend_with_jwks, count, objects, signed_in_as,
        store_state,
    };
    use rehearse_testkit::tokens::without_auth;
    use rehearse_testkit::{TestDatabase, TestStack, Via, event};
    use serde_json::Value;

    use super::*;

    /// Not a test: the isolated parser's worker. `WorkerCommand::test_harness`
    /// re-runs this test binary with `REHEARSE_ISOLATE_WORKER` set and only
    /// this entry selected; it then parses stdin and exits. A normal run skips
    /// it, since it would do nothing there.
    #[test]
    #[ignore = "the isolated parser's worker entry point, run by `parser`"]
    fn isolate_worker() {
        rehearse_isolate::run_worker_if_requested();
    }

    /// Not a test either: a worker that dies the way a parser does on a hostile
    /// file, for `a_crashing_parser_is_pdf_unreadable_and_the_instance_keeps_serving`.
    #[test]
    #[ignore = "a crashing worker's entry point, run by `parser`"]
    fn crashing_worker() {
        rehearse_isolate::run_worker_if_requested_with(|_, _| std::process::abort());
    }

    fn parser(worker: &str) -> Isolator {
        let command = WorkerCommand::test_harness(module_path!(), worker).unwrap();
        Isolator::new(command, IsolateConfig::default())
    }

    async fn state() -> (State, TestDatabase) {
        let (mut store, database) = store_state().await;
        store.backend = backend_with_jwks(&database);
        (upload_state(store, parser("isolate_worker")), database)
    }

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    fn signed_in(case: &str, user: UserId) -> Request {
        signed_in_as(event("resume-parse", case), user)
    }

    async fn resume_rows(database: &TestDatabase) -> i64 {
        count(database, "SELECT count(*) FROM resumes").await
    }

    /// The signed-in event with its file replaced by `size` bytes that start like a PDF.
    fn oversized(user: UserId, size: usize) -> Request {
        let mut req = signed_in("signed-in", user);
        let boundary = "------------------------d74496d66958873e";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n"
        )
        .into_bytes();
        body.resize(body.len() + size, b'x');
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        *req.body_mut() = Body::Binary(body);
        req
    }

    fn assert_parsed(body: &Value) {
        let data = &body["data"];
        assert_eq!(data["name"], "Ada Lovelace", "{body}");
        assert_eq!(data["email"], "ada@example.com", "{body}");
        assert!(
            data["phone"].as_str().unwrap_or_default().contains("7946"),
            "{body}"
        );
        let skills: Vec<&str> = data["skills"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for skill in ["Python", "Rust", "SQL", "Docker"] {
            assert!(skills.contains(&skill), "{skill} missing from {skills:?}");
        }
    }

    // Waits on the parser (rehearse_resume::parse_pdf).
    #[tokio::test]
    async fn anonymous_parse_returns_the_resume_and_saves_nothing() {
        let (state, database) = state().await;
        let (status, body) = call(&state, event("resume-parse", "anonymous")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["saved_to_database"], false);
        assert_eq!(body["filename"], "Ada Lovelace CV.pdf");
        assert!(body.get("resume_id").is_none());
        assert_parsed(&body);
        assert_eq!(resume_rows(&database).await, 0);
        assert!(objects(&state.storage).await.is_empty());
    }

    // Waits on the parser (rehearse_resume::parse_pdf).
    #[tokio::test]
    async fn signed_in_parse_stores_the_pdf_and_a_row() {
        let (state, database) = state().await;
        let user = UserId::new_random();
        let req = signed_in("signed-in", user);
        let sent = multipart_file(&req, "file", usize::MAX)
            .await
            .unwrap()
            .bytes;
        let (status, body) = call(&state, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["saved_to_database"], true);
        assert_parsed(&body);
        let resume_id: uuid::Uuid = body["resume_id"].as_str().unwrap().parse().unwrap();

        let client = database.client(Via::Direct).await;
        let row = client
            .query_typed_one(
                "SELECT user_id, file_name, storage_path, file_size_bytes, content_type,
                        parsed_json, skills FROM resumes WHERE id = $1",
                &[(&resume_id, rehearse_db::Type::UUID)],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, uuid::Uuid>(0), *user.as_uuid());
        assert_eq!(row.get::<_, String>(1), "Ada Lovelace CV.pdf");
        let key: String = row.get(2);
        assert!(key.starts_with(&format!("{user}/")), "{key}");
        assert!(key.ends_with("_Ada_Lovelace_CV.pdf"), "{key}");
        assert_eq!(row.get::<_, i64>(3), sent.len() as i64);
        assert_eq!(row.get::<_, String>(4), "application/pdf");
        assert_eq!(row.get::<_, Value>(5)["name"], "Ada Lovelace");
        assert!(row.get::<_, Vec<String>>(6).contains(&"Rust".to_owned()));
        assert_eq!(objects(&state.storage).await, vec![key.clone()]);
        assert_eq!(state.storage.get(&key).await.unwrap().bytes, sent);
    }

    #[tokio::test]
    async fn bad_uploads_get_their_status_and_code_and_write_nothing() {
        let (state, database) = state().await;
        let user = UserId::new_random();
        let cases = [
            (
                signed_in("not-a-pdf", user),
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_a_pdf",
            ),
            (
                without_auth(event("resume-parse", "not-a-pdf")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_a_pdf",
            ),
            (
                signed_in("missing-file", user),
                StatusCode::BAD_REQUEST,
                "missing_file",
            ),
            (
                signed_in("wrong-content-type", user),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            ),
            (
                oversized(user, 4 * 1024 * 1024),
                StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
            ),
            (
                oversized(user, 5 * 1024 * 1024),
                StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
            ),
        ];
        for (i, (req, status, code)) in cases.into_iter().enumerate() {
            let (got, body) = call(&state, req).await;
            assert_eq!(got, status, "case {i}: {body}");
            assert_eq!(body["success"], false);
            assert_eq!(body["error"]["code"], code, "case {i}");
            assert!(!body["detail"].as_str().unwrap().is_empty());
        }
        assert_eq!(resume_rows(&database).await, 0);
        assert!(objects(&state.storage).await.is_empty());
    }

    #[tokio::test]
    async fn a_crashing_parser_is_pdf_unreadable_and_the_instance_keeps_serving() {
        let (mut state, database) = state().await;
        state.parser = parser("crashing_worker");
        let user = UserId::new_random();
        for _ in 0..2 {
            let (status, body) = call(&state, signed_in("signed-in", user)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(body["error"]["code"], "pdf_unreadable");
        }
        assert_eq!(resume_rows(&database).await, 0);
        assert!(objects(&state.storage).await.is_empty());
    }

    #[tokio::test]
    async fn an_invalid_token_is_401_not_an_anonymous_parse() {
        let (mut state, database) = state().await;
        // Many requests from the event's one address: this test is not about quotas.
        state.quotas =
            rehearse_http::Quotas::default().with_limit(rehearse_http::Bucket::Resume, 1000, 1000);
        let request = || event("resume-parse", "signed-in");
        assert_hostile_tokens_refused(handler, &state, request).await;
        assert_eq!(resume_rows(&database).await, 0);
        assert!(objects(&state.storage).await.is_empty());
    }

    // Waits on the parser (rehearse_resume::parse_pdf).
    #[tokio::test]
    async fn with_the_bucket_down_a_signed_in_parse_still_returns_the_resume_unsaved() {
        let (mut state, database) = state().await;
        state.storage = TestStack::get().storage_at(&rehearse_testkit::refused_endpoint());
        let (status, body) = call(&state, signed_in("signed-in", UserId::new_random())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["saved_to_database"], false);
        assert_eq!(body["save_error"]["code"], "storage_unavailable");
        assert!(body.get("resume_id").is_none(), "{body}");
        assert!(
            body["data"]["name"].as_str().is_some_and(|n| !n.is_empty()),
            "{body}"
        );
        assert_eq!(resume_rows(&database).await, 0);
    }
}
