//! The co-production rule: every run is taught by a peer and a professional together. A run
//! may be published only when its team has at least one peer-underviser and at least one
//! fagprofessionel or pårørende-underviser.

use serde::{Deserialize, Serialize};

use crate::rules::vocabulary::TeacherKind;

/// What a team lacks before its run may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TeamGap {
    /// No peer-underviser (lived experience).
    NoPeer,
    /// No fagprofessionel or pårørende-underviser.
    NoPartner,
}

impl TeamGap {
    /// Translation key of the plain-words explanation.
    pub fn message_key(self) -> &'static str {
        match self {
            TeamGap::NoPeer => "staff.team.no_peer",
            TeamGap::NoPartner => "staff.team.no_partner",
        }
    }
}

/// What the team lacks; empty when the run may be published.
pub fn gaps(team: &[TeacherKind]) -> Vec<TeamGap> {
    let mut gaps = Vec::new();
    if !team.contains(&TeacherKind::Peer) {
        gaps.push(TeamGap::NoPeer);
    }
    if !team
        .iter()
        .any(|k| matches!(k, TeacherKind::Professional | TeacherKind::Relative))
    {
        gaps.push(TeamGap::NoPartner);
    }
    gaps
}

/// Whether a run with this team may be published.
pub fn may_publish(team: &[TeacherKind]) -> bool {
    gaps(team).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TeacherKind::*;

    #[test]
    fn every_team_combination() {
        // All subsets of the three kinds, with and without a second person of a kind.
        let cases: &[(&[TeacherKind], bool)] = &[
            (&[], false),
            (&[Peer], false),
            (&[Peer, Peer], false),
            (&[Professional], false),
            (&[Relative], false),
            (&[Professional, Relative], false),
            (&[Peer, Professional], true),
            (&[Peer, Relative], true),
            (&[Peer, Professional, Relative], true),
            (&[Professional, Peer, Peer], true),
        ];
        for (team, allowed) in cases {
            assert_eq!(may_publish(team), *allowed, "team {team:?}");
        }
        assert_eq!(gaps(&[]), vec![TeamGap::NoPeer, TeamGap::NoPartner]);
        assert_eq!(gaps(&[Relative]), vec![TeamGap::NoPeer]);
        assert_eq!(gaps(&[Peer]), vec![TeamGap::NoPartner]);
    }
}
