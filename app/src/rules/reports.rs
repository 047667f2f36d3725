//! Report figures for koordinatorer, ledelse and teachers: sign-ups, fill, unmet demand,
//! afbud, no-shows and attendance, completion, repeat participants, drop-in headcounts, the mix
//! of perspectives and municipalities, and evaluation results.
//!
//! How things are counted:
//! - A run belongs to the period in which its first session (not cancelled) begins; its
//!   run-level figures (sign-ups, fill, completion, evaluations) count there in full, also when
//!   later sessions fall after the period's end.
//! - Attendance counts per session on the local (Copenhagen) date of the session, so a period
//!   holds exactly the sessions held on its days. Cancelled sessions and cancelled runs count
//!   nowhere.
//! - Of the attendance recorded for sessions, the shares present (incl. late and left early),
//!   absent (no-show) and afbud add up to the whole.
//! - Completion: a person with a seat on a run with attendance taken, who came to at least half
//!   of its sessions held.
//! - Unmet demand: people who joined a waiting list and never got a seat.
//!
//! Small groups are suppressed before anything leaves the server: see [`Cell`].

use serde::{Deserialize, Serialize};

/// The smallest group a figure may show.
pub const MIN_GROUP: u64 = 5;

/// A figure as shown. Counts of 1–4 people are [`Cell::Small`] ("< 5"); so is a share whose
/// count or whole is 1–4 people, so that no small group can be read back from it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Count(u64),
    /// Tenths of a percent.
    Share(u32),
    /// A mean on a scale, in hundredths.
    Mean(u32),
    Small,
    /// Nothing to show (no data).
    #[default]
    Empty,
}

impl Cell {
    /// A count of people.
    pub fn people(n: u64) -> Cell {
        if n > 0 && n < MIN_GROUP {
            Cell::Small
        } else {
            Cell::Count(n)
        }
    }

    /// `part` of `whole` people, as a share.
    pub fn share(part: u64, whole: u64) -> Cell {
        if whole == 0 {
            Cell::Empty
        } else if whole < MIN_GROUP || (part > 0 && part < MIN_GROUP) {
            Cell::Small
        } else {
            Cell::Share(u32::try_from(part * 1000 / whole).unwrap_or(u32::MAX))
        }
    }

    /// A mean of `n` answers summing to `sum`.
    pub fn mean(sum: u64, n: u64) -> Cell {
        if n == 0 {
            Cell::Empty
        } else if n < MIN_GROUP {
            Cell::Small
        } else {
            Cell::Mean(u32::try_from(sum * 100 / n).unwrap_or(u32::MAX))
        }
    }

    /// The figure in Danish notation ("12", "45,5 %", "4,20", "< 5", "–").
    pub fn text(&self) -> String {
        match self {
            Cell::Count(n) => n.to_string(),
            Cell::Share(p) => format!("{},{} %", p / 10, p % 10),
            Cell::Mean(m) => format!("{},{:02}", m / 100, m % 100),
            Cell::Small => "< 5".into(),
            Cell::Empty => "–".into(),
        }
    }

    /// The value to draw in a chart, if it may be drawn.
    pub fn value(&self) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Share(p) => Some(f64::from(*p) / 10.0),
            Cell::Mean(m) => Some(f64::from(*m) / 100.0),
            Cell::Small | Cell::Empty => None,
        }
    }
}

/// One run in the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    pub run_id: i32,
    pub course: String,
    pub school: String,
    pub starts: chrono::NaiveDate,
    pub sessions: u32,
    pub capacity: Option<u32>,
    pub seats: Cell,
    pub fill: Cell,
    pub unmet: Cell,
    pub attendance: Cell,
    pub completion: Cell,
    pub responses: Cell,
}

/// Fill and waiting list per course.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseRow {
    pub course: String,
    pub runs: u32,
    pub capacity: u64,
    pub seats: Cell,
    pub fill: Cell,
    pub unmet: Cell,
}

/// Attendance in one week or month of the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodRow {
    pub starts: chrono::NaiveDate,
    pub sessions: u32,
    pub present: Cell,
    pub rate: Cell,
}

/// Attendance at one session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionRow {
    pub starts: chrono::NaiveDateTime,
    pub course: String,
    pub school: String,
    pub marked: Cell,
    pub present: Cell,
    pub rate: Cell,
}

/// One evaluation question's answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionRow {
    /// A default question's code (its text is translated), else the question's text.
    pub code: Option<String>,
    pub text: String,
    /// `likert`, `recommend` or `text`.
    pub kind: String,
    /// Counts per value, in the order of the question kind's values (best first, ved ikke
    /// last).
    pub counts: Vec<Cell>,
    pub answered: Cell,
    /// Mean of the answers on the scale (ved ikke left out).
    pub mean: Cell,
}

/// The figures of a selection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub runs: u32,
    pub sessions: u32,
    pub sign_ups: Cell,
    pub participants: Cell,
    pub repeat: Cell,
    pub capacity: u64,
    pub seats: Cell,
    pub fill: Cell,
    pub unmet: Cell,
    pub afbud_rate: Cell,
    pub attendance_rate: Cell,
    pub no_show_rate: Cell,
    pub session_afbud_rate: Cell,
    pub completion: Cell,
    pub drop_in_sessions: u32,
    pub drop_in_heads: Cell,
    /// `(perspective slug, count)`, people with a seat, incl. drop-in counts given.
    pub perspectives: Vec<(String, Cell)>,
    /// `(municipality, count)`, as given; the rest ("not given") last.
    pub municipalities: Vec<(String, Cell)>,
    pub responses: Cell,
    pub questions: Vec<QuestionRow>,
    /// Free-text answers, only when at least [`MIN_GROUP`] responded.
    pub free_texts: Vec<(String, Vec<String>)>,
    pub by_run: Vec<RunRow>,
    pub by_course: Vec<CourseRow>,
    pub by_period: Vec<PeriodRow>,
    /// Attendance per session held (not drop-in), in order; for the CSV file.
    pub by_session: Vec<SessionRow>,
    /// `true` when `by_period` is per month rather than per week.
    pub monthly: bool,
}

/// The key figures, in the order shown: `(translation key, figure)`.
pub fn summary(f: &Figures) -> Vec<(&'static str, Cell)> {
    vec![
        ("staff.reports.fig.runs", Cell::Count(u64::from(f.runs))),
        (
            "staff.reports.fig.sessions",
            Cell::Count(u64::from(f.sessions)),
        ),
        ("staff.reports.fig.sign_ups", f.sign_ups.clone()),
        ("staff.reports.fig.participants", f.participants.clone()),
        ("staff.reports.fig.repeat", f.repeat.clone()),
        ("staff.reports.fig.capacity", Cell::Count(f.capacity)),
        ("staff.reports.fig.seats", f.seats.clone()),
        ("staff.reports.fig.fill", f.fill.clone()),
        ("staff.reports.fig.unmet", f.unmet.clone()),
        ("staff.reports.fig.afbud", f.afbud_rate.clone()),
        ("staff.reports.fig.attendance", f.attendance_rate.clone()),
        ("staff.reports.fig.no_show", f.no_show_rate.clone()),
        (
            "staff.reports.fig.session_afbud",
            f.session_afbud_rate.clone(),
        ),
        ("staff.reports.fig.completion", f.completion.clone()),
        (
            "staff.reports.fig.drop_in_sessions",
            Cell::Count(u64::from(f.drop_in_sessions)),
        ),
        ("staff.reports.fig.drop_in_heads", f.drop_in_heads.clone()),
        ("staff.reports.fig.responses", f.responses.clone()),
    ]
}

/// An evaluation question in the reader's language.
pub fn question_label(l: crate::i18n::Locale, q: &QuestionRow) -> String {
    match &q.code {
        Some(code) => crate::tr!(l, &format!("evaluation.q.{code}")),
        None => q.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_groups_are_never_shown() {
        assert_eq!(Cell::people(0), Cell::Count(0));
        for n in 1..5 {
            assert_eq!(Cell::people(n), Cell::Small, "{n}");
        }
        assert_eq!(Cell::people(5), Cell::Count(5));
        assert_eq!(
            Cell::share(3, 100),
            Cell::Small,
            "3 % of 100 would show 3 people"
        );
        assert_eq!(Cell::share(4, 4), Cell::Small, "a whole of 4 people");
        assert_eq!(Cell::share(0, 10), Cell::Share(0));
        assert_eq!(Cell::share(5, 8), Cell::Share(625));
        assert_eq!(Cell::share(0, 0), Cell::Empty);
        assert_eq!(Cell::mean(17, 4), Cell::Small);
        assert_eq!(Cell::mean(21, 5), Cell::Mean(420));
        assert_eq!(Cell::Share(625).text(), "62,5 %");
        assert_eq!(Cell::Mean(420).text(), "4,20");
        assert_eq!(Cell::Small.text(), "< 5");
        assert_eq!(Cell::Small.value(), None);
    }
}
