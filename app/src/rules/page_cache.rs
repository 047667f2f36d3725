//! Which requests may be answered from the page cache: public pages that are the same for
//! everyone who asks in the same language, and nothing that belongs to one person.
//!
//! A request qualifies when it is a `GET` of an address in [`PUBLIC`], carries no credentials
//! (`Authorization`) and no cookie but the language cookie. Everything else (staff pages, a
//! person's link pages, the sign-up form with its one-time key, a form sent back with what was
//! typed) is rendered every time.

/// The public pages and API lists the cache may hold, by the shape of their path: `*` is one
/// path segment.
pub const PUBLIC: [&str; 10] = [
    "/",
    "/kurser/*",
    "/skoler",
    "/skoler/*",
    "/skoler/*/katalog",
    "/kontakt",
    "/privatliv",
    "/tilgaengelighed",
    "/api/v1/runs",
    "/api/v1/courses",
];

/// What a cached answer is kept under: the path with its query, and the language asked for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub path_and_query: String,
    pub language: Option<String>,
}

/// The key `path` (with `query`) is cached under, or `None` when it must be rendered: a method
/// other than GET, credentials or a condition, or a cookie other than `language_cookie`.
pub fn key(
    method: &str,
    path: &str,
    query: Option<&str>,
    cookie_header: Option<&str>,
    credentials_or_condition: bool,
    language_cookie: &str,
) -> Option<Key> {
    if method != "GET" || credentials_or_condition || !PUBLIC.iter().any(|p| matches(p, path)) {
        return None;
    }
    let mut language = None;
    for pair in cookie_header.unwrap_or_default().split(';') {
        let pair = pair.trim();
        if pair.is_empty() {
            continue;
        }
        match pair.split_once('=') {
            Some((name, value)) if name.trim() == language_cookie => {
                language = Some(value.trim().to_string());
            }
            _ => return None,
        }
    }
    let path_and_query = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    Some(Key {
        path_and_query,
        language,
    })
}

/// Whether an `Accept-Encoding` header takes `coding` (named, and not refused with `q=0`).
pub fn accepts_encoding(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut it = part.split(';');
        let name = it.next().unwrap_or_default().trim();
        let refused = it.any(|p| p.trim().replace(' ', "") == "q=0");
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

/// Whether `path` has the shape `pattern` (`*` stands for one non-empty segment).
fn matches(pattern: &str, path: &str) -> bool {
    if pattern == "/" || path == "/" {
        return pattern == path;
    }
    let mut want = pattern.trim_start_matches('/').split('/');
    let mut have = path.trim_start_matches('/').split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some("*"), Some(segment)) if !segment.is_empty() => {}
            (Some(w), Some(h)) if w == h => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str, cookies: Option<&str>) -> Option<Key> {
        key("GET", path, None, cookies, false, "sprog")
    }

    #[test]
    fn public_pages_are_cached_per_language() {
        assert!(get("/", None).is_some());
        assert!(get("/kurser/recovery-og-haab", None).is_some());
        assert!(get("/skoler/aarhus/katalog", None).is_some());
        let english = get("/", Some("sprog=en")).expect("cached");
        assert_eq!(english.language.as_deref(), Some("en"));
        assert_ne!(english, get("/", None).expect("cached"));
        let filtered = key("GET", "/", Some("skole=aarhus"), None, false, "sprog");
        assert_eq!(
            filtered.map(|k| k.path_and_query),
            Some("/?skole=aarhus".to_string())
        );
    }

    #[test]
    fn encodings_are_taken_unless_refused() {
        assert!(accepts_encoding("gzip, deflate, br", "br"));
        assert!(accepts_encoding("br;q=0.5, gzip", "br"));
        assert!(!accepts_encoding("br;q=0, gzip", "br"));
        assert!(!accepts_encoding("gzip", "br"));
        assert!(!accepts_encoding("", "gzip"));
    }

    #[test]
    fn anything_personal_is_rendered_every_time() {
        // Someone with any other cookie: a staff session, a receipt, what they typed.
        assert_eq!(get("/", Some("sprog=da; sb_personale=x")), None);
        assert_eq!(get("/kurser/a", Some("sb_udkast=y")), None);
        // Pages that are a person's, or carry a one-time key.
        for path in [
            "/hold/3/tilmelding",
            "/mine-tilmeldinger/abc",
            "/kommer/abc",
            "/evaluering/abc",
            "/personale",
            "/kurser/a/b",
            "/kurser/",
            "/api/v1/runs/3",
        ] {
            assert_eq!(get(path, None), None, "{path}");
        }
        assert_eq!(key("POST", "/", None, None, false, "sprog"), None);
        assert_eq!(key("GET", "/api/v1/runs", None, None, true, "sprog"), None);
    }
}
