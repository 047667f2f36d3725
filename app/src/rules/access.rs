//! Roles per school and what each may do.
//!
//! - **Administrator** (`Admin`): the whole installation: schools, staff, courses and runs.
//!   Participant lists are not part of that: an administrator sees a roster only when they also
//!   hold a coordinator role at the run's school (or teach the run).
//! - **Koordinator**: one school: its courses, runs, rosters, staff and audit log.
//! - **Underviser**: their own courses and runs (where their teacher profile is on the team),
//!   and the rosters of their runs.
//! - **Ledelse**: reads the school's figures (no names).
//!
//! One person can hold roles at several schools. Every server function asks [`Grants::may`]
//! before it acts; pages use the same answer to show only what a person may do.

use serde::{Deserialize, Serialize};

/// A staff role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Coordinator,
    Teacher,
    Management,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Coordinator,
        Role::Teacher,
        Role::Management,
    ];

    /// Translation key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => "staff.role.admin",
            Role::Coordinator => "staff.role.coordinator",
            Role::Teacher => "staff.role.teacher",
            Role::Management => "staff.role.management",
        }
    }

    /// The value in forms and the database.
    pub fn slug(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Teacher => "teacher",
            Role::Management => "management",
        }
    }

    pub fn from_slug(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.slug() == s)
    }

    /// Coordinators and administrators must use an authenticator app.
    pub fn requires_second_factor(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator)
    }
}

/// Something a staff member wants to do, with the facts that decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open the workspace at all.
    UseWorkspace,
    /// See a school's runs with fill and waiting list (figures, no names).
    ViewSchool {
        school: i32,
    },
    CreateCourse {
        school: i32,
    },
    /// `own`: the person teaches the course.
    EditCourse {
        school: i32,
        own: bool,
    },
    /// `own_course`: the person teaches the course the run is of.
    CreateRun {
        school: i32,
        own_course: bool,
    },
    /// Edit, publish, move or cancel a run and its sessions. `own`: the person is on its team.
    EditRun {
        school: i32,
        own: bool,
    },
    /// See and change who is on a run (names and contacts).
    Roster {
        school: i32,
        own: bool,
    },
    ViewAuditLog {
        school: i32,
    },
    /// Edit a teacher's public profile (text and photo). `own`: the profile is the person's.
    EditTeacher {
        school: i32,
        own: bool,
    },
    /// Invite staff and change roles at a school. Only an administrator makes administrators.
    ManageStaff {
        school: i32,
    },
    ManageAdmins,
    /// Create, rename and retire the themes all schools share.
    ManageThemes,
    /// Create a school, close it or open it again.
    ManageSchools,
    /// Change a school's details (name, address, texts, defaults).
    EditSchool {
        school: i32,
    },
    /// Create, change and retire a school's places.
    ManagePlaces {
        school: i32,
    },
    /// Read reports (figures, small groups suppressed).
    ViewReports {
        school: i32,
    },
    /// Webhooks and the embedded catalogue of a school.
    ManageIntegrations {
        school: i32,
    },
    /// A school's API keys: a key reads rosters, so only those who may see names.
    ManageApiKeys {
        school: i32,
    },
}

/// The roles one signed-in person holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants {
    pub admin: bool,
    /// `(school id, role)` pairs.
    pub roles: Vec<(i32, Role)>,
}

impl Grants {
    pub fn has(&self, school: i32, role: Role) -> bool {
        self.roles.iter().any(|&(s, r)| s == school && r == role)
    }

    /// Schools where the person holds any role.
    pub fn schools(&self) -> Vec<i32> {
        let mut ids: Vec<i32> = self.roles.iter().map(|&(s, _)| s).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Schools where the person holds `role`.
    pub fn schools_as(&self, role: Role) -> Vec<i32> {
        let mut ids: Vec<i32> = self
            .roles
            .iter()
            .filter(|&&(_, r)| r == role)
            .map(|&(s, _)| s)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Whether any role requires the authenticator app.
    pub fn requires_second_factor(&self) -> bool {
        self.admin || self.roles.iter().any(|&(_, r)| r.requires_second_factor())
    }

    /// The one place that decides who may do what.
    pub fn may(&self, action: Action) -> bool {
        let coordinator = |s| self.has(s, Role::Coordinator);
        let teacher = |s| self.has(s, Role::Teacher);
        match action {
            Action::UseWorkspace => self.admin || !self.roles.is_empty(),
            Action::ViewSchool { school } => {
                self.admin || self.roles.iter().any(|&(s, _)| s == school)
            }
            Action::CreateCourse { school } => self.admin || coordinator(school),
            Action::EditCourse { school, own } => {
                self.admin || coordinator(school) || (own && teacher(school))
            }
            Action::CreateRun { school, own_course } => {
                self.admin || coordinator(school) || (own_course && teacher(school))
            }
            Action::EditRun { school, own } => {
                self.admin || coordinator(school) || (own && teacher(school))
            }
            // Names and contacts: the run's own teachers and the school's coordinators only.
            Action::Roster { school, own } => coordinator(school) || (own && teacher(school)),
            Action::ViewAuditLog { school } => self.admin || coordinator(school),
            Action::EditTeacher { school, own } => self.admin || coordinator(school) || own,
            Action::ManageStaff { school } => self.admin || coordinator(school),
            Action::ManageAdmins | Action::ManageThemes | Action::ManageSchools => self.admin,
            Action::EditSchool { school } | Action::ManagePlaces { school } => {
                self.admin || coordinator(school)
            }
            Action::ViewReports { school } => {
                self.admin || coordinator(school) || self.has(school, Role::Management)
            }
            Action::ManageIntegrations { school } => self.admin || coordinator(school),
            // A key opens the school's rosters: names are for its coordinators only.
            Action::ManageApiKeys { school } => coordinator(school),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants(roles: &[(i32, Role)]) -> Grants {
        Grants {
            admin: false,
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn coordinators_act_at_their_own_school_only() {
        let g = grants(&[(1, Role::Coordinator)]);
        assert!(g.may(Action::EditRun {
            school: 1,
            own: false
        }));
        assert!(g.may(Action::Roster {
            school: 1,
            own: false
        }));
        assert!(!g.may(Action::EditRun {
            school: 2,
            own: false
        }));
        assert!(!g.may(Action::Roster {
            school: 2,
            own: false
        }));
        assert!(!g.may(Action::ManageAdmins));
        assert!(!g.may(Action::ManageThemes));
        assert!(!g.may(Action::ManageSchools));
        assert!(g.may(Action::EditSchool { school: 1 }));
        assert!(g.may(Action::ManagePlaces { school: 1 }));
        assert!(!g.may(Action::EditSchool { school: 2 }));
        assert!(!g.may(Action::ManagePlaces { school: 2 }));
    }

    #[test]
    fn teachers_act_on_their_own_runs_only() {
        let g = grants(&[(1, Role::Teacher)]);
        assert!(g.may(Action::EditRun {
            school: 1,
            own: true
        }));
        assert!(g.may(Action::Roster {
            school: 1,
            own: true
        }));
        assert!(!g.may(Action::EditRun {
            school: 1,
            own: false
        }));
        assert!(!g.may(Action::Roster {
            school: 1,
            own: false
        }));
        assert!(!g.may(Action::CreateCourse { school: 1 }));
        assert!(!g.may(Action::ViewAuditLog { school: 1 }));
        assert!(!g.may(Action::EditSchool { school: 1 }));
        assert!(!g.may(Action::ManagePlaces { school: 1 }));
        // Teaching at one school gives nothing at another.
        assert!(!g.may(Action::EditRun {
            school: 2,
            own: true
        }));
    }

    #[test]
    fn management_reads_figures_and_never_names() {
        let g = grants(&[(1, Role::Management)]);
        assert!(g.may(Action::ViewReports { school: 1 }));
        assert!(g.may(Action::ViewSchool { school: 1 }));
        assert!(!g.may(Action::Roster {
            school: 1,
            own: false
        }));
        assert!(!g.may(Action::EditRun {
            school: 1,
            own: false
        }));
    }

    #[test]
    fn administrators_do_not_see_names_without_a_school_role() {
        let g = Grants {
            admin: true,
            roles: vec![],
        };
        assert!(g.may(Action::ManageAdmins));
        assert!(g.may(Action::ManageThemes));
        assert!(g.may(Action::ManageSchools));
        assert!(g.may(Action::EditSchool { school: 3 }));
        assert!(g.may(Action::ManagePlaces { school: 3 }));
        assert!(g.may(Action::EditRun {
            school: 3,
            own: false
        }));
        assert!(!g.may(Action::Roster {
            school: 3,
            own: false
        }));
        // A key would read the rosters: not for an administrator without a school role.
        assert!(g.may(Action::ManageIntegrations { school: 3 }));
        assert!(!g.may(Action::ManageApiKeys { school: 3 }));
        let coordinator = Grants {
            admin: true,
            roles: vec![(3, Role::Coordinator)],
        };
        assert!(coordinator.may(Action::ManageApiKeys { school: 3 }));
        assert!(!coordinator.may(Action::ManageApiKeys { school: 4 }));
        assert!(g.requires_second_factor());
    }

    #[test]
    fn roles_at_several_schools_add_up() {
        let g = grants(&[(1, Role::Teacher), (2, Role::Coordinator)]);
        assert_eq!(g.schools(), vec![1, 2]);
        assert!(g.may(Action::Roster {
            school: 2,
            own: false
        }));
        assert!(!g.may(Action::Roster {
            school: 1,
            own: false
        }));
        assert!(g.requires_second_factor());
        assert!(!grants(&[(1, Role::Teacher)]).requires_second_factor());
        assert!(!Grants::default().may(Action::UseWorkspace));
    }

    #[test]
    fn teachers_edit_their_own_profile_and_coordinators_their_schools() {
        let teacher = grants(&[(1, Role::Teacher)]);
        assert!(teacher.may(Action::EditTeacher {
            school: 1,
            own: true
        }));
        assert!(!teacher.may(Action::EditTeacher {
            school: 1,
            own: false
        }));
        let coordinator = grants(&[(1, Role::Coordinator)]);
        assert!(coordinator.may(Action::EditTeacher {
            school: 1,
            own: false
        }));
        assert!(!coordinator.may(Action::EditTeacher {
            school: 2,
            own: false
        }));
        let management = grants(&[(1, Role::Management)]);
        assert!(!management.may(Action::EditTeacher {
            school: 1,
            own: false
        }));
    }
}
