//! Enumerations stored as short strings, so they read well in SQL on SQLite and PostgreSQL alike.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The three kinds of teacher in a co-producing team.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum TeacherKind {
    /// Peer-underviser: lived experience turned into experiential expertise.
    #[sea_orm(string_value = "peer")]
    Peer,
    /// Fagprofessionel underviser.
    #[sea_orm(string_value = "professional")]
    Professional,
    /// Pårørende-underviser: a relative's experience.
    #[sea_orm(string_value = "relative")]
    Relative,
}

/// Course formats seen in the field.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum CourseFormat {
    #[sea_orm(string_value = "course")]
    Course,
    #[sea_orm(string_value = "series")]
    Series,
    #[sea_orm(string_value = "workshop")]
    Workshop,
    #[sea_orm(string_value = "theme_day")]
    ThemeDay,
    #[sea_orm(string_value = "talk")]
    Talk,
    /// Drop-in or café: no sign-up, heads are counted.
    #[sea_orm(string_value = "drop_in")]
    DropIn,
}

/// Who a course especially speaks to. Everyone may sign up to every course.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum Audience {
    #[sea_orm(string_value = "everyone")]
    Everyone,
    #[sea_orm(string_value = "own_experience")]
    OwnExperience,
    #[sea_orm(string_value = "relatives")]
    Relatives,
    #[sea_orm(string_value = "professionals")]
    Professionals,
    #[sea_orm(string_value = "young")]
    Young,
}

/// Life cycle of a catalogue item.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum CourseStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "archived")]
    Archived,
}

/// Life cycle of a run (kursusgang).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum RunStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// State of a booking (tilmelding).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum BookingStatus {
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}
