//! One answer's score, bounded as stored.

use rehearse_interview::{Evaluation, JobContext, Question};
use rehearse_llm::Llm;

pub(crate) fn words(text: &str) -> i32 {
    i32::try_from(text.split_whitespace().count()).unwrap_or(i32::MAX)
}

/// Score one answer outside any session, with the same engine, the same model
/// as the judge and the same clamping as a session's answers.
pub async fn evaluate_one(
    llm: &Llm,
    question: &Question,
    answer: &str,
    context: &JobContext,
) -> Evaluation {
    let engine = rehearse_interview::evaluate(question, answer, context);
    let mut evaluation = llm.judge_answer(question, answer, context, engine).await;
    sanitize(&mut evaluation);
    evaluation
}

/// Scores inside their ranges whatever the engine (or a model behind it) said:
/// the columns' checks would otherwise turn a bad score into a failed answer.
pub(crate) fn sanitize(e: &mut Evaluation) {
    e.score = clamp(e.score, 10.0);
    let d = &mut e.dimensions;
    for v in [
        &mut d.relevance,
        &mut d.depth,
        &mut d.structure,
        &mut d.specificity,
        &mut d.communication,
    ] {
        *v = clamp(*v, 10.0);
    }
}

/// `v` within 0..=`max`, 0 when not a number, to two decimals (as stored).
pub(crate) fn clamp(v: f32, max: f32) -> f32 {
    if v.is_finite() {
        (v.clamp(0.0, max) * 100.0).round() / 100.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_clamped_and_rounded_as_stored() {
        assert_eq!(clamp(6.666_666, 10.0), 6.67);
        assert_eq!(clamp(11.0, 10.0), 10.0);
        assert_eq!(clamp(-3.0, 10.0), 0.0);
        assert_eq!(clamp(f32::NAN, 10.0), 0.0);
        assert_eq!(clamp(f32::INFINITY, 100.0), 0.0);
    }
}
