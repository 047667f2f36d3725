//! A school's place in the workspace: the form that creates or changes it.

use serde::{Deserialize, Serialize};

use crate::rules::vocabulary::StepFree;

/// The longest name, room, platform or address line, in characters.
pub const LINE_MAX: usize = 120;
/// The longest directions or step-free detail, in characters.
pub const TEXT_MAX: usize = 1000;
/// The longest map link, in characters.
pub const URL_MAX: usize = 500;

/// The place page: its form and what the page needs around it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceEditorDto {
    pub school_id: i32,
    pub school_name: String,
    /// `None` for a new place.
    pub id: Option<i32>,
    pub form: PlaceForm,
    pub retired: bool,
    /// Sessions to come that are held there.
    pub coming_sessions: u64,
    /// Whether a run or session has ever been there: then it can be retired, not deleted.
    pub used: bool,
}

/// The place form, as posted. Check boxes send "ja" when ticked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlaceForm {
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// "ja" for an online place.
    #[serde(default)]
    pub online: String,
    #[serde(default)]
    pub platform: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub room: String,
    #[serde(default)]
    pub map_url: String,
    #[serde(default)]
    pub directions: String,
    /// "ja", "delvist" or "nej".
    #[serde(default)]
    pub step_free: String,
    #[serde(default)]
    pub access_note: String,
    #[serde(default)]
    pub accessible_toilet: String,
    #[serde(default)]
    pub hearing_loop: String,
    #[serde(default)]
    pub quiet_room: String,
}

crate::refusals! {
    /// Why a place was not saved or retired.
    pub enum PlaceRefusal {
        Name => "navn", "staff.places.err.name";
        Platform => "platform", "staff.places.err.platform";
        Street => "vej", "staff.places.err.street";
        PostalCode => "postnummer", "staff.places.err.postal_code";
        City => "by", "staff.places.err.city";
        Room => "lokale", "staff.places.err.room";
        MapUrl => "kort", "staff.places.err.map_url";
        Directions => "vej-hertil", "staff.places.err.directions";
        StepFree => "trinfri", "staff.places.err.step_free";
        AccessNote => "adgang", "staff.places.err.access_note";
        InUse => "i-brug", "staff.places.err.in_use";
    }
}

/// A place as it will be saved. An online place has no address and no step-free facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceFields {
    pub name: String,
    pub online: bool,
    pub platform: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub room: Option<String>,
    pub map_url: Option<String>,
    pub directions: String,
    pub step_free: StepFree,
    pub access_note: String,
    pub accessible_toilet: bool,
    pub hearing_loop: bool,
    pub quiet_room: bool,
}

/// Reads the place form, or says everything that is wrong with it.
pub fn check(form: &PlaceForm) -> Result<PlaceFields, Vec<PlaceRefusal>> {
    use PlaceRefusal as R;
    let mut errors = Vec::new();
    let mut text = |value: &str, max: usize, refusal: R| -> Option<String> {
        let value = value.trim();
        if value.chars().count() > max
            || value
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r')
        {
            errors.push(refusal);
        }
        (!value.is_empty()).then(|| value.replace("\r\n", "\n"))
    };
    let online = form.online == "ja";
    let name = text(&form.name, LINE_MAX, R::Name);
    let platform = text(&form.platform, LINE_MAX, R::Platform);
    let street = text(&form.street, LINE_MAX, R::Street);
    let city = text(&form.city, LINE_MAX, R::City);
    let room = text(&form.room, LINE_MAX, R::Room);
    let directions = text(&form.directions, TEXT_MAX, R::Directions);
    let access_note = text(&form.access_note, TEXT_MAX, R::AccessNote);
    let map_url = text(&form.map_url, URL_MAX, R::MapUrl);
    if name.is_none() {
        errors.push(R::Name);
    }
    let postal_code = form.postal_code.trim();
    let step_free = StepFree::from_slug(form.step_free.trim());
    if online {
        if platform.is_none() {
            errors.push(R::Platform);
        }
    } else {
        if street.is_none() {
            errors.push(R::Street);
        }
        if city.is_none() {
            errors.push(R::City);
        }
        if postal_code.len() != 4 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(R::PostalCode);
        }
        if step_free.is_none() {
            errors.push(R::StepFree);
        }
        if let Some(url) = &map_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            errors.push(R::MapUrl);
        }
    }
    if !errors.is_empty() {
        errors.dedup();
        return Err(errors);
    }
    let ticked = |value: &str| !online && value == "ja";
    Ok(PlaceFields {
        name: name.unwrap_or_default(),
        online,
        platform: platform.filter(|_| online),
        street: street.filter(|_| !online),
        postal_code: (!online).then(|| postal_code.to_string()),
        city: city.filter(|_| !online),
        room: room.filter(|_| !online),
        map_url: map_url.filter(|_| !online),
        directions: directions.unwrap_or_default(),
        step_free: step_free.filter(|_| !online).unwrap_or(StepFree::Yes),
        access_note: access_note.filter(|_| !online).unwrap_or_default(),
        accessible_toilet: ticked(&form.accessible_toilet),
        hearing_loop: ticked(&form.hearing_loop),
        quiet_room: ticked(&form.quiet_room),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room() -> PlaceForm {
        PlaceForm {
            name: "Biblioteket".into(),
            street: "Torvet 3".into(),
            postal_code: "7800".into(),
            city: "Skive".into(),
            step_free: "delvist".into(),
            access_note: "Elevator til 2. sal".into(),
            hearing_loop: "ja".into(),
            map_url: "https://www.openstreetmap.org/#map=19/56.56/9.02".into(),
            ..PlaceForm::default()
        }
    }

    #[test]
    fn a_room_needs_an_address_and_an_answer_about_steps() {
        let fields = check(&room()).expect("fine");
        assert_eq!(fields.step_free, StepFree::Partly);
        assert!(fields.hearing_loop && !fields.quiet_room && !fields.accessible_toilet);
        let mut form = room();
        form.step_free.clear();
        form.postal_code = "78".into();
        form.map_url = "javascript:alert(1)".into();
        assert_eq!(
            check(&form),
            Err(vec![
                PlaceRefusal::PostalCode,
                PlaceRefusal::StepFree,
                PlaceRefusal::MapUrl
            ])
        );
        assert_eq!(
            check(&PlaceForm::default()),
            Err(vec![
                PlaceRefusal::Name,
                PlaceRefusal::Street,
                PlaceRefusal::City,
                PlaceRefusal::PostalCode,
                PlaceRefusal::StepFree
            ])
        );
    }

    #[test]
    fn an_online_place_needs_a_platform_and_keeps_no_address() {
        let mut form = room();
        form.online = "ja".into();
        assert_eq!(check(&form), Err(vec![PlaceRefusal::Platform]));
        form.platform = "Zoom".into();
        let fields = check(&form).expect("fine");
        assert_eq!(fields.platform.as_deref(), Some("Zoom"));
        assert_eq!((fields.street, fields.map_url), (None, None));
        assert!(!fields.hearing_loop, "an online place has no hearing loop");
    }
}
