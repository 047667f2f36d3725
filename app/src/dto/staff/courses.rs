//! The course list and editor.

use crate::dto::staff::MeDto;
use crate::dto::staff::runs::TeacherOption;
use serde::{Deserialize, Serialize};

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
