//! Online classes: which meeting links a person may see, how they are written in a message, and
//! which sessions a changed link applies to.
//!
//! A meeting link is given only to a person with a seat. It never appears on public pages, in the
//! public API, in webhooks, or to people on the waiting list or with an open offer: whoever holds
//! the link can join the class, so it is as private as the list of participants.

/// The longest meeting link we keep, in characters.
pub const LINK_MAX: usize = 500;

/// Whether a person in this state sees the meeting links: only with a seat.
pub fn sees_links(has_seat: bool, run_cancelled: bool) -> bool {
    has_seat && !run_cancelled
}

/// A meeting link that is not a plain `https://` address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadLink;

/// A meeting link as typed, trimmed: `Ok(None)` when left empty, [`BadLink`] when it is not a
/// plain `https://` address.
pub fn parse_link(typed: &str) -> Result<Option<String>, BadLink> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let host = t.strip_prefix("https://").unwrap_or_default();
    if host.is_empty()
        || host.starts_with('/')
        || t.chars().count() > LINK_MAX
        || t.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<')
    {
        return Err(BadLink);
    }
    Ok(Some(t.to_string()))
}

/// One session as the link rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session<'a> {
    pub id: i32,
    pub cancelled: bool,
    pub link: Option<&'a str>,
}

/// How a message writes the links of the sessions a person takes part in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Links {
    /// No session has a link.
    None,
    /// Every session with a link has this one: one line says it.
    One(String),
    /// Different links: each session's own, by session id, in order.
    PerSession(Vec<(i32, String)>),
}

/// The links of `sessions` (cancelled ones left out), as one line when they agree.
pub fn links(sessions: &[Session<'_>]) -> Links {
    let with: Vec<(i32, &str)> = sessions
        .iter()
        .filter(|s| !s.cancelled)
        .filter_map(|s| s.link.map(|l| (s.id, l)))
        .collect();
    match with.first() {
        None => Links::None,
        Some((_, first)) if with.iter().all(|(_, l)| l == first) => Links::One(first.to_string()),
        Some(_) => Links::PerSession(with.into_iter().map(|(i, l)| (i, l.to_string())).collect()),
    }
}

/// The sessions a link set on `chosen` changes: that session, or with `following` it and every
/// later one not cancelled. `sessions` are in order of time. Sessions whose link already is
/// `link` are left out, so nobody is told about a change that changes nothing.
pub fn sessions_to_change(
    sessions: &[Session<'_>],
    chosen: i32,
    following: bool,
    link: Option<&str>,
) -> Vec<i32> {
    let Some(at) = sessions.iter().position(|s| s.id == chosen) else {
        return Vec::new();
    };
    sessions[at..]
        .iter()
        .enumerate()
        .filter(|(i, s)| *i == 0 || (following && !s.cancelled))
        .map(|(_, s)| s)
        .filter(|s| !s.cancelled && s.link != link)
        .map(|s| s.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: i32, link: Option<&str>) -> Session<'_> {
        Session {
            id,
            cancelled: false,
            link,
        }
    }

    #[test]
    fn only_a_seat_on_a_live_run_sees_links() {
        assert!(sees_links(true, false));
        assert!(!sees_links(false, false));
        assert!(!sees_links(true, true));
    }

    #[test]
    fn links_must_be_plain_https() {
        assert_eq!(parse_link("  "), Ok(None));
        assert_eq!(
            parse_link(" https://meet.example.dk/abc "),
            Ok(Some("https://meet.example.dk/abc".into()))
        );
        for bad in [
            "http://meet.example.dk",
            "https://",
            "https:///x",
            "javascript:alert(1)",
            "https://a b",
            "https://a\"onmouseover",
        ] {
            assert_eq!(parse_link(bad), Err(BadLink), "{bad}");
        }
        assert_eq!(
            parse_link(&format!("https://{}", "a".repeat(LINK_MAX))),
            Err(BadLink)
        );
    }

    #[test]
    fn one_link_for_all_is_said_once() {
        let a = "https://m.dk/a";
        let mut cancelled = s(3, Some("https://m.dk/old"));
        cancelled.cancelled = true;
        assert_eq!(
            links(&[s(1, Some(a)), s(2, Some(a)), cancelled]),
            Links::One(a.into())
        );
        assert_eq!(links(&[s(1, None), s(2, Some(a))]), Links::One(a.into()));
        assert_eq!(links(&[s(1, None), cancelled]), Links::None);
        assert_eq!(
            links(&[s(1, Some(a)), s(2, Some("https://m.dk/b"))]),
            Links::PerSession(vec![(1, a.into()), (2, "https://m.dk/b".into())])
        );
    }

    #[test]
    fn a_changed_link_reaches_the_following_sessions_that_differ() {
        let a = "https://m.dk/a";
        let mut gone = s(3, None);
        gone.cancelled = true;
        let all = [s(1, None), s(2, None), gone, s(4, Some(a)), s(5, None)];
        assert_eq!(sessions_to_change(&all, 2, false, Some(a)), vec![2]);
        assert_eq!(sessions_to_change(&all, 2, true, Some(a)), vec![2, 5]);
        assert_eq!(
            sessions_to_change(&all, 4, false, Some(a)),
            Vec::<i32>::new()
        );
        assert_eq!(sessions_to_change(&all, 1, true, None), vec![4]);
        assert_eq!(
            sessions_to_change(&all, 9, true, Some(a)),
            Vec::<i32>::new()
        );
    }
}
