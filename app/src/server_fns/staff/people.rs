//! Staff at a school: the list, invitations by e-mail, removing a role; and the audit log.
//! Coordinators manage their school's staff; only an administrator makes administrators.

use leptos::prelude::*;

use crate::dto::staff::people::{AuditEntryDto, StaffListDto};
use crate::error::AppError;

#[server(endpoint = "personale_liste")]
pub async fn staff_list() -> Result<StaffListDto, AppError> {
    use crate::rules::access::{Action, Role};
    use crate::services::staff::{guard, people};

    let ctx = guard::signed_in().await?;
    let g = &ctx.me.grants;
    let db = &ctx.state.db;
    let managed: Vec<(i32, String)> = crate::services::staff::schools(db)
        .await?
        .into_iter()
        .filter(|(id, _)| g.may(Action::ManageStaff { school: *id }))
        .collect();
    if managed.is_empty() {
        return guard::forbidden(&ctx, "staff list");
    }
    let ids: Vec<i32> = managed.iter().map(|(id, _)| *id).collect();
    let members = people::members(db, g, ctx.me.account.id, &ids).await?;
    let mut roles = vec![Role::Coordinator, Role::Teacher, Role::Management];
    if g.may(Action::ManageAdmins) {
        roles.insert(0, Role::Admin);
    }
    Ok(StaffListDto {
        members,
        schools: managed,
        roles,
    })
}

/// Gives a person a role at a school, creating their account if needed; a new account gets an
/// invitation by e-mail with a single-use link to set a password.
#[server(endpoint = "personale_inviter")]
pub async fn invite_staff(
    #[server(default)] email: String,
    #[server(default)] name: String,
    #[server(default)] school: String,
    #[server(default)] role: String,
    #[server(default)] teacher_kind: String,
) -> Result<(), AppError> {
    use crate::dto::staff::people::PeopleRefusal;
    use crate::rules::access::{Action, Role};
    use crate::rules::signup::{email_is_valid, email_key};
    use crate::rules::vocabulary::TeacherKind;
    use crate::services::request;
    use crate::services::staff::{guard, people};

    let ctx = guard::signed_in().await?;
    let page = "/personale/personale";
    let role = Role::from_slug(&role);
    let school_id = school.trim().parse::<i32>().ok();
    let action = match (role, school_id) {
        (Some(Role::Admin), _) => Action::ManageAdmins,
        (Some(_), Some(s)) => Action::ManageStaff { school: s },
        _ => {
            request::refuse(page, &[PeopleRefusal::Role], "inviter");
            return Ok(());
        }
    };
    guard::allow(&ctx, action)?;
    let key = email_key(&email);
    let name = name.trim();
    if !email_is_valid(&key) || name.is_empty() || name.chars().count() > 120 {
        request::refuse(page, &[PeopleRefusal::Fields], "inviter");
        return Ok(());
    }
    let Some(role) = role else {
        return Ok(());
    };
    // A teacher needs a profile to be put on a team: which kind of teacher they are decides
    // the co-production rule.
    let kind = TeacherKind::from_slug(&teacher_kind);
    if role == Role::Teacher && kind.is_none() {
        request::refuse(page, &[PeopleRefusal::Kind], "inviter");
        return Ok(());
    }
    let by = ctx.me.account.name.clone();
    people::invite(
        &ctx.state.db,
        &key,
        name,
        school_id,
        role,
        kind,
        &by,
        ctx.now,
    )
    .await?;
    guard::audit(
        &ctx,
        if role == Role::Admin { None } else { school_id },
        "staff.role_added",
        format!("{name} <{key}>"),
        role.slug().to_string(),
    )
    .await?;
    leptos_axum::redirect("/personale/personale?inviteret=1");
    Ok(())
}

/// Removes one role. A person cannot remove their own roles (so a school is never left without
/// someone who can fix a mistake by accident).
#[server(endpoint = "personale_fjern_rolle")]
pub async fn remove_role(role_id: i32) -> Result<(), AppError> {
    use crate::dto::staff::people::PeopleRefusal;
    use crate::rules::access::Action;
    use crate::services::request;
    use crate::services::staff::{auth, guard, people};

    let ctx = guard::signed_in().await?;
    let Some(r) = people::role(&ctx.state.db, role_id).await? else {
        return guard::not_found();
    };
    let action = match r.school_id {
        Some(s) => Action::ManageStaff { school: s },
        None => Action::ManageAdmins,
    };
    guard::allow(&ctx, action)?;
    if r.account_id == ctx.me.account.id {
        request::refuse("/personale/personale", &[PeopleRefusal::Own], "");
        return Ok(());
    }
    let who = people::remove_role(&ctx.state.db, &r).await?;
    guard::audit(
        &ctx,
        r.school_id,
        "staff.role_removed",
        who,
        auth::role_of(r.role).slug().to_string(),
    )
    .await?;
    leptos_axum::redirect("/personale/personale?fjernet=1");
    Ok(())
}

/// The newest 200 entries for the schools the person coordinates (all for an administrator).
#[server(endpoint = "personale_log")]
pub async fn audit_log() -> Result<Vec<AuditEntryDto>, AppError> {
    use crate::rules::access::Action;
    use crate::services::staff::{guard, people};

    let ctx = guard::signed_in().await?;
    let g = &ctx.me.grants;
    let readable: Vec<i32> = crate::services::staff::schools(&ctx.state.db)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .filter(|&s| g.may(Action::ViewAuditLog { school: s }))
        .collect();
    if readable.is_empty() {
        return guard::forbidden(&ctx, "audit log");
    }
    Ok(people::audit_log(&ctx.state.db, g.admin, &readable).await?)
}
