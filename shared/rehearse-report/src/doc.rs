//! The report as a list of format-neutral blocks. Both renderers draw this one
//! list, so the Markdown and the PDF can never say different things: what the
//! report contains is decided here, once; how it looks, in `markdown` and `pdf`.
//!
//! Text in blocks is as the candidate wrote it (cleaned of invisible characters,
//! not escaped): each renderer escapes for its own format.

use crate::advice::{PracticeItem, practice_plan};
use crate::model::{Answer, Dimension, Report};
#[cfg(test)]
use crate::text::score100;
use crate::text::{
    capitalized, category_label, date_time, duration, excerpt, interview_type_label, level_label,
    one_line, paragraphs, score10, short_date,
};

/// A run of text in a paragraph, plain or strong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub text: String,
    pub strong: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            strong: false,
        }
    }

    pub fn strong(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            strong: true,
        }
    }
}

/// One bar of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    pub label: String,
    /// 0..=max.
    pub value: f32,
    pub max: f32,
    /// The value as printed beside the bar.
    pub shown: String,
}

/// One session of the score trend, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TrendRow {
    pub date: String,
    /// 0–100.
    pub score: f32,
    /// This report's session.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Title(String),
    /// `label: value` lines under the title.
    Fields(Vec<(String, String)>),
    /// The headline: overall score (0–100), tier and a line of context.
    Score {
        overall: f32,
        tier: String,
        detail: String,
    },
    /// Level 2 (section) or 3 (sub-section); `bookmark` is the PDF outline entry.
    Heading {
        level: u8,
        text: String,
        bookmark: Option<String>,
    },
    Paragraph(Vec<Run>),
    Bullets(Vec<Vec<Run>>),
    /// The candidate's own words, paragraph by paragraph.
    Quote(Vec<String>),
    /// A muted remark (a skipped question, an empty answer).
    Note(String),
    Bars(Vec<Bar>),
    /// The score trend, with a sentence saying what it shows.
    Trend {
        caption: String,
        rows: Vec<TrendRow>,
    },
}

/// The most sessions the trend shows, this one included.
const TREND_POINTS: usize = 12;

pub(crate) const TITLE: &str = "Interview feedback report";

/// The report as blocks, in reading order.
pub(crate) fn build(report: &Report) -> Vec<Block> {
    let mut out = vec![
        Block::Title(TITLE.to_owned()),
        Block::Fields(fields(report)),
    ];
    out.push(Block::Score {
        overall: report.overall_score,
        tier: one_line(&report.performance_tier),
        detail: score_detail(report),
    });
    let feedback = paragraphs(&report.overall_feedback);
    for p in feedback {
        out.push(Block::Paragraph(vec![Run::plain(p)]));
    }

    if let Some(dims) = report.dimension_averages {
        out.push(section("Scores by dimension"));
        out.push(Block::Bars(
            Dimension::ALL
                .iter()
                .map(|d| Bar {
                    label: d.label().to_owned(),
                    value: dims.get(*d),
                    max: 10.0,
                    shown: score10(dims.get(*d)),
                })
                .collect(),
        ));
    }
    if !report.category_scores.is_empty() {
        out.push(section("Scores by question category"));
        out.push(Block::Bars(
            report
                .category_scores
                .iter()
                .map(|(c, s)| Bar {
                    label: category_label(c),
                    value: *s,
                    max: 10.0,
                    shown: score10(*s),
                })
                .collect(),
        ));
    }
    if !report.trend.is_empty() {
        out.push(section("Your progress"));
        out.push(Block::Trend {
            caption: "Overall score (0–100) of your recent sessions, oldest first; the last one \
                      is this session."
                .to_owned(),
            rows: trend(report),
        });
    }

    let plan = practice_plan(report);
    if !plan.is_empty() {
        out.push(section(match plan.len() {
            1 => "The thing to practise next",
            2 => "Two things to practise next",
            _ => "Top three things to practise",
        }));
        for (i, item) in plan.iter().enumerate() {
            practice(&mut out, i + 1, item);
        }
    }

    let strengths: Vec<Vec<Run>> = report
        .strengths
        .iter()
        .map(|s| one_line(s))
        .filter(|s| !s.is_empty())
        .map(|s| vec![Run::plain(s)])
        .collect();
    if !strengths.is_empty() {
        out.push(section("Strengths"));
        out.push(Block::Bullets(strengths));
    }

    if !report.answers.is_empty() || report.questions_unanswered > 0 {
        out.push(section("Question by question"));
    }
    for a in &report.answers {
        question(&mut out, a);
    }
    let unreached = report.unreached_questions();
    if !unreached.is_empty() {
        out.push(Block::Heading {
            level: 3,
            text: "Not reached".to_owned(),
            bookmark: Some("Not reached".to_owned()),
        });
        let list: Vec<String> = unreached.iter().map(|n| format!("Q{n}")).collect();
        out.push(Block::Note(format!(
            "{} {} not reached before the session ended, so {} not scored.",
            join_and(&list),
            if list.len() == 1 { "was" } else { "were" },
            if list.len() == 1 { "it is" } else { "they are" },
        )));
    }

    out.push(section("How this report is scored"));
    out.push(Block::Paragraph(vec![Run::plain(
        "Each answer is scored 0–10 on five dimensions: relevance (did it answer the \
         question), depth (the why and how), structure (easy to follow; STAR for stories), \
         specificity (numbers, names, outcomes) and communication (clear and concise). An \
         answer's score combines them; the overall score is the mean of the answered \
         questions on a 0–100 scale. Skipped questions are not scored. Tiers: Excellent from \
         80, Good from 60, Fair from 40, else Needs Improvement.",
    )]));
    out
}

fn section(text: &str) -> Block {
    Block::Heading {
        level: 2,
        text: text.to_owned(),
        bookmark: Some(text.to_owned()),
    }
}

fn fields(report: &Report) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut push = |label: &str, value: String| {
        if !value.trim().is_empty() {
            f.push((label.to_owned(), value));
        }
    };
    push(
        "Candidate",
        report
            .candidate_name
            .as_deref()
            .map(one_line)
            .unwrap_or_default(),
    );
    push(
        "Role",
        Some(one_line(&report.target_role))
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "Not specified".to_owned()),
    );
    push(
        "Level",
        report
            .experience_level
            .as_deref()
            .map(level_label)
            .unwrap_or_default(),
    );
    push(
        "Interview",
        report
            .interview_type
            .as_deref()
            .map(interview_type_label)
            .unwrap_or_default(),
    );
    push(
        "Company",
        report.company.as_deref().map(one_line).unwrap_or_default(),
    );
    push(
        "Date",
        report
            .completed_at
            .or(report.started_at)
            .map(date_time)
            .unwrap_or_default(),
    );
    push(
        "Duration",
        report.duration_seconds.map(duration).unwrap_or_default(),
    );
    let mut counts = format!(
        "{} of {} answered",
        report.questions_answered, report.total_questions
    );
    if report.questions_skipped > 0 {
        counts.push_str(&format!(", {} skipped", report.questions_skipped));
    }
    if report.questions_unanswered > 0 {
        counts.push_str(&format!(", {} not reached", report.questions_unanswered));
    }
    push("Questions", counts);
    f
}

fn score_detail(report: &Report) -> String {
    if report.questions_answered == 0 {
        return "No answer was scored in this session.".to_owned();
    }
    format!(
        "Average {} over {} answered question{}.",
        score10(report.average_score),
        report.questions_answered,
        if report.questions_answered == 1 {
            ""
        } else {
            "s"
        }
    )
}

fn trend(report: &Report) -> Vec<TrendRow> {
    let mut rows: Vec<TrendRow> = report
        .trend
        .iter()
        .map(|p| TrendRow {
            date: short_date(p.completed_at),
            score: p.overall_score,
            current: false,
        })
        .collect();
    rows.push(TrendRow {
        date: report
            .completed_at
            .map(short_date)
            .unwrap_or_else(|| "This session".to_owned()),
        score: report.overall_score,
        current: true,
    });
    let skip = rows.len().saturating_sub(TREND_POINTS);
    rows.split_off(skip)
}

fn practice(out: &mut Vec<Block>, n: usize, item: &PracticeItem) {
    let title = match item.score {
        Some(s) => format!("{n}. {} ({})", one_line(&item.area), score10(s)),
        None => format!("{n}. {}", one_line(&item.area)),
    };
    out.push(Block::Heading {
        level: 3,
        text: title,
        bookmark: None,
    });
    out.push(Block::Paragraph(vec![Run::plain(one_line(&item.why))]));
    out.push(Block::Bullets(
        item.steps
            .iter()
            .map(|s| vec![Run::plain(one_line(s))])
            .collect(),
    ));
    if !item.examples.is_empty() {
        out.push(Block::Paragraph(vec![Run::strong(
            "Where it showed in this session:",
        )]));
        out.push(Block::Bullets(
            item.examples
                .iter()
                .map(|s| vec![Run::plain(one_line(s))])
                .collect(),
        ));
    }
}

fn question(out: &mut Vec<Block>, a: &Answer) {
    let text = one_line(&a.question);
    let text = if text.is_empty() {
        "(question text not recorded)".to_owned()
    } else {
        text
    };
    out.push(Block::Heading {
        level: 3,
        text: format!("Q{}. {text}", a.question_number),
        bookmark: Some(format!("Q{}. {}", a.question_number, excerpt(&text, 60))),
    });
    let mut facts: Vec<String> = Vec::new();
    if let Some(c) = a.category.as_deref().filter(|c| !c.trim().is_empty()) {
        facts.push(category_label(c));
    }
    if let Some(d) = a.difficulty.as_deref().filter(|d| !d.trim().is_empty()) {
        facts.push(capitalized(d));
    }
    if a.is_follow_up {
        facts.push("Follow-up".to_owned());
    }
    if let Some(s) = a.duration_seconds.filter(|s| *s > 0) {
        facts.push(duration(s));
    }
    let headline = if a.is_skipped {
        Run::strong("Skipped — not scored")
    } else {
        match a.score() {
            Some(s) => Run::strong(format!("Score {}", score10(s))),
            None => Run::strong("Not scored"),
        }
    };
    let mut line = vec![headline];
    if !facts.is_empty() {
        line.push(Run::plain(format!(" · {}", facts.join(" · "))));
    }
    out.push(Block::Paragraph(line));

    if a.is_skipped {
        out.push(Block::Note(
            "You skipped this question. In a real interview, say how you would approach it \
             even when unsure."
                .to_owned(),
        ));
        return;
    }
    let answer = a.answer_text.as_deref().map(paragraphs).unwrap_or_default();
    out.push(Block::Paragraph(vec![Run::strong("Your answer")]));
    if answer.is_empty() {
        out.push(Block::Note("No answer text was recorded.".to_owned()));
    } else {
        out.push(Block::Quote(answer));
    }
    let Some(e) = &a.evaluation else {
        if let Some(f) = a.feedback() {
            out.push(Block::Paragraph(vec![
                Run::strong("Feedback: "),
                Run::plain(one_line(f)),
            ]));
        }
        return;
    };
    let list = |items: &[String]| -> Vec<Vec<Run>> {
        items
            .iter()
            .map(|s| one_line(s))
            .filter(|s| !s.is_empty())
            .map(|s| vec![Run::plain(s)])
            .collect()
    };
    if let Some(dims) = a.dimensions() {
        let parts: Vec<String> = Dimension::ALL
            .iter()
            .map(|d| format!("{} {:.1}", d.label(), dims.get(*d)))
            .collect();
        out.push(Block::Paragraph(vec![
            Run::strong("Dimensions: "),
            Run::plain(parts.join(" · ")),
        ]));
    }
    for (title, items) in [
        ("Strengths", list(&e.strengths)),
        ("To improve", list(&e.improvements)),
    ] {
        if !items.is_empty() {
            out.push(Block::Paragraph(vec![Run::strong(title)]));
            out.push(Block::Bullets(items));
        }
    }
    let evidence: Vec<Vec<Run>> = e
        .evidence
        .iter()
        .map(|q| one_line(q))
        .filter(|q| !q.is_empty())
        .map(|q| vec![Run::plain(format!("“{q}”"))])
        .collect();
    if !evidence.is_empty() {
        out.push(Block::Paragraph(vec![Run::strong(
            "Evidence quoted from your answer",
        )]));
        out.push(Block::Bullets(evidence));
    }
    if let Some(f) = a.feedback() {
        out.push(Block::Paragraph(vec![
            Run::strong("Feedback: "),
            Run::plain(one_line(f)),
        ]));
    }
}

/// `Q1`, `Q1 and Q2`, `Q1, Q2 and Q3`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Every piece of text the blocks hold, for tests that check both formats carry it.
#[cfg(test)]
pub(crate) fn texts(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    let runs = |rs: &[Run]| rs.iter().map(|r| r.text.clone()).collect::<String>();
    for b in blocks {
        match b {
            Block::Title(t) | Block::Note(t) => out.push(t.clone()),
            Block::Fields(f) => {
                for (l, v) in f {
                    out.push(l.clone());
                    out.push(v.clone());
                }
            }
            Block::Score {
                overall,
                tier,
                detail,
            } => {
                out.push(score100(*overall));
                out.push(tier.clone());
                out.push(detail.clone());
            }
            Block::Heading { text, .. } => out.push(text.clone()),
            Block::Paragraph(rs) => out.push(runs(rs)),
            Block::Bullets(items) => {
                out.extend(items.iter().map(|rs| runs(rs)));
            }
            Block::Quote(ps) => out.extend(ps.iter().cloned()),
            Block::Bars(bars) => {
                for b in bars {
                    out.push(b.label.clone());
                    out.push(b.shown.clone());
                }
            }
            Block::Trend { caption, rows } => {
                out.push(caption.clone());
                for r in rows {
                    out.push(r.date.clone());
                }
            }
        }
    }
    out
}
