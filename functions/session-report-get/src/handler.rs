use lambda_http::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use lambda_http::http::{HeaderMap, StatusCode};
use rehearse_core::{AuthUser, SessionId};
use rehearse_db::profiles;
use rehearse_db::reports::{self, ReportSource};
use rehearse_http::{
    ApiError, Backend, Body, Request, Response, maybe_user, path_param, query_param,
};
use rehearse_report::{PageSize, Report, TrendPoint, render_markdown, render_pdf};

pub type State = Backend;

/// The two formats a report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Markdown,
    Pdf,
}

/// `?format=md|pdf` wins; otherwise the `Accept` header (`application/pdf` or
/// `text/markdown`); Markdown when neither says.
fn format(req: &Request) -> Result<Format, ApiError> {
    if let Some(asked) = query_param::<String>(req, "format")? {
        return match asked.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "pdf" => Ok(Format::Pdf),
            _ => Err(ApiError::bad_request(
                "invalid_query_parameter",
                "format must be md or pdf",
            )),
        };
    }
    Ok(accepted(req.headers()))
}

fn accepted(headers: &HeaderMap) -> Format {
    let accept = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",")
        .to_ascii_lowercase();
    let pdf = accept.find("application/pdf");
    let md = accept.find("text/markdown");
    match (pdf, md) {
        // Both named: the one named first (clients list their preference first).
        (Some(p), Some(m)) if m < p => Format::Markdown,
        (Some(_), _) => Format::Pdf,
        _ => Format::Markdown,
    }
}

/// A finished session's feedback report: role, level and date; overall score,
/// tier, per-dimension and per-category scores; every question with the
/// answer, its score, strengths, improvements and quoted evidence; the three
/// things to practise; a chart of the dimensions and, for a signed-in user with
/// earlier sessions, their score trend. `?page=a4|letter` sets the PDF's paper
/// (A4 by default). The owner's own sessions only (someone else's is 404 like a
/// missing one); an anonymous session's Markdown is reachable by its id alone,
/// as the session itself is. An unfinished session is 409
/// `session_not_finished`.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = maybe_user(&state.auth, &req).await?;
    let id: SessionId = path_param(&req, "session_id")?;
    let format = format(&req)?;
    let page = match query_param::<String>(&req, "page")? {
        None => PageSize::A4,
        Some(raw) => raw.parse().map_err(|_| {
            ApiError::bad_request("invalid_query_parameter", "page must be a4 or letter")
        })?,
    };
    let (source, name, anonymous) = find(state, caller.as_ref(), id).await?;
    let (summary, trend) = match source {
        ReportSource::Finished { summary, trend } => (summary, trend),
        ReportSource::InProgress => {
            return Err(ApiError::conflict(
                "session_not_finished",
                "this interview is not finished: fetch its summary first, then its report",
            ));
        }
    };
    if anonymous && format == Format::Pdf {
        return Err(ApiError::Unauthorized {
            code: "sign_in_required",
            message: "sign in to download the PDF report; the Markdown report is available \
                      without an account"
                .to_owned(),
            invalid_token: false,
        });
    }
    let trend = trend
        .into_iter()
        .map(|p| {
            TrendPoint::new(p.completed_at, p.overall_score as f32)
                .of_session(p.session_id.to_string())
        })
        .collect();
    let mut report = Report::from_summary(&summary, trend).map_err(ApiError::internal)?;
    if let Some(name) = name {
        report = report.with_candidate_name(name);
    }
    let (body, content_type, extension) = match format {
        Format::Markdown => (
            Body::Text(render_markdown(&report)),
            "text/markdown; charset=utf-8",
            "md",
        ),
        Format::Pdf => (
            Body::Binary(render_pdf(&report, page).map_err(ApiError::internal)?),
            "application/pdf",
            "pdf",
        ),
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, content_type)
        .header(
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"rehearse-report-{id}.{extension}\""),
        )
        // A candidate's answers: never kept by a shared cache.
        .header(CACHE_CONTROL, "private, no-store")
        .body(body)
        .map_err(ApiError::internal)
}

/// The session as the caller may reach it, the candidate's name when known, and
/// whether it is an anonymous session.
async fn find(
    state: &State,
    caller: Option<&AuthUser>,
    id: SessionId,
) -> Result<(ReportSource, Option<String>, bool), ApiError> {
    if let Some(user) = caller {
        let own = state
            .db
            .as_user(user, async |tx| {
                let Some(source) = reports::own(tx, user.id, id).await? else {
                    return Ok(None);
                };
                let profile = profiles::get(tx, user.id).await?;
                Ok(Some((source, profile.and_then(|p| p.full_name))))
            })
            .await?;
        if let Some((source, name)) = own {
            return Ok((source, name, false));
        }
    }
    let anonymous = state
        .db
        .as_service(async |tx| reports::anonymous(tx, id).await)
        .await?
        .ok_or(ApiError::NotFound { what: "session" })?;
    Ok((anonymous, None, true))
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_session_store::testing::{answer_with, completed_session, create_from};
    use rehearse_session_store::{SessionMode, finalize};
    use rehearse_testkit::handlers::{auth_user, backend_state, signed_in_as, with_path_param};
    use rehearse_testkit::{TestDatabase, event, status_and_json};
    use serde_json::Value;

    use super::*;

    const ANSWER: &str = "I set up canary deploys with automatic rollback on error-rate \
        alarms, which caught two bad releases and cut our incident count from 6 to 1 a quarter.";

    /// The response as the client gets it: status, content type and body bytes.
    async fn get(
        state: &State,
        case: &str,
        user: Option<UserId>,
        id: SessionId,
    ) -> (StatusCode, String, Vec<u8>) {
        let req = event("session-report-get", case);
        let req = match user {
            Some(user) => signed_in_as(req, user),
            None => req,
        };
        let req = with_path_param(req, "session_id", id);
        let res = rehearse_http::respond(handler(state, req).await);
        let kind = res
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (res.status(), kind, res.body().to_vec())
    }

    /// Text compared without whitespace (a wrapped line is one string either
    /// way) and without Markdown's escapes.
    fn squash(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfkc()
            .filter(|c| !c.is_whitespace() && *c != '\\')
            .map(|c| match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                '\u{2018}' | '\u{2019}' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                c => c,
            })
            .collect()
    }

    fn pdf_text(bytes: &[u8]) -> String {
        let limits = rehearse_pdf::Limits {
            max_pages: 200,
            ..rehearse_pdf::Limits::default()
        };
        let extracted = rehearse_pdf::extract(bytes, &limits).unwrap();
        extracted
            .pages
            .iter()
            .flatten()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// What the report must show of a stored session: every question and the
    /// overall score, as the summary stored them.
    async fn expected(state: &State, user: UserId, id: SessionId) -> (Vec<String>, f64) {
        let owner = auth_user(user).await;
        let summary = state
            .db
            .as_user(&owner, async |tx| {
                rehearse_db::reports::own(tx, user, id).await
            })
            .await
            .unwrap()
            .unwrap();
        let ReportSource::Finished { summary, .. } = summary else {
            panic!("not finished")
        };
        let questions = summary["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["question"].as_str().unwrap().to_owned())
            .collect();
        (questions, summary["overall_score"].as_f64().unwrap())
    }

    #[tokio::test]
    async fn the_owner_gets_pdf_and_markdown_with_every_question_and_the_score() {
        let (state, _database): (State, TestDatabase) = backend_state().await;
        let user = UserId::new_random();
        let ada = auth_user(user).await;
        let earlier = completed_session(&state.db, &ada, "Backend Engineer", 3, ANSWER).await;
        let id = completed_session(&state.db, &ada, "Backend Engineer", 10, ANSWER).await;
        let (questions, overall) = expected(&state, user, id).await;
        assert_eq!(questions.len(), 10);
        // As the report writes it: one decimal, none when it is whole.
        let score = format!("{overall:.1}/100").replace(".0/", "/");

        let (status, kind, pdf) = get(&state, "signed-in", Some(user), id).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
        assert_eq!(kind, "application/pdf");
        assert!(pdf.len() < 2 * 1024 * 1024, "{} bytes", pdf.len());
        let text = squash(&pdf_text(&pdf));
        for q in &questions {
            assert!(text.contains(&squash(q)), "missing from the PDF: {q}");
        }
        assert!(text.contains(&score), "no overall score {score} in the PDF");

        let (status, kind, md) = get(&state, "markdown", Some(user), id).await;
        assert_eq!(status, StatusCode::OK);
        assert!(kind.starts_with("text/markdown"), "{kind}");
        let md = String::from_utf8(md).unwrap();
        let flat = squash(&md);
        for q in &questions {
            assert!(flat.contains(&squash(q)), "missing from the Markdown: {q}");
        }
        assert!(flat.contains(&score), "{score} {overall}: {md}");
        // With an earlier session there is a trend; the first session has none.
        assert!(md.contains("Your progress"), "{md}");
        let (_, _, first) = get(&state, "markdown", Some(user), earlier).await;
        assert!(!String::from_utf8(first).unwrap().contains("Your progress"));

        // US Letter, by query.
        let (status, kind, letter) = get(&state, "letter", Some(user), id).await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
        assert!(squash(&pdf_text(&letter)).contains(&squash(&questions[9])));
    }

    #[tokio::test]
    async fn another_user_gets_a_404_and_bad_requests_are_400() {
        let (state, _database): (State, TestDatabase) = backend_state().await;
        let ada = auth_user(UserId::new_random()).await;
        let id = completed_session(&state.db, &ada, "Data Engineer", 2, ANSWER).await;
        let mallory = UserId::new_random();
        for case in ["signed-in", "markdown"] {
            let (status, kind, body) = get(&state, case, Some(mallory), id).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{case}");
            assert_eq!(kind, "application/json");
            let body: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["error"]["code"], "not_found");
        }
        // Nor without a token: a user's session is not an anonymous one.
        let (status, _, _) = get(&state, "anonymous", None, id).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, body) = get(&state, "bad-format", Some(ada.id), id).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{}",
            String::from_utf8_lossy(&body)
        );
        let req = signed_in_as(event("session-report-get", "invalid-id"), ada.id);
        let (status, body) = status_and_json(&rehearse_http::respond(handler(&state, req).await));
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], "invalid_id");
    }

    #[tokio::test]
    async fn an_anonymous_session_has_its_markdown_once_finished_and_no_pdf() {
        let (state, _database): (State, TestDatabase) = backend_state().await;
        let created = create_from(
            &state.db,
            None,
            &event("session-create-conversational", "anonymous"),
            SessionMode::Conversational,
        )
        .await;
        answer_with(&state.db, None, created.id, ANSWER).await;
        let (status, _, body) = get(&state, "anonymous", None, created.id).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"]["code"], "session_not_finished");

        finalize(&state.db, None, created.id).await.unwrap();
        let (status, kind, md) = get(&state, "anonymous", None, created.id).await;
        assert_eq!(status, StatusCode::OK);
        assert!(kind.starts_with("text/markdown"));
        assert!(squash(&String::from_utf8(md).unwrap()).contains(&squash(ANSWER)));
        let (status, _, body) = get(&state, "anonymous-pdf", None, created.id).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"]["code"], "sign_in_required");
    }
}
