//! Errors as `application/problem+json` (RFC 9457), with the message in Danish and English.
//! `type` points at the error's entry on the API page; `code` is the same name for programs.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A link to the error's description, e.g. `/api#fejl-not_found`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The error in Danish.
    pub title: String,
    pub status: u16,
    /// What happened and what to do, in Danish.
    pub detail: String,
    pub title_en: String,
    pub detail_en: String,
    /// The error's name, e.g. `not_found`.
    pub code: String,
    /// Fields of the request that need fixing.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<FieldProblem>,
    /// Seconds to wait before trying again (429).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub retry_after: Option<u64>,
}

/// A field of the request that needs fixing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    /// The field's name in the request, e.g. `email`.
    pub field: String,
    pub message: String,
    pub message_en: String,
}

impl Problem {
    /// A problem with its messages given here: `(title, detail)` in Danish, then English.
    pub fn new(status: StatusCode, code: &str, da: (&str, &str), en: (&str, &str)) -> Self {
        Problem {
            kind: format!("/api#fejl-{code}"),
            title: da.0.into(),
            status: status.as_u16(),
            detail: da.1.into(),
            title_en: en.0.into(),
            detail_en: en.1.into(),
            code: code.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// A problem whose detail is a translation key of the web form's messages, so the API and
    /// the page say the same thing.
    pub fn translated(status: StatusCode, code: &str, title: (&str, &str), key: &str) -> Self {
        use crate::i18n::{Locale, translate};
        Problem::new(
            status,
            code,
            (title.0, &translate(Locale::Da, key)),
            (title.1, &translate(Locale::En, key)),
        )
    }

    pub fn not_found() -> Self {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            (
                "Findes ikke",
                "Det, du spurgte efter, findes ikke eller er ikke offentligt.",
            ),
            (
                "Not found",
                "What you asked for does not exist or is not public.",
            ),
        )
    }

    pub fn bad_parameter(name: &str, expected_da: &str, expected_en: &str) -> Self {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad_parameter",
            (
                "Ugyldig parameter",
                &format!("Parameteren «{name}» kan ikke læses: {expected_da}."),
            ),
            (
                "Invalid parameter",
                &format!("The parameter “{name}” cannot be read: {expected_en}."),
            ),
        )
    }

    pub fn bad_body(reason: &str) -> Self {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad_body",
            (
                "Ugyldig forespørgsel",
                &format!("Indholdet kan ikke læses som JSON efter beskrivelsen: {reason}"),
            ),
            (
                "Invalid request",
                &format!("The body cannot be read as JSON as described: {reason}"),
            ),
        )
    }

    pub fn internal() -> Self {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            (
                "Noget gik galt",
                "Der skete en fejl hos os. Intet er gemt halvt. Prøv igen om lidt.",
            ),
            (
                "Something went wrong",
                "An error happened on our side. Nothing was half stored. Try again shortly.",
            ),
        )
    }

    pub fn unauthorized() -> Self {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            (
                "Kræver en API-nøgle",
                "Send en gyldig API-nøgle som «Authorization: Bearer <nøgle>». En nøgle, der er trukket tilbage eller udløbet, virker ikke.",
            ),
            (
                "API key required",
                "Send a valid API key as “Authorization: Bearer <key>”. A revoked or expired key does not work.",
            ),
        )
    }

    pub fn forbidden_school() -> Self {
        Problem::new(
            StatusCode::FORBIDDEN,
            "wrong_school",
            (
                "Nøglen hører til en anden skole",
                "En API-nøgle giver kun adgang til sin egen skoles data.",
            ),
            (
                "The key belongs to another school",
                "An API key gives access to its own school's data only.",
            ),
        )
    }

    pub fn read_only() -> Self {
        Problem::new(
            StatusCode::FORBIDDEN,
            "read_only_key",
            (
                "Nøglen må kun læse",
                "Denne handling kræver en nøgle med skriveadgang. En koordinator kan lave en under Integrationer.",
            ),
            (
                "The key is read-only",
                "This action needs a key with write access. A coordinator can create one under Integrations.",
            ),
        )
    }

    pub fn rate_limited(seconds: u64) -> Self {
        let mut p = Problem::translated(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            ("For mange tilmeldinger", "Too many sign-ups"),
            "signup.err.rate_limited",
        );
        p.retry_after = Some(seconds);
        p
    }

    pub fn uri_too_long() -> Self {
        Problem::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            (
                "Adressen er for lang",
                "Adressen med parametre må højst være 2048 tegn. Send færre eller kortere parametre.",
            ),
            (
                "The address is too long",
                "The address with its parameters may be at most 2048 characters. Send fewer or shorter parameters.",
            ),
        )
    }

    pub fn with_errors(mut self, errors: Vec<FieldProblem>) -> Self {
        self.errors = errors;
        self
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<sea_orm::DbErr> for Problem {
    fn from(e: sea_orm::DbErr) -> Self {
        tracing::error!(error = %e, "api: database error");
        Problem::internal()
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let body = serde_json::to_string(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("da"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            headers.insert(header::RETRY_AFTER, v);
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"skolebaenk\""),
            );
        }
        response
    }
}
