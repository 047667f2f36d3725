//! The evaluation questionnaire's rules: the kinds of question and the values each takes
//! ("ved ikke" is 0 on every scale), and how long a written answer or a course's own question
//! may be.

use serde::{Deserialize, Serialize};

/// Longest free-text answer.
pub const TEXT_MAX: usize = 2000;

/// Longest text of a course's own question.
pub const QUESTION_MAX: usize = 200;

/// How a question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    /// Helt enig (5) … helt uenig (1), or ved ikke (0).
    Likert,
    /// Ja (3), måske (2), nej (1), or ved ikke (0).
    Recommend,
    Text,
}

impl QuestionKind {
    pub fn from_slug(s: &str) -> Option<QuestionKind> {
        match s {
            "likert" => Some(QuestionKind::Likert),
            "recommend" => Some(QuestionKind::Recommend),
            "text" => Some(QuestionKind::Text),
            _ => None,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            QuestionKind::Likert => "likert",
            QuestionKind::Recommend => "recommend",
            QuestionKind::Text => "text",
        }
    }

    /// The values a choice may take, best first, then "ved ikke" (0).
    pub fn values(self) -> &'static [i32] {
        match self {
            QuestionKind::Likert => &[5, 4, 3, 2, 1, 0],
            QuestionKind::Recommend => &[3, 2, 1, 0],
            QuestionKind::Text => &[],
        }
    }

    /// Translation key of a choice's label.
    pub fn value_key(self, value: i32) -> String {
        match self {
            QuestionKind::Recommend => format!("evaluation.recommend.{value}"),
            _ => format!("evaluation.scale.{value}"),
        }
    }
}
