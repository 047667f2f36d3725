//! Language: Danish by default, English on request.
//!
//! Texts live in `app/locales/{da,en}.yml` and are looked up with `rust-i18n` for an explicit
//! locale, never a global one, because one server renders pages for many people at once. The
//! chosen language is a cookie (`sprog`) set by a plain form post to `/sprog`, so switching works
//! without JavaScript. The server reads the cookie; the browser reads `<html lang>`, which the
//! server wrote, so both sides render the same text and hydration agrees.

use leptos::prelude::*;

/// Name of the cookie that holds the chosen language.
pub const LANGUAGE_COOKIE: &str = "sprog";

/// A language the interface is available in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    Da,
    En,
}

impl Locale {
    /// The BCP 47 code, as used in `lang` attributes and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Da => "da",
            Locale::En => "en",
        }
    }

    /// Parses a language code; anything unknown is `None`.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "da" => Some(Locale::Da),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Reads the language from a `Cookie` header value; Danish when absent or unknown.
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| name.trim() == LANGUAGE_COOKIE)
            .and_then(|(_, value)| Locale::parse(value))
            .unwrap_or_default()
    }
}

/// Translates `key` for `locale`.
#[macro_export]
macro_rules! tr {
    ($locale:expr, $key:expr) => {
        $crate::i18n::translate($locale, $key)
    };
    ($locale:expr, $key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        rust_i18n::t!($key, locale = $locale.code(), $($name = $value),+).into_owned()
    };
}

/// Translates `key` for `locale`; a missing key shows as the key itself.
pub fn translate(locale: Locale, key: &str) -> String {
    rust_i18n::t!(key, locale = locale.code()).into_owned()
}

/// Works out the language of the current request (server) or page (browser).
pub fn detect_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|value| value.to_str().ok())
                    .map(Locale::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|lang| Locale::parse(&lang))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

/// The language provided by [`crate::App`].
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_header_picks_language() {
        assert_eq!(Locale::from_cookie_header("a=b; sprog=en"), Locale::En);
        assert_eq!(Locale::from_cookie_header("sprog=da"), Locale::Da);
        assert_eq!(Locale::from_cookie_header("sprog=xx"), Locale::Da);
        assert_eq!(Locale::from_cookie_header(""), Locale::Da);
    }

    /// Every key in one locale file exists in the other, so no page shows a raw key.
    #[test]
    fn locale_files_have_the_same_keys() {
        fn keys(text: &str) -> Vec<String> {
            let mut stack: Vec<(usize, String)> = Vec::new();
            let mut out = Vec::new();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let indent = line.len() - line.trim_start().len();
                let Some((name, rest)) = line.trim().split_once(':') else {
                    continue;
                };
                while stack.last().is_some_and(|(i, _)| *i >= indent) {
                    stack.pop();
                }
                let path = stack
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .chain([name])
                    .collect::<Vec<_>>()
                    .join(".");
                if rest.trim().is_empty() {
                    stack.push((indent, name.to_string()));
                } else {
                    out.push(path);
                }
            }
            out.sort();
            out
        }
        let da = keys(include_str!("../locales/da.yml"));
        let en = keys(include_str!("../locales/en.yml"));
        assert!(da.len() > 50, "parsed too few keys: {}", da.len());
        assert_eq!(da, en);
    }

    #[test]
    fn translations_resolve_for_both_languages() {
        assert_eq!(tr!(Locale::Da, "nav.courses"), "Kurser");
        assert_eq!(tr!(Locale::En, "nav.courses"), "Courses");
        assert_eq!(
            tr!(Locale::Da, "seats.left_many", count = 3),
            "3 ledige pladser"
        );
    }
}
