//! Staff at a school: the list, invitations by e-mail, removing a role; and the audit log.
//! Coordinators manage their school's staff; only an administrator makes administrators.

#[allow(unused_imports)]
use crate::dto::staff::people::*;
use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::rules::access::Role;

#[server(endpoint = "personale_liste")]
pub async fn staff_list() -> Result<StaffListDto, AppError> {
    use crate::rules::access::Action;
    use crate::services::staff::auth;
    use entity::{school, staff_account, staff_role};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use std::collections::HashMap;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let g = &ctx.me.grants;
    let db = &ctx.state.db;
    let all_schools = school::Entity::find()
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?;
    let managed: Vec<(i32, String)> = all_schools
        .iter()
        .filter(|s| g.may(Action::ManageStaff { school: s.id }))
        .map(|s| (s.id, s.name.clone()))
        .collect();
    if managed.is_empty() {
        crate::services::staff::guard::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    let names: HashMap<i32, String> = all_schools.into_iter().map(|s| (s.id, s.name)).collect();
    let managed_ids: Vec<i32> = managed.iter().map(|(id, _)| *id).collect();
    let mut role_query = staff_role::Entity::find();
    if !g.admin {
        role_query = role_query.filter(staff_role::Column::SchoolId.is_in(managed_ids.clone()));
    }
    let roles = role_query.all(db).await?;
    let accounts = staff_account::Entity::find()
        .filter(staff_account::Column::Id.is_in(roles.iter().map(|r| r.account_id)))
        .order_by_asc(staff_account::Column::Name)
        .all(db)
        .await?;
    let members = accounts
        .into_iter()
        .map(|a| StaffMemberDto {
            roles: roles
                .iter()
                .filter(|r| r.account_id == a.id)
                .map(|r| {
                    let role = auth::role_of(r.role);
                    StaffRoleDto {
                        role_id: r.id,
                        role,
                        school: r
                            .school_id
                            .map(|s| (s, names.get(&s).cloned().unwrap_or_default())),
                        may_remove: a.id != ctx.me.account.id
                            && match r.school_id {
                                Some(s) => g.may(Action::ManageStaff { school: s }),
                                None => g.may(Action::ManageAdmins),
                            },
                    }
                })
                .collect(),
            name: a.name,
            email: a.email,
            active: a.password_hash.is_some(),
            totp_enabled: a.totp_enabled,
        })
        .collect();
    let mut hand_out = vec![Role::Coordinator, Role::Teacher, Role::Management];
    if g.may(Action::ManageAdmins) {
        hand_out.insert(0, Role::Admin);
    }
    Ok(StaffListDto {
        members,
        schools: managed,
        roles: hand_out,
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
    use crate::rules::access::Action;
    use crate::rules::signup::email_key;
    use crate::rules::vocabulary::TeacherKind;
    use crate::services::outbox::{self, Kind, Message};
    use crate::services::staff::auth;
    use entity::{staff_account, teacher};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let role = Role::from_slug(&role);
    let school_id = school.trim().parse::<i32>().ok();
    let action = match (role, school_id) {
        (Some(Role::Admin), _) => Action::ManageAdmins,
        (Some(_), Some(s)) => Action::ManageStaff { school: s },
        _ => {
            leptos_axum::redirect("/personale/personale?fejl=rolle#inviter");
            return Ok(());
        }
    };
    crate::services::staff::guard::allow(&ctx, action)?;
    let key = email_key(&email);
    let name = name.trim();
    if !crate::rules::signup::email_is_valid(&key) || name.is_empty() || name.chars().count() > 120
    {
        leptos_axum::redirect("/personale/personale?fejl=felter#inviter");
        return Ok(());
    }
    let Some(role) = role else {
        return Ok(());
    };
    // A teacher needs a profile to be put on a team: which kind of teacher they are decides
    // the co-production rule.
    let kind = TeacherKind::from_slug(&teacher_kind);
    if role == Role::Teacher && kind.is_none() {
        leptos_axum::redirect("/personale/personale?fejl=slags#inviter");
        return Ok(());
    }
    let db = &ctx.state.db;
    let existed = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(key.as_str()))
        .one(db)
        .await?;
    let account_id = auth::ensure_account(db, &key, name, &[(school_id, role)], ctx.now).await?;
    if let (Some(kind), Some(school)) = (kind.filter(|_| role == Role::Teacher), school_id) {
        let has_profile = teacher::Entity::find()
            .filter(teacher::Column::AccountId.eq(account_id))
            .filter(teacher::Column::SchoolId.eq(school))
            .count(db)
            .await?
            > 0;
        if !has_profile {
            teacher::ActiveModel {
                school_id: Set(school),
                name: Set(name.to_string()),
                kind: Set(kind.into()),
                title: Set(None),
                bio: Set(String::new()),
                account_id: Set(Some(account_id)),
                image_id: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    if existed.as_ref().is_none_or(|a| a.password_hash.is_none()) {
        outbox::enqueue(
            db,
            Message {
                kind: Kind::StaffInvite,
                recipient: &key,
                locale: "da",
                booking_id: None,
                payload: serde_json::json!({ "account_id": account_id, "by": ctx.me.account.name }),
            },
            ctx.now,
        )
        .await?;
        crate::services::worker_signal::nudge();
    }
    crate::services::staff::guard::audit(
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
    use crate::rules::access::Action;
    use crate::services::staff::auth;
    use entity::{staff_account, staff_role};
    use sea_orm::EntityTrait;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let db = &ctx.state.db;
    let Some(r) = staff_role::Entity::find_by_id(role_id).one(db).await? else {
        return crate::services::staff::guard::not_found();
    };
    let action = match r.school_id {
        Some(s) => Action::ManageStaff { school: s },
        None => Action::ManageAdmins,
    };
    crate::services::staff::guard::allow(&ctx, action)?;
    if r.account_id == ctx.me.account.id {
        leptos_axum::redirect("/personale/personale?fejl=selv");
        return Ok(());
    }
    staff_role::Entity::delete_by_id(r.id).exec(db).await?;
    // Their sessions end, so the change takes effect at once.
    auth::end_all_sessions(db, r.account_id).await?;
    let who = staff_account::Entity::find_by_id(r.account_id)
        .one(db)
        .await?
        .map(|a| format!("{} <{}>", a.name, a.email))
        .unwrap_or_default();
    crate::services::staff::guard::audit(
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
    use crate::rules::time::to_local;
    use entity::{audit_log, school};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    use std::collections::HashMap;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let g = &ctx.me.grants;
    let db = &ctx.state.db;
    let names: HashMap<i32, String> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let readable: Vec<i32> = names
        .keys()
        .copied()
        .filter(|&s| g.may(Action::ViewAuditLog { school: s }))
        .collect();
    if readable.is_empty() {
        crate::services::staff::guard::set_status(http::StatusCode::FORBIDDEN);
        return Err(AppError::Forbidden);
    }
    let mut query = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .limit(200);
    if !g.admin {
        query = query.filter(audit_log::Column::SchoolId.is_in(readable));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|e| AuditEntryDto {
            at: to_local(e.at),
            actor: e.actor,
            school: e.school_id.and_then(|s| names.get(&s).cloned()),
            action: e.action,
            subject: e.subject,
            detail: e.detail,
        })
        .collect())
}
