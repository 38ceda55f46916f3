use lambda_http::http::StatusCode;
use rehearse_core::AuthUser;
use rehearse_http::{
    ApiError, Body, Bucket, Request, Response, json_body, json_response, require_user,
};
use rehearse_resume_store::requests::UploadUrlRequest;
use rehearse_resume_store::{DirectUploadState, issue_upload};
use time::format_description::well_known::Rfc3339;

pub type State = DirectUploadState;

/// A presigned PUT for the caller's PDF of `file_size` bytes (at most
/// `MAX_DIRECT_UPLOAD_BYTES`, 10 MiB by default), and the resume id it becomes
/// once `POST /api/db/resumes/{resume_id}/parse` is called. The URL's signature
/// covers `Content-Type: application/pdf` and the exact `Content-Length`, so the
/// bucket refuses any other body; an upload never parsed is deleted by the
/// sweeper after the URL's lifetime and an hour.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = require_user(&state.store.backend.auth, &req).await;
    // One URL is at most one parse: the parse itself is not metered again.
    let meter = state
        .quotas
        .meter(
            &state.store.backend.db,
            Bucket::Resume,
            caller.as_ref().ok(),
            &req,
        )
        .await;
    meter.run(issue(state, &req, caller)).await
}

async fn issue(
    state: &State,
    req: &Request,
    caller: Result<AuthUser, ApiError>,
) -> Result<Response<Body>, ApiError> {
    let user = caller?;
    let input = json_body::<UploadUrlRequest>(req)?.validate()?;
    if !input.says_pdf {
        return Err(ApiError::UnsupportedMediaType {
            code: "not_a_pdf",
            message: "only PDF resumes are accepted (content_type application/pdf)".to_owned(),
        });
    }
    let ticket = issue_upload(
        &state.store.backend.db,
        &state.store.storage,
        &state.direct,
        input.file_name.as_deref(),
        input.file_size,
        &user,
    )
    .await?;
    let expires_at = ticket
        .expires_at
        .format(&Rfc3339)
        .map_err(ApiError::internal)?;
    json_response(
        StatusCode::CREATED,
        &serde_json::json!({
            "success": true,
            "resume_id": ticket.resume_id,
            "file_name": ticket.file_name,
            "upload": {
                "method": "PUT",
                "url": ticket.url,
                "headers": {
                    "Content-Type": ticket.content_type,
                    "Content-Length": ticket.content_length.to_string(),
                },
                "expires_at": expires_at,
            },
            "max_bytes": state.direct.max_bytes,
            "parse_path": format!("/api/db/resumes/{}/parse", ticket.resume_id),
        }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_http::Quotas;
    use rehearse_resume_store::{CLAIM_WINDOW, DirectUploads};
    use rehearse_testkit::handlers::{self, column, count, signed_in_as, store_state};
    use rehearse_testkit::{TestDatabase, event};
    use serde_json::Value;

    use super::*;

    async fn state() -> (State, TestDatabase) {
        let (store, database) = store_state().await;
        let state = DirectUploadState {
            store,
            direct: DirectUploads::default(),
            quotas: Quotas::default(),
        };
        (state, database)
    }

    async fn call(state: &State, case: &str, user: Option<UserId>) -> (StatusCode, Value) {
        let req = match user {
            Some(user) => signed_in_as(event("upload-url-create", case), user),
            None => event("upload-url-create", case),
        };
        handlers::call(handler, state, req).await
    }

    /// PUT `body` at the URL a ticket gave, with the headers it named, bar
    /// `content_length` (what the client claims to send). `None` when the
    /// server closed the connection before taking the whole body (it refuses a
    /// body it will not store as soon as it has read the headers).
    async fn put(
        ticket: &Value,
        body: Vec<u8>,
        content_length: usize,
    ) -> Option<reqwest::StatusCode> {
        let upload = &ticket["upload"];
        let url = upload["url"].as_str().unwrap();
        assert_eq!(upload["method"], "PUT");
        assert_eq!(upload["headers"]["Content-Type"], "application/pdf");
        let sent = reqwest::Client::new()
            .put(url)
            .header("content-type", "application/pdf")
            .header("content-length", content_length)
            .body(body)
            .send()
            .await;
        match sent {
            Ok(response) => Some(response.status()),
            Err(e) if e.is_request() => None,
            Err(e) => panic!("{e}"),
        }
    }

    fn pdf_of(len: usize) -> Vec<u8> {
        let mut body = b"%PDF-1.4\n".to_vec();
        body.resize(len, b' ');
        body
    }

    #[tokio::test]
    async fn a_ticket_is_a_url_the_bucket_honours_for_that_size_only() {
        let (state, database) = state().await;
        let user = UserId::new_random();
        let (status, ticket) = call(&state, "signed-in", Some(user)).await;
        assert_eq!(status, StatusCode::CREATED, "{ticket}");
        assert_eq!(ticket["success"], true);
        let size = 9 * 1024 * 1024;
        assert_eq!(
            ticket["upload"]["headers"]["Content-Length"],
            size.to_string()
        );
        assert_eq!(ticket["max_bytes"], 10 * 1024 * 1024);
        let id = ticket["resume_id"].as_str().unwrap();
        assert_eq!(ticket["parse_path"], format!("/api/db/resumes/{id}/parse"));

        // The key lives under the user's prefix and the resume's id, and is
        // queued for deletion unless a parse claims it: after the URL's life
        // and the claim window, not before.
        let queued: Vec<String> =
            column(&database, "SELECT storage_path FROM storage_deletions").await;
        assert_eq!(queued.len(), 1);
        assert!(
            queued[0].starts_with(&format!("{user}/{id}/")),
            "{queued:?}"
        );
        let due_in = count(
            &database,
            "SELECT extract(epoch FROM next_attempt_at - now())::int8 FROM storage_deletions",
        )
        .await;
        let expected = (DirectUploads::default().url_ttl + CLAIM_WINDOW).as_secs() as i64;
        assert!((expected - 60..=expected).contains(&due_in), "{due_in}");

        // Another size than the one signed: the bucket refuses it (the
        // "11 MB into a 9 MB ticket" case: answered 403, or the connection
        // closed under the rest of the body), and stores nothing.
        let bigger = 11 * 1024 * 1024;
        let refused = put(&ticket, pdf_of(bigger), bigger).await;
        assert!(
            refused.is_none_or(|s| s == reqwest::StatusCode::FORBIDDEN),
            "{refused:?}"
        );
        assert!(handlers::objects(&state.store.storage).await.is_empty());
        // One byte over, small enough to be read whole: a plain 403.
        let one_more = put(&ticket, pdf_of(1025), 1025).await;
        assert_eq!(one_more, Some(reqwest::StatusCode::FORBIDDEN));
        assert!(handlers::objects(&state.store.storage).await.is_empty());
        // The size it was issued for goes in.
        let stored = put(&ticket, pdf_of(size), size).await;
        assert!(stored.is_some_and(|s| s.is_success()), "{stored:?}");
        assert_eq!(handlers::objects(&state.store.storage).await, queued);
    }

    #[tokio::test]
    async fn what_the_bucket_could_not_take_is_refused_before_a_url_exists() {
        let (state, database) = state().await;
        let user = UserId::new_random();
        let (status, body) = call(&state, "too-large", Some(user)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_eq!(body["error"]["code"], "file_too_large");
        let (status, body) = call(&state, "not-a-pdf", Some(user)).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
        assert_eq!(body["error"]["code"], "not_a_pdf");
        let (status, body) = call(&state, "missing-size", Some(user)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "validation_error");
        let (status, body) = call(&state, "anonymous", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(
            count(&database, "SELECT count(*) FROM storage_deletions").await,
            0
        );
    }
}
