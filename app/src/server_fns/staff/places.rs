//! `/personale/skoler/:school/steder/:place`: a school's place, for the school's coordinators
//! and administrators: create, change, retire, and delete one that was never used.

use leptos::prelude::*;

use crate::dto::staff::places::{PlaceEditorDto, PlaceForm};
use crate::error::AppError;

/// The address of a place's page (`None`: a new place of the school).
pub fn place_page(school: i32, id: Option<i32>) -> String {
    match id {
        Some(id) => format!("/personale/skoler/{school}/steder/{id}"),
        None => format!("/personale/skoler/{school}/steder/ny"),
    }
}

/// The place's page (`id` 0: a new place of `school`).
#[server(endpoint = "personale_sted")]
pub async fn place_editor(school: i32, id: i32) -> Result<PlaceEditorDto, AppError> {
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{guard, places, schools};

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    guard::allow(&ctx, Action::ManagePlaces { school })?;
    let Some(s) = schools::get(db, school).await? else {
        return guard::not_found();
    };
    let existing = match id {
        0 => None,
        id => match places::get(db, id).await? {
            Some(p) if p.school_id == school => Some(p),
            _ => return guard::not_found(),
        },
    };
    let typed: Option<PlaceForm> = request::take_typed(&place_page(school, (id > 0).then_some(id)));
    let (coming_sessions, used) = match &existing {
        Some(p) => (
            places::coming_sessions(db, p, ctx.now).await?,
            places::used(db, p.id).await?,
        ),
        None => (0, false),
    };
    Ok(PlaceEditorDto {
        school_id: school,
        school_name: s.name,
        id: existing.as_ref().map(|p| p.id),
        form: typed.unwrap_or_else(|| match &existing {
            Some(p) => places::form_of(p),
            None => PlaceForm {
                school: school.to_string(),
                ..PlaceForm::default()
            },
        }),
        retired: existing.as_ref().is_some_and(|p| p.retired),
        coming_sessions,
        used,
    })
}

/// Creates a place (no `id`) or changes one.
#[server(endpoint = "personale_sted_gem")]
pub async fn save_place(#[server(flatten)] form: PlaceForm) -> Result<(), AppError> {
    use crate::dto::staff::places::check;
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{guard, places, schools};

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    let Some(school) = form.school.trim().parse::<i32>().ok() else {
        return guard::not_found();
    };
    guard::allow(&ctx, Action::ManagePlaces { school })?;
    if schools::get(db, school).await?.is_none() {
        return guard::not_found();
    }
    let existing = match form.id.trim() {
        "" => None,
        id => match id.parse::<i32>().ok() {
            Some(id) => match places::get(db, id).await? {
                Some(p) if p.school_id == school => Some(p),
                _ => return guard::not_found(),
            },
            None => return guard::not_found(),
        },
    };
    let page = place_page(school, existing.as_ref().map(|p| p.id));
    let fields = match check(&form) {
        Ok(fields) => fields,
        Err(refusals) => {
            request::keep_typed(&form, &page);
            request::refuse(&page, &refusals, "fejl");
            return Ok(());
        }
    };
    let created = existing.is_none();
    let saved = places::save(db, school, existing, &fields).await?;
    let action = if created {
        "place.created"
    } else {
        "place.changed"
    };
    guard::audit(
        &ctx,
        Some(school),
        action,
        saved.name.clone(),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!("{}?gemt=1", place_page(school, Some(saved.id))));
    Ok(())
}

/// The place of `id`, if the person may manage its school's places.
#[cfg(feature = "ssr")]
async fn managed(
    ctx: &crate::services::staff::guard::Ctx,
    id: i32,
) -> Result<entity::location::Model, AppError> {
    use crate::rules::access::Action;
    use crate::services::staff::{guard, places};

    let Some(place) = places::get(&ctx.state.db, id).await? else {
        return guard::not_found();
    };
    guard::allow(
        ctx,
        Action::ManagePlaces {
            school: place.school_id,
        },
    )?;
    Ok(place)
}

/// Retires a place (`retire` = "ja") or brings it back.
#[server(endpoint = "personale_sted_pensioner")]
pub async fn retire_place(id: i32, #[server(default)] retire: String) -> Result<(), AppError> {
    use crate::services::staff::{guard, places};

    let ctx = guard::signed_in().await?;
    let place = managed(&ctx, id).await?;
    let retired = retire == "ja";
    places::set_retired(&ctx.state.db, &place, retired).await?;
    let action = if retired {
        "place.retired"
    } else {
        "place.restored"
    };
    guard::audit(
        &ctx,
        Some(place.school_id),
        action,
        place.name.clone(),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "{}?{}=1",
        place_page(place.school_id, Some(id)),
        if retired { "pensioneret" } else { "genbrugt" }
    ));
    Ok(())
}

/// Deletes a place that no run or session has ever used.
#[server(endpoint = "personale_sted_slet")]
pub async fn delete_place(id: i32) -> Result<(), AppError> {
    use crate::dto::staff::places::PlaceRefusal;
    use crate::services::request;
    use crate::services::staff::{guard, places};

    let ctx = guard::signed_in().await?;
    let place = managed(&ctx, id).await?;
    if !places::delete(&ctx.state.db, &place).await? {
        request::refuse(
            &place_page(place.school_id, Some(id)),
            &[PlaceRefusal::InUse],
            "fejl",
        );
        return Ok(());
    }
    guard::audit(
        &ctx,
        Some(place.school_id),
        "place.deleted",
        place.name.clone(),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/personale/skoler/{}?sted-slettet=1#steder",
        place.school_id
    ));
    Ok(())
}
