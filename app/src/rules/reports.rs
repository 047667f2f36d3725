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

use std::collections::{BTreeMap, HashMap};

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::rules::evaluation::QuestionKind;
use crate::rules::time::to_local;
use crate::rules::vocabulary::Perspective;

/// The smallest group a figure may show.
pub const MIN_GROUP: u64 = 5;

/// A figure as shown. Counts of 1–4 people are [`Cell::Small`] ("< 5"); so is a share whose
/// count, whole or rest (whole − count) is 1–4 people, so that no small group can be read back
/// from it. A figure that would give a hidden one back by subtraction is [`Cell::Hidden`]
/// (see [`protect_group`] and the period guard in [`count`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Count(u64),
    /// Tenths of a percent.
    Share(u32),
    /// A mean on a scale, in hundredths.
    Mean(u32),
    Small,
    /// Hidden so that a small group elsewhere cannot be worked out by subtraction.
    Hidden,
    /// Nothing to show (no data).
    #[default]
    Empty,
}

/// How figures are made: shown (groups under [`MIN_GROUP`] suppressed) or exact (for the
/// comparisons that decide what must be hidden; never shown).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rule {
    min: u64,
}

impl Rule {
    const SHOWN: Rule = Rule { min: MIN_GROUP };
    const EXACT: Rule = Rule { min: 1 };

    fn small(self, n: u64) -> bool {
        n > 0 && n < self.min
    }

    fn people(self, n: u64) -> Cell {
        if self.small(n) {
            Cell::Small
        } else {
            Cell::Count(n)
        }
    }

    /// `part` of `whole` people; the rest (`whole − part`) are people too.
    fn share(self, part: u64, whole: u64) -> Cell {
        if whole == 0 {
            Cell::Empty
        } else if whole < self.min || self.small(part) || self.small(whole.saturating_sub(part)) {
            Cell::Small
        } else {
            Cell::Share(u32::try_from(part * 1000 / whole).unwrap_or(u32::MAX))
        }
    }

    /// `seats` of `places`: the empty places are no one, so only the seats must not be few.
    fn fill(self, seats: u64, places: u64) -> Cell {
        if places == 0 {
            Cell::Empty
        } else if self.small(seats) {
            Cell::Small
        } else {
            Cell::Share(u32::try_from(seats.min(places) * 1000 / places).unwrap_or(u32::MAX))
        }
    }

    fn mean(self, sum: u64, n: u64) -> Cell {
        if n == 0 {
            Cell::Empty
        } else if n < self.min {
            Cell::Small
        } else {
            Cell::Mean(u32::try_from(sum * 100 / n).unwrap_or(u32::MAX))
        }
    }

    /// Which of a group of counts that add up to a known whole must be hidden.
    fn group(self, values: &[u64]) -> Vec<bool> {
        if self.min <= 1 {
            return vec![false; values.len()];
        }
        protect_group(values)
    }
}

/// Which of a group of counts adding up to a whole that is shown (or can be worked out) must be
/// hidden: every count of 1–4, and then the next smallest counts too, until the hidden ones
/// together are at least [`MIN_GROUP`] people and none of them can be worked out exactly from
/// the whole and what "< 5" says (1–4). A single hidden count would be the whole minus the rest.
pub fn protect_group(values: &[u64]) -> Vec<bool> {
    let primary: Vec<bool> = values.iter().map(|v| *v > 0 && *v < MIN_GROUP).collect();
    let mut hidden = primary.clone();
    if !hidden.contains(&true) {
        return hidden;
    }
    loop {
        let sum: u64 = (0..values.len())
            .filter(|i| hidden[*i])
            .map(|i| values[i])
            .sum();
        // What a reader knows of each hidden count: 1–4 if shown as "< 5", else at least 5.
        let bounds = |i: usize| {
            if primary[i] {
                (1, MIN_GROUP - 1)
            } else {
                (MIN_GROUP, sum)
            }
        };
        let exposed = (0..values.len()).filter(|i| hidden[*i]).any(|i| {
            let (others_lo, others_hi) = (0..values.len())
                .filter(|j| hidden[*j] && *j != i)
                .map(bounds)
                .fold((0u64, 0u64), |(lo, hi), (l, h)| (lo + l, hi + h));
            let (lo, hi) = bounds(i);
            let lo = lo.max(sum.saturating_sub(others_hi));
            let hi = hi.min(sum.saturating_sub(others_lo));
            lo >= hi
        });
        if sum >= MIN_GROUP && !exposed {
            return hidden;
        }
        let next = (0..values.len())
            .filter(|i| !hidden[*i] && values[*i] > 0)
            .min_by_key(|i| values[*i]);
        match next {
            Some(i) => hidden[i] = true,
            None => return hidden,
        }
    }
}

/// `cell`, or [`Cell::Hidden`] when `hide` (a cell already "< 5" or empty stays so).
fn hide_if(cell: Cell, hide: bool) -> Cell {
    match cell {
        Cell::Small | Cell::Empty => cell,
        _ if hide => Cell::Hidden,
        other => other,
    }
}

impl Cell {
    /// A count of people.
    pub fn people(n: u64) -> Cell {
        Rule::SHOWN.people(n)
    }

    /// `part` of `whole` people, as a share (the rest are people too).
    pub fn share(part: u64, whole: u64) -> Cell {
        Rule::SHOWN.share(part, whole)
    }

    /// A mean of `n` answers summing to `sum`.
    pub fn mean(sum: u64, n: u64) -> Cell {
        Rule::SHOWN.mean(sum, n)
    }

    /// Whether the figure is withheld ("< 5" or hidden).
    pub fn withheld(&self) -> bool {
        matches!(self, Cell::Small | Cell::Hidden)
    }

    /// The figure in Danish notation ("12", "45,5 %", "4,20", "< 5", "–").
    pub fn text(&self) -> String {
        match self {
            Cell::Count(n) => n.to_string(),
            Cell::Share(p) => format!("{},{} %", p / 10, p % 10),
            Cell::Mean(m) => format!("{},{:02}", m / 100, m % 100),
            Cell::Small => "< 5".into(),
            Cell::Hidden => "skjult".into(),
            Cell::Empty => "–".into(),
        }
    }

    /// The value to draw in a chart, if it may be drawn.
    pub fn value(&self) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Share(p) => Some(f64::from(*p) / 10.0),
            Cell::Mean(m) => Some(f64::from(*m) / 100.0),
            Cell::Small | Cell::Hidden | Cell::Empty => None,
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
    /// The period counted: whole months around the period asked for.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
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

/// The window of instants a report of `from`–`to` (local dates, inclusive) reads sessions in:
/// from a year before it (a long run begun earlier) to two days after its last day (a local day
/// ends after UTC midnight). Sessions at or after the end belong only to runs of the period.
pub fn window(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    (
        at(from - Duration::days(400)).unwrap_or(DateTime::<Utc>::MIN_UTC),
        at(to + Duration::days(2)).unwrap_or(DateTime::<Utc>::MAX_UTC),
    )
}

/// Whether an instant falls on a local (Copenhagen) day of `from`–`to`.
pub fn in_period(t: DateTime<Utc>, from: NaiveDate, to: NaiveDate) -> bool {
    let d = to_local(t).date();
    d >= from && d <= to
}

/// The runs of a period: those whose first session (of `sessions`, not cancelled) begins in it.
pub fn period_runs(sessions: &[SessionFact], from: NaiveDate, to: NaiveDate) -> Vec<i32> {
    let mut first: BTreeMap<i32, DateTime<Utc>> = BTreeMap::new();
    for s in sessions {
        first
            .entry(s.run_id)
            .and_modify(|t| *t = (*t).min(s.starts_at))
            .or_insert(s.starts_at);
    }
    first
        .into_iter()
        .filter(|(_, t)| in_period(*t, from, to))
        .map(|(id, _)| id)
        .collect()
}

/// A run, as the figures need it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunFact {
    pub id: i32,
    pub course_id: i32,
    pub school_id: i32,
    pub capacity: Option<i32>,
}

/// A session that takes place (cancelled sessions count nowhere).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SessionFact {
    pub id: i32,
    pub run_id: i32,
    pub starts_at: DateTime<Utc>,
}

/// A course's title, and whether it is a drop-in (heads are counted, not people).
#[derive(Clone, Debug, PartialEq)]
pub struct CourseFact {
    pub title: String,
    pub drop_in: bool,
}

/// Where a booking stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookingFactStatus {
    Confirmed,
    Waitlisted,
    Offered,
    Cancelled,
    Expired,
}

/// A booking of a run of the period, without anything that names the person.
#[derive(Clone, Debug, PartialEq)]
pub struct BookingFact {
    pub id: i32,
    pub run_id: i32,
    pub status: BookingFactStatus,
    /// Set for a booking that joined the waiting list.
    pub queue_no: Option<i32>,
    /// Tells the same person's bookings apart (numbered by their e-mail key), for repeat
    /// participants.
    pub person: u32,
    pub perspective: Option<Perspective>,
    pub municipality: Option<String>,
    /// Came without signing up.
    pub walk_in: bool,
}

/// How a person took part in a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Present, late or left early.
    Attended,
    Absent,
    Afbud,
}

/// A drop-in session's count: heads in all, and per perspective (own experience, relative,
/// professional, other) if known.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HeadcountFact {
    pub total: i32,
    pub parts: [Option<i32>; 4],
}

/// An evaluation question that was answered.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionFact {
    pub id: i32,
    pub code: Option<String>,
    pub text: String,
    pub kind: QuestionKind,
    /// A course's own question (asked after the default set).
    pub own: bool,
    pub position: i32,
}

/// One answer (of any response to a run of the period).
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerFact {
    pub run_id: i32,
    pub question_id: i32,
    pub value: Option<i32>,
    pub text: Option<String>,
}

/// Everything the figures of a period are counted from, loaded by `services::reports`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// Runs with a session in the [`window`].
    pub runs: Vec<RunFact>,
    /// Their sessions in the window, and the later sessions of runs of the period.
    pub sessions: Vec<SessionFact>,
    pub courses: HashMap<i32, CourseFact>,
    pub schools: HashMap<i32, String>,
    /// Bookings of runs of the period.
    pub bookings: Vec<BookingFact>,
    /// `(session, booking, mark)` for sessions of the period and of its runs.
    pub marks: Vec<(i32, i32, Mark)>,
    /// Per drop-in session.
    pub headcounts: HashMap<i32, HeadcountFact>,
    /// The run of each evaluation response to a run of the period.
    pub responses: Vec<i32>,
    pub questions: Vec<QuestionFact>,
    pub answers: Vec<AnswerFact>,
}

const PERSPECTIVES: [Perspective; 5] = [
    Perspective::OwnExperience,
    Perspective::Relative,
    Perspective::Professional,
    Perspective::Other,
    Perspective::Undisclosed,
];

/// Counts the figures of `from`–`to` (local dates, inclusive) at `now` by `r`.
///
/// `rows`: whether to list the sessions and runs one by one (the report shows them; the exact
/// counts [`count`] compares periods by do not need them).
fn tally(
    facts: &Facts,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
    rule: Rule,
    rows: bool,
) -> Figures {
    let (from_utc, to_utc) = window(from, to);
    let in_window: Vec<&SessionFact> = facts
        .sessions
        .iter()
        .filter(|s| s.starts_at >= from_utc && s.starts_at < to_utc)
        .collect();
    // Runs with a session in the window, their sessions in order.
    let mut by_run: FxHashMap<i32, Vec<&SessionFact>> = FxHashMap::default();
    for s in in_window.iter().copied() {
        by_run.entry(s.run_id).or_default().push(s);
    }
    let mut info: BTreeMap<i32, (&RunFact, Vec<&SessionFact>)> = BTreeMap::new();
    for r in &facts.runs {
        let Some(mut sessions) = by_run.remove(&r.id) else {
            continue;
        };
        sessions.sort_by_key(|s| s.starts_at);
        info.insert(r.id, (r, sessions));
    }
    let period_runs: Vec<(&RunFact, &Vec<&SessionFact>)> = info
        .values()
        .filter(|(_, ss)| ss.first().is_some_and(|s| in_period(s.starts_at, from, to)))
        .map(|(r, ss)| (*r, ss))
        .collect();
    let period_run_ids: FxHashSet<i32> = period_runs.iter().map(|(r, _)| r.id).collect();
    // All sessions of the period's runs, also those after the window (for completion).
    let mut all_sessions_of: FxHashMap<i32, Vec<&SessionFact>> = period_runs
        .iter()
        .map(|(r, ss)| (r.id, (*ss).clone()))
        .collect();
    for s in facts
        .sessions
        .iter()
        .filter(|s| s.starts_at >= to_utc && period_run_ids.contains(&s.run_id))
    {
        all_sessions_of.entry(s.run_id).or_default().push(s);
    }
    // Sessions held in the period (of any run chosen), and all sessions of the period's runs.
    let mut wanted: FxHashSet<i32> = in_window
        .iter()
        .filter(|s| in_period(s.starts_at, from, to) && s.starts_at <= now)
        .map(|s| s.id)
        .collect();
    wanted.extend(all_sessions_of.values().flatten().map(|s| s.id));
    let marks: Vec<(i32, i32, Mark)> = facts
        .marks
        .iter()
        .copied()
        .filter(|(s, _, _)| wanted.contains(s))
        .collect();
    let course_of = |run_id: i32| {
        info.get(&run_id)
            .and_then(|(r, _)| facts.courses.get(&r.course_id))
    };
    let is_drop_in = |run_id: i32| course_of(run_id).is_some_and(|c| c.drop_in);

    let mut f = Figures {
        runs: u32::try_from(period_runs.len()).unwrap_or(u32::MAX),
        ..Figures::default()
    };

    // Sign-ups, seats, unmet demand, afbud for the whole run.
    let mut sign_ups = 0u64;
    let mut seats_total = 0u64;
    let mut unmet_total = 0u64;
    let mut afbud_whole = 0u64;
    let mut seat_holders = 0u64;
    let mut seats_by_run: FxHashMap<i32, u64> = FxHashMap::default();
    let mut unmet_by_run: FxHashMap<i32, u64> = FxHashMap::default();
    // Each person's first run, and whether they held a seat on another run too.
    let mut people_runs: FxHashMap<u32, (i32, bool)> = FxHashMap::default();
    let mut perspectives: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut municipalities: BTreeMap<&str, u64> = BTreeMap::new();
    for b in facts
        .bookings
        .iter()
        .filter(|b| period_run_ids.contains(&b.run_id))
    {
        use BookingFactStatus as S;
        if !b.walk_in && b.status != S::Expired {
            sign_ups += 1;
        }
        match b.status {
            S::Confirmed => {
                seats_total += 1;
                seat_holders += 1;
                *seats_by_run.entry(b.run_id).or_default() += 1;
                if !b.walk_in {
                    people_runs
                        .entry(b.person)
                        .and_modify(|(first, repeat)| *repeat |= *first != b.run_id)
                        .or_insert((b.run_id, false));
                }
                let p = b.perspective.unwrap_or(Perspective::Undisclosed);
                *perspectives.entry(p.slug()).or_default() += 1;
                *municipalities
                    .entry(b.municipality.as_deref().unwrap_or_default())
                    .or_default() += 1;
            }
            S::Cancelled if b.queue_no.is_none() => {
                afbud_whole += 1;
                seat_holders += 1;
            }
            S::Waitlisted | S::Offered | S::Expired | S::Cancelled => {
                if b.queue_no.is_some() {
                    unmet_total += 1;
                    *unmet_by_run.entry(b.run_id).or_default() += 1;
                }
            }
        }
    }
    f.sign_ups = rule.people(sign_ups);
    f.seats = rule.people(seats_total);
    f.unmet = rule.people(unmet_total);
    f.afbud_rate = rule.share(afbud_whole, seat_holders);
    f.participants = rule.people(people_runs.len() as u64);
    f.repeat = rule.people(people_runs.values().filter(|(_, repeat)| *repeat).count() as u64);
    let capacity_of = |r: &RunFact| r.capacity.and_then(|c| u64::try_from(c).ok());
    let with_capacity: Vec<&RunFact> = period_runs
        .iter()
        .map(|(r, _)| *r)
        .filter(|r| capacity_of(r).is_some() && !is_drop_in(r.id))
        .collect();
    f.capacity = with_capacity.iter().filter_map(|r| capacity_of(r)).sum();
    let seats_in_capped: u64 = with_capacity
        .iter()
        .map(|r| seats_by_run.get(&r.id).copied().unwrap_or(0))
        .sum();
    f.fill = rule.fill(seats_in_capped, f.capacity);

    // Attendance per session held in the period: came, absent, afbud, marked.
    let mut by_session: FxHashMap<i32, (u64, u64, u64, u64)> = FxHashMap::default();
    for (s, _, mark) in &marks {
        let e = by_session.entry(*s).or_default();
        match mark {
            Mark::Attended => e.0 += 1,
            Mark::Absent => e.1 += 1,
            Mark::Afbud => e.2 += 1,
        }
        e.3 += 1;
    }
    let held: Vec<&SessionFact> = in_window
        .iter()
        .copied()
        .filter(|s| in_period(s.starts_at, from, to) && s.starts_at <= now)
        .filter(|s| info.contains_key(&s.run_id))
        .collect();
    f.sessions = u32::try_from(held.len()).unwrap_or(u32::MAX);
    let (mut present, mut absent, mut afbud, mut recorded) = (0u64, 0u64, 0u64, 0u64);
    let monthly = (to - from).num_days() > 120;
    f.monthly = monthly;
    // Per period: sessions, people there (marks and heads), came among marks, marks.
    let mut periods: BTreeMap<NaiveDate, (u32, u64, u64, u64)> = BTreeMap::new();
    let mut drop_in_heads = 0u64;
    for s in &held {
        let day = to_local(s.starts_at).date();
        let key = if monthly {
            day.with_day(1).unwrap_or(day)
        } else {
            day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
        };
        let p = periods.entry(key).or_default();
        p.0 += 1;
        if is_drop_in(s.run_id) {
            f.drop_in_sessions += 1;
            if let Some(h) = facts.headcounts.get(&s.id) {
                let total = u64::try_from(h.total).unwrap_or(0);
                drop_in_heads += total;
                p.1 += total;
                for (perspective, n) in PERSPECTIVES.iter().zip(h.parts) {
                    if let Some(n) = n.and_then(|n| u64::try_from(n).ok()) {
                        *perspectives.entry(perspective.slug()).or_default() += n;
                    }
                }
            }
            continue;
        }
        if let Some((pr, ab, af, all)) = by_session.get(&s.id) {
            let r = info.get(&s.run_id).map(|(r, _)| *r);
            // Those marked are the ones present and the rest: one small, both hidden.
            let hide_present = rule.group(&[*pr, all - pr])[0];
            if rows {
                f.by_session.push(SessionRow {
                    starts: to_local(s.starts_at),
                    course: r
                        .and_then(|r| facts.courses.get(&r.course_id))
                        .map(|c| c.title.clone())
                        .unwrap_or_default(),
                    school: r
                        .and_then(|r| facts.schools.get(&r.school_id))
                        .cloned()
                        .unwrap_or_default(),
                    marked: rule.people(*all),
                    present: hide_if(rule.people(*pr), hide_present),
                    rate: hide_if(rule.share(*pr, *all), hide_present),
                });
            }
            present += pr;
            absent += ab;
            afbud += af;
            recorded += all;
            p.1 += pr;
            p.2 += pr;
            p.3 += all;
        }
    }
    f.drop_in_heads = rule.people(drop_in_heads);
    f.by_session
        .sort_by(|a, b| a.starts.cmp(&b.starts).then(a.course.cmp(&b.course)));
    // Present, absent and afbud add up to all marks: their shares are one group.
    let hidden = rule.group(&[present, absent, afbud]);
    f.attendance_rate = hide_if(rule.share(present, recorded), hidden[0]);
    f.no_show_rate = hide_if(rule.share(absent, recorded), hidden[1]);
    f.session_afbud_rate = hide_if(rule.share(afbud, recorded), hidden[2]);
    let hidden = rule.group(&periods.values().map(|p| p.1).collect::<Vec<u64>>());
    f.by_period = periods
        .into_iter()
        .zip(hidden)
        .map(
            |((starts, (sessions, there, came, marks)), hide)| PeriodRow {
                starts,
                sessions,
                present: hide_if(rule.people(there), hide),
                // Heads at a drop-in have no rate.
                rate: hide_if(rule.share(came, marks), hide),
            },
        )
        .collect();

    // Completion per run of the period.
    let mut attended_by: FxHashMap<(i32, i32), u32> = FxHashMap::default();
    let mut run_of_session: FxHashMap<i32, i32> = FxHashMap::default();
    for (run_id, ss) in &all_sessions_of {
        for s in ss {
            run_of_session.insert(s.id, *run_id);
        }
    }
    let mut taken: FxHashSet<i32> = FxHashSet::default();
    for (s, b, mark) in &marks {
        if let Some(run_id) = run_of_session.get(s) {
            taken.insert(*run_id);
            if *mark == Mark::Attended {
                *attended_by.entry((*run_id, *b)).or_default() += 1;
            }
        }
    }
    let mut completed_total = 0u64;
    let mut completion_whole = 0u64;
    let mut run_completion: FxHashMap<i32, (u64, u64)> = FxHashMap::default();
    for b in facts
        .bookings
        .iter()
        .filter(|b| period_run_ids.contains(&b.run_id))
    {
        if b.status != BookingFactStatus::Confirmed || !taken.contains(&b.run_id) {
            continue;
        }
        let held_n = all_sessions_of
            .get(&b.run_id)
            .map_or(0, |ss| ss.iter().filter(|s| s.starts_at <= now).count());
        let needed = u32::try_from(held_n.div_ceil(2)).unwrap_or(u32::MAX);
        let came = attended_by.get(&(b.run_id, b.id)).copied().unwrap_or(0);
        let e = run_completion.entry(b.run_id).or_default();
        e.1 += 1;
        completion_whole += 1;
        if came >= needed.max(1) {
            e.0 += 1;
            completed_total += 1;
        }
    }
    f.completion = rule.share(completed_total, completion_whole);

    // Evaluations.
    let responses: Vec<i32> = facts
        .responses
        .iter()
        .copied()
        .filter(|r| period_run_ids.contains(r))
        .collect();
    let mut responses_by_run: FxHashMap<i32, u64> = FxHashMap::default();
    for r in &responses {
        *responses_by_run.entry(*r).or_default() += 1;
    }
    let n_responses = responses.len() as u64;
    f.responses = rule.people(n_responses);
    if n_responses > 0 {
        (f.questions, f.free_texts) = evaluation_rows(
            &facts.questions,
            &facts.answers,
            &period_run_ids,
            &responses_by_run,
            rule,
            rule.min,
        );
    }

    // Per run and per course.
    let mut by_course: BTreeMap<String, (u32, u64, u64, u64, u64)> = BTreeMap::new();
    // Seats, unmet demand and responses of each run, for hiding as groups below.
    let mut run_raw: Vec<[u64; 3]> = Vec::new();
    for (r, ss) in &period_runs {
        let title = facts
            .courses
            .get(&r.course_id)
            .map(|c| c.title.clone())
            .unwrap_or_default();
        let seats = seats_by_run.get(&r.id).copied().unwrap_or(0);
        let unmet = unmet_by_run.get(&r.id).copied().unwrap_or(0);
        let cap = capacity_of(r);
        let (mut pr, mut all) = (0u64, 0u64);
        for s in all_sessions_of.get(&r.id).into_iter().flatten() {
            if let Some(e) = by_session.get(&s.id) {
                pr += e.0;
                all += e.3;
            }
        }
        let e = by_course.entry(title.clone()).or_default();
        e.0 += 1;
        if let Some(c) = cap {
            e.1 += c;
            e.4 += seats.min(c);
        }
        e.2 += seats;
        e.3 += unmet;
        if !rows {
            continue;
        }
        let (done, whole) = run_completion.get(&r.id).copied().unwrap_or((0, 0));
        let sessions = all_sessions_of.get(&r.id).map_or(0, Vec::len);
        f.by_run.push(RunRow {
            run_id: r.id,
            course: title.clone(),
            school: facts.schools.get(&r.school_id).cloned().unwrap_or_default(),
            starts: ss
                .first()
                .map(|s| to_local(s.starts_at).date())
                .unwrap_or(from),
            sessions: u32::try_from(sessions).unwrap_or(u32::MAX),
            capacity: cap.and_then(|c| u32::try_from(c).ok()),
            seats: rule.people(seats),
            fill: cap.map_or(Cell::Empty, |c| rule.fill(seats, c)),
            unmet: rule.people(unmet),
            attendance: rule.share(pr, all),
            completion: rule.share(done, whole),
            responses: rule.people(responses_by_run.get(&r.id).copied().unwrap_or(0)),
        });
        run_raw.push([
            seats,
            unmet,
            responses_by_run.get(&r.id).copied().unwrap_or(0),
        ]);
    }
    // The runs' columns add up to the key figures: each column is a group.
    let column = |i: usize| rule.group(&run_raw.iter().map(|v| v[i]).collect::<Vec<u64>>());
    let (seats_hidden, unmet_hidden, responses_hidden) = (column(0), column(1), column(2));
    for (i, row) in f.by_run.iter_mut().enumerate() {
        row.seats = hide_if(std::mem::take(&mut row.seats), seats_hidden[i]);
        row.fill = hide_if(std::mem::take(&mut row.fill), seats_hidden[i]);
        row.unmet = hide_if(std::mem::take(&mut row.unmet), unmet_hidden[i]);
        row.responses = hide_if(std::mem::take(&mut row.responses), responses_hidden[i]);
    }
    f.by_run
        .sort_by(|a, b| a.starts.cmp(&b.starts).then(a.course.cmp(&b.course)));
    let seats_hidden = rule.group(&by_course.values().map(|c| c.2).collect::<Vec<u64>>());
    let unmet_hidden = rule.group(&by_course.values().map(|c| c.3).collect::<Vec<u64>>());
    f.by_course = by_course
        .into_iter()
        .enumerate()
        .map(
            |(i, (course, (runs, capacity, seats, unmet, capped_seats)))| CourseRow {
                course,
                runs,
                capacity,
                seats: hide_if(rule.people(seats), seats_hidden[i]),
                fill: hide_if(rule.fill(capped_seats, capacity), seats_hidden[i]),
                unmet: hide_if(rule.people(unmet), unmet_hidden[i]),
            },
        )
        .collect();
    let counts: Vec<u64> = PERSPECTIVES
        .iter()
        .map(|p| perspectives.get(p.slug()).copied().unwrap_or(0))
        .collect();
    let hidden = rule.group(&counts);
    f.perspectives = PERSPECTIVES
        .iter()
        .zip(counts.iter().zip(hidden))
        .map(|(p, (n, hide))| (p.slug().to_string(), hide_if(rule.people(*n), hide)))
        .collect();
    let not_given = municipalities.remove("").unwrap_or(0);
    let mut m: Vec<(String, u64)> = municipalities
        .into_iter()
        .map(|(name, n)| (name.to_string(), n))
        .collect();
    m.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if not_given > 0 {
        m.push((String::new(), not_given));
    }
    let hidden = rule.group(&m.iter().map(|(_, n)| *n).collect::<Vec<u64>>());
    f.municipalities = m
        .into_iter()
        .zip(hidden)
        .map(|((name, n), hide)| (name, hide_if(rule.people(n), hide)))
        .collect();
    f
}

/// The evaluation results of the responses to `runs`: one row per question answered (text
/// questions last), and the written answers, only when at least [`MIN_GROUP`] responded and only
/// from runs that `text_min_per_run` or more answered. `responses_by_run` counts responses per
/// run.
#[allow(clippy::type_complexity)]
fn evaluation_rows(
    facts_questions: &[QuestionFact],
    answers: &[AnswerFact],
    runs: &FxHashSet<i32>,
    responses_by_run: &FxHashMap<i32, u64>,
    rule: Rule,
    text_min_per_run: u64,
) -> (Vec<QuestionRow>, Vec<(String, Vec<String>)>) {
    let n_responses: u64 = runs
        .iter()
        .map(|r| responses_by_run.get(r).copied().unwrap_or(0))
        .sum();
    let mut rows = Vec::new();
    let mut free_texts = Vec::new();
    // The answers to `runs`, by question, in the order they came.
    let mut by_question: FxHashMap<i32, Vec<&AnswerFact>> = FxHashMap::default();
    for a in answers.iter().filter(|a| runs.contains(&a.run_id)) {
        by_question.entry(a.question_id).or_default().push(a);
    }
    let mut questions: Vec<&QuestionFact> = facts_questions
        .iter()
        .filter(|q| by_question.contains_key(&q.id))
        .collect();
    questions.sort_by_key(|q| (q.kind == QuestionKind::Text, q.own, q.position, q.id));
    for q in questions {
        let mine: Vec<&AnswerFact> = by_question.remove(&q.id).unwrap_or_default();
        if q.kind == QuestionKind::Text {
            // Only from runs that five or more answered: a text from a run of two would
            // be one of two people's words, whatever the rest of the selection.
            if rule.min <= 1 || n_responses >= MIN_GROUP {
                let mut texts: Vec<String> = mine
                    .iter()
                    .filter(|a| {
                        responses_by_run.get(&a.run_id).copied().unwrap_or(0) >= text_min_per_run
                    })
                    .filter_map(|a| a.text.clone())
                    .collect();
                texts.sort();
                if !texts.is_empty() {
                    free_texts.push((q.code.clone().unwrap_or(q.text.clone()), texts));
                }
            }
            rows.push(QuestionRow {
                code: q.code.clone(),
                text: q.text.clone(),
                kind: q.kind.slug().into(),
                counts: Vec::new(),
                answered: rule.people(mine.len() as u64),
                mean: Cell::Empty,
            });
            continue;
        }
        let raw: Vec<u64> = q
            .kind
            .values()
            .iter()
            .map(|v| mine.iter().filter(|a| a.value == Some(*v)).count() as u64)
            .collect();
        let hidden = rule.group(&raw);
        let counts: Vec<Cell> = raw
            .iter()
            .zip(&hidden)
            .map(|(n, hide)| hide_if(rule.people(*n), *hide))
            .collect();
        let scored: Vec<u64> = mine
            .iter()
            .filter_map(|a| a.value)
            .filter(|v| *v > 0)
            .filter_map(|v| u64::try_from(v).ok())
            .collect();
        rows.push(QuestionRow {
            code: q.code.clone(),
            text: q.text.clone(),
            kind: q.kind.slug().into(),
            counts,
            answered: rule.people(mine.len() as u64),
            // With a count hidden, the mean would be a second sum to work it out from.
            mean: hide_if(
                rule.mean(scored.iter().sum(), scored.len() as u64),
                hidden.contains(&true),
            ),
        });
    }
    (rows, free_texts)
}

/// The runs whose evaluation answers a run's team sees together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pool {
    /// The run first, then the earlier runs pooled with it, newest first.
    pub runs: Vec<i32>,
    pub responses: u64,
}

/// Which runs a team's own evaluation shows: the run alone once [`MIN_GROUP`] have answered it;
/// below that, the run with the most recent earlier runs of the same course (`earlier`, newest
/// first, each with its number of responses) until together they reach [`MIN_GROUP`]. `None`
/// while even all of them together are fewer: then nothing is shown.
pub fn team_pool(run: (i32, u64), earlier: &[(i32, u64)]) -> Option<Pool> {
    let mut pool = Pool {
        runs: vec![run.0],
        responses: run.1,
    };
    for (id, n) in earlier {
        if pool.responses >= MIN_GROUP {
            break;
        }
        if *n > 0 {
            pool.runs.push(*id);
            pool.responses += n;
        }
    }
    (pool.responses >= MIN_GROUP).then_some(pool)
}

/// A team's evaluation results for `pool`: the same rows and written answers as a report, with
/// every count under [`MIN_GROUP`] suppressed; the written answers of the pool count together
/// (the pool as a whole has at least [`MIN_GROUP`] responses).
pub fn team_evaluation(
    questions: &[QuestionFact],
    answers: &[AnswerFact],
    responses_by_run: &HashMap<i32, u64>,
    pool: &Pool,
) -> (Vec<QuestionRow>, Vec<(String, Vec<String>)>) {
    let runs: FxHashSet<i32> = pool.runs.iter().copied().collect();
    let responses_by_run: FxHashMap<i32, u64> =
        responses_by_run.iter().map(|(k, v)| (*k, *v)).collect();
    evaluation_rows(questions, answers, &runs, &responses_by_run, Rule::SHOWN, 1)
}

/// Counts the figures of `from`–`to` (local dates, inclusive) at `now`, as the module's top
/// describes, with every group under [`MIN_GROUP`] suppressed, also where it could be worked out
/// by subtraction: within each table ([`protect_group`]), and between periods. A period is
/// counted in whole months ([`whole_months`]); a count that differs by 1–4 from the same count
/// without the period's first or last month is hidden, since the two reports side by side
/// would show that month's few.
pub fn count(facts: &Facts, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Figures {
    let (from, to) = whole_months(from, to);
    let after_first = next_month(from);
    let before_last = to.with_day(1).unwrap_or(to) - Duration::days(1);
    let mut shown = if after_first > to {
        tally(facts, from, to, now, Rule::SHOWN, true)
    } else {
        // The four tallies are independent counts of the same facts: the shown one here, the
        // exact ones of the period and of the two neighbouring periods, on threads of their own.
        let exact = |f: NaiveDate, t: NaiveDate| {
            move || keyed_counts(&mut tally(facts, f, t, now, Rule::EXACT, false))
        };
        let (mut shown, exact, neighbours) = std::thread::scope(|scope| {
            let whole = scope.spawn(exact(from, to));
            let later = scope.spawn(exact(after_first, to));
            let earlier = scope.spawn(exact(from, before_last));
            let shown = tally(facts, from, to, now, Rule::SHOWN, true);
            let join = |h: std::thread::ScopedJoinHandle<'_, HashMap<String, u64>>| {
                h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
            };
            (shown, join(whole), [join(later), join(earlier)])
        });
        for less in neighbours {
            visit(&mut shown, &mut |key, cell| {
                let n = exact.get(key).copied().unwrap_or(0);
                let m = less.get(key).copied().unwrap_or(0);
                if Rule::SHOWN.small(n.abs_diff(m)) {
                    *cell = hide_if(std::mem::take(cell), true);
                }
            });
        }
        shown
    };
    shown.from = Some(from);
    shown.to = Some(to);
    shown
}

/// The whole months a period of `from`–`to` is counted in: from the first of `from`'s month to
/// the last of `to`'s.
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        from.with_day(1).unwrap_or(from),
        next_month(to) - Duration::days(1),
    )
}

/// The first day of the month after `d`'s.
fn next_month(d: NaiveDate) -> NaiveDate {
    let first = d.with_day(1).unwrap_or(d);
    first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first)
}

/// Every count of `f` that a report shows, by a key that names the same figure in the report
/// of another period.
fn visit(f: &mut Figures, see: &mut dyn FnMut(&str, &mut Cell)) {
    for (key, cell) in [
        ("sign_ups", &mut f.sign_ups),
        ("participants", &mut f.participants),
        ("repeat", &mut f.repeat),
        ("seats", &mut f.seats),
        ("unmet", &mut f.unmet),
        ("drop_in_heads", &mut f.drop_in_heads),
        ("responses", &mut f.responses),
    ] {
        see(key, cell);
    }
    for (slug, cell) in &mut f.perspectives {
        see(&format!("perspective:{slug}"), cell);
    }
    for (name, cell) in &mut f.municipalities {
        see(&format!("municipality:{name}"), cell);
    }
    for c in &mut f.by_course {
        see(&format!("course:{}:seats", c.course), &mut c.seats);
        see(&format!("course:{}:unmet", c.course), &mut c.unmet);
    }
    for q in &mut f.questions {
        let id = q.code.clone().unwrap_or_else(|| q.text.clone());
        see(&format!("question:{id}:answered"), &mut q.answered);
        for (i, c) in q.counts.iter_mut().enumerate() {
            see(&format!("question:{id}:{i}"), c);
        }
    }
}

/// The counts of exact figures by their [`visit`] keys.
fn keyed_counts(f: &mut Figures) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    visit(f, &mut |key, cell| {
        if let Cell::Count(n) = cell {
            counts.insert(key.to_string(), *n);
        }
    });
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

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
        assert_eq!(
            Cell::share(5, 8),
            Cell::Small,
            "5 of 8 would show the other 3"
        );
        assert_eq!(Cell::share(5, 10), Cell::Share(500));
        assert_eq!(Cell::share(10, 10), Cell::Share(1000));
        assert_eq!(Cell::share(0, 0), Cell::Empty);
        assert_eq!(Cell::mean(17, 4), Cell::Small);
        assert_eq!(Cell::mean(21, 5), Cell::Mean(420));
        assert_eq!(Cell::Share(625).text(), "62,5 %");
        assert_eq!(Cell::Mean(420).text(), "4,20");
        assert_eq!(Cell::Small.text(), "< 5");
        assert_eq!(Cell::Small.value(), None);
    }

    /// The fixture of the report's database test, as facts: spring 2026 at one school.
    /// Run A (10 seats) begins at 00.30 on 1 January local time (still 31 December in UTC; its
    /// third session is cancelled and so not a fact); run B (6 seats) begins 30 June and ends 7
    /// July; run C begins at 00.30 on 1 July local time (30 June in UTC); run E is a drop-in.
    /// (The database test also has a cancelled run, which is never loaded.)
    mod fixture {
        use super::*;
        use chrono::TimeZone;

        pub const A: i32 = 1;
        pub const B: i32 = 2;
        pub const C: i32 = 3;
        pub const E: i32 = 5;
        const HOPE: i32 = 10;
        const RECOMMEND: i32 = 11;
        const TAKEAWAY: i32 = 12;

        fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
            crate::rules::time::date_time_to_utc(
                NaiveDate::from_ymd_opt(y, m, d).expect("date"),
                chrono::NaiveTime::from_hms_opt(h, min, 0).expect("time"),
            )
            .expect("a time that exists")
        }

        pub fn now() -> DateTime<Utc> {
            Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
        }

        pub fn facts() -> Facts {
            use BookingFactStatus::{Cancelled, Confirmed, Expired, Waitlisted};
            let run = |id, course_id, capacity| RunFact {
                id,
                course_id,
                school_id: 1,
                capacity,
            };
            let session = |id, run_id, starts_at| SessionFact {
                id,
                run_id,
                starts_at,
            };
            let mut bookings = Vec::new();
            // People are numbered in the order they first book, as SQL numbers their keys.
            let mut people: Vec<String> = Vec::new();
            let mut booking = |run_id,
                               person: &str,
                               status,
                               queue_no,
                               perspective,
                               municipality: Option<&str>| {
                let id = 100 + bookings.len() as i32;
                bookings.push(BookingFact {
                    id,
                    run_id,
                    status,
                    queue_no,
                    person: match people.iter().position(|p| p == person) {
                        Some(n) => n as u32,
                        None => {
                            people.push(person.to_string());
                            people.len() as u32 - 1
                        }
                    },
                    perspective,
                    municipality: municipality.map(str::to_string),
                    walk_in: false,
                });
                id
            };
            let (s1, s2, b1, b2, c1, e1) = (21, 22, 31, 32, 41, 51);
            let mut marks = Vec::new();
            let mut seated = Vec::new();
            for i in 1..=8 {
                let perspective = match i {
                    1..=5 => Some(Perspective::OwnExperience),
                    6 | 7 => Some(Perspective::Relative),
                    _ => None,
                };
                let municipality = (i <= 5).then_some("Randers");
                seated.push(booking(
                    A,
                    &format!("p{i}"),
                    Confirmed,
                    None,
                    perspective,
                    municipality,
                ));
            }
            booking(A, "afbud", Cancelled, None, None, None);
            for i in 1..=6 {
                booking(A, &format!("w{i}"), Waitlisted, Some(i), None, None);
            }
            booking(A, "x", Expired, Some(7), None, None);
            for (i, b) in seated.iter().enumerate() {
                let first = match i {
                    0..=5 => Mark::Attended,
                    6 => Mark::Absent,
                    _ => Mark::Afbud,
                };
                let second = if i <= 5 { Mark::Attended } else { Mark::Absent };
                marks.push((s1, *b, first));
                marks.push((s2, *b, second));
            }
            for i in 1..=6 {
                let person = if i <= 5 {
                    format!("p{i}")
                } else {
                    "q6".to_string()
                };
                let id = booking(B, &person, Confirmed, None, None, None);
                marks.push((b1, id, Mark::Attended));
                marks.push((b2, id, if i <= 5 { Mark::Attended } else { Mark::Absent }));
            }
            for i in 1..=5 {
                booking(C, &format!("c{i}"), Confirmed, None, None, None);
            }
            let question = |id, code: &str, kind, position| QuestionFact {
                id,
                code: Some(code.to_string()),
                text: String::new(),
                kind,
                own: false,
                position,
            };
            let mut answers = Vec::new();
            let mut responses = Vec::new();
            let hopes = [5, 5, 5, 4, 4, 0];
            let texts = [
                "Fællesskabet",
                "Håb",
                "Ro",
                "At jeg ikke er alene",
                "Redskaber",
                "",
            ];
            for (h, t) in hopes.into_iter().zip(texts) {
                responses.push(A);
                answers.push(AnswerFact {
                    run_id: A,
                    question_id: HOPE,
                    value: Some(h),
                    text: None,
                });
                answers.push(AnswerFact {
                    run_id: A,
                    question_id: RECOMMEND,
                    value: Some(3),
                    text: None,
                });
                if !t.is_empty() {
                    answers.push(AnswerFact {
                        run_id: A,
                        question_id: TAKEAWAY,
                        value: None,
                        text: Some(t.into()),
                    });
                }
            }
            for _ in 0..2 {
                responses.push(B);
                answers.push(AnswerFact {
                    run_id: B,
                    question_id: HOPE,
                    value: Some(2),
                    text: None,
                });
                answers.push(AnswerFact {
                    run_id: B,
                    question_id: TAKEAWAY,
                    value: None,
                    text: Some("Hemmeligt".into()),
                });
            }
            Facts {
                runs: vec![
                    run(A, 1, Some(10)),
                    run(B, 2, Some(6)),
                    run(C, 1, Some(10)),
                    run(E, 3, None),
                ],
                sessions: vec![
                    session(s1, A, at(2026, 1, 1, 0, 30)),
                    session(s2, A, at(2026, 1, 8, 17, 0)),
                    session(b1, B, at(2026, 6, 30, 18, 0)),
                    session(b2, B, at(2026, 7, 7, 18, 0)),
                    session(c1, C, at(2026, 7, 1, 0, 30)),
                    session(e1, E, at(2026, 2, 3, 14, 0)),
                ],
                courses: HashMap::from([
                    (
                        1,
                        CourseFact {
                            title: "Angst i hverdagen".into(),
                            drop_in: false,
                        },
                    ),
                    (
                        2,
                        CourseFact {
                            title: "Søvn".into(),
                            drop_in: false,
                        },
                    ),
                    (
                        3,
                        CourseFact {
                            title: "Café".into(),
                            drop_in: true,
                        },
                    ),
                ]),
                schools: HashMap::from([(1, "Randers".to_string())]),
                bookings,
                marks,
                headcounts: HashMap::from([(
                    e1,
                    HeadcountFact {
                        total: 9,
                        parts: [Some(4), Some(2), None, None],
                    },
                )]),
                responses,
                questions: vec![
                    question(HOPE, "hope", QuestionKind::Likert, 2),
                    question(RECOMMEND, "recommend", QuestionKind::Recommend, 9),
                    question(TAKEAWAY, "takeaway", QuestionKind::Text, 11),
                ],
                answers,
            }
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn find<'a>(cells: &'a [(String, Cell)], key: &str) -> &'a Cell {
        &cells.iter().find(|(k, _)| k == key).expect(key).1
    }

    #[test]
    fn the_fixture_counts_exactly_in_spring() {
        let f = count(
            &fixture::facts(),
            day(2026, 1, 1),
            day(2026, 6, 30),
            fixture::now(),
        );
        // A, B and E begin in the period; C begins just after it.
        assert_eq!(f.runs, 3);
        // A's two held sessions, B's first, E's.
        assert_eq!(f.sessions, 4);
        // 8 seats + 1 afbud + 6 waiting on A (the expired offer is not a sign-up), 6 on B.
        assert_eq!(f.sign_ups, Cell::Count(21));
        assert_eq!(f.seats, Cell::Count(14));
        assert_eq!(f.capacity, 16);
        assert_eq!(f.fill, Cell::Share(875));
        assert_eq!(f.unmet, Cell::Count(7));
        assert_eq!(f.afbud_rate, Cell::Small);
        // Without January (Feb–Jun) there are 6 participants: the 3 of January alone would be
        // the difference.
        assert_eq!(f.participants, Cell::Hidden);
        assert_eq!(f.repeat, Cell::Count(5));
        // 18 of 22 marks present: the 4 others would be the rest.
        assert_eq!(f.attendance_rate, Cell::Small);
        assert_eq!(f.no_show_rate, Cell::Small);
        assert_eq!(f.session_afbud_rate, Cell::Small);
        // 6 of 7: the one who did not complete would be the rest.
        assert_eq!(f.completion, Cell::Small);
        assert_eq!(f.drop_in_sessions, 1);
        assert_eq!(f.drop_in_heads, Cell::Count(9));
        assert_eq!(find(&f.perspectives, "own_experience"), &Cell::Count(9));
        assert_eq!(find(&f.perspectives, "relative"), &Cell::Small);
        assert_eq!(find(&f.perspectives, "professional"), &Cell::Count(0));
        // With "relative" (2) hidden, the next smallest goes too, or seats minus the rest would
        // give it back.
        assert_eq!(find(&f.perspectives, "undisclosed"), &Cell::Hidden);
        assert_eq!(
            f.municipalities,
            [
                ("Randers".to_string(), Cell::Count(5)),
                // 9, and 6 without January: January's 3 would show.
                (String::new(), Cell::Hidden)
            ]
        );
        assert!(f.monthly);
        let months: Vec<(String, u32, Cell, Cell)> = f
            .by_period
            .iter()
            .map(|p| {
                (
                    p.starts.to_string(),
                    p.sessions,
                    p.present.clone(),
                    p.rate.clone(),
                )
            })
            .collect();
        assert_eq!(
            months,
            [
                ("2026-01-01".into(), 2, Cell::Count(12), Cell::Small),
                ("2026-02-01".into(), 1, Cell::Count(9), Cell::Empty),
                ("2026-06-01".into(), 1, Cell::Count(6), Cell::Share(1000)),
            ]
        );
        let per_session: Vec<(String, Cell, Cell)> = f
            .by_session
            .iter()
            .map(|s| (s.starts.to_string(), s.marked.clone(), s.rate.clone()))
            .collect();
        assert_eq!(
            per_session,
            [
                // 6 of 8 present: the 2 others would be the rest.
                ("2026-01-01 00:30:00".into(), Cell::Count(8), Cell::Small),
                ("2026-01-08 17:00:00".into(), Cell::Count(8), Cell::Small),
                (
                    "2026-06-30 18:00:00".into(),
                    Cell::Count(6),
                    Cell::Share(1000)
                ),
            ]
        );
        let b = f
            .by_run
            .iter()
            .find(|r| r.run_id == fixture::B)
            .expect("run B");
        assert_eq!(
            (b.sessions, b.seats.clone(), b.fill.clone()),
            (2, Cell::Count(6), Cell::Share(1000))
        );
        assert_eq!(b.attendance, Cell::Small, "11 of 12 marks on B: 1 away");
        assert_eq!(b.completion, Cell::Share(1000));
        assert_eq!(b.responses, Cell::Small);
        // A's 6 responses beside B's 2 would give B's back from the total.
        let a = f
            .by_run
            .iter()
            .find(|r| r.run_id == fixture::A)
            .expect("run A");
        assert_eq!(a.responses, Cell::Hidden);
        assert_eq!(f.by_course.len(), 3);
        // 8, and 6 without June: B's 2 would show.
        assert_eq!(f.responses, Cell::Hidden);
        let hope = f
            .questions
            .iter()
            .find(|q| q.code.as_deref() == Some("hope"))
            .expect("hope");
        assert_eq!(
            hope.counts,
            [
                Cell::Small,
                Cell::Small,
                Cell::Count(0),
                Cell::Small,
                Cell::Count(0),
                Cell::Small
            ]
        );
        // With counts hidden, the mean (27/7) would be a second equation to solve them from.
        assert_eq!(hope.mean, Cell::Hidden);
        assert_eq!(hope.answered, Cell::Hidden, "as the responses");
        // Only A's texts: B had 2 responses, so its "Hemmeligt" is never shown.
        let (code, texts) = &f.free_texts[0];
        assert_eq!(code, "takeaway");
        assert_eq!(texts.len(), 5);
        assert!(!texts.iter().any(|t| t == "Hemmeligt"));
    }

    #[test]
    fn a_hidden_count_takes_the_next_smallest_with_it() {
        let hidden = |v: &[u64]| protect_group(v);
        assert_eq!(hidden(&[9, 2, 0, 0, 7]), [false, true, false, false, true]);
        assert_eq!(
            hidden(&[10, 1]),
            [true, true],
            "10 + 1: both, or 1 = total − 10"
        );
        assert_eq!(hidden(&[12, 8, 6]), [false, false, false], "nothing small");
        assert_eq!(
            hidden(&[4, 4, 20]),
            [true, true, true],
            "two hidden summing to 8 could only be 4 and 4"
        );
        assert_eq!(hidden(&[3, 10, 12]), [true, true, false]);
        assert_eq!(hidden(&[2, 2]), [true, true]);
        assert_eq!(hidden(&[0, 0, 6]), [false, false, false]);
    }

    /// What a reader can work out of a group: every way the hidden counts can be filled in,
    /// knowing the total, that a "< 5" is 1–4 and that a hidden count beside it is at least 5.
    fn readings(values: &[u64], hidden: &[bool]) -> Vec<Vec<u64>> {
        let sum: u64 = values
            .iter()
            .zip(hidden)
            .filter(|(_, h)| **h)
            .map(|(v, _)| *v)
            .sum();
        let slots: Vec<(u64, u64)> = values
            .iter()
            .zip(hidden)
            .filter(|(_, h)| **h)
            .map(|(v, _)| if *v < MIN_GROUP { (1, 4) } else { (5, sum) })
            .collect();
        let mut out = Vec::new();
        let mut pick = vec![0u64; slots.len()];
        fn fill(
            i: usize,
            left: u64,
            slots: &[(u64, u64)],
            pick: &mut Vec<u64>,
            out: &mut Vec<Vec<u64>>,
        ) {
            if i == slots.len() {
                if left == 0 {
                    out.push(pick.clone());
                }
                return;
            }
            for v in slots[i].0..=slots[i].1.min(left) {
                pick[i] = v;
                fill(i + 1, left - v, slots, pick, out);
            }
        }
        fill(0, sum, &slots, &mut pick, &mut out);
        out
    }

    proptest::proptest! {
        /// No hidden count can be worked out exactly, and the hidden ones are never a small
        /// group together (unless the whole group is, which then shows as "< 5" itself). The
        /// limit: once every count of a group is hidden, the group can hide nothing more, and a
        /// total shown elsewhere may still tell (1 and 5 of 6: the 1 is the only reading).
        #[test]
        fn no_hidden_count_can_be_worked_out(values in proptest::collection::vec(0u64..14, 1..6)) {
            let hidden = protect_group(&values);
            for (v, h) in values.iter().zip(&hidden) {
                if *v > 0 && *v < MIN_GROUP {
                    proptest::prop_assert!(*h, "every small count is hidden");
                }
            }
            let total: u64 = values.iter().sum();
            let hidden_sum: u64 = values.iter().zip(&hidden).filter(|(_, h)| **h).map(|(v, _)| *v).sum();
            let all_hidden = values.iter().zip(&hidden).all(|(v, h)| *v == 0 || *h);
            if hidden.contains(&true) && total >= MIN_GROUP && !all_hidden {
                proptest::prop_assert!(hidden_sum >= MIN_GROUP, "{values:?} {hidden:?}");
                let ways = readings(&values, &hidden);
                let n = ways.first().map_or(0, Vec::len);
                for slot in 0..n {
                    let seen: std::collections::HashSet<u64> = ways.iter().map(|w| w[slot]).collect();
                    proptest::prop_assert!(seen.len() > 1, "{values:?} {hidden:?}: slot {slot} is {seen:?}");
                }
            }
        }
    }

    #[test]
    fn periods_a_day_apart_are_the_same_whole_months() {
        let facts = fixture::facts();
        let spring = count(&facts, day(2026, 1, 1), day(2026, 6, 30), fixture::now());
        let later = count(&facts, day(2026, 1, 2), day(2026, 6, 29), fixture::now());
        assert_eq!(spring, later, "A's first day cannot be cut off");
        assert_eq!(
            (spring.from, spring.to),
            (Some(day(2026, 1, 1)), Some(day(2026, 6, 30)))
        );
        assert_eq!(
            whole_months(day(2024, 2, 10), day(2024, 2, 11)),
            (day(2024, 2, 1), day(2024, 2, 29))
        );
    }

    #[test]
    fn a_month_that_would_show_a_few_by_difference_hides_the_figure() {
        let facts = fixture::facts();
        // Spring without January: the 6 on B. Spring: 9. January alone has 3 who took part.
        let feb_june = count(&facts, day(2026, 2, 1), day(2026, 6, 30), fixture::now());
        let spring = count(&facts, day(2026, 1, 1), day(2026, 6, 30), fixture::now());
        assert_eq!(spring.participants, Cell::Hidden);
        assert!(!matches!(feb_june.participants, Cell::Count(9)));
        // The same for the exact figures that did show: no count differs by 1–4 between the
        // two reports.
        let (mut a, mut b) = (spring.clone(), feb_june.clone());
        let (a, b) = (keyed_counts(&mut a), keyed_counts(&mut b));
        for (key, n) in &a {
            if let Some(m) = b.get(key) {
                assert!(!Rule::SHOWN.small(n.abs_diff(*m)), "{key}: {n} and {m}");
            }
        }
    }

    #[test]
    fn a_run_begun_at_half_past_midnight_on_the_first_belongs_to_july() {
        let f = count(
            &fixture::facts(),
            day(2026, 7, 1),
            day(2026, 7, 31),
            fixture::now(),
        );
        // July has run C and not B; B's July session is held then, and its marks count there.
        assert_eq!(f.runs, 1);
        assert_eq!(f.by_run[0].run_id, fixture::C);
        assert_eq!(f.seats, Cell::Count(5));
        // 5 of 6 present: the one away would be the rest.
        assert_eq!(f.attendance_rate, Cell::Small);
        assert!(!f.monthly, "a month is shown per week");
        assert_eq!(f.responses, Cell::Count(0));
    }

    #[test]
    fn nothing_is_counted_before_it_happens() {
        // On 2 January only A's first session has been held.
        let early = Utc.with_ymd_and_hms(2026, 1, 2, 12, 0, 0).unwrap();
        let f = count(&fixture::facts(), day(2026, 1, 1), day(2026, 6, 30), early);
        assert_eq!(f.sessions, 1);
        assert_eq!(f.drop_in_sessions, 0);
        assert_eq!(f.by_session.len(), 1);
    }

    #[test]
    fn a_team_sees_its_run_alone_from_five_answers_and_pooled_below() {
        // 3 on this run, 4 on the one before: pooled, 7 together.
        assert_eq!(
            team_pool((10, 3), &[(9, 4), (8, 6)]),
            Some(Pool {
                runs: vec![10, 9],
                responses: 7
            })
        );
        // Runs nobody answered are not named in the pool.
        assert_eq!(
            team_pool((10, 1), &[(9, 0), (8, 2), (7, 2)]).map(|p| p.runs),
            Some(vec![10, 8, 7])
        );
        assert_eq!(
            team_pool((10, 5), &[(9, 4)]).map(|p| p.runs),
            Some(vec![10])
        );
        // Even all together fewer than five: nothing.
        assert_eq!(team_pool((10, 2), &[(9, 2)]), None);
        assert_eq!(team_pool((10, 0), &[]), None);
    }

    #[test]
    fn a_team_view_never_shows_a_figure_under_five() {
        let likert = QuestionFact {
            id: 1,
            code: Some("useful".into()),
            text: String::new(),
            kind: QuestionKind::Likert,
            own: false,
            position: 1,
        };
        let text = QuestionFact {
            id: 2,
            code: Some("takeaway".into()),
            kind: QuestionKind::Text,
            position: 2,
            ..likert.clone()
        };
        let answer = |run_id, question_id, value: Option<i32>, text: Option<&str>| AnswerFact {
            run_id,
            question_id,
            value,
            text: text.map(str::to_string),
        };
        let mixed = QuestionFact {
            id: 3,
            code: Some("safe".into()),
            position: 3,
            ..likert.clone()
        };
        // Run 10: three answers; run 9: four. All seven gave question 1 a 5; question 3 got
        // 5, 5, 5, 5, 5, 4 and 2.
        let mut answers = Vec::new();
        for (run, v) in [(10, 5), (10, 5), (10, 4), (9, 5), (9, 5), (9, 5), (9, 2)] {
            answers.push(answer(run, 1, Some(5), None));
            answers.push(answer(run, 3, Some(v), None));
        }
        answers.push(answer(10, 2, None, Some("Jeg lærte at sige fra")));
        answers.push(answer(9, 2, None, Some("Roen i rummet")));
        let by_run = HashMap::from([(10, 3), (9, 4)]);
        let pool = team_pool((10, 3), &[(9, 4)]).expect("pooled to seven");
        let (rows, texts) = team_evaluation(&[likert, text, mixed], &answers, &by_run, &pool);
        let all_five = &rows[0];
        assert_eq!(all_five.counts[0], Cell::Count(7));
        assert_eq!(all_five.mean, Cell::Mean(500));
        // The 4 and the 2 are one each: hidden, so the 5s could be worked out and are hidden
        // too, and with them the mean.
        let mixed = &rows[1];
        assert_eq!(mixed.answered, Cell::Count(7));
        assert_eq!(mixed.mean, Cell::Hidden);
        for c in &mixed.counts {
            assert!(
                matches!(c, Cell::Small | Cell::Hidden | Cell::Count(0)),
                "{c:?}"
            );
        }
        // The written answers of the pool count together.
        assert_eq!(
            texts,
            vec![(
                "takeaway".to_string(),
                vec![
                    "Jeg lærte at sige fra".to_string(),
                    "Roen i rummet".to_string()
                ]
            )]
        );
        // The same answers as a report with each run on its own: no texts from runs under five.
        let runs: FxHashSet<i32> = [10, 9].into_iter().collect();
        let by_run: FxHashMap<i32, u64> = by_run.into_iter().collect();
        let (_, report_texts) =
            evaluation_rows(&[], &answers, &runs, &by_run, Rule::SHOWN, MIN_GROUP);
        assert!(report_texts.is_empty());
    }
}
