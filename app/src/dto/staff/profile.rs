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

crate::refusals! {
    /// Why a profile's text was not saved (its photo's refusals are `pictures::PictureRefusal`).
    pub enum ProfileRefusal {
        TitleLong => "titel-lang", "staff.profile.err.title_long";
        TextLong => "tekst-lang", "staff.profile.err.text_long";
    }
}

/// What is wrong with a profile's title and text, if anything.
pub fn check_profile(title: &str, bio: &str) -> Result<(), ProfileRefusal> {
    if title.trim().chars().count() > TITLE_MAX {
        return Err(ProfileRefusal::TitleLong);
    }
    if bio.trim().chars().count() > BIO_MAX {
        return Err(ProfileRefusal::TextLong);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_text_has_room_but_a_limit() {
        assert_eq!(check_profile("", ""), Ok(()));
        assert_eq!(check_profile("Sygeplejerske", &"ø".repeat(BIO_MAX)), Ok(()));
        assert_eq!(
            check_profile("", &"ø".repeat(BIO_MAX + 1)),
            Err(ProfileRefusal::TextLong)
        );
        assert_eq!(
            check_profile(&"a".repeat(TITLE_MAX + 1), ""),
            Err(ProfileRefusal::TitleLong)
        );
    }
}
