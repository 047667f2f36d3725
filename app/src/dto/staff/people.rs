//! The staff list, roles and the audit log.

use crate::rules::access::Role;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// One role of one person, as the staff list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffRoleDto {
    pub role_id: i32,
    pub role: Role,
    pub school: Option<(i32, String)>,
    /// The person signed in may remove this role.
    pub may_remove: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMemberDto {
    pub name: String,
    pub email: String,
    /// Has set a password (accepted the invitation).
    pub active: bool,
    pub totp_enabled: bool,
    pub roles: Vec<StaffRoleDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffListDto {
    pub members: Vec<StaffMemberDto>,
    /// Schools the person may invite staff to.
    pub schools: Vec<(i32, String)>,
    /// Roles the person may hand out.
    pub roles: Vec<Role>,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntryDto {
    pub at: NaiveDateTime,
    pub actor: String,
    pub school: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

crate::refusals! {
    /// Why an invitation or a role's removal was refused.
    pub enum PeopleRefusal {
        Fields => "felter", "staff.people.err_fields";
        Role => "rolle", "staff.people.err_role";
        Own => "selv", "staff.people.err_self";
        Kind => "slags", "staff.people.err_kind";
    }
}
