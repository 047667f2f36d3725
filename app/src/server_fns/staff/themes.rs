//! `/personale/temaer`: the themes all schools share, for administrators: create, change
//! (renamed slugs keep leading here) and retire.

use leptos::prelude::*;

use crate::dto::staff::themes::{ThemeForm, ThemesDto};
use crate::error::AppError;

#[cfg(feature = "ssr")]
const PAGE: &str = "/personale/temaer";

#[server(endpoint = "personale_temaer")]
pub async fn themes_page() -> Result<ThemesDto, AppError> {
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{guard, themes};

    let ctx = guard::signed_in().await?;
    guard::allow(&ctx, Action::ManageThemes)?;
    Ok(ThemesDto {
        themes: themes::list(&ctx.state.db).await?,
        typed: request::take_typed::<ThemeForm>(PAGE),
    })
}

/// Creates a theme (no `id`) or changes one. What was typed comes back with the refusal.
#[server(endpoint = "personale_tema_gem")]
pub async fn save_theme(#[server(flatten)] form: ThemeForm) -> Result<(), AppError> {
    use crate::dto::staff::themes::{ThemeRefusal, check};
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{guard, themes};

    let ctx = guard::signed_in().await?;
    guard::allow(&ctx, Action::ManageThemes)?;
    let db = &ctx.state.db;
    let existing = match form.id.trim() {
        "" => None,
        id => match id.parse::<i32>().ok() {
            Some(id) => match themes::get(db, id).await? {
                Some(t) => Some(t),
                None => return guard::not_found(),
            },
            None => return guard::not_found(),
        },
    };
    let anchor = existing
        .as_ref()
        .map_or("nyt-tema".to_string(), |t| format!("tema-{}", t.id));
    let refuse = |refusal: ThemeRefusal| {
        request::keep_typed(&form, PAGE);
        request::refuse(PAGE, &[refusal], &anchor);
    };
    let fields = match check(&form) {
        Ok(fields) => fields,
        Err(refusal) => {
            refuse(refusal);
            return Ok(());
        }
    };
    let before = existing.as_ref().map(|t| t.name_da.clone());
    let Some(saved) = themes::save(db, existing, &fields).await? else {
        refuse(ThemeRefusal::SlugTaken);
        return Ok(());
    };
    let (action, detail) = match before {
        None => ("theme.created", saved.slug.clone()),
        Some(old) => (
            "theme.changed",
            format!("{old} → {} ({})", saved.name_da, saved.slug),
        ),
    };
    guard::audit(&ctx, None, action, saved.name_da.clone(), detail).await?;
    leptos_axum::redirect(&format!("{PAGE}?gemt=1#tema-{}", saved.id));
    Ok(())
}

/// Retires a theme (`retire` = "ja") or brings it back.
#[server(endpoint = "personale_tema_pensioner")]
pub async fn retire_theme(id: i32, #[server(default)] retire: String) -> Result<(), AppError> {
    use crate::rules::access::Action;
    use crate::services::staff::{guard, themes};

    let ctx = guard::signed_in().await?;
    guard::allow(&ctx, Action::ManageThemes)?;
    let Some(t) = themes::get(&ctx.state.db, id).await? else {
        return guard::not_found();
    };
    let retired = retire == "ja";
    let name = t.name_da.clone();
    themes::set_retired(&ctx.state.db, t, retired).await?;
    let action = if retired {
        "theme.retired"
    } else {
        "theme.restored"
    };
    guard::audit(&ctx, None, action, name, String::new()).await?;
    leptos_axum::redirect(&format!(
        "{PAGE}?{}=1#tema-{id}",
        if retired { "pensioneret" } else { "genbrugt" }
    ));
    Ok(())
}
