//! The themes page: the themes all schools share, and the form that creates or changes one.

use serde::{Deserialize, Serialize};

/// The longest name of a theme, in characters.
pub const NAME_MAX: usize = 60;

/// One theme as the administrator sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeRowDto {
    pub id: i32,
    pub slug: String,
    pub name_da: String,
    pub name_en: String,
    pub retired: bool,
    /// Courses that have the theme.
    pub courses: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemesDto {
    pub themes: Vec<ThemeRowDto>,
    /// What was typed into a refused form, to show again.
    pub typed: Option<ThemeForm>,
}

/// The form that creates (`id` empty) or changes a theme.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThemeForm {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name_da: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub slug: String,
}

crate::refusals! {
    /// Why a theme was not saved.
    pub enum ThemeRefusal {
        Name => "navn", "staff.themes.err.name";
        NameLong => "navn-langt", "staff.themes.err.name_long";
        Slug => "adresse", "staff.themes.err.slug";
        SlugTaken => "adresse-brugt", "staff.themes.err.slug_taken";
    }
}

/// A theme as it will be saved: the Danish name, the English name (the Danish one when left
/// empty) and the slug (made from the Danish name when left empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeFields {
    pub name_da: String,
    pub name_en: String,
    pub slug: String,
}

/// Reads the theme form, or says what is wrong with it.
pub fn check(form: &ThemeForm) -> Result<ThemeFields, ThemeRefusal> {
    let name_da = form.name_da.trim();
    let name_en = form.name_en.trim();
    if name_da.is_empty() {
        return Err(ThemeRefusal::Name);
    }
    if name_da.chars().count() > NAME_MAX || name_en.chars().count() > NAME_MAX {
        return Err(ThemeRefusal::NameLong);
    }
    let slug = match form.slug.trim() {
        "" => crate::rules::vocabulary::slug_from(name_da),
        typed => typed.to_lowercase(),
    };
    if !crate::rules::vocabulary::slug_is_valid(&slug) {
        return Err(ThemeRefusal::Slug);
    }
    Ok(ThemeFields {
        name_da: name_da.to_string(),
        name_en: if name_en.is_empty() { name_da } else { name_en }.to_string(),
        slug,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name_da: &str, name_en: &str, slug: &str) -> ThemeForm {
        ThemeForm {
            id: String::new(),
            name_da: name_da.into(),
            name_en: name_en.into(),
            slug: slug.into(),
        }
    }

    #[test]
    fn a_theme_needs_a_name_and_gets_a_slug() {
        assert_eq!(check(&form("  ", "", "")), Err(ThemeRefusal::Name));
        assert_eq!(
            check(&form(&"x".repeat(61), "", "")),
            Err(ThemeRefusal::NameLong)
        );
        let fields = check(&form(" Søvn og hvile ", "", "")).expect("fine");
        assert_eq!(
            fields.name_en, "Søvn og hvile",
            "English falls back to Danish"
        );
        assert_eq!(fields.slug, "soevn-og-hvile");
        assert_eq!(
            check(&form("Søvn", "Sleep", "Soevn")).expect("fine").slug,
            "soevn"
        );
        for bad in ["a", "to--streger", "-start", "slut-", "mellem rum", "æøå"] {
            assert_eq!(
                check(&form("Søvn", "", bad)),
                Err(ThemeRefusal::Slug),
                "{bad}"
            );
        }
    }
}
