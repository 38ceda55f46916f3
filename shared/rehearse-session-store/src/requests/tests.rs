use rehearse_http::ApiError;
use rehearse_interview::{InterviewType, Level};

use super::*;

fn plan(json: &str) -> Result<SessionPlan, ApiError> {
    serde_json::from_str::<CreateSessionRequest>(json)
        .unwrap()
        .validate()
        .map_err(ApiError::from)
}

const CONTEXT: &str = r#""job_context": {"target_role": "Backend Engineer", "experience_level": "3-5", "interview_type": "technical"}"#;

#[test]
fn defaults_to_ten_questions_and_no_resume() {
    let p = plan(&format!("{{{CONTEXT}}}")).unwrap();
    assert_eq!(p.num_questions, 10);
    assert_eq!(p.resume, ResumeSource::Nothing);
    assert_eq!(p.context.experience_level, Level::Mid);
    assert_eq!(p.context.interview_type, InterviewType::Technical);
}

#[test]
fn num_questions_is_a_whole_number_from_1_to_20() {
    for (raw, want) in [("1", 1), ("20", 20), ("\"7\"", 7), ("5.0", 5), ("null", 10)] {
        let p = plan(&format!("{{{CONTEXT}, \"num_questions\": {raw}}}")).unwrap();
        assert_eq!(p.num_questions, want, "{raw}");
    }
    for raw in ["0", "21", "-1", "2.5", "\"ten\"", "true", "1e12", "[]"] {
        let e = plan(&format!("{{{CONTEXT}, \"num_questions\": {raw}}}")).unwrap_err();
        assert_eq!(e.code(), "validation_error", "{raw}");
        assert!(e.to_string().contains("num_questions"), "{raw}: {e}");
    }
}

#[test]
fn the_job_context_is_required_and_validated() {
    assert!(plan("{}").unwrap_err().to_string().contains("job_context"));
    let e = plan(r#"{"job_context": {"target_role": "Dev", "experience_level": "wizard"}}"#)
        .unwrap_err();
    assert_eq!(e.code(), "validation_error");
    assert!(e.to_string().contains("experience_level"), "{e}");
    let e = plan(r#"{"job_context": {"experience_level": "5+"}}"#).unwrap_err();
    assert!(e.to_string().contains("target_role"), "{e}");
    let e = plan(r#"{"job_context": {"target_role": "Dev\u0000", "experience_level": "5+"}}"#)
        .unwrap_err();
    assert!(e.to_string().contains("NUL"), "{e}");
    let p = plan(r#"{"job_context": {"role": "Dev", "level": "senior"}}"#).unwrap();
    assert_eq!(p.context.interview_type, InterviewType::Mixed);
}

#[test]
fn resume_id_wins_and_must_be_a_uuid() {
    let id = ResumeId::new_random();
    let p = plan(&format!(
        r#"{{{CONTEXT}, "resume_id": "{id}", "resume_data": {{"name": "Ada"}}}}"#
    ))
    .unwrap();
    assert_eq!(p.resume, ResumeSource::Stored(id));
    let e = plan(&format!(r#"{{{CONTEXT}, "resume_id": "nope"}}"#)).unwrap_err();
    assert_eq!(e.code(), "invalid_id");
    let p = plan(&format!(
        r#"{{{CONTEXT}, "resume_id": "", "resume_data": {{}}}}"#
    ))
    .unwrap();
    assert_eq!(p.resume, ResumeSource::Nothing);
    let p = plan(&format!(
        r#"{{{CONTEXT}, "resume_data": {{"name": "Ada", "skills": "Rust, SQL"}}, "user_id": "x"}}"#
    ))
    .unwrap();
    let ResumeSource::Data(r) = p.resume else {
        panic!("no resume")
    };
    assert_eq!(r.skills, vec!["Rust".to_owned(), "SQL".to_owned()]);
}

fn answer(json: &str) -> Result<AnswerInput, ApiError> {
    serde_json::from_str::<AnswerRequest>(json)
        .unwrap()
        .validate()
        .map_err(ApiError::from)
}

#[test]
fn answers_are_trimmed_bounded_and_never_empty() {
    let id = SessionId::new_random();
    let a = answer(&format!(
        r#"{{"session_id": "{id}", "answer_text": "  I built it.  ", "time_taken_seconds": 41.6}}"#
    ))
    .unwrap();
    assert_eq!(a.text, "I built it.");
    assert_eq!(a.duration_seconds, Some(42));
    assert_eq!(a.question, None);

    let e = answer(&format!(
        r#"{{"session_id": "{id}", "answer_text": "   "}}"#
    ))
    .unwrap_err();
    assert_eq!(e.code(), "empty_answer");
    assert!(e.to_string().contains("skip"), "{e}");
    let long = "a".repeat(MAX_ANSWER_CHARS + 1);
    let e = answer(&format!(
        r#"{{"session_id": "{id}", "answer_text": "{long}"}}"#
    ))
    .unwrap_err();
    assert_eq!(e.code(), "answer_too_long");
    let exact = "é".repeat(MAX_ANSWER_CHARS);
    assert!(
        answer(&format!(
            r#"{{"session_id": "{id}", "answer_text": "{exact}"}}"#
        ))
        .is_ok()
    );
    for bad in ["-1", "90000", "\"soon\""] {
        let e = answer(&format!(
            r#"{{"session_id": "{id}", "answer_text": "x", "time_taken_seconds": {bad}}}"#
        ))
        .unwrap_err();
        assert_eq!(e.code(), "validation_error", "{bad}");
    }
    let e = answer(r#"{"answer_text": "x"}"#).unwrap_err();
    assert_eq!(e.code(), "validation_error");
    let e = answer(r#"{"session_id": "x", "answer_text": "x"}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_id");
}

#[test]
fn a_question_may_be_named_by_id_or_number() {
    let id = SessionId::new_random();
    let a = answer(&format!(
        r#"{{"session_id": "{id}", "answer": "x", "question_id": "q3"}}"#
    ))
    .unwrap();
    assert_eq!(a.question, Some(QuestionRef::Id("q3".into())));
    let a = answer(&format!(
        r#"{{"session_id": "{id}", "answer": "x", "question_number": "4"}}"#
    ))
    .unwrap();
    assert_eq!(a.question, Some(QuestionRef::Number(4)));
    let a = answer(&format!(
        r#"{{"session_id": "{id}", "answer": "x", "question_number": 2.0}}"#
    ))
    .unwrap();
    assert_eq!(a.question, Some(QuestionRef::Number(2)));
    for bad in ["0", "2.5", "-1", "1e12"] {
        let e = answer(&format!(
            r#"{{"session_id": "{id}", "answer": "x", "question_number": {bad}}}"#
        ))
        .unwrap_err();
        assert_eq!(e.code(), "validation_error", "{bad}");
    }
}

fn with_keys(values: &[&[u8]]) -> Request {
    let mut builder = lambda_http::http::Request::builder()
        .method("POST")
        .uri("/api/session/answer");
    for v in values {
        let value = lambda_http::http::HeaderValue::from_bytes(v).unwrap();
        builder = builder.header("Idempotency-Key", value);
    }
    builder.body(lambda_http::Body::Empty).unwrap()
}

#[test]
fn an_idempotency_key_is_1_to_255_visible_ascii_characters() {
    assert_eq!(IdempotencyKey::from_request(&with_keys(&[])).unwrap(), None);
    let uuid = "8e0f7c1a-3b5d-4e2f-9a6b-0c1d2e3f4a5b";
    for (raw, want) in [
        (uuid.as_bytes(), uuid),
        (b"  a:b/c~!  ".as_slice(), "a:b/c~!"),
        (b"x".as_slice(), "x"),
    ] {
        let key = IdempotencyKey::from_request(&with_keys(&[raw])).unwrap();
        assert_eq!(key.as_ref().map(IdempotencyKey::as_str), Some(want));
    }
    let longest = "k".repeat(MAX_IDEMPOTENCY_KEY_CHARS);
    assert!(IdempotencyKey::parse(&longest).is_ok());
    let too_long = "k".repeat(MAX_IDEMPOTENCY_KEY_CHARS + 1);
    for bad in [
        b"".as_slice(),
        b"   ",
        b"two words",
        b"caf\xc3\xa9",
        b"tab\there",
        too_long.as_bytes(),
    ] {
        let e = ApiError::from(IdempotencyKey::from_request(&with_keys(&[bad])).unwrap_err());
        assert_eq!(e.status(), lambda_http::http::StatusCode::BAD_REQUEST);
        assert_eq!(e.code(), "invalid_idempotency_key", "{bad:?}");
        assert!(e.to_string().contains("Idempotency-Key"), "{e}");
    }
    let e = ApiError::from(IdempotencyKey::from_request(&with_keys(&[b"a", b"b"])).unwrap_err());
    assert_eq!(e.code(), "invalid_idempotency_key");
}

#[test]
fn evaluate_reads_metadata_liberally() {
    let req: EvaluateRequest = serde_json::from_str(
        r#"{"question": "Tell me about a conflict.", "answer": "We disagreed...",
            "question_metadata": {"category": "Behavioural", "difficulty": "advanced"}}"#,
    )
    .unwrap();
    let (q, a, ctx) = req.validate().unwrap();
    assert_eq!(q.category, Category::Behavioral);
    assert!(q.expects_star);
    assert_eq!(q.difficulty, Difficulty::Hard);
    assert_eq!(a, "We disagreed...");
    assert_eq!(ctx.target_role, NEUTRAL_ROLE);
    // Outside a session an empty answer is scored (zero), not refused.
    let req: EvaluateRequest =
        serde_json::from_str(r#"{"question": "Q?", "answer": "  "}"#).unwrap();
    let (_, a, _) = req.validate().unwrap();
    assert_eq!(a, "");
    let req: EvaluateRequest = serde_json::from_str(r#"{"question": "Q?"}"#).unwrap();
    assert_eq!(
        ApiError::from(req.validate().unwrap_err()).code(),
        "validation_error"
    );
    // Without a category, the question's wording decides.
    let req: EvaluateRequest = serde_json::from_str(
        r#"{"question": "Do you have any questions for us?", "answer": "Yes."}"#,
    )
    .unwrap();
    assert_eq!(req.validate().unwrap().0.category, Category::Closing);
}
