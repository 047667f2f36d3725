//! The course list and editor.

use crate::dto::staff::MeDto;
use crate::dto::staff::runs::TeacherOption;
use serde::{Deserialize, Serialize};

use crate::rules::vocabulary::{Audience, Format};

/// A course's life-cycle state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseState {
    Draft,
    Published,
    Archived,
}

impl CourseState {
    pub fn label_key(self) -> &'static str {
        match self {
            CourseState::Draft => "staff.courses.state.draft",
            CourseState::Published => "staff.courses.state.published",
            CourseState::Archived => "staff.courses.state.archived",
        }
    }
}

/// One course in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseRow {
    pub id: i32,
    pub title: String,
    pub school_name: String,
    pub state: CourseState,
    pub runs: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseListDto {
    pub me: MeDto,
    pub courses: Vec<CourseRow>,
    pub may_create: bool,
}

/// The editable fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CourseFields {
    pub school_id: i32,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub expectations: String,
    pub format: String,
    pub audience: String,
    pub themes: Vec<i32>,
    pub image_alt: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseEditorDto {
    pub me: MeDto,
    pub id: Option<i32>,
    pub slug: String,
    pub state: CourseState,
    pub fields: CourseFields,
    /// The picture's address, if the course has one.
    pub image_url: Option<String>,
    pub schools: Vec<(i32, String)>,
    pub themes: Vec<(i32, String)>,
    pub developers: Vec<TeacherOption>,
    pub candidates: Vec<TeacherOption>,
}

/// The course form, as posted. `themes` holds the ticked boxes, named `themes[t<id>]` (a
/// letter first: serde_qs reads numeric keys as list positions).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CourseForm {
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub expectations: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub themes: std::collections::BTreeMap<String, String>,
    /// `gem` (save), `offentliggoer` (publish), `arkiver` (archive) or `kladde` (back to draft).
    #[serde(default)]
    pub action: String,
}

/// Lengths the catalogue can show well.
pub const TITLE_MAX: usize = 120;

pub const SUMMARY_MAX: usize = 300;

pub const TEXT_MAX: usize = 5000;

pub const ALT_MAX: usize = 300;

crate::refusals! {
    /// Why a course's fields, or a step of its life cycle, were refused (its picture's
    /// refusals are `pictures::PictureRefusal`).
    pub enum CourseRefusal {
        Title => "titel", "staff.courses.err.title";
        TitleLong => "titel-lang", "staff.courses.err.title_long";
        SummaryLong => "resume-lang", "staff.courses.err.summary_long";
        TextLong => "tekst-lang", "staff.courses.err.text_long";
        Format => "form", "staff.courses.err.format";
        Audience => "maalgruppe", "staff.courses.err.audience";
        Texts => "mangler-tekst", "staff.courses.err.texts";
        School => "skole", "staff.courses.err.school";
        Upcoming => "kommende-hold", "staff.courses.err.upcoming";
        NoPeer => "mangler-peer", "staff.courses.err.no_peer";
        NoPartner => "mangler-fagperson", "staff.courses.err.no_partner";
        KeepTeam => "behold-udviklere", "staff.courses.err.keep_team";
    }
}

/// What is wrong with a course's fields; `publishing` also requires the texts a course page
/// needs. (The picture and its alt text have a form of their own.)
pub fn check_fields(form: &CourseForm, publishing: bool) -> Result<(), CourseRefusal> {
    let len = |s: &str| s.trim().chars().count();
    if len(&form.title) == 0 {
        return Err(CourseRefusal::Title);
    }
    if len(&form.title) > TITLE_MAX {
        return Err(CourseRefusal::TitleLong);
    }
    if len(&form.summary) > SUMMARY_MAX {
        return Err(CourseRefusal::SummaryLong);
    }
    if len(&form.description) > TEXT_MAX || len(&form.expectations) > TEXT_MAX {
        return Err(CourseRefusal::TextLong);
    }
    if Format::from_slug(&form.format).is_none() {
        return Err(CourseRefusal::Format);
    }
    if Audience::from_slug(&form.audience).is_none() {
        return Err(CourseRefusal::Audience);
    }
    if publishing
        && (len(&form.summary) == 0 || len(&form.description) == 0 || len(&form.expectations) == 0)
    {
        return Err(CourseRefusal::Texts);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_and_publishing_needs_the_texts() {
        let mut f = CourseForm {
            title: "Søvn".into(),
            format: "kursus".into(),
            audience: "alle".into(),
            ..CourseForm::default()
        };
        assert_eq!(check_fields(&f, false), Ok(()));
        assert_eq!(check_fields(&f, true), Err(CourseRefusal::Texts));
        f.summary = "Om at sove bedre".into();
        f.description = "Vi taler om søvn.".into();
        f.expectations = "Tre timer med pauser.".into();
        assert_eq!(check_fields(&f, true), Ok(()));
        f.format = "ukendt".into();
        assert_eq!(check_fields(&f, false), Err(CourseRefusal::Format));
        f.format = "kursus".into();
        f.audience = "alle-andre".into();
        assert_eq!(check_fields(&f, false), Err(CourseRefusal::Audience));
        f.audience = "alle".into();
        f.summary = "å".repeat(SUMMARY_MAX + 1);
        assert_eq!(check_fields(&f, false), Err(CourseRefusal::SummaryLong));
        f.summary = String::new();
        f.title = " ".into();
        assert_eq!(check_fields(&f, false), Err(CourseRefusal::Title));
        f.title = "x".repeat(TITLE_MAX + 1);
        assert_eq!(check_fields(&f, false), Err(CourseRefusal::TitleLong));
    }
}
