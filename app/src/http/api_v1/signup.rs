//! `POST /api/v1/runs/{id}/bookings`: signing a person up from another system, with exactly the
//! web form's rules (the same validation, the same booking transaction, the same rate limits
//! per address and per e-mail) and the same confirmation e-mail.
//!
//! An `Idempotency-Key` header makes a retry safe: the first answer is kept for a day under the
//! key (with a hash of the body) and given again, marked `Idempotent-Replayed: true`. The same
//! key with another body is refused. Two copies of one request arriving at once also end in one
//! booking: the key is the booking's receipt, so the second finds the first.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::cache;
use super::model::{SignupRequest, SignupResult};
use super::problem::{FieldProblem, Problem};
use super::query::id;
use crate::i18n::{Locale, translate};
use crate::rules::signup::{Field, SignupForm, email_key, validate};
use crate::services::booking::{self as bookings, BookingError, NewBooking, SignupOutcome};
use crate::services::rate_limit::Kind as Limit;
use crate::services::state::AppState;
use crate::services::tokens::hash;

/// Longest accepted `Idempotency-Key`.
const MAX_KEY_CHARS: usize = 200;

fn field_name(f: Field) -> &'static str {
    match f {
        Field::Name => "name",
        Field::Email => "email",
        Field::Phone => "phone",
        Field::Perspective => "perspective",
        Field::Municipality => "municipality",
        Field::Needs => "needs",
        Field::Consent => "consent",
        Field::BookerName => "booked_by.name",
        Field::BookerEmail => "booked_by.email",
        Field::BookerConsent => "booked_by.consent",
    }
}

/// The web form's fields, filled from the API's request.
fn as_form(run_id: i32, r: &SignupRequest) -> SignupForm {
    let yes = |b: bool| if b { "ja".to_string() } else { String::new() };
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    SignupForm {
        run: run_id.to_string(),
        name: r.name.clone(),
        email: r.email.clone(),
        phone: text(&r.phone),
        perspective: text(&r.perspective),
        municipality: text(&r.municipality),
        needs: text(&r.needs),
        consent: yes(r.consent),
        booker_name: r
            .booked_by
            .as_ref()
            .map(|b| b.name.clone())
            .unwrap_or_default(),
        booker_email: r
            .booked_by
            .as_ref()
            .map(|b| b.email.clone())
            .unwrap_or_default(),
        booker_consent: yes(r.booked_by.as_ref().is_some_and(|b| b.consent)),
        website: String::new(),
        key: String::new(),
    }
}

fn refusal(e: &BookingError) -> Problem {
    let (code, da, en) = match e {
        BookingError::RunCancelled => ("run_cancelled", "Holdet er aflyst", "The run is cancelled"),
        BookingError::DropIn => ("drop_in", "Ingen tilmelding", "No sign-up"),
        BookingError::NotYetOpen => (
            "not_yet_open",
            "Tilmeldingen er ikke åbnet",
            "Sign-up has not opened",
        ),
        BookingError::Closed => ("closed", "Tilmeldingen er lukket", "Sign-up has closed"),
        BookingError::Full => ("full", "Holdet er fuldt", "The run is full"),
        BookingError::NoSuchRun => return Problem::not_found(),
        _ => return Problem::internal(),
    };
    Problem::translated(
        StatusCode::CONFLICT,
        code,
        (da, en),
        crate::rules::forms::Refusal::message_key(e.signup_refusal()),
    )
}

/// Signs a person up for a run.
#[utoipa::path(
    post, path = "/api/v1/runs/{id}/bookings", tag = "Tilmelding",
    params(
        ("id" = i32, Path, description = "The run's id.", minimum = 1),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique text (a UUID) that makes a retry of this request safe for 24 hours."),
    ),
    request_body(content = SignupRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Received. The person gets an e-mail saying whether they have a seat or a place on the waiting list; an address that already has a place gets the same answer here, and its owner is told by e-mail.", body = SignupResult),
        (status = 400, description = "The body is not JSON as described, or the key is too long.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such run open for sign-up.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The run takes no sign-ups now (full, closed, cancelled, drop-in).", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field needs fixing (see `errors`), or the idempotency key was used with another body.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address or for this e-mail; see `Retry-After`.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sign_up(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(run_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = Utc::now();
    let run_id = match id(&run_id) {
        Ok(id) => id,
        Err(p) => return p.into_response(),
    };
    let idempotency = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(k)) if !k.trim().is_empty() && k.chars().count() <= MAX_KEY_CHARS => {
            Some(k.trim().to_string())
        }
        Some(_) => {
            return Problem::bad_parameter(
                "Idempotency-Key",
                "ventede 1–200 synlige tegn",
                "expected 1–200 visible characters",
            )
            .into_response();
        }
    };
    let request_hash = hash(&String::from_utf8_lossy(&body));
    let key_hash = idempotency
        .as_ref()
        .map(|k| hash(&format!("signup:{run_id}:{k}")));
    if let Some(kh) = &key_hash {
        match replay(&state, kh, &request_hash, now).await {
            Ok(Some(response)) => return response,
            Ok(None) => {}
            Err(p) => return p.into_response(),
        }
    }
    let (status, answer) =
        match attempt(&state, &headers, peer, run_id, &body, &idempotency, now).await {
            Ok(ok) => ok,
            Err(p) => {
                // A refusal by the rules is an answer worth keeping; a limit or a fault is not.
                let keep = matches!(p.status, 400 | 404 | 409 | 415 | 422);
                if keep && let Some(kh) = &key_hash {
                    let body = serde_json::to_string(&p).unwrap_or_default();
                    remember(&state, kh, &request_hash, p.status, &body, now).await;
                }
                return p.into_response();
            }
        };
    if let Some(kh) = &key_hash {
        let body = serde_json::to_string(&answer).unwrap_or_default();
        remember(&state, kh, &request_hash, status.as_u16(), &body, now).await;
    }
    cache::private(status, &answer)
}

async fn attempt(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    run_id: i32,
    body: &Bytes,
    idempotency: &Option<String>,
    now: DateTime<Utc>,
) -> Result<(StatusCode, SignupResult), Problem> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            (
                "Forkert indholdstype",
                "Send tilmeldingen som application/json.",
            ),
            (
                "Wrong content type",
                "Send the sign-up as application/json.",
            ),
        ));
    }
    let request: SignupRequest =
        serde_json::from_slice(body).map_err(|e| Problem::bad_body(&e.to_string()))?;

    let ip = crate::services::request::client_ip_from(state, headers, Some(peer));
    let key = email_key(&request.email);
    let checks = [
        (Limit::SignupPerIp, ip.as_str()),
        (Limit::SignupPerEmail, key.as_str()),
    ];
    if !state
        .limiter
        .allow(&state.db, &checks, now)
        .await
        .map_err(Problem::from)?
    {
        return Err(Problem::rate_limited(state.limiter.window_secs()));
    }

    let signup = validate(&as_form(run_id, &request)).map_err(|errors| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_fields",
            (
                "Tilmeldingen mangler noget",
                "Ret felterne i «errors» og send igen.",
            ),
            (
                "The sign-up needs fixing",
                "Fix the fields in “errors” and send again.",
            ),
        )
        .with_errors(
            errors
                .into_iter()
                .filter_map(|e| {
                    let key = crate::rules::forms::Refusal::message_key(e);
                    Some(FieldProblem {
                        field: field_name(e.field()?).into(),
                        message: translate(Locale::Da, key),
                        message_en: translate(Locale::En, key),
                    })
                })
                .collect(),
        )
    })?;

    // The idempotency key doubles as the booking's receipt, so a copy of this request racing
    // it finds the booking it made rather than being told the address is taken.
    let receipt = idempotency
        .as_ref()
        .map(|k| hash(&format!("api-receipt:{k}")));
    let new = NewBooking {
        signup: &signup,
        locale: Locale::Da.code(),
        source: crate::rules::vocabulary::source::API,
        receipt_hash: receipt.clone(),
        known_receipts: receipt.into_iter().collect(),
    };
    // A new booking and an address that already has one get the same answer, so the answer
    // never tells whether someone is signed up; the person (or the owner) learns the rest by
    // e-mail.
    match bookings::sign_up(&state.db, &new, now).await {
        Ok(SignupOutcome::Created { .. } | SignupOutcome::Existing { .. }) => Ok((
            StatusCode::ACCEPTED,
            SignupResult {
                status: "received".into(),
                run_id,
            },
        )),
        Err(BookingError::Db(e)) => Err(e.into()),
        Err(e) => Err(refusal(&e)),
    }
}

/// The kept answer for a key, if there is one.
async fn replay(
    state: &AppState,
    key_hash: &str,
    request_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Response>, Problem> {
    let Some(kept) = crate::services::idempotency::kept(&state.db, key_hash, now).await? else {
        return Ok(None);
    };
    if kept.request_hash != request_hash {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            (
                "Nøglen er brugt til noget andet",
                "Denne Idempotency-Key blev brugt til en anden tilmelding. Brug en ny nøgle til en ny tilmelding.",
            ),
            (
                "The key was used for something else",
                "This Idempotency-Key was used for another sign-up. Use a new key for a new sign-up.",
            ),
        ));
    }
    let status = StatusCode::from_u16(u16::try_from(kept.status).unwrap_or(500))
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        kept.body,
    )
        .into_response();
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(Some(response))
}

/// Keeps an answer under its key. A copy of the request that got there first wins; both gave
/// the same answer.
async fn remember(
    state: &AppState,
    key_hash: &str,
    request_hash: &str,
    status: u16,
    body: &str,
    now: DateTime<Utc>,
) {
    let saved =
        crate::services::idempotency::keep(&state.db, key_hash, request_hash, status, body, now)
            .await;
    if let Err(e) = saved {
        // The booking stands; a retry is then recognised by its receipt instead.
        tracing::error!(error = %e, "api: could not keep an idempotent answer");
    }
}
