//! Creating a session: its questions planned from the resume and the job
//! context, and everything stored before the first answer can arrive.

use rehearse_core::{AuthUser, ResumeId, SessionId, UserId};
use rehearse_db::sessions::{self, NewSession, SessionMode};
use rehearse_db::{Db, Role, resumes};
use rehearse_interview::{Question, Recall, Resume, Session};
use rehearse_llm::Llm;
use rehearse_resume_store::requests::ClientResume;
use serde_json::Value;

use crate::engine;
use crate::error::SessionError;
use crate::practice;
use crate::requests::{ResumeSource, SessionPlan};
use crate::view::engine_json;

/// The serde name of an engine enum (`senior`, `technical`), as stored in columns.
fn name_of<T: serde::Serialize>(value: &T) -> Result<String, SessionError> {
    match serde_json::to_value(value).map_err(SessionError::invariant)? {
        Value::String(s) => Ok(s),
        other => Err(SessionError::Invariant(format!("{other} is not a name"))),
    }
}

/// A session just created.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: SessionId,
    pub mode: SessionMode,
    pub session: Session,
    /// The owner, for a signed-in caller; `None` for an anonymous session.
    pub owner: Option<UserId>,
}

/// Plan the session's questions and store it, with its questions, engine state
/// and position, before anything is returned: the first answer may reach any
/// instance. A signed-in caller owns it; an anonymous one gets a session reachable
/// by its (random, unguessable) id alone. With a model, the questions are stored
/// in its wording (the plan itself stays the engine's).
pub async fn create(
    db: &Db,
    llm: &Llm,
    caller: Option<&AuthUser>,
    plan: SessionPlan,
    mode: SessionMode,
) -> Result<Created, SessionError> {
    let (resume, resume_id) = resolve_resume(db, caller, plan.resume).await?;
    let mut session = if plan.focus.is_empty() {
        Session::new(
            &resume,
            plan.context,
            plan.num_questions,
            engine::new_seed(),
        )
    } else {
        let recall = practice::recall(db, caller).await?;
        Session::new_focused(
            &resume,
            plan.context,
            plan.num_questions,
            engine::new_seed(),
            &plan.focus,
            &recall,
        )
    };
    if session.current().is_none() {
        return Err(SessionError::invariant("the engine planned no questions"));
    }
    let planned = std::mem::take(&mut session.questions);
    session.questions = llm
        .reword_questions(&session.context, &resume.skills, planned)
        .await;
    let (questions, state) = engine::to_stored(&session)?;
    let snapshot = engine_json(&resume).map_err(SessionError::invariant)?;
    let level = name_of(&session.context.experience_level)?;
    let kind = name_of(&session.context.interview_type)?;
    let id = SessionId::new_random();
    let owner = caller.map(|u| u.id);
    let new = NewSession {
        id,
        owner,
        resume_id,
        target_role: &session.context.target_role,
        experience_level: &level,
        interview_type: &kind,
        company: session.context.company.as_deref(),
        job_description: session.context.job_description.as_deref(),
        mode,
        resume_snapshot: &snapshot,
        questions: &questions,
        engine_state: &state,
    };
    let who = caller.map_or(Role::Service, Role::Writer);
    db.transaction(who, async |tx| match sessions::insert(tx, &new).await {
        Ok(_) => Ok(()),
        // The resume was deleted between reading it and now.
        Err(e) if e.constraint() == Some("interview_sessions_resume_id_fkey") => {
            Err(SessionError::ResumeNotFound)
        }
        Err(e) => Err(e.into()),
    })
    .await?;
    // An anonymous session's id is the only key to it: it is never logged.
    match owner {
        Some(_) => {
            tracing::info!(session_id = %id, mode = mode.as_str(), questions = session.questions.len(), "session created")
        }
        None => {
            tracing::info!(
                mode = mode.as_str(),
                questions = session.questions.len(),
                "anonymous session created"
            )
        }
    }
    Ok(Created {
        id,
        mode,
        session,
        owner,
    })
}

/// Questions for `plan` without creating a session.
pub async fn plan_questions(
    db: &Db,
    llm: &Llm,
    caller: Option<&AuthUser>,
    plan: SessionPlan,
) -> Result<Vec<Question>, SessionError> {
    let (resume, _) = resolve_resume(db, caller, plan.resume).await?;
    let recall = if plan.focus.is_empty() {
        Recall::new(&[], 0)
    } else {
        practice::recall(db, caller).await?
    };
    let planned = rehearse_interview::generate_focused(
        &resume,
        &plan.context,
        plan.num_questions,
        engine::new_seed(),
        &plan.focus,
        &recall,
    );
    Ok(llm
        .reword_questions(&plan.context, &resume.skills, planned)
        .await)
}

/// The resume a session draws its questions from. A stored one needs a token
/// (401 without) and must be the caller's (404 otherwise, like a missing one).
async fn resolve_resume(
    db: &Db,
    caller: Option<&AuthUser>,
    source: ResumeSource,
) -> Result<(Resume, Option<ResumeId>), SessionError> {
    match source {
        ResumeSource::Data(resume) => Ok((*resume, None)),
        ResumeSource::Nothing => Ok((Resume::default(), None)),
        ResumeSource::Stored(id) => {
            let user = caller.ok_or(SessionError::SignInRequired)?;
            let stored = db
                .as_user(user, async |tx| resumes::get(tx, user.id, id).await)
                .await?
                .ok_or(SessionError::ResumeNotFound)?;
            Ok((resume_from_stored(stored.parsed_json, id), Some(id)))
        }
    }
}

/// A stored resume's `parsed_json` as a resume: the parser's own shape, else read
/// as liberally as a client's; a resume that reads as neither is interviewed
/// without (its questions are then role-based) rather than refused.
fn resume_from_stored(json: Value, id: ResumeId) -> Resume {
    if let Ok(resume) = serde_json::from_value::<Resume>(json.clone()) {
        return resume;
    }
    let liberal = serde_json::from_value::<ClientResume>(json)
        .map_err(|e| e.to_string())
        .and_then(|c| c.validate().map_err(|e| e.to_string()));
    liberal.unwrap_or_else(|e| {
        tracing::warn!(resume_id = %id, error = %e, "stored resume does not read as a resume; interviewing without it");
        Resume::default()
    })
}
