//! Teacher profiles: the public text ("in the teacher's own words") and photo that course pages
//! show under "Udviklet og undervist af". A teacher edits their own; a school's coordinators
//! (and administrators) can edit any of the school's profiles, e.g. for a teacher without an
//! account.

use leptos::prelude::*;

use crate::dto::staff::profile::{ProfileEditorDto, ProfileListDto};
use crate::error::AppError;

/// The profiles the person may edit: their own first, then those of the schools they
/// coordinate. 403 when there are none.
#[server(endpoint = "personale_profiler")]
pub async fn profile_list() -> Result<ProfileListDto, AppError> {
    use crate::dto::staff::profile::ProfileRow;
    use crate::rules::access::Action;
    use crate::services::staff::{access, guard, profiles};

    let ctx = guard::signed_in().await?;
    let mut rows: Vec<ProfileRow> = profiles::all(&ctx.state.db)
        .await?
        .into_iter()
        .filter_map(|(t, school_name)| {
            let own = access::own_profile(&ctx, &t);
            let school = t.school_id;
            ctx.me
                .grants
                .may(Action::EditTeacher { school, own })
                .then(|| ProfileRow {
                    id: t.id,
                    school_name,
                    kind: t.kind.into(),
                    name: t.name,
                    own,
                })
        })
        .collect();
    if rows.is_empty() {
        return guard::forbidden(&ctx, "teacher profiles");
    }
    rows.sort_by_key(|p| !p.own);
    Ok(ProfileListDto {
        me: guard::me_dto(&ctx).await?,
        profiles: rows,
    })
}

/// One profile's editor.
#[server(endpoint = "personale_profil_side")]
pub async fn profile_editor(id: i32) -> Result<ProfileEditorDto, AppError> {
    use crate::services::staff::{access, guard, profiles};

    let ctx = guard::signed_in().await?;
    let t = access::editable_profile(&ctx, id).await?;
    let school_name = profiles::school_name(&ctx.state.db, t.school_id).await?;
    Ok(ProfileEditorDto {
        me: guard::me_dto(&ctx).await?,
        own: access::own_profile(&ctx, &t),
        id: t.id,
        name: t.name,
        kind: t.kind.into(),
        school_name,
        title: t.title.unwrap_or_default(),
        bio: t.bio,
        photo_url: t.image_id.map(|i| format!("/billeder/{i}")),
    })
}

/// Saves a profile's title and text.
#[server(endpoint = "personale_profil_gem")]
pub async fn save_profile(
    teacher_id: i32,
    #[server(default)] title: String,
    #[server(default)] bio: String,
) -> Result<(), AppError> {
    use crate::dto::staff::profile::check_profile;
    use crate::services::request;
    use crate::services::staff::{access, guard, profiles};

    let ctx = guard::signed_in().await?;
    let t = access::editable_profile(&ctx, teacher_id).await?;
    let page = format!("/personale/profil/{}", t.id);
    if let Err(refusal) = check_profile(&title, &bio) {
        request::refuse(&page, &[refusal], "besked");
        return Ok(());
    }
    profiles::save(&ctx.state.db, &t, title.trim(), bio.trim()).await?;
    if !access::own_profile(&ctx, &t) {
        guard::audit(
            &ctx,
            Some(t.school_id),
            "teacher.profile",
            format!("Underviser {} ({})", t.id, t.name),
            String::new(),
        )
        .await?;
    }
    leptos_axum::redirect(&format!("{page}?gemt=1#besked"));
    Ok(())
}
