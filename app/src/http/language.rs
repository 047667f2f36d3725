//! `POST /sprog`: the language switch in the footer.

use axum::Form;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::http::guards::MAX_URI_BYTES;
use crate::i18n::{LANGUAGE_COOKIE, Locale};

/// The language form: which language, and where to go back to.
#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    sprog: String,
    #[serde(default)]
    tilbage: String,
}

/// `POST /sprog`: remembers the language in a cookie and goes back to the page the person was on.
pub async fn set_language(Form(form): Form<LanguageForm>) -> Response {
    let locale = Locale::parse(&form.sprog).unwrap_or_default();
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        locale.code()
    );
    let mut response = Redirect::to(&safe_return_path(&form.tilbage)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Only local paths are followed, so the form cannot send anyone to another site.
pub fn safe_return_path(path: &str) -> String {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path.len() <= MAX_URI_BYTES;
    if ok {
        path.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_stay_on_site() {
        assert_eq!(
            safe_return_path("/kurser/x?tema=søvn"),
            "/kurser/x?tema=søvn"
        );
        assert_eq!(safe_return_path("//evil.example/"), "/");
        assert_eq!(safe_return_path("https://evil.example/"), "/");
        assert_eq!(safe_return_path("/\\evil"), "/");
        assert_eq!(safe_return_path(""), "/");
    }
}
