//! The report page's selection and data.

use crate::dto::staff::MeDto;
use crate::rules::reports::Figures;
use serde::{Deserialize, Serialize};

/// The selection as it stands in the address (all optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportQuery {
    /// A school's id, or empty for all the person's schools.
    #[serde(default)]
    pub skole: String,
    /// `2026-1` (forår) or `2026-2` (efterår); ignored when both dates are given.
    #[serde(default)]
    pub termin: String,
    #[serde(default)]
    pub fra: String,
    #[serde(default)]
    pub til: String,
    #[serde(default)]
    pub kursus: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub tema: String,
}

impl ReportQuery {
    /// The selection from an address's query, `get` giving a parameter's value or "".
    pub fn from_query(get: impl Fn(&str) -> String) -> ReportQuery {
        ReportQuery {
            skole: get("skole"),
            termin: get("termin"),
            fra: get("fra"),
            til: get("til"),
            kursus: get("kursus"),
            format: get("format"),
            tema: get("tema"),
        }
    }

    /// The selection as an address query, for links to the CSV files.
    pub fn to_query(&self) -> String {
        [
            ("skole", &self.skole),
            ("termin", &self.termin),
            ("fra", &self.fra),
            ("til", &self.til),
            ("kursus", &self.kursus),
            ("format", &self.format),
            ("tema", &self.tema),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencoding::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// A choice in the selection form.
pub type Choice = (String, String);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportDto {
    pub me: MeDto,
    /// Only the person's own runs (a teacher without a reporting role).
    pub own_runs: bool,
    pub schools: Vec<Choice>,
    pub courses: Vec<Choice>,
    pub themes: Vec<Choice>,
    pub terms: Vec<Choice>,
    /// The selection in force, with the dates filled in.
    pub chosen: ReportQuery,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// The selection could not be read; the figures are for the current term.
    pub error: Option<String>,
    pub figures: Figures,
    /// "Giv mig besked": how many wait for a course's next run, now ("< 5" below five).
    pub waiting_for_news: Vec<(String, crate::rules::reports::Cell)>,
}

/// The most runs the page lists (the latest); the CSV file has them all.
pub const PAGE_RUNS: usize = 100;
/// The most free-text answers per question the page shows.
pub const PAGE_TEXTS: usize = 200;

/// The tables a CSV file can hold.
pub const CSV_TABLES: [&str; 8] = [
    "noegletal",
    "hold",
    "gange",
    "kurser",
    "fremmoede",
    "perspektiver",
    "kommuner",
    "evaluering",
];
