use lambda_http::http::StatusCode;
use rehearse_core::AuthUser;
use rehearse_http::{
    ApiError, Body, Bucket, Request, Response, json_response, multipart_file, require_user,
};
use rehearse_resume_store::{PdfUpload, UploadState, parse, save, view};

pub type State = UploadState;

/// Store the caller's uploaded PDF resume (multipart field `file`): parsed in an
/// isolated worker, then the object and the `resumes` row, both or neither.
/// `file_size_bytes` and `parsed_json` repeat `file_size` and `parsed_data`
/// under the seed document's names.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    // Refused tokens count against the address: they cost a verification too.
    let caller = require_user(&state.backend.auth, &req).await;
    let meter = state
        .quotas
        .meter(
            &state.backend.db,
            Bucket::Resume,
            caller.as_ref().ok(),
            &req,
        )
        .await;
    meter.run(store(state, &req, caller)).await
}

async fn store(
    state: &State,
    req: &Request,
    caller: Result<AuthUser, ApiError>,
) -> Result<Response<Body>, ApiError> {
    let user = caller?;
    let file = multipart_file(req, "file", state.max_upload_bytes()).await?;
    let upload = PdfUpload::from_file(file)?;
    let resume = parse(&state.parser, &upload).await?;
    let stored = save(&state.backend.db, &state.storage, &user, &upload, &resume).await?;
    let view = view(&state.storage, stored).await?;
    json_response(StatusCode::CREATED, &view.upload_json())
}

#[cfg(test)]
mod tests {
    use rehearse_core::{ResumeId, UserId};
    use rehearse_http::{Page, multipart_file};
    use rehearse_isolate::{IsolateConfig, Isolator, WorkerCommand};
    use rehearse_resume_store::testing::upload_state;
    use rehearse_testkit::handlers::{
        self, auth_user, count, object_gone, objects, signed_in_as, store_state,
    };
    use rehearse_testkit::{TestDatabase, TestStack, Via, event, status_and_json};
    use serde_json::Value;

    use super::*;

    /// Not a test: the isolated parser's worker. `WorkerCommand::test_harness`
    /// re-runs this test binary with `REHEARSE_ISOLATE_WORKER` set and only
    /// this entry selected; it then parses stdin and exits. A normal run skips
    /// it, since it would do nothing there.
    #[test]
    #[ignore = "the isolated parser's worker entry point, run by `state`'s parser"]
    fn isolate_worker() {
        rehearse_isolate::run_worker_if_requested();
    }

    async fn state() -> (State, TestDatabase) {
        let (store, database) = store_state().await;
        let command = WorkerCommand::test_harness(module_path!(), "isolate_worker").unwrap();
        let parser = Isolator::new(command, IsolateConfig::default());
        (upload_state(store, parser), database)
    }

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    fn signed_in(case: &str, user: UserId) -> Request {
        signed_in_as(event("resume-upload", case), user)
    }

    async fn resume_rows(database: &TestDatabase) -> i64 {
        count(database, "SELECT count(*) FROM resumes").await
    }

    // Waits on the parser (rehearse_resume::parse_pdf).
    #[tokio::test]
    async fn upload_then_list_download_and_delete() {
        let (state, database) = state().await;
        let user = UserId::new_random();
        let req = signed_in("signed-in", user);
        let sent = multipart_file(&req, "file", usize::MAX)
            .await
            .unwrap()
            .bytes;
        let (status, body) = call(&state, req).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["file_name"], "Ada Lovelace CV.pdf");
        assert_eq!(body["file_size"], sent.len());
        assert_eq!(body["parsed_data"]["name"], "Ada Lovelace");
        // The seed document's names, with the same values.
        assert_eq!(body["file_size_bytes"], body["file_size"]);
        assert_eq!(body["parsed_json"], body["parsed_data"]);
        assert!(body["file_url"].as_str().unwrap().starts_with("http"));
        let id: ResumeId = body["resume_id"].as_str().unwrap().parse().unwrap();

        // What the list and delete routes do, through the same shared code.
        let ada = auth_user(user).await;
        let (listed, total) = rehearse_resume_store::list(
            &state.backend.db,
            &state.storage,
            &ada,
            Page {
                limit: 20,
                offset: 0,
            },
        )
        .await
        .unwrap();
        assert_eq!((listed.len(), total), (1, 1));
        assert_eq!(listed[0].id, id);
        let url = listed[0].file_url.clone().unwrap();
        let fetched = reqwest::get(&url).await.unwrap();
        assert!(fetched.status().is_success());
        assert_eq!(fetched.bytes().await.unwrap(), sent);

        let key = objects(&state.storage).await.pop().unwrap();
        rehearse_resume_store::delete(&state.backend.db, &state.storage, &ada, id)
            .await
            .unwrap();
        assert!(object_gone(&state.storage, &key).await);
        assert_eq!(resume_rows(&database).await, 0);
    }

    // Waits on the parser (rehearse_resume::parse_pdf): the insert comes after it.
    #[tokio::test]
    async fn a_failed_row_insert_leaves_no_object() {
        let (state, database) = state().await;
        database
            .client(Via::Direct)
            .await
            .batch_execute(
                "CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql
                     AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$;
                 CREATE TRIGGER fail_insert BEFORE INSERT ON resumes
                     FOR EACH ROW EXECUTE FUNCTION fail_insert();",
            )
            .await
            .unwrap();
        let (status, body) = call(&state, signed_in("signed-in", UserId::new_random())).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        assert_eq!(body["error"]["code"], "internal_error");
        assert!(objects(&state.storage).await.is_empty());
        assert_eq!(resume_rows(&database).await, 0);
    }

    #[tokio::test]
    async fn bad_uploads_and_anonymous_callers_write_nothing() {
        let (state, database) = state().await;
        let user = UserId::new_random();
        for (req, status, code) in [
            (
                signed_in("not-a-pdf", user),
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
                event("resume-upload", "anonymous"),
                StatusCode::UNAUTHORIZED,
                "auth_required",
            ),
        ] {
            let (got, body) = call(&state, req).await;
            assert_eq!(got, status, "{code}: {body}");
            assert_eq!(body["success"], false);
            assert_eq!(body["error"]["code"], code);
        }
        assert_eq!(resume_rows(&database).await, 0);
        assert!(objects(&state.storage).await.is_empty());
    }

    // Waits on the parser (rehearse_resume::parse_pdf).
    #[tokio::test]
    async fn with_the_bucket_stopped_or_hung_an_upload_is_a_bounded_503_that_keeps_nothing() {
        let (mut state, database) = state().await;
        let (silent, server) = rehearse_testkit::silent_endpoint().await;
        for (outage, endpoint) in [
            ("stopped", rehearse_testkit::refused_endpoint()),
            ("hung", silent),
        ] {
            state.storage = TestStack::get().storage_at(&endpoint);
            let started = std::time::Instant::now();
            let resp = rehearse_http::respond(
                handler(&state, signed_in("signed-in", UserId::new_random())).await,
            );
            let (status, body) = status_and_json(&resp);
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{outage}: {body}");
            assert_eq!(body["error"]["code"], "storage_unavailable", "{outage}");
            assert!(resp.headers().get("retry-after").is_some(), "{outage}");
            // Bounded by the storage timeouts, not the function's (a behaviour
            // bound with room for a loaded machine, not a speed target).
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "{outage}: {:?}",
                started.elapsed()
            );
        }
        server.abort();
        assert_eq!(resume_rows(&database).await, 0);
    }
}
