//! The evaluation form, its questions, and the staff pages for paper forms and course questions.

use crate::dto::catalogue::SchoolDto;
use crate::dto::staff::{MeDto, SignedIn};
use crate::rules::evaluation::QuestionKind;
use serde::{Deserialize, Serialize};

/// One question as the form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionDto {
    pub id: i32,
    /// For a default question: its text is `evaluation.q.<code>`.
    pub code: Option<String>,
    /// For a course's own question: its text.
    pub text: String,
    pub kind: QuestionKind,
}

impl QuestionDto {
    /// The question in the reader's language.
    pub fn label(&self, l: crate::i18n::Locale) -> String {
        match &self.code {
            Some(code) => crate::tr!(l, &format!("evaluation.q.{code}")),
            None => self.text.clone(),
        }
    }
}

/// The page an evaluation link opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EvaluationPageDto {
    /// Unknown, expired, already used, or of another kind.
    Invalid,
    Valid {
        course: String,
        school: Box<SchoolDto>,
        questions: Vec<QuestionDto>,
    },
}

/// The questionnaire as posted: `q[q<question id>]` per answered question (a letter first:
/// serde_qs reads numeric keys as list positions).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub run_id: String,
    #[serde(default)]
    pub q: std::collections::BTreeMap<String, String>,
}

/// The paper-form page of a run, for staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaperDto {
    pub me: MeDto,
    pub run_id: i32,
    pub course_title: String,
    pub school_name: String,
    pub questions: Vec<QuestionDto>,
    /// Responses so far, from the link and from paper.
    pub web: u64,
    pub paper: u64,
}

/// A run's own evaluation results, for its team and the school's coordinators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamResultsDto {
    pub me: MeDto,
    pub run_id: i32,
    pub course_title: String,
    pub school_name: String,
    /// This run's responses ("< 5" below five).
    pub own_responses: crate::rules::reports::Cell,
    /// How many runs the results are of: 1 for this run alone, more when pooled with the
    /// course's earlier runs, 0 while there are too few answers to show anything.
    pub pooled_runs: usize,
    /// The responses shown (of the pool).
    pub responses: crate::rules::reports::Cell,
    pub questions: Vec<crate::rules::reports::QuestionRow>,
    pub free_texts: Vec<(String, Vec<String>)>,
}

/// A course's own questions, for the course's editors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseQuestionsDto {
    pub me: MeDto,
    pub course_id: i32,
    pub course_title: String,
    /// The default set, for reference.
    pub defaults: Vec<QuestionDto>,
    pub own: Vec<QuestionDto>,
}

crate::refusals! {
    /// Why a questionnaire (from the link, or typed in from paper) was not stored.
    pub enum EvaluationRefusal {
        Choice => "svar", "evaluation.err.choice";
        Text => "tekst", "evaluation.err.text";
        Empty => "tom", "evaluation.err.empty";
    }
}

impl From<crate::rules::evaluation::AnswerProblem> for EvaluationRefusal {
    fn from(p: crate::rules::evaluation::AnswerProblem) -> Self {
        match p {
            crate::rules::evaluation::AnswerProblem::NotAChoice => EvaluationRefusal::Choice,
            crate::rules::evaluation::AnswerProblem::TextTooLong => EvaluationRefusal::Text,
        }
    }
}

crate::refusals! {
    /// Why a course's own question was not added.
    pub enum QuestionRefusal {
        Text => "tekst", "staff.questions.err.text";
        Kind => "type", "staff.questions.err.kind";
    }
}

impl SignedIn for PaperDto {
    fn me(&self) -> &MeDto {
        &self.me
    }
}

impl SignedIn for CourseQuestionsDto {
    fn me(&self) -> &MeDto {
        &self.me
    }
}

impl SignedIn for TeamResultsDto {
    fn me(&self) -> &MeDto {
        &self.me
    }
}
