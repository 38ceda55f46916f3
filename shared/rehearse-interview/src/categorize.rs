//! The category of a question that arrives as bare text.

use crate::model::Category;
use crate::text;

const BEHAVIORAL: &[&str] = &[
    "tell me about a time",
    "tell us about a time",
    "describe a time",
    "describe a situation",
    "give me an example of a time",
    "give an example of a time",
    "share an example",
    "talk about a time",
    "have you ever",
    "recall a time",
    "what is the biggest mistake",
    "what's the biggest mistake",
    "biggest failure",
    "greatest weakness",
    "your greatest strength",
    "a time when you",
    "a time you",
];

const SCENARIO: &[&str] = &[
    "what would you do",
    "how would you handle",
    "how would you respond",
    "how would you approach",
    "imagine",
    "suppose",
    "let's say",
    "lets say",
    "what do you do if",
    "what do you do when",
    "if you were",
    "you notice",
    "you discover",
    "you find out",
    "you are asked",
    "you're asked",
    "you have two",
];

const INTRODUCTION: &[&str] = &[
    "tell me about yourself",
    "tell us about yourself",
    "introduce yourself",
    "walk me through your background",
    "walk me through your resume",
    "walk me through your cv",
    "walk us through your background",
    "your background",
    "why are you interested",
    "why do you want",
    "why this role",
    "why this company",
    "what drew you",
    "what brings you",
    "how did you get into",
    "what attracted you",
];

const CLOSING: &[&str] = &[
    "any questions for",
    "questions for us",
    "questions for me",
    "why should we hire",
    "where do you see yourself",
    "anything else",
    "salary expectation",
    "five years",
    "5 years",
    "what should we know",
    "is there anything",
    "final thoughts",
    "when can you start",
    "notice period",
];

const PROJECT: &[&str] = &[
    "your project",
    "the project",
    "on your resume",
    "on your cv",
    "you built",
    "you worked on",
    "you led",
    "you list",
    "i see you",
    "i noticed you",
    "walk me through the",
    "your role in",
    "your role at",
    "your time at",
    "at your last job",
    "in your current role",
    "most complex",
    "proudest",
    "most proud",
    "something you built",
];

pub(crate) fn infer(question: &str) -> Category {
    let q = format!(" {} ", text::normalize(question));
    let has = |list: &[&str]| {
        list.iter()
            .any(|p| q.contains(&format!(" {} ", text::normalize(p))))
    };
    if has(INTRODUCTION) {
        Category::Introduction
    } else if has(CLOSING) {
        Category::Closing
    } else if has(BEHAVIORAL) {
        Category::Behavioral
    } else if has(SCENARIO) {
        Category::Scenario
    } else if has(PROJECT) {
        Category::Project
    } else {
        Category::Technical
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_wordings_land_in_their_category() {
        for (q, c) in [
            ("Tell me about yourself.", Category::Introduction),
            ("Do you have any questions for us?", Category::Closing),
            (
                "Where do you see yourself in five years?",
                Category::Closing,
            ),
            (
                "Tell me about a time you disagreed with your manager.",
                Category::Behavioral,
            ),
            (
                "What would you do if production went down on a Friday night?",
                Category::Scenario,
            ),
            (
                "Walk me through the Shipment Tracker project on your resume.",
                Category::Project,
            ),
            (
                "What is the difference between TCP and UDP?",
                Category::Technical,
            ),
            ("Explain the virtual DOM.", Category::Technical),
        ] {
            assert_eq!(infer(q), c, "{q}");
        }
    }
}
