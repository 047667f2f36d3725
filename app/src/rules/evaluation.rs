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

/// What is wrong with a posted questionnaire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A choice that the question does not offer.
    NotAChoice,
    /// A written answer longer than [`TEXT_MAX`].
    TextTooLong,
}

/// One answer: a choice's value or a text.
#[derive(Debug, PartialEq)]
pub enum Answer {
    Choice(i32),
    Text(String),
}

/// Reads the posted answers to `questions` (id and kind); unanswered questions are left out.
pub fn parse(
    questions: &[(i32, QuestionKind)],
    posted: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<(i32, Answer)>, AnswerProblem> {
    let mut answers = Vec::new();
    for &(id, kind) in questions {
        let Some(value) = posted.get(&format!("q{id}")) else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match kind {
            QuestionKind::Text => {
                if value.chars().count() > TEXT_MAX {
                    return Err(AnswerProblem::TextTooLong);
                }
                answers.push((id, Answer::Text(value.to_string())));
            }
            kind => match value.parse::<i32>() {
                Ok(v) if kind.values().contains(&v) => answers.push((id, Answer::Choice(v))),
                _ => return Err(AnswerProblem::NotAChoice),
            },
        }
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: i32, kind: QuestionKind) -> (i32, QuestionKind) {
        (id, kind)
    }

    #[test]
    fn answers_are_read_within_their_scale() {
        let questions = [
            q(1, QuestionKind::Likert),
            q(2, QuestionKind::Recommend),
            q(3, QuestionKind::Text),
            q(4, QuestionKind::Likert),
        ];
        let posted = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let read = parse(
            &questions,
            &posted(&[
                ("q1", "5"),
                ("q2", "0"),
                ("q3", "  Fællesskabet  "),
                ("q9", "5"),
            ]),
        )
        .expect("valid");
        assert_eq!(
            read,
            vec![
                (1, Answer::Choice(5)),
                (2, Answer::Choice(0)),
                (3, Answer::Text("Fællesskabet".into())),
            ]
        );
        assert_eq!(
            parse(&questions, &posted(&[("q2", "4")])),
            Err(AnswerProblem::NotAChoice)
        );
        assert_eq!(
            parse(&questions, &posted(&[("q1", "6")])),
            Err(AnswerProblem::NotAChoice)
        );
        assert_eq!(
            parse(&questions, &posted(&[("q1", "en")])),
            Err(AnswerProblem::NotAChoice)
        );
        let long = "x".repeat(TEXT_MAX + 1);
        assert_eq!(
            parse(&questions, &posted(&[("q3", &long)])),
            Err(AnswerProblem::TextTooLong)
        );
        assert_eq!(parse(&questions, &posted(&[("q4", "")])), Ok(vec![]));
    }
}
