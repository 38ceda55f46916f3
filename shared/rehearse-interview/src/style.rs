//! Which rubric a question is scored with: a STAR story, a technical
//! explanation, an opening or closing exchange, or an open discussion. The weights,
//! the feedback's wording and the relevance rules all follow from it.

use crate::model::{Category, Question};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Style {
    Star,
    Technical,
    Opening,
    Discussion,
}

pub(crate) fn style(q: &Question) -> Style {
    if q.expects_star {
        Style::Star
    } else {
        match q.category {
            Category::Technical => Style::Technical,
            Category::Introduction | Category::Closing => Style::Opening,
            _ => Style::Discussion,
        }
    }
}
