use lambda_http::http::StatusCode;
use rehearse_core::ResumeId;
use rehearse_http::{
    ApiError, Body, Request, Response, json_body, json_response, path_param, require_user,
};
use rehearse_resume_store::requests::UploadParseRequest;
use rehearse_resume_store::{UploadState, parse_uploaded, view};

/// An upload route's state whose parser takes direct uploads' larger files.
#[derive(Debug)]
pub struct State {
    pub upload: UploadState,
}

impl State {
    pub async fn from_env(
        env: &impl rehearse_core::config::Source,
    ) -> Result<Self, lambda_http::Error> {
        Ok(Self {
            upload: UploadState::for_direct_uploads_from_env(env).await?,
        })
    }
}

/// Parse the PDF the caller put at the URL `upload-url` gave for `resume_id`,
/// in the isolated worker with the multipart route's limits and error codes,
/// and keep it as that resume. A file that is not a PDF, too large or
/// unreadable is deleted and the reason reported; nothing uploaded yet is 409
/// `upload_not_found`; a resume already made from it is returned again.
/// Not metered: the URL was, and one URL is at most one parse.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let up = &state.upload;
    let user = require_user(&up.backend.auth, &req).await?;
    let id: ResumeId = path_param(&req, "resume_id")?;
    let body = if req.body().is_empty() {
        UploadParseRequest::default()
    } else {
        json_body::<UploadParseRequest>(&req)?
    };
    let (stored, fresh) = parse_uploaded(
        &up.backend.db,
        &up.storage,
        &up.parser,
        &user,
        id,
        body.file_name.as_deref(),
    )
    .await?;
    let status = if fresh.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let view = view(&up.storage, stored).await?;
    let mut body = view.upload_json();
    body["already_parsed"] = fresh.is_none().into();
    json_response(status, &body)
}

#[cfg(test)]
mod tests {
    use rehearse_core::{AuthUser, UserId};
    use rehearse_db::storage_deletions;
    use rehearse_isolate::{IsolateConfig, Isolator, WorkerCommand};
    use rehearse_resume_store::testing::upload_state;
    use rehearse_resume_store::{DirectUploads, UploadTicket, issue_upload};
    use rehearse_testkit::handlers::{
        self, auth_user, column, count, objects, signed_in_as, store_state, with_path_param,
    };
    use rehearse_testkit::{TestDatabase, event};
    use serde_json::Value;

    use super::*;

    /// Not a test: the isolated parser's worker. `WorkerCommand::test_harness`
    /// re-runs this test binary with `REHEARSE_ISOLATE_WORKER` set and only
    /// this entry selected; it then parses stdin and exits.
    #[test]
    #[ignore = "the isolated parser's worker entry point, run by `state`'s parser"]
    fn isolate_worker() {
        rehearse_isolate::run_worker_if_requested();
    }

    /// A parser for files up to `max_bytes`, as `from_env` builds it.
    async fn state_with_limit(max_bytes: usize) -> (State, TestDatabase) {
        let (store, database) = store_state().await;
        let mut config = IsolateConfig::default();
        config.limits.max_bytes = max_bytes;
        let command = WorkerCommand::test_harness(module_path!(), "isolate_worker").unwrap();
        let upload = upload_state(store, Isolator::new(command, config));
        (State { upload }, database)
    }

    async fn state() -> (State, TestDatabase) {
        state_with_limit(DirectUploads::DEFAULT_MAX_BYTES as usize).await
    }

    /// A one-page text PDF (name, contact, skills) padded with an unreferenced
    /// stream to at least `len` bytes: what a large, image-heavy resume weighs.
    fn resume_pdf(len: usize) -> Vec<u8> {
        let content = b"BT /F1 20 Tf 72 720 Td (Grace Hopper) Tj ET\n\
BT /F1 11 Tf 72 700 Td (grace@example.com | +1 212 555 0100 | New York, NY) Tj ET\n\
BT /F1 13 Tf 72 670 Td (Skills) Tj ET\n\
BT /F1 11 Tf 72 654 Td (COBOL, Compilers, Rust, PostgreSQL) Tj ET\n";
        let padding = len.saturating_sub(1024);
        let mut objects: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_vec(),
        ];
        let stream = |data: &[u8]| {
            let mut s = format!("<< /Length {} >>\nstream\n", data.len()).into_bytes();
            s.extend_from_slice(data);
            s.extend_from_slice(b"\nendstream");
            s
        };
        objects.push(stream(content));
        objects.push(stream(&vec![b'x'; padding]));
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    /// A ticket for `body`, and `body` put at its URL as a client would.
    async fn uploaded(state: &State, user: &AuthUser, name: &str, body: Vec<u8>) -> UploadTicket {
        let up = &state.upload;
        let ticket = issue_upload(
            &up.backend.db,
            &up.storage,
            &DirectUploads::default(),
            Some(name),
            body.len() as u64,
            user,
        )
        .await
        .unwrap();
        let put = reqwest::Client::new()
            .put(&ticket.url)
            .header("content-type", ticket.content_type)
            .header("content-length", body.len())
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(put.status().is_success(), "{}", put.status());
        ticket
    }

    async fn parse_as(
        state: &State,
        user: UserId,
        case: &str,
        id: ResumeId,
    ) -> (StatusCode, Value) {
        let req = with_path_param(
            signed_in_as(event("upload-parse", case), user),
            "resume_id",
            id,
        );
        handlers::call(handler, state, req).await
    }

    async fn queued(database: &TestDatabase) -> Vec<String> {
        column(database, "SELECT storage_path FROM storage_deletions").await
    }

    // Waits on the parser.
    #[tokio::test]
    async fn a_9_mb_resume_uploaded_to_its_url_becomes_the_resume_named_up_front() {
        let (state, database) = state().await;
        let user = UserId::new_random();
        let grace = auth_user(user).await;
        let pdf = resume_pdf(9 * 1024 * 1024);
        let ticket = uploaded(&state, &grace, "Grace Hopper CV.pdf", pdf.clone()).await;

        let (status, body) = parse_as(&state, user, "signed-in", ticket.resume_id).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["resume_id"], ticket.resume_id.to_string());
        assert_eq!(body["parsed_data"]["name"], "Grace Hopper");
        assert_eq!(body["file_size"], pdf.len());
        assert_eq!(
            body["file_name"], "Ada Lovelace CV.pdf",
            "the body's name wins"
        );
        assert_eq!(body["already_parsed"], false);
        // The object is the resume's now: no longer queued for deletion.
        assert!(queued(&database).await.is_empty());
        assert_eq!(objects(&state.upload.storage).await.len(), 1);
        assert_eq!(count(&database, "SELECT count(*) FROM resumes").await, 1);

        // Asked again (a lost response, a double click): the same resume.
        let (status, again) = parse_as(&state, user, "no-body", ticket.resume_id).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["resume_id"], body["resume_id"]);
        assert_eq!(again["already_parsed"], true);
        assert_eq!(count(&database, "SELECT count(*) FROM resumes").await, 1);
    }

    #[tokio::test]
    async fn what_is_not_a_pdf_is_reported_and_removed() {
        let (state, database) = state().await;
        let user = UserId::new_random();
        let ada = auth_user(user).await;
        let png = b"\x89PNG\r\n\x1a\n fake picture bytes".to_vec();
        let ticket = uploaded(&state, &ada, "photo.pdf", png).await;
        let (status, body) = parse_as(&state, user, "no-body", ticket.resume_id).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "not_a_pdf");
        assert!(objects(&state.upload.storage).await.is_empty());
        assert!(queued(&database).await.is_empty());
        assert_eq!(count(&database, "SELECT count(*) FROM resumes").await, 0);
        // Gone, so asking again finds nothing to parse.
        let (status, body) = parse_as(&state, user, "no-body", ticket.resume_id).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "upload_not_found");
    }

    #[tokio::test]
    async fn a_file_over_the_parsers_limit_is_refused_and_removed() {
        let (state, database) = state_with_limit(64 * 1024).await;
        let user = UserId::new_random();
        let ada = auth_user(user).await;
        let ticket = uploaded(&state, &ada, "big.pdf", resume_pdf(128 * 1024)).await;
        let (status, body) = parse_as(&state, user, "no-body", ticket.resume_id).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_eq!(body["error"]["code"], "file_too_large");
        assert!(objects(&state.upload.storage).await.is_empty());
        assert!(queued(&database).await.is_empty());
    }

    #[tokio::test]
    async fn nothing_uploaded_someone_elses_upload_and_a_late_parse_are_refused() {
        let (state, database) = state().await;
        let user = UserId::new_random();
        let ada = auth_user(user).await;
        // A ticket whose file never came.
        let up = &state.upload;
        let ticket = issue_upload(
            &up.backend.db,
            &up.storage,
            &DirectUploads::default(),
            Some("cv.pdf"),
            1000,
            &ada,
        )
        .await
        .unwrap();
        let (status, body) = parse_as(&state, user, "no-body", ticket.resume_id).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "upload_not_found");

        // Another user's upload is not found for anyone else.
        let ticket = uploaded(&state, &ada, "cv.pdf", resume_pdf(4096)).await;
        let mallory = UserId::new_random();
        let (status, body) = parse_as(&state, mallory, "no-body", ticket.resume_id).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "upload_not_found");

        // Parsed too close to its deletion time: refused, and left to the
        // sweeper (which may already be deleting it).
        let key = format!("{user}/{}/cv.pdf", ticket.resume_id);
        database
            .client(rehearse_testkit::Via::Direct)
            .await
            .execute_typed(
                "UPDATE storage_deletions SET next_attempt_at = now() + interval '1 minute'
                  WHERE storage_path = $1",
                &[(&key, rehearse_db::Type::TEXT)],
            )
            .await
            .unwrap();
        let (status, body) = parse_as(&state, user, "no-body", ticket.resume_id).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "upload_expired");
        assert_eq!(count(&database, "SELECT count(*) FROM resumes").await, 0);
        assert!(queued(&database).await.contains(&key));
        let is_queued = up
            .backend
            .db
            .as_service(async |tx| storage_deletions::is_queued(tx, &key).await)
            .await
            .unwrap();
        assert!(is_queued);
    }

    #[tokio::test]
    async fn a_token_and_a_resume_id_are_required() {
        let (state, _database) = state().await;
        let (status, body) =
            handlers::call(handler, &state, event("upload-parse", "anonymous")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        let req = signed_in_as(event("upload-parse", "invalid-id"), UserId::new_random());
        let (status, body) = handlers::call(handler, &state, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_id");
    }
}
