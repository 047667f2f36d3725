//! The catalogue filter and its URL form.
//!
//! Filters are URL query parameters with Danish names so a link can be shared and the back
//! button works. Parsing is forgiving: an unknown or malformed value is dropped, never an error,
//! so a mistyped link still shows courses. Free text is capped.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::rules::vocabulary::{Audience, Format};

/// Longest free-text search kept, in characters.
pub const MAX_SEARCH_CHARS: usize = 100;

/// Parts of the day, by local start time in Copenhagen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimeOfDay {
    /// Starts before 12.00.
    Morning,
    /// Starts from 12.00 to before 17.00.
    Afternoon,
    /// Starts at 17.00 or later.
    Evening,
}

impl TimeOfDay {
    pub const ALL: [TimeOfDay; 3] = [TimeOfDay::Morning, TimeOfDay::Afternoon, TimeOfDay::Evening];

    pub fn slug(self) -> &'static str {
        match self {
            TimeOfDay::Morning => "formiddag",
            TimeOfDay::Afternoon => "eftermiddag",
            TimeOfDay::Evening => "aften",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            TimeOfDay::Morning => "time.morning",
            TimeOfDay::Afternoon => "time.afternoon",
            TimeOfDay::Evening => "time.evening",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.slug() == s)
    }

    /// The part of the day a local start hour falls in.
    pub fn of_hour(hour: u32) -> Self {
        match hour {
            0..=11 => TimeOfDay::Morning,
            12..=16 => TimeOfDay::Afternoon,
            _ => TimeOfDay::Evening,
        }
    }
}

/// Online or in person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    Online,
    Physical,
}

impl Mode {
    pub fn slug(self) -> &'static str {
        match self {
            Mode::Online => "online",
            Mode::Physical => "fysisk",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Mode::Online, Mode::Physical]
            .into_iter()
            .find(|m| m.slug() == s)
    }
}

/// Weekday slugs in URL order, Monday first (index = days from Monday).
pub const WEEKDAY_SLUGS: [&str; 7] = ["man", "tir", "ons", "tor", "fre", "loer", "soen"];

/// What a person has asked the catalogue for. Empty means "everything upcoming".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueFilter {
    /// Free text; every word must appear in the title, summary or description.
    pub q: Option<String>,
    /// School slug.
    pub school: Option<String>,
    /// Theme slug.
    pub theme: Option<String>,
    pub format: Option<Format>,
    pub audience: Option<Audience>,
    /// First day of the chosen month.
    pub month: Option<NaiveDate>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Days from Monday (0–6); empty means any day.
    pub weekdays: Vec<u8>,
    /// Empty means any time.
    pub times: Vec<TimeOfDay>,
    pub mode: Option<Mode>,
    /// Only runs a person can still get a seat on (or just turn up to).
    pub free_seats: bool,
}

impl CatalogueFilter {
    /// Builds a filter from query pairs, dropping anything it does not understand.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut f = CatalogueFilter::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => {
                    let text: String = value.chars().take(MAX_SEARCH_CHARS).collect();
                    f.q = Some(text);
                }
                "skole" => f.school = slug(value),
                "tema" => f.theme = slug(value),
                "format" => f.format = Format::from_slug(value),
                "for" => f.audience = Audience::from_slug(value),
                "maaned" => f.month = parse_month(value),
                "fra" => f.from = parse_date(value),
                "til" => f.to = parse_date(value),
                "dag" => {
                    if let Some(i) = WEEKDAY_SLUGS.iter().position(|d| *d == value) {
                        let i = i as u8;
                        if !f.weekdays.contains(&i) {
                            f.weekdays.push(i);
                        }
                    }
                }
                "tid" => {
                    if let Some(t) = TimeOfDay::parse(value)
                        && !f.times.contains(&t)
                    {
                        f.times.push(t);
                    }
                }
                "sted" => f.mode = Mode::parse(value),
                "ledige" => f.free_seats = matches!(value, "ja" | "1" | "on" | "true"),
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (f.from, f.to)
            && from > to
        {
            f.from = Some(to);
            f.to = Some(from);
        }
        f.weekdays.sort_unstable();
        f.times
            .sort_by_key(|t| TimeOfDay::ALL.iter().position(|x| x == t));
        f
    }

    /// Re-applies the parsing rules to a filter that came over the wire, so the server never
    /// trusts what a browser sent.
    pub fn sanitized(&self) -> Self {
        let pairs = self.to_pairs();
        CatalogueFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    }

    /// The filter as query pairs, in a stable order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(q) = &self.q {
            out.push(("q", q.clone()));
        }
        if let Some(s) = &self.school {
            out.push(("skole", s.clone()));
        }
        if let Some(t) = &self.theme {
            out.push(("tema", t.clone()));
        }
        if let Some(f) = self.format {
            out.push(("format", f.slug().to_string()));
        }
        if let Some(a) = self.audience {
            out.push(("for", a.slug().to_string()));
        }
        if let Some(m) = self.month {
            out.push(("maaned", format!("{:04}-{:02}", m.year(), m.month())));
        }
        if let Some(d) = self.from {
            out.push(("fra", d.format("%Y-%m-%d").to_string()));
        }
        if let Some(d) = self.to {
            out.push(("til", d.format("%Y-%m-%d").to_string()));
        }
        for d in &self.weekdays {
            if let Some(s) = WEEKDAY_SLUGS.get(usize::from(*d)) {
                out.push(("dag", (*s).to_string()));
            }
        }
        for t in &self.times {
            out.push(("tid", t.slug().to_string()));
        }
        if let Some(m) = self.mode {
            out.push(("sted", m.slug().to_string()));
        }
        if self.free_seats {
            out.push(("ledige", "ja".to_string()));
        }
        out
    }

    /// The filter as a URL query string without the leading `?` (empty when no filter is set).
    pub fn to_query(&self) -> String {
        self.to_pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", urlencoding::encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// True when nothing is selected.
    pub fn is_empty(&self) -> bool {
        self == &CatalogueFilter::default()
    }

    /// The inclusive local date range the filter allows, from month and from/to together.
    pub fn date_range(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let mut start = self.from;
        let mut end = self.to;
        if let Some(m) = self.month {
            let month_end = last_day_of_month(m);
            start = Some(start.map_or(m, |s| s.max(m)));
            end = Some(end.map_or(month_end, |e| e.min(month_end)));
        }
        (start, end)
    }
}

fn slug(value: &str) -> Option<String> {
    let ok = value.len() <= 80
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    ok.then(|| value.to_string())
}

fn parse_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()))
}

fn parse_month(value: &str) -> Option<NaiveDate> {
    let (y, m) = value.split_once('-')?;
    let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    NaiveDate::from_ymd_opt(y, m, 1).filter(|d| (2000..=2100).contains(&d.year()))
}

/// Last calendar day of the month that `first` lies in.
pub fn last_day_of_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &[(&str, &str)]) -> CatalogueFilter {
        CatalogueFilter::from_pairs(q.iter().copied())
    }

    #[test]
    fn understands_every_parameter() {
        let f = parse(&[
            ("q", " søvn "),
            ("skole", "randers"),
            ("tema", "angst"),
            ("format", "workshop"),
            ("for", "paarorende"),
            ("maaned", "2027-02"),
            ("fra", "2027-01-10"),
            ("til", "2027-03-01"),
            ("dag", "tir"),
            ("dag", "man"),
            ("tid", "aften"),
            ("sted", "online"),
            ("ledige", "ja"),
        ]);
        assert_eq!(f.q.as_deref(), Some("søvn"));
        assert_eq!(f.school.as_deref(), Some("randers"));
        assert_eq!(f.theme.as_deref(), Some("angst"));
        assert_eq!(f.format, Some(Format::Workshop));
        assert_eq!(f.audience, Some(Audience::Relatives));
        assert_eq!(f.month, NaiveDate::from_ymd_opt(2027, 2, 1));
        assert_eq!(f.weekdays, vec![0, 1]);
        assert_eq!(f.times, vec![TimeOfDay::Evening]);
        assert_eq!(f.mode, Some(Mode::Online));
        assert!(f.free_seats);
    }

    #[test]
    fn nonsense_is_dropped_not_an_error() {
        let f = parse(&[
            ("skole", "<script>"),
            ("format", "rumraket"),
            ("maaned", "2027-13"),
            ("fra", "i går"),
            ("dag", "blursday"),
            ("tid", "midnat"),
            ("sted", "månen"),
            ("ukendt", "x"),
        ]);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn search_text_is_capped() {
        let long = "å".repeat(500);
        let f = parse(&[("q", long.as_str())]);
        assert_eq!(f.q.map(|q| q.chars().count()), Some(MAX_SEARCH_CHARS));
    }

    #[test]
    fn reversed_range_is_swapped() {
        let f = parse(&[("fra", "2027-03-01"), ("til", "2027-01-01")]);
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2027, 1, 1));
        assert_eq!(f.to, NaiveDate::from_ymd_opt(2027, 3, 1));
    }

    #[test]
    fn query_round_trips() {
        let f = parse(&[
            ("q", "mad & budget"),
            ("dag", "fre"),
            ("tid", "formiddag"),
            ("ledige", "ja"),
        ]);
        let q = f.to_query();
        assert_eq!(q, "q=mad%20%26%20budget&dag=fre&tid=formiddag&ledige=ja");
        let back: Vec<(String, String)> = q
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| {
                (
                    k.to_string(),
                    urlencoding::decode(v)
                        .map(|c| c.into_owned())
                        .unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            CatalogueFilter::from_pairs(back.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            f
        );
    }

    #[test]
    fn month_and_range_intersect() {
        let f = parse(&[
            ("maaned", "2027-02"),
            ("fra", "2027-02-10"),
            ("til", "2027-05-01"),
        ]);
        assert_eq!(
            f.date_range(),
            (
                NaiveDate::from_ymd_opt(2027, 2, 10),
                NaiveDate::from_ymd_opt(2027, 2, 28)
            )
        );
        let leap = parse(&[("maaned", "2028-02")]);
        assert_eq!(leap.date_range().1, NaiveDate::from_ymd_opt(2028, 2, 29));
        let december = parse(&[("maaned", "2026-12")]);
        assert_eq!(
            december.date_range().1,
            NaiveDate::from_ymd_opt(2026, 12, 31)
        );
    }

    #[test]
    fn time_of_day_boundaries() {
        assert_eq!(TimeOfDay::of_hour(11), TimeOfDay::Morning);
        assert_eq!(TimeOfDay::of_hour(12), TimeOfDay::Afternoon);
        assert_eq!(TimeOfDay::of_hour(16), TimeOfDay::Afternoon);
        assert_eq!(TimeOfDay::of_hour(17), TimeOfDay::Evening);
    }
}
