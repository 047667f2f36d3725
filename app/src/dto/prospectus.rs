//! The printable term prospectus of a school (`/skoler/:slug/katalog`): every published run of
//! a term, grouped by month or by theme, with how to sign up.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dto::catalogue::{RunDto, SchoolDto, ThemeDto};

/// How the runs are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grouping {
    #[default]
    Month,
    Theme,
}

impl Grouping {
    /// The value in the address (`grupper=maaned|tema`).
    pub fn slug(self) -> &'static str {
        match self {
            Grouping::Month => "maaned",
            Grouping::Theme => "tema",
        }
    }

    /// Reads the address's value; anything else is by month.
    pub fn from_slug(s: &str) -> Grouping {
        if s == "tema" {
            Grouping::Theme
        } else {
            Grouping::Month
        }
    }
}

/// A run in the prospectus, with its course's themes and the address to sign up at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProspectusRun {
    pub run: RunDto,
    pub themes: Vec<ThemeDto>,
    /// The sign-up page, in full (`https://…/hold/12/tilmelding`).
    pub signup_url: String,
}

/// What a group is headed by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupHeading {
    /// The first day of the month.
    Month(NaiveDate),
    Theme(ThemeDto),
    /// Courses without a theme.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProspectusGroup {
    pub heading: GroupHeading,
    pub runs: Vec<ProspectusRun>,
}

/// A term the chooser offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermChoice {
    pub slug: String,
    pub spring: bool,
    pub year: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProspectusDto {
    pub school: SchoolDto,
    pub term: TermChoice,
    pub terms: Vec<TermChoice>,
    pub grouping: Grouping,
    pub groups: Vec<ProspectusGroup>,
}

/// Where a run is signed up for, in full: its sign-up page, or for a drop-in (no sign-up) its
/// course page.
pub fn signup_url(public_url: &str, run: &RunDto) -> String {
    match run.availability {
        crate::rules::catalogue::availability::Availability::DropIn => {
            format!("{public_url}/kurser/{}", run.course_slug)
        }
        _ => format!("{public_url}/hold/{}/tilmelding", run.id),
    }
}

/// The first day of the month a run starts in.
fn start_month(r: &ProspectusRun) -> Option<NaiveDate> {
    let first = r.run.sessions.iter().find(|s| !s.cancelled)?.starts.date();
    NaiveDate::from_ymd_opt(first.year(), first.month(), 1)
}

/// Groups runs (already in date order) by the month they start in, or by their course's first
/// theme by name (courses without one last). Each run is in one group only, in date order.
pub fn group(runs: Vec<ProspectusRun>, grouping: Grouping) -> Vec<ProspectusGroup> {
    let mut groups: Vec<ProspectusGroup> = Vec::new();
    for r in runs {
        let heading = match grouping {
            Grouping::Month => match start_month(&r) {
                Some(month) => GroupHeading::Month(month),
                None => continue,
            },
            Grouping::Theme => r
                .themes
                .iter()
                .min_by(|a, b| a.name_da.cmp(&b.name_da))
                .map_or(GroupHeading::Other, |t| GroupHeading::Theme(t.clone())),
        };
        match groups.iter_mut().find(|g| g.heading == heading) {
            Some(g) => g.runs.push(r),
            None => groups.push(ProspectusGroup {
                heading,
                runs: vec![r],
            }),
        }
    }
    let key = |g: &ProspectusGroup| match &g.heading {
        GroupHeading::Month(m) => (0, m.to_string()),
        GroupHeading::Theme(t) => (1, t.name_da.clone()),
        GroupHeading::Other => (2, String::new()),
    };
    groups.sort_by_key(key);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::catalogue::{SchoolRef, SessionDto};
    use crate::rules::catalogue::availability::Availability;
    use crate::rules::vocabulary::Format;

    fn theme(name: &str) -> ThemeDto {
        ThemeDto {
            slug: name.to_lowercase(),
            name_da: name.into(),
            name_en: name.into(),
        }
    }

    fn run(id: i32, day: &str, themes: &[&str]) -> ProspectusRun {
        let starts = NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .expect("a valid date")
            .and_hms_opt(17, 0, 0)
            .expect("a valid date");
        let session = SessionDto {
            id,
            starts,
            ends: starts + chrono::Duration::hours(3),
            cancelled: false,
            place: None,
        };
        ProspectusRun {
            run: RunDto {
                id,
                course_slug: format!("kursus-{id}"),
                course_title: format!("Kursus {id}"),
                course_summary: String::new(),
                format: Format::Course,
                school: SchoolRef {
                    slug: "randers".into(),
                    name: "Randers".into(),
                },
                place: None,
                sessions: vec![session.clone()],
                next_session: Some(session),
                teachers: Vec::new(),
                availability: Availability::Open { left: 3 },
            },
            themes: themes.iter().map(|t| theme(t)).collect(),
            signup_url: String::new(),
        }
    }

    fn ids(groups: &[ProspectusGroup]) -> Vec<Vec<i32>> {
        groups
            .iter()
            .map(|g| g.runs.iter().map(|r| r.run.id).collect())
            .collect()
    }

    #[test]
    fn runs_are_grouped_once_each_by_month_or_by_theme() {
        let runs = vec![
            run(1, "2027-01-12", &["Søvn", "Angst"]),
            run(2, "2027-01-20", &[]),
            run(3, "2027-02-02", &["Søvn"]),
        ];
        let by_month = group(runs.clone(), Grouping::Month);
        assert_eq!(ids(&by_month), vec![vec![1, 2], vec![3]]);
        assert_eq!(
            by_month[1].heading,
            GroupHeading::Month(NaiveDate::from_ymd_opt(2027, 2, 1).expect("a valid date"))
        );
        let by_theme = group(runs, Grouping::Theme);
        assert_eq!(ids(&by_theme), vec![vec![1], vec![3], vec![2]]);
        assert_eq!(by_theme[0].heading, GroupHeading::Theme(theme("Angst")));
        assert_eq!(by_theme[2].heading, GroupHeading::Other);
        assert_eq!(Grouping::from_slug("tema"), Grouping::Theme);
        assert_eq!(Grouping::from_slug("<x>"), Grouping::Month);
    }
}
