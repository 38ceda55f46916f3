use bytes::Bytes;
use lambda_http::http::header::CONTENT_TYPE;
use lambda_http::{Body, Request};

use crate::ApiError;

/// Room for the multipart framing and small form fields around the file.
const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;

/// One file from a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The name the client gave (`filename=` of the part), unvalidated.
    pub file_name: Option<String>,
    /// The part's declared type, unvalidated (clients send anything here).
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

/// The file in form field `field` of a `multipart/form-data` body, at most
/// `max_bytes` long. Other fields are skipped.
///
/// A body that is not multipart is 415 `unsupported_media_type`; a malformed one
/// 400 `invalid_multipart`; no such field (or an empty one) 400 `missing_file`;
/// a file or body over the limit 413 `file_too_large`. (`lambda_http` has already
/// base64-decoded the binary body API Gateway delivers.)
pub async fn multipart_file(
    req: &Request,
    field: &str,
    max_bytes: usize,
) -> Result<UploadedFile, ApiError> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(|e| match e {
        multer::Error::NoBoundary => {
            ApiError::bad_request("invalid_multipart", "the multipart body has no boundary")
        }
        _ => ApiError::UnsupportedMediaType {
            code: "unsupported_media_type",
            message: format!(
                "expected a multipart/form-data upload with the file in field \"{field}\""
            ),
        },
    })?;
    let body: &[u8] = match req.body() {
        Body::Empty => &[],
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        _ => &[],
    };
    let whole_limit = max_bytes.saturating_add(MULTIPART_OVERHEAD_BYTES);
    if body.len() > whole_limit {
        return Err(too_large(max_bytes));
    }

    let stream = futures_util::stream::once(std::future::ready(Ok::<_, std::io::Error>(
        Bytes::copy_from_slice(body),
    )));
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(whole_limit as u64)
            .per_field(max_bytes as u64),
    );
    let mut parts = multer::Multipart::with_constraints(stream, boundary, constraints);
    let multipart_error = |e: multer::Error| match e {
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
            too_large(max_bytes)
        }
        other => ApiError::bad_request(
            "invalid_multipart",
            format!("the multipart body is malformed: {other}"),
        ),
    };
    while let Some(part) = parts.next_field().await.map_err(multipart_error)? {
        if part.name() != Some(field) {
            continue;
        }
        let file_name = part.file_name().map(str::to_owned);
        let content_type = part.content_type().map(ToString::to_string);
        let bytes = part.bytes().await.map_err(multipart_error)?;
        if bytes.is_empty() {
            return Err(missing(field, "is empty"));
        }
        return Ok(UploadedFile {
            file_name,
            content_type,
            bytes,
        });
    }
    Err(missing(field, "is missing"))
}

fn too_large(max_bytes: usize) -> ApiError {
    ApiError::PayloadTooLarge {
        code: "file_too_large",
        message: format!("the file is over the {max_bytes} byte limit"),
    }
}

fn missing(field: &str, what: &str) -> ApiError {
    ApiError::bad_request(
        "missing_file",
        format!("the form field \"{field}\" with the file {what}"),
    )
}

#[cfg(test)]
mod tests {
    use lambda_http::http::StatusCode;

    use super::*;

    const BOUNDARY: &str = "----rehearse-test-boundary";

    fn part(name: &str, file_name: Option<&str>, bytes: &[u8]) -> Vec<u8> {
        let mut out =
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").into_bytes();
        if let Some(f) = file_name {
            out.extend(format!("; filename=\"{f}\"\r\nContent-Type: application/pdf").bytes());
        }
        out.extend(b"\r\n\r\n");
        out.extend(bytes);
        out.extend(b"\r\n");
        out
    }

    fn request(content_type: &str, parts: &[Vec<u8>]) -> Request {
        let mut body: Vec<u8> = parts.concat();
        body.extend(format!("--{BOUNDARY}--\r\n").bytes());
        lambda_http::http::Request::builder()
            .method("POST")
            .uri("/upload")
            .header(CONTENT_TYPE, content_type)
            .body(Body::Binary(body))
            .unwrap()
    }

    fn form(parts: &[Vec<u8>]) -> Request {
        request(&format!("multipart/form-data; boundary={BOUNDARY}"), parts)
    }

    async fn code(req: Request, max: usize) -> (StatusCode, &'static str) {
        let e = multipart_file(&req, "file", max).await.unwrap_err();
        (e.status(), e.code())
    }

    #[tokio::test]
    async fn finds_the_file_among_other_fields() {
        let req = form(&[
            part("note", None, b"hello"),
            part("file", Some("cv.pdf"), b"%PDF-1.7 body"),
        ]);
        let file = multipart_file(&req, "file", 1024).await.unwrap();
        assert_eq!(file.file_name.as_deref(), Some("cv.pdf"));
        assert_eq!(file.content_type.as_deref(), Some("application/pdf"));
        assert_eq!(&file.bytes[..], b"%PDF-1.7 body");
    }

    #[tokio::test]
    async fn each_bad_upload_has_its_own_code() {
        assert_eq!(
            code(form(&[part("other", Some("a.pdf"), b"x")]), 1024).await,
            (StatusCode::BAD_REQUEST, "missing_file")
        );
        assert_eq!(
            code(form(&[part("file", Some("a.pdf"), b"")]), 1024).await,
            (StatusCode::BAD_REQUEST, "missing_file")
        );
        assert_eq!(
            code(form(&[part("file", Some("a.pdf"), &[b'x'; 2048])]), 1024).await,
            (StatusCode::PAYLOAD_TOO_LARGE, "file_too_large")
        );
        assert_eq!(
            code(request("application/json", &[]), 1024).await,
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
        );
        assert_eq!(
            code(request("multipart/form-data", &[]), 1024).await,
            (StatusCode::BAD_REQUEST, "invalid_multipart")
        );
        let truncated = lambda_http::http::Request::builder()
            .header(
                CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::Binary(part("file", Some("a.pdf"), b"%PDF-1.7")))
            .unwrap();
        assert_eq!(
            code(truncated, 1024).await,
            (StatusCode::BAD_REQUEST, "invalid_multipart")
        );
    }

    #[tokio::test]
    async fn a_body_far_over_the_limit_is_refused_unread() {
        let huge = vec![b'x'; 1024 + MULTIPART_OVERHEAD_BYTES + 1];
        let req = request(
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            &[huge],
        );
        assert_eq!(
            code(req, 1024).await,
            (StatusCode::PAYLOAD_TOO_LARGE, "file_too_large")
        );
    }
}
