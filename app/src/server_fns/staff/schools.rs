//! `/personale/skoler`: the schools. Administrators create and close schools; a school's
//! coordinators change its details.

use leptos::prelude::*;

use crate::dto::staff::schools::{SchoolEditorDto, SchoolForm, SchoolsDto};
use crate::error::AppError;

/// The address of a school's page in the workspace (`None`: a new school).
pub fn school_page(id: Option<i32>) -> String {
    match id {
        Some(id) => format!("/personale/skoler/{id}"),
        None => "/personale/skoler/ny".to_string(),
    }
}

#[server(endpoint = "personale_skoler")]
pub async fn schools_page() -> Result<SchoolsDto, AppError> {
    use crate::rules::access::Action;
    use crate::services::staff::{guard, schools};

    let ctx = guard::signed_in().await?;
    let g = &ctx.me.grants;
    let may_manage = g.may(Action::ManageSchools);
    let own: Vec<i32> = ctx
        .me
        .grants
        .schools()
        .into_iter()
        .filter(|s| g.may(Action::EditSchool { school: *s }))
        .collect();
    if !may_manage && own.is_empty() {
        return guard::forbidden(&ctx, "schools");
    }
    let only = (!may_manage).then_some(own.as_slice());
    Ok(SchoolsDto {
        schools: schools::list(&ctx.state.db, only, ctx.now).await?,
        may_manage,
    })
}

/// A school's page (`id` 0: the form for a new school), with its places.
#[server(endpoint = "personale_skole")]
pub async fn school_editor(id: i32) -> Result<SchoolEditorDto, AppError> {
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{guard, places, schools};

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    let may_manage = ctx.me.grants.may(Action::ManageSchools);
    if id == 0 {
        guard::allow(&ctx, Action::ManageSchools)?;
        return Ok(SchoolEditorDto {
            id: None,
            form: request::take_typed(&school_page(None)).unwrap_or_else(schools::new_form),
            closed: false,
            coming_runs: 0,
            places: Vec::new(),
            may_manage,
        });
    }
    guard::allow(&ctx, Action::EditSchool { school: id })?;
    let Some(s) = schools::get(db, id).await? else {
        return guard::not_found();
    };
    let typed: Option<SchoolForm> = request::take_typed(&school_page(Some(id)));
    Ok(SchoolEditorDto {
        id: Some(id),
        form: typed.unwrap_or_else(|| schools::form_of(&s)),
        closed: s.closed,
        coming_runs: schools::coming_runs(db, id, ctx.now).await?,
        places: places::list(db, id, ctx.now).await?,
        may_manage,
    })
}

/// Creates a school (no `id`, administrators) or changes one. What was typed comes back with
/// the refusal.
#[server(endpoint = "personale_skole_gem")]
pub async fn save_school(#[server(flatten)] form: SchoolForm) -> Result<(), AppError> {
    use crate::dto::staff::schools::{SchoolRefusal, check};
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{guard, schools};

    let ctx = guard::signed_in().await?;
    let db = &ctx.state.db;
    let existing = match form.id.trim() {
        "" => {
            guard::allow(&ctx, Action::ManageSchools)?;
            None
        }
        id => {
            let Some(id) = id.parse::<i32>().ok() else {
                return guard::not_found();
            };
            guard::allow(&ctx, Action::EditSchool { school: id })?;
            match schools::get(db, id).await? {
                Some(s) => Some(s),
                None => return guard::not_found(),
            }
        }
    };
    let page = school_page(existing.as_ref().map(|s| s.id));
    let refuse = |refusals: &[SchoolRefusal]| {
        request::keep_typed(&form, &page);
        request::refuse(&page, refusals, "fejl");
    };
    let fields = match check(&form) {
        Ok(fields) => fields,
        Err(refusals) => {
            refuse(&refusals);
            return Ok(());
        }
    };
    let before = existing.as_ref().map(|s| (s.name.clone(), s.slug.clone()));
    let Some(saved) = schools::save(db, existing, &fields).await? else {
        refuse(&[SchoolRefusal::SlugTaken]);
        return Ok(());
    };
    let (action, detail) = match before {
        None => ("school.created", saved.slug.clone()),
        Some((name, slug)) if slug != saved.slug || name != saved.name => (
            "school.renamed",
            format!("{name} ({slug}) → {} ({})", saved.name, saved.slug),
        ),
        Some(_) => ("school.changed", String::new()),
    };
    guard::audit(&ctx, Some(saved.id), action, saved.name.clone(), detail).await?;
    leptos_axum::redirect(&format!("{}?gemt=1", school_page(Some(saved.id))));
    Ok(())
}

/// Closes a school (`close` = "ja") or opens it again. A school with published runs still to
/// come is not closed.
#[server(endpoint = "personale_skole_luk")]
pub async fn close_school(id: i32, #[server(default)] close: String) -> Result<(), AppError> {
    use crate::dto::staff::schools::SchoolRefusal;
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{guard, schools};

    let ctx = guard::signed_in().await?;
    guard::allow(&ctx, Action::ManageSchools)?;
    let Some(s) = schools::get(&ctx.state.db, id).await? else {
        return guard::not_found();
    };
    let closed = close == "ja";
    let page = school_page(Some(id));
    if !schools::set_closed(&ctx.state.db, &s, closed, ctx.now).await? {
        request::refuse(&page, &[SchoolRefusal::ComingRuns], "fejl");
        return Ok(());
    }
    let action = if closed {
        "school.closed"
    } else {
        "school.reopened"
    };
    guard::audit(&ctx, Some(id), action, s.name.clone(), String::new()).await?;
    leptos_axum::redirect(&format!(
        "{page}?{}=1",
        if closed { "lukket" } else { "aabnet" }
    ));
    Ok(())
}
