//! Staff at a school: who holds which role, inviting someone (creating their account and, for
//! a teacher, their profile), removing a role; and reading the audit log.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{audit_log, staff_account, staff_role, teacher};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::dto::staff::people::{AuditEntryDto, StaffMemberDto, StaffRoleDto};
use crate::rules::access::{Action, Grants, Role};
use crate::rules::time::to_local;
use crate::rules::vocabulary::TeacherKind;
use crate::services::outbox::{self, Kind, Message};
use crate::services::staff::auth;
use crate::services::transaction::write;

/// The staff of the schools in `managed` (everyone, for an administrator), with which of
/// their roles the person (`me`, with `grants`) may remove.
pub async fn members(
    db: &DatabaseConnection,
    grants: &Grants,
    me: i32,
    managed: &[i32],
) -> Result<Vec<StaffMemberDto>, DbErr> {
    let names: HashMap<i32, String> = super::schools(db).await?.into_iter().collect();
    let mut role_query = staff_role::Entity::find();
    if !grants.admin {
        role_query = role_query.filter(staff_role::Column::SchoolId.is_in(managed.iter().copied()));
    }
    let roles = role_query.all(db).await?;
    let accounts = staff_account::Entity::find()
        .filter(staff_account::Column::Id.is_in(roles.iter().map(|r| r.account_id)))
        .order_by_asc(staff_account::Column::Name)
        .all(db)
        .await?;
    Ok(accounts
        .into_iter()
        .map(|a| StaffMemberDto {
            roles: roles
                .iter()
                .filter(|r| r.account_id == a.id)
                .map(|r| StaffRoleDto {
                    role_id: r.id,
                    role: auth::role_of(r.role),
                    school: r
                        .school_id
                        .map(|s| (s, names.get(&s).cloned().unwrap_or_default())),
                    may_remove: a.id != me
                        && match r.school_id {
                            Some(s) => grants.may(Action::ManageStaff { school: s }),
                            None => grants.may(Action::ManageAdmins),
                        },
                })
                .collect(),
            name: a.name,
            email: a.email,
            active: a.password_hash.is_some(),
            totp_enabled: a.totp_enabled,
        })
        .collect())
}

/// Gives the person with e-mail `key` a role (at `school`, or the installation for an
/// administrator), creating their account if needed; a teacher gets a profile of `kind` at the
/// school. A new account (or one that never set a password) gets an invitation by e-mail. The
/// person's sessions end, so the new role counts from their next sign-in.
#[allow(clippy::too_many_arguments)]
pub async fn invite(
    db: &DatabaseConnection,
    key: &str,
    name: &str,
    school: Option<i32>,
    role: Role,
    kind: Option<TeacherKind>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let existed = staff_account::Entity::find()
            .filter(staff_account::Column::Email.eq(key))
            .one(&txn)
            .await?;
        let account_id = auth::ensure_account(&txn, key, name, &[(school, role)], now).await?;
        // A new role takes effect at the next sign-in, where a role that needs the
        // authenticator app asks for it: sessions from before end now.
        auth::end_all_sessions(&txn, account_id).await?;
        if let (Some(kind), Some(school)) = (kind.filter(|_| role == Role::Teacher), school) {
            let has_profile = teacher::Entity::find()
                .filter(teacher::Column::AccountId.eq(account_id))
                .filter(teacher::Column::SchoolId.eq(school))
                .count(&txn)
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
                .insert(&txn)
                .await?;
            }
        }
        if existed.as_ref().is_none_or(|a| a.password_hash.is_none()) {
            outbox::enqueue(
                &txn,
                Message {
                    kind: Kind::StaffInvite,
                    recipient: key,
                    locale: "da",
                    booking_id: None,
                    payload: serde_json::json!({ "account_id": account_id, "by": by }),
                },
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// A role, by its id.
pub async fn role(db: &DatabaseConnection, id: i32) -> Result<Option<staff_role::Model>, DbErr> {
    staff_role::Entity::find_by_id(id).one(db).await
}

/// Removes a role and ends the holder's sessions, so the change takes effect at once. Returns
/// who held it, for the audit log.
pub async fn remove_role(db: &DatabaseConnection, r: &staff_role::Model) -> Result<String, DbErr> {
    write(db, |txn| async move {
        staff_role::Entity::delete_by_id(r.id).exec(&txn).await?;
        auth::end_all_sessions(&txn, r.account_id).await?;
        Ok(staff_account::Entity::find_by_id(r.account_id)
            .one(&txn)
            .await?
            .map(|a| format!("{} <{}>", a.name, a.email))
            .unwrap_or_default())
    })
    .await
}

/// The newest 200 entries of the audit log: of `schools`, or all for an administrator.
pub async fn audit_log(
    db: &DatabaseConnection,
    admin: bool,
    schools: &[i32],
) -> Result<Vec<AuditEntryDto>, DbErr> {
    let names: HashMap<i32, String> = super::schools(db).await?.into_iter().collect();
    let mut query = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .limit(200);
    if !admin {
        query = query.filter(audit_log::Column::SchoolId.is_in(schools.iter().copied()));
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
