//! The domain's words and their one mapping to the words in addresses, CSV files and the API:
//! course formats, audiences, kinds of teacher and the perspective a participant may give
//! ("Jeg deltager som …"). The database has its own copies of these (`entity`), mapped in
//! `services::vocabulary`; everything above the services speaks these.

use serde::{Deserialize, Serialize};

macro_rules! slug_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $slug:literal, $key:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as it appears in URLs.
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// Translation key of the value's label.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// Parses a URL value; unknown values are `None`.
            pub fn from_slug(slug: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.slug() == slug)
            }
        }
    };
}

slug_enum!(
    /// Course format.
    Format {
        Course => "kursus", "format.course";
        Series => "forloeb", "format.series";
        Workshop => "workshop", "format.workshop";
        ThemeDay => "temadag", "format.theme_day";
        Talk => "oplaeg", "format.talk";
        DropIn => "drop-in", "format.drop_in";
    }
);

slug_enum!(
    /// Who a course especially speaks to.
    Audience {
        Everyone => "alle", "audience.everyone";
        OwnExperience => "egen-erfaring", "audience.own_experience";
        Relatives => "paarorende", "audience.relatives";
        Professionals => "fagpersoner", "audience.professionals";
        Young => "unge", "audience.young";
    }
);

slug_enum!(
    /// Kind of teacher.
    TeacherKind {
        Peer => "peer", "teacher.peer";
        Professional => "fagprofessionel", "teacher.professional";
        Relative => "paarorende", "teacher.relative";
    }
);

slug_enum!(
    /// Whether a place can be reached without steps.
    StepFree {
        Yes => "ja", "place.step_free";
        Partly => "delvist", "place.partly_step_free";
        No => "nej", "place.not_step_free";
    }
);

slug_enum!(
    /// How a participant describes themself, if they want to ("Jeg deltager som …"). Only ever
    /// reported in aggregate.
    Perspective {
        OwnExperience => "own_experience", "signup.perspective_own_experience";
        Relative => "relative", "signup.perspective_relative";
        Professional => "professional", "signup.perspective_professional";
        Other => "other", "signup.perspective_other";
        Undisclosed => "undisclosed", "signup.perspective_undisclosed";
    }
);

impl Perspective {
    /// The perspectives a person can be counted under at a drop-in session (not "undisclosed",
    /// which is what is left of the total).
    pub const COUNTED: [Perspective; 4] = [
        Perspective::OwnExperience,
        Perspective::Relative,
        Perspective::Professional,
        Perspective::Other,
    ];
}

/// Where a booking came from, as stored and as the API and reports name it.
pub mod source {
    /// The public sign-up form.
    pub const WEB: &str = "web";
    /// A staff member signing someone up on their behalf.
    pub const STAFF: &str = "staff";
    /// The public API.
    pub const API: &str = "api";
    /// Someone who came without signing up, recorded at attendance.
    pub const WALK_IN: &str = "walk_in";
}

/// A URL slug from a title: lower case, Danish letters spelled out, words joined by '-'.
pub fn slug_from(title: &str) -> String {
    let mut out = String::new();
    for c in title.trim().to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'é' | 'è' => out.push('e'),
            'ü' => out.push('u'),
            'ö' => out.push('o'),
            'ä' => out.push('a'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {
                if !out.ends_with('-') && !out.is_empty() {
                    out.push('-');
                }
            }
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "kursus".into()
    } else {
        out.chars().take(80).collect()
    }
}

/// A slug as an administrator may choose it: 2–60 of a–z, 0–9 and single hyphens between them.
pub fn slug_is_valid(slug: &str) -> bool {
    (2..=60).contains(&slug.len())
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_maps_back_to_its_value() {
        for f in Format::ALL {
            assert_eq!(Format::from_slug(f.slug()), Some(*f));
        }
        for a in Audience::ALL {
            assert_eq!(Audience::from_slug(a.slug()), Some(*a));
        }
        for k in TeacherKind::ALL {
            assert_eq!(TeacherKind::from_slug(k.slug()), Some(*k));
        }
        for p in Perspective::ALL {
            assert_eq!(Perspective::from_slug(p.slug()), Some(*p));
        }
        assert_eq!(Perspective::from_slug("diagnose"), None);
    }

    #[test]
    fn slugs_spell_danish_letters_out() {
        assert_eq!(slug_from("Angst i hverdagen"), "angst-i-hverdagen");
        assert_eq!(
            slug_from("  Søvn & ro – på én gang! "),
            "soevn-ro-paa-en-gang"
        );
        assert_eq!(slug_from("!!!"), "kursus");
    }
}
