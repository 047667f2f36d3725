//! The database's stored enums and rows mapped to the rules' words and the DTOs.

use crate::dto::catalogue::*;
use crate::rules::vocabulary::{Audience, Format, TeacherKind};

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

impl From<entity::StepFree> for crate::rules::vocabulary::StepFree {
    fn from(s: entity::StepFree) -> Self {
        use crate::rules::vocabulary::StepFree as S;
        match s {
            entity::StepFree::Yes => S::Yes,
            entity::StepFree::Partly => S::Partly,
            entity::StepFree::No => S::No,
        }
    }
}

impl From<crate::rules::vocabulary::StepFree> for entity::StepFree {
    fn from(s: crate::rules::vocabulary::StepFree) -> Self {
        use crate::rules::vocabulary::StepFree as S;
        match s {
            S::Yes => entity::StepFree::Yes,
            S::Partly => entity::StepFree::Partly,
            S::No => entity::StepFree::No,
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
            step_free: l.step_free.into(),
            access_note: l.access_note,
            directions: l.directions,
            map_url: l.map_url,
            accessible_toilet: l.accessible_toilet,
            hearing_loop: l.hearing_loop,
            quiet_room: l.quiet_room,
            platform: l.platform,
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
            retention_months: u32::try_from(s.retention_months).unwrap_or(6),
        }
    }
}

impl From<entity::RunStatus> for crate::dto::staff::home::RunState {
    fn from(s: entity::RunStatus) -> Self {
        use crate::dto::staff::home::RunState;
        match s {
            entity::RunStatus::Draft => RunState::Draft,
            entity::RunStatus::Published => RunState::Published,
            entity::RunStatus::Cancelled => RunState::Cancelled,
        }
    }
}
