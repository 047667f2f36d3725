//! Data sent from the server to pages. Times are local Copenhagen wall-clock times, worked out on
//! the server, so the browser needs no time-zone database.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::rules::catalogue::availability::Availability;
use crate::rules::vocabulary::{Audience, Format, TeacherKind};

/// A place: an address and room, or online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceDto {
    pub name: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub room: Option<String>,
    pub online: bool,
    pub step_free: bool,
    pub access_note: String,
    pub directions: String,
}

/// One session (undervisningsgang), in local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDto {
    pub id: i32,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub cancelled: bool,
    /// Set when the session is somewhere else than the run's usual place.
    pub place: Option<PlaceDto>,
}

/// A teacher as the public sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeacherDto {
    pub id: i32,
    pub name: String,
    pub kind: TeacherKind,
    pub title: Option<String>,
    pub bio: String,
    /// The photo's address, if the teacher has one.
    pub photo: Option<String>,
}

/// A theme for filters and course pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeDto {
    pub slug: String,
    pub name_da: String,
    pub name_en: String,
}

/// A school by name, for lists and links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolRef {
    pub slug: String,
    pub name: String,
}

/// One run (kursusgang / hold) with what a person needs to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunDto {
    pub id: i32,
    pub course_slug: String,
    pub course_title: String,
    pub course_summary: String,
    pub format: Format,
    pub school: SchoolRef,
    pub place: Option<PlaceDto>,
    /// All sessions, in order, including past and cancelled ones.
    pub sessions: Vec<SessionDto>,
    /// The next session that takes place, if any is still to come.
    pub next_session: Option<SessionDto>,
    pub teachers: Vec<TeacherDto>,
    pub availability: Availability,
}

impl RunDto {
    /// Number of sessions that take place.
    pub fn active_sessions(&self) -> usize {
        self.sessions.iter().filter(|s| !s.cancelled).count()
    }

    /// True when every session is online.
    pub fn is_online(&self) -> bool {
        self.place.as_ref().is_some_and(|p| p.online)
    }
}

/// The choices the catalogue's filter form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueOptions {
    pub schools: Vec<SchoolRef>,
    pub themes: Vec<ThemeDto>,
    /// Months with upcoming sessions, first day of each.
    pub months: Vec<chrono::NaiveDate>,
}

/// The course page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseDetailDto {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub expectations: String,
    pub format: Format,
    pub audience: Audience,
    /// The picture's address and its alt text.
    pub image: Option<(String, String)>,
    pub themes: Vec<ThemeDto>,
    pub developers: Vec<TeacherDto>,
    pub school: SchoolRef,
    pub runs: Vec<RunDto>,
}

/// A school with its contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolDto {
    pub slug: String,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub intro: String,
    pub opening_hours: String,
}

/// The school page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolDetailDto {
    pub school: SchoolDto,
    pub locations: Vec<PlaceDto>,
    pub runs: Vec<RunDto>,
}

#[cfg(feature = "ssr")]
mod from_entity {
    use super::*;

    impl From<entity::CourseFormat> for Format {
        fn from(f: entity::CourseFormat) -> Self {
            match f {
                entity::CourseFormat::Course => Format::Course,
                entity::CourseFormat::Series => Format::Series,
                entity::CourseFormat::Workshop => Format::Workshop,
                entity::CourseFormat::ThemeDay => Format::ThemeDay,
                entity::CourseFormat::Talk => Format::Talk,
                entity::CourseFormat::DropIn => Format::DropIn,
            }
        }
    }

    impl From<entity::Audience> for Audience {
        fn from(a: entity::Audience) -> Self {
            match a {
                entity::Audience::Everyone => Audience::Everyone,
                entity::Audience::OwnExperience => Audience::OwnExperience,
                entity::Audience::Relatives => Audience::Relatives,
                entity::Audience::Professionals => Audience::Professionals,
                entity::Audience::Young => Audience::Young,
            }
        }
    }

    impl From<Format> for entity::CourseFormat {
        fn from(f: Format) -> Self {
            match f {
                Format::Course => entity::CourseFormat::Course,
                Format::Series => entity::CourseFormat::Series,
                Format::Workshop => entity::CourseFormat::Workshop,
                Format::ThemeDay => entity::CourseFormat::ThemeDay,
                Format::Talk => entity::CourseFormat::Talk,
                Format::DropIn => entity::CourseFormat::DropIn,
            }
        }
    }

    impl From<Audience> for entity::Audience {
        fn from(a: Audience) -> Self {
            match a {
                Audience::Everyone => entity::Audience::Everyone,
                Audience::OwnExperience => entity::Audience::OwnExperience,
                Audience::Relatives => entity::Audience::Relatives,
                Audience::Professionals => entity::Audience::Professionals,
                Audience::Young => entity::Audience::Young,
            }
        }
    }

    impl From<TeacherKind> for entity::TeacherKind {
        fn from(k: TeacherKind) -> Self {
            match k {
                TeacherKind::Peer => entity::TeacherKind::Peer,
                TeacherKind::Professional => entity::TeacherKind::Professional,
                TeacherKind::Relative => entity::TeacherKind::Relative,
            }
        }
    }

    impl From<entity::TeacherKind> for TeacherKind {
        fn from(k: entity::TeacherKind) -> Self {
            match k {
                entity::TeacherKind::Peer => TeacherKind::Peer,
                entity::TeacherKind::Professional => TeacherKind::Professional,
                entity::TeacherKind::Relative => TeacherKind::Relative,
            }
        }
    }

    impl From<entity::Perspective> for crate::rules::vocabulary::Perspective {
        fn from(p: entity::Perspective) -> Self {
            use crate::rules::vocabulary::Perspective as P;
            match p {
                entity::Perspective::OwnExperience => P::OwnExperience,
                entity::Perspective::Relative => P::Relative,
                entity::Perspective::Professional => P::Professional,
                entity::Perspective::Other => P::Other,
                entity::Perspective::Undisclosed => P::Undisclosed,
            }
        }
    }

    impl From<crate::rules::vocabulary::Perspective> for entity::Perspective {
        fn from(p: crate::rules::vocabulary::Perspective) -> Self {
            use crate::rules::vocabulary::Perspective as P;
            match p {
                P::OwnExperience => entity::Perspective::OwnExperience,
                P::Relative => entity::Perspective::Relative,
                P::Professional => entity::Perspective::Professional,
                P::Other => entity::Perspective::Other,
                P::Undisclosed => entity::Perspective::Undisclosed,
            }
        }
    }

    impl From<entity::location::Model> for PlaceDto {
        fn from(l: entity::location::Model) -> Self {
            PlaceDto {
                name: l.name,
                street: l.street,
                postal_code: l.postal_code,
                city: l.city,
                room: l.room,
                online: l.is_online,
                step_free: l.step_free,
                access_note: l.access_note,
                directions: l.directions,
            }
        }
    }

    impl From<entity::teacher::Model> for TeacherDto {
        fn from(t: entity::teacher::Model) -> Self {
            TeacherDto {
                id: t.id,
                name: t.name,
                kind: t.kind.into(),
                title: t.title,
                bio: t.bio,
                photo: t.image_id.map(|i| format!("/billeder/{i}")),
            }
        }
    }

    impl From<entity::theme::Model> for ThemeDto {
        fn from(t: entity::theme::Model) -> Self {
            ThemeDto {
                slug: t.slug,
                name_da: t.name_da,
                name_en: t.name_en,
            }
        }
    }

    impl From<entity::school::Model> for SchoolDto {
        fn from(s: entity::school::Model) -> Self {
            SchoolDto {
                slug: s.slug,
                name: s.name,
                street: s.street,
                postal_code: s.postal_code,
                city: s.city,
                email: s.email,
                phone: s.phone,
                intro: s.intro,
                opening_hours: s.opening_hours,
            }
        }
    }
}
