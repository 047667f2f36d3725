//! What every staff page knows about the person signed in.

pub mod account;
pub mod attendance;
pub mod courses;
pub mod home;
pub mod integrations;
pub mod people;
pub mod pictures;
pub mod places;
pub mod profile;
pub mod reports;
pub mod roster;
pub mod runs;
pub mod schools;
pub mod sign_in;
pub mod themes;

use serde::{Deserialize, Serialize};

use crate::rules::access::{Grants, Role};

/// Who is signed in, as pages need it (the header, what to show).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeDto {
    pub name: String,
    pub email: String,
    pub grants: Grants,
    /// `(school id, school name)` of the schools the person holds roles at (all for an
    /// administrator).
    pub schools: Vec<(i32, String)>,
    pub totp_enabled: bool,
}

impl MeDto {
    /// The person's roles in words, e.g. "Koordinator, Randers".
    pub fn role_lines(&self, l: crate::i18n::Locale) -> Vec<String> {
        let mut lines = Vec::new();
        if self.grants.admin {
            lines.push(crate::tr!(l, Role::Admin.label_key()));
        }
        for (school, role) in &self.grants.roles {
            let name = self
                .schools
                .iter()
                .find(|(id, _)| id == school)
                .map_or("", |(_, n)| n.as_str());
            lines.push(format!("{}, {name}", crate::tr!(l, role.label_key())));
        }
        lines
    }
}

/// A staff page's data, which always carries the person signed in (for the page frame's menu).
pub trait SignedIn {
    fn me(&self) -> &MeDto;
}

impl SignedIn for MeDto {
    fn me(&self) -> &MeDto {
        self
    }
}

/// A page that loads the person and its data with two calls.
impl<T> SignedIn for (MeDto, T) {
    fn me(&self) -> &MeDto {
        &self.0
    }
}

/// `signed_in!(Dto, …)`: the DTOs whose `me` field is the person signed in.
macro_rules! signed_in {
    ($($dto:ty),* $(,)?) => {
        $(impl SignedIn for $dto {
            fn me(&self) -> &MeDto {
                &self.me
            }
        })*
    };
}

signed_in!(
    account::AccountDto,
    attendance::AttendanceDto,
    courses::CourseListDto,
    courses::CourseEditorDto,
    home::HomeDto,
    profile::ProfileListDto,
    profile::ProfileEditorDto,
    reports::ReportDto,
    roster::RosterDto,
    runs::RunEditorDto,
);
