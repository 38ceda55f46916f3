//! A live session as a state machine: planned at the start, then each answer or
//! skip scores the current question, may put a follow-up next, and yields the
//! interviewer's reply and the next question. The state itself is plain data
//! (`model::Session`), so a session continues identically after a cold start.

use rehearse_resume::Resume;

use crate::model::{Focus, JobContext, Question, Session, Turn};
use crate::repetition::Recall;
use crate::{followup, generate, reply, score};

impl Session {
    pub fn new(resume: &Resume, context: JobContext, num_questions: u8, seed: u64) -> Self {
        let questions = generate::generate(resume, &context, num_questions, seed);
        Self {
            context,
            questions,
            position: 0,
            seed,
            followed_up: Vec::new(),
        }
    }

    /// A practice session: planned around `focus`, with spaced repetition on
    /// the user's history (see `generate`). With an empty focus and recall it
    /// is [`Session::new`]. The focus shapes only the plan: a follow-up later
    /// replaces the last planned question before the closing one as in any
    /// session (the follow-up itself digs into a question of the plan).
    pub fn new_focused(
        resume: &Resume,
        context: JobContext,
        num_questions: u8,
        seed: u64,
        focus: &Focus,
        recall: &Recall,
    ) -> Self {
        let questions = generate::focused(resume, &context, num_questions, seed, focus, recall);
        Self {
            context,
            questions,
            position: 0,
            seed,
            followed_up: Vec::new(),
        }
    }

    pub fn current(&self) -> Option<&Question> {
        self.questions.get(self.position)
    }

    pub fn is_complete(&self) -> bool {
        self.position >= self.questions.len()
    }

    /// `(current, total)` as the client shows it: `current` is the 1-based number of
    /// the question now being asked (or `total` once complete).
    pub fn progress(&self) -> (u32, u32) {
        let total = self.questions.len() as u32;
        ((self.position as u32 + 1).min(total), total)
    }

    /// Score the answer to the current question and move on. When the answer was
    /// vague, short or lacked an example, the next question becomes a follow-up on
    /// it (replacing the last planned question before the closing one, so the total
    /// stays the same), at most once per topic. `None` when the session is complete.
    pub fn record_answer(&mut self, answer: &str) -> Option<Turn> {
        let question = self.current()?.clone();
        let (evaluation, signals) = score::assess(&question, answer, &self.context);
        self.position += 1;
        let seed = self.seed ^ question.number as u64;
        let followed = followup::follow_up(
            &question,
            &evaluation,
            &signals,
            &self.context.target_role,
            self.seed,
        )
        .is_some_and(|f| followup::insert(self, f));
        let reply = if followed {
            reply::before_follow_up(seed)
        } else {
            reply::reply(&question, Some(&evaluation), seed)
        };
        Some(Turn {
            answered: question,
            evaluation: Some(evaluation),
            interviewer_response: reply,
            next_question: self.current().cloned(),
            is_complete: self.is_complete(),
        })
    }

    /// Skip the current question (not scored). `None` when the session is complete.
    pub fn record_skip(&mut self) -> Option<Turn> {
        let question = self.current()?.clone();
        self.position += 1;
        let reply = reply::reply(&question, None, self.seed ^ question.number as u64);
        Some(Turn {
            answered: question,
            evaluation: None,
            interviewer_response: reply,
            next_question: self.current().cloned(),
            is_complete: self.is_complete(),
        })
    }
}
