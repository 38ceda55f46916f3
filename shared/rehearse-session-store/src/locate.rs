//! Who may reach a session, and reading it: its owner (as them, under
//! row-level security), or anyone holding an anonymous session's id (through the
//! service connection, filtered to anonymous rows).

use rehearse_core::{AuthUser, SessionId, UserId};
use rehearse_db::sessions::{self, AnswerRow, Lock, SessionRow, SessionStatus};
use rehearse_db::{Db, Role, Transaction};
use rehearse_interview::{Question, Session};

use crate::engine;
use crate::engine::asked_question;
use crate::error::SessionError;

/// A session found for a caller, and how it must be reached from now on.
#[derive(Debug, Clone)]
pub struct Located {
    /// `Some` when the session is the caller's own; `None` for an anonymous session.
    pub owner: Option<AuthUser>,
    pub row: SessionRow,
}

impl Located {
    pub(crate) fn who(&self) -> Role<'_> {
        self.owner.as_ref().map_or(Role::Service, Role::User)
    }

    pub(crate) fn owner_id(&self) -> Option<UserId> {
        self.owner.as_ref().map(|u| u.id)
    }
}

/// The session `id` as `caller` may reach it: their own (as them, under
/// row-level security), or an anonymous one (with or without a token). Someone
/// else's is [`SessionError::NotFound`] like a missing one; a signed-in user's
/// session without a token is [`SessionError::SignInRequired`], so the client
/// knows to sign in rather than that it vanished.
pub async fn locate(
    db: &Db,
    caller: Option<&AuthUser>,
    id: SessionId,
) -> Result<Located, SessionError> {
    let (located, ()) = locate_and(db, caller, id, async |_, _| Ok(())).await?;
    Ok(located)
}

/// [`locate`], and whatever `then` reads about the session in the same
/// transaction, as the same role (`row.user_id` is the owner to filter by). A
/// caller's own session, or any anonymous one, costs one transaction; only a
/// signed-in caller reaching an anonymous session costs two (theirs first).
pub(crate) async fn locate_and<T>(
    db: &Db,
    caller: Option<&AuthUser>,
    id: SessionId,
    then: impl AsyncFnOnce(&Transaction<'_>, &SessionRow) -> Result<T, SessionError> + Clone,
) -> Result<(Located, T), SessionError> {
    if let Some(user) = caller {
        let then = then.clone();
        let own = db
            .transaction(Role::User(user), async move |tx| {
                match sessions::get(tx, id, Some(user.id), Lock::No).await? {
                    Some(row) => {
                        let read = then(tx, &row).await?;
                        Ok::<_, SessionError>(Some((row, read)))
                    }
                    None => Ok(None),
                }
            })
            .await?;
        if let Some((row, read)) = own {
            let owner = Some(user.clone());
            return Ok((Located { owner, row }, read));
        }
    }
    let anonymous = db
        .transaction(Role::Service, async move |tx| {
            match sessions::get(tx, id, None, Lock::No).await? {
                Some(row) => {
                    let read = then(tx, &row).await?;
                    Ok::<_, SessionError>(Ok((row, read)))
                }
                // Whether it is someone's: without a token, that is a 401.
                None => Ok(Err(caller.is_none() && sessions::is_owned(tx, id).await?)),
            }
        })
        .await?;
    match anonymous {
        Ok((row, read)) => Ok((Located { owner: None, row }, read)),
        Err(true) => Err(SessionError::SignInRequired),
        Err(false) => Err(SessionError::NotFound),
    }
}

/// A session as the client sees it on a refresh: where it stands, what was
/// asked and answered so far, and its summary once finished.
#[derive(Debug, Clone)]
pub struct SessionState {
    pub located: Located,
    pub session: Session,
    pub answers: Vec<AnswerRow>,
}

/// The session and its answers so far, read in one transaction.
pub async fn state(
    db: &Db,
    caller: Option<&AuthUser>,
    id: SessionId,
) -> Result<SessionState, SessionError> {
    let (located, answers) = locate_and(db, caller, id, async |tx, row| {
        Ok(sessions::answers(tx, id, row.user_id).await?)
    })
    .await?;
    let session = engine::restore(&located.row)?;
    Ok(SessionState {
        located,
        session,
        answers,
    })
}

impl SessionState {
    /// Whether the session takes no more answers: finalized, or every question done.
    pub fn is_complete(&self) -> bool {
        self.located.row.status != SessionStatus::InProgress || self.session.is_complete()
    }

    /// The question being asked, while the session takes answers.
    pub fn current_question(&self) -> Option<&Question> {
        if self.located.row.status == SessionStatus::InProgress {
            self.session.current()
        } else {
            None
        }
    }

    /// Each answer or skip so far, with the question it was for.
    pub fn history(&self) -> Vec<(Question, &AnswerRow)> {
        self.answers
            .iter()
            .map(|a| (asked_question(&self.session, a), a))
            .collect()
    }
}
