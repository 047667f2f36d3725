//! Teacher profiles.

use crate::dto::staff::MeDto;
use crate::rules::vocabulary::TeacherKind;
use serde::{Deserialize, Serialize};

/// Longest title and profile text the course page shows well.
pub const TITLE_MAX: usize = 120;

pub const BIO_MAX: usize = 1500;

/// One profile the person may edit, for the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileRow {
    pub id: i32,
    pub name: String,
    pub kind: TeacherKind,
    pub school_name: String,
    pub own: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileListDto {
    pub me: MeDto,
    pub profiles: Vec<ProfileRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileEditorDto {
    pub me: MeDto,
    pub id: i32,
    pub name: String,
    pub kind: TeacherKind,
    pub school_name: String,
    pub title: String,
    pub bio: String,
    pub photo_url: Option<String>,
    pub own: bool,
}
