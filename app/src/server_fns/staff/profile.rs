//! Teacher profiles: the public text ("in the teacher's own words") and photo that course pages
//! show under "Udviklet og undervist af". A teacher edits their own; a school's coordinators
//! (and administrators) can edit any of the school's profiles, e.g. for a teacher without an
//! account.

#[allow(unused_imports)]
use crate::dto::staff::profile::*;
#[cfg(feature = "ssr")]
use crate::services::staff::access;
use leptos::prelude::*;

use crate::error::AppError;

/// The profiles the person may edit: their own first, then those of the schools they
/// coordinate. 403 when there are none.
#[server(endpoint = "personale_profiler")]
pub async fn profile_list() -> Result<ProfileListDto, AppError> {
    use crate::rules::access::Action;
    use entity::{school, teacher};
    use sea_orm::{EntityTrait, QueryOrder};
    use std::collections::HashMap;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let names: HashMap<i32, String> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut profiles: Vec<ProfileRow> = teacher::Entity::find()
        .order_by_asc(teacher::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|t| {
            let own = access::own_profile(&ctx, &t);
            ctx.me
                .grants
                .may(Action::EditTeacher {
                    school: t.school_id,
                    own,
                })
                .then(|| ProfileRow {
                    id: t.id,
                    school_name: names.get(&t.school_id).cloned().unwrap_or_default(),
                    kind: t.kind.into(),
                    name: t.name,
                    own,
                })
        })
        .collect();
    if profiles.is_empty() {
        crate::services::staff::guard::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    profiles.sort_by_key(|p| !p.own);
    Ok(ProfileListDto {
        me: crate::services::staff::guard::me_dto(&ctx).await?,
        profiles,
    })
}

/// One profile's editor.
#[server(endpoint = "personale_profil_side")]
pub async fn profile_editor(id: i32) -> Result<ProfileEditorDto, AppError> {
    use entity::school;
    use sea_orm::EntityTrait;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let t = access::editable_profile(&ctx, id).await?;
    let school_name = school::Entity::find_by_id(t.school_id)
        .one(&ctx.state.db)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    Ok(ProfileEditorDto {
        me: crate::services::staff::guard::me_dto(&ctx).await?,
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

/// What is wrong with a profile's text, as an error code.
pub fn check_profile(title: &str, bio: &str) -> Result<(), &'static str> {
    if title.trim().chars().count() > TITLE_MAX {
        return Err("titel-lang");
    }
    if bio.trim().chars().count() > BIO_MAX {
        return Err("tekst-lang");
    }
    Ok(())
}

/// Saves a profile's title and text.
#[server(endpoint = "personale_profil_gem")]
pub async fn save_profile(
    teacher_id: i32,
    #[server(default)] title: String,
    #[server(default)] bio: String,
) -> Result<(), AppError> {
    use sea_orm::{ActiveModelTrait, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let t = access::editable_profile(&ctx, teacher_id).await?;
    let page = format!("/personale/profil/{}", t.id);
    if let Err(code) = check_profile(&title, &bio) {
        leptos_axum::redirect(&format!("{page}?fejl={code}#besked"));
        return Ok(());
    }
    let own = access::own_profile(&ctx, &t);
    let school = t.school_id;
    let mut m: entity::teacher::ActiveModel = t.into();
    let title = title.trim();
    m.title = Set((!title.is_empty()).then(|| title.to_string()));
    m.bio = Set(bio.trim().to_string());
    let saved = m.update(&ctx.state.db).await?;
    if !own {
        crate::services::staff::guard::audit(
            &ctx,
            Some(school),
            "teacher.profile",
            format!("Underviser {} ({})", saved.id, saved.name),
            String::new(),
        )
        .await?;
    }
    leptos_axum::redirect(&format!("{page}?gemt=1#besked"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_text_has_room_but_a_limit() {
        assert_eq!(check_profile("", ""), Ok(()));
        assert_eq!(check_profile("Sygeplejerske", &"ø".repeat(BIO_MAX)), Ok(()));
        assert_eq!(
            check_profile("", &"ø".repeat(BIO_MAX + 1)),
            Err("tekst-lang")
        );
        assert_eq!(
            check_profile(&"a".repeat(TITLE_MAX + 1), ""),
            Err("titel-lang")
        );
    }
}
