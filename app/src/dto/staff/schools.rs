//! The schools pages: the list of schools, and the form that creates or changes one.

use serde::{Deserialize, Serialize};

use crate::rules::vocabulary::slug_is_valid;

/// The longest name of a school, in characters.
pub const NAME_MAX: usize = 80;
/// The longest short name, in characters.
pub const SHORT_NAME_MAX: usize = 40;
/// The longest "Om skolen" text, in characters.
pub const INTRO_MAX: usize = 2000;
/// The longest address line, opening hours or city, in characters.
pub const LINE_MAX: usize = 120;

/// A school in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolRowDto {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub city: String,
    pub closed: bool,
    /// Active places.
    pub places: u64,
    /// Published runs with a session to come.
    pub coming_runs: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolsDto {
    pub schools: Vec<SchoolRowDto>,
    /// Whether the person may create and close schools (administrators).
    pub may_manage: bool,
}

/// A place in a school's list of places.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceRowDto {
    pub id: i32,
    pub name: String,
    pub online: bool,
    pub retired: bool,
    /// Sessions to come that are held there.
    pub coming_sessions: u64,
}

/// A school's page in the workspace: its form, and its places.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolEditorDto {
    /// `None` for a new school.
    pub id: Option<i32>,
    pub form: SchoolForm,
    pub closed: bool,
    pub coming_runs: u64,
    pub places: Vec<PlaceRowDto>,
    pub may_manage: bool,
}

/// The form that creates (`id` empty) or changes a school. Numbers are kept as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SchoolForm {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub opening_hours: String,
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub colour: String,
    #[serde(default)]
    pub reminder_lead_hours: String,
    #[serde(default)]
    pub default_seats: String,
    #[serde(default)]
    pub signup_opens_days: String,
    #[serde(default)]
    pub signup_closes_hours: String,
    #[serde(default)]
    pub retention_months: String,
}

crate::refusals! {
    /// Why a school was not saved or closed.
    pub enum SchoolRefusal {
        Name => "navn", "staff.schools.err.name";
        ShortName => "kort-navn", "staff.schools.err.short_name";
        Slug => "adresse", "staff.schools.err.slug";
        SlugTaken => "adresse-brugt", "staff.schools.err.slug_taken";
        Street => "vej", "staff.schools.err.street";
        PostalCode => "postnummer", "staff.schools.err.postal_code";
        City => "by", "staff.schools.err.city";
        Email => "e-mail", "staff.schools.err.email";
        Phone => "telefon", "staff.schools.err.phone";
        Hours => "aabningstider", "staff.schools.err.hours";
        Intro => "om-skolen", "staff.schools.err.intro";
        Colour => "farve", "staff.schools.err.colour";
        Lead => "paamindelse", "staff.schools.err.lead";
        Seats => "pladser", "staff.schools.err.seats";
        Opens => "aabner", "staff.schools.err.opens";
        Closes => "lukker", "staff.schools.err.closes";
        Retention => "opbevaring", "staff.schools.err.retention";
        ComingRuns => "kommende-hold", "staff.schools.err.coming_runs";
    }
}

/// A school as it will be saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolFields {
    pub name: String,
    pub short_name: String,
    pub slug: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub opening_hours: String,
    pub intro: String,
    pub colour: String,
    pub reminder_lead_hours: i32,
    pub default_seats: i32,
    pub signup_opens_days: Option<i32>,
    pub signup_closes_hours: Option<i32>,
    pub retention_months: i32,
}

/// The limits of the numbers, as `(least, most)`.
pub const LEAD_HOURS: (i32, i32) = (1, 336);
pub const SEATS: (i32, i32) = (1, 500);
pub const OPENS_DAYS: (i32, i32) = (1, 365);
pub const CLOSES_HOURS: (i32, i32) = (0, 336);
pub const RETENTION_MONTHS: (i32, i32) = (1, 36);

/// Reads the school form, or says everything that is wrong with it.
pub fn check(form: &SchoolForm) -> Result<SchoolFields, Vec<SchoolRefusal>> {
    use crate::rules::signup::{email_is_valid, phone_is_valid};
    use SchoolRefusal as R;
    let mut errors = Vec::new();
    let mut text = |value: &str, max: usize, required: bool, refusal: R| {
        let value = value.trim();
        if (required && value.is_empty())
            || value.chars().count() > max
            || value
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r')
        {
            errors.push(refusal);
        }
        value.replace("\r\n", "\n")
    };
    let name = text(&form.name, NAME_MAX, true, R::Name);
    let short_name = text(&form.short_name, SHORT_NAME_MAX, false, R::ShortName);
    let street = text(&form.street, LINE_MAX, true, R::Street);
    let city = text(&form.city, LINE_MAX, true, R::City);
    let opening_hours = text(&form.opening_hours, LINE_MAX, false, R::Hours);
    let intro = text(&form.intro, INTRO_MAX, false, R::Intro);
    let postal_code = form.postal_code.trim().to_string();
    if postal_code.len() != 4 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(R::PostalCode);
    }
    let email = form.email.trim().to_string();
    if !email_is_valid(&email) {
        errors.push(R::Email);
    }
    let phone = form.phone.trim().to_string();
    if !phone.is_empty() && !phone_is_valid(&phone) {
        errors.push(R::Phone);
    }
    let slug = match form.slug.trim() {
        "" => crate::rules::vocabulary::slug_from(&name),
        typed => typed.to_lowercase(),
    };
    if !slug_is_valid(&slug) {
        errors.push(R::Slug);
    }
    let colour = match form.colour.trim() {
        "" => "#2d4f8a".to_string(),
        typed => crate::rules::embed::parse_colour(typed).unwrap_or_else(|| {
            errors.push(R::Colour);
            String::new()
        }),
    };
    let mut number = |text: &str, (min, max): (i32, i32), refusal: R| -> Option<i32> {
        let n = text
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (min..=max).contains(n));
        if n.is_none() {
            errors.push(refusal);
        }
        n
    };
    let reminder_lead_hours = number(&form.reminder_lead_hours, LEAD_HOURS, R::Lead);
    let default_seats = number(&form.default_seats, SEATS, R::Seats);
    let retention_months = number(&form.retention_months, RETENTION_MONTHS, R::Retention);
    let signup_opens_days = match form.signup_opens_days.trim() {
        "" => None,
        t => number(t, OPENS_DAYS, R::Opens),
    };
    let signup_closes_hours = match form.signup_closes_hours.trim() {
        "" => None,
        t => number(t, CLOSES_HOURS, R::Closes),
    };
    match (
        errors.is_empty(),
        reminder_lead_hours,
        default_seats,
        retention_months,
    ) {
        (true, Some(reminder_lead_hours), Some(default_seats), Some(retention_months)) => {
            Ok(SchoolFields {
                name,
                short_name,
                slug,
                street,
                postal_code,
                city,
                email,
                phone,
                opening_hours,
                intro,
                colour,
                reminder_lead_hours,
                default_seats,
                signup_opens_days,
                signup_closes_hours,
                retention_months,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> SchoolForm {
        SchoolForm {
            name: " Recovery-skolen Skive ".into(),
            street: "Adelgade 1".into(),
            postal_code: "7800".into(),
            city: "Skive".into(),
            email: "skive@example.org".into(),
            reminder_lead_hours: "48".into(),
            default_seats: "14".into(),
            retention_months: "6".into(),
            ..SchoolForm::default()
        }
    }

    #[test]
    fn a_school_needs_a_name_an_address_and_an_email() {
        let fields = check(&good()).expect("fine");
        assert_eq!(fields.name, "Recovery-skolen Skive");
        assert_eq!(fields.slug, "recovery-skolen-skive");
        assert_eq!(fields.colour, "#2d4f8a", "a colour is chosen when none is");
        assert_eq!(
            (fields.signup_opens_days, fields.signup_closes_hours),
            (None, None)
        );
        let errors = check(&SchoolForm::default()).expect_err("empty");
        for r in [
            SchoolRefusal::Name,
            SchoolRefusal::Street,
            SchoolRefusal::PostalCode,
            SchoolRefusal::City,
            SchoolRefusal::Email,
            SchoolRefusal::Lead,
            SchoolRefusal::Seats,
            SchoolRefusal::Retention,
        ] {
            assert!(errors.contains(&r), "{r:?} in {errors:?}");
        }
    }

    #[test]
    fn numbers_and_words_stay_within_bounds() {
        let with = |f: fn(&mut SchoolForm)| {
            let mut form = good();
            f(&mut form);
            check(&form).expect_err("refused")
        };
        assert_eq!(
            with(|f| f.postal_code = "780".into()),
            vec![SchoolRefusal::PostalCode]
        );
        assert_eq!(
            with(|f| f.phone = "ring".into()),
            vec![SchoolRefusal::Phone]
        );
        assert_eq!(
            with(|f| f.slug = "Æble skolen".into()),
            vec![SchoolRefusal::Slug]
        );
        assert_eq!(
            with(|f| f.colour = "blå".into()),
            vec![SchoolRefusal::Colour]
        );
        assert_eq!(
            with(|f| f.default_seats = "0".into()),
            vec![SchoolRefusal::Seats]
        );
        assert_eq!(
            with(|f| f.retention_months = "37".into()),
            vec![SchoolRefusal::Retention]
        );
        assert_eq!(
            with(|f| f.signup_opens_days = "-1".into()),
            vec![SchoolRefusal::Opens]
        );
        assert_eq!(
            with(|f| f.signup_closes_hours = "x".into()),
            vec![SchoolRefusal::Closes]
        );
        assert_eq!(
            with(|f| f.short_name = "k".repeat(41)),
            vec![SchoolRefusal::ShortName]
        );
        assert_eq!(
            with(|f| f.intro = "o".repeat(2001)),
            vec![SchoolRefusal::Intro]
        );
        let mut form = good();
        form.signup_opens_days = "30".into();
        form.signup_closes_hours = "0".into();
        form.intro = "Linje et\r\nLinje to".into();
        let fields = check(&form).expect("fine");
        assert_eq!(
            (fields.signup_opens_days, fields.signup_closes_hours),
            (Some(30), Some(0))
        );
        assert_eq!(fields.intro, "Linje et\nLinje to");
    }
}
