//! Pictures over plain HTTP: the upload form of the course editor and the teacher profile
//! (`POST /personale/billede`, a multipart form post, so it works without JavaScript), and
//! `GET /billeder/{id}`.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::dto::staff::courses::ALT_MAX;
use crate::dto::staff::pictures::PictureRefusal;
use crate::error::AppError;
use crate::rules::forms::back_to;
use crate::services::images::{self, MAX_BYTES};
use crate::services::staff::access;
use crate::services::staff::guard::{self, Ctx};
use crate::services::state::AppState;

/// What the upload form posts.
#[derive(Default)]
struct Upload {
    /// `kursus` or `underviser`.
    target: String,
    id: i32,
    alt: String,
    remove: bool,
    file: Vec<u8>,
}

/// The page the form was on.
fn page(target: &str, id: i32) -> Option<String> {
    match target {
        "kursus" => Some(format!("/personale/kurser/{id}")),
        "underviser" => Some(format!("/personale/profil/{id}")),
        _ => None,
    }
}

fn unreadable() -> Response {
    (StatusCode::BAD_REQUEST, "Formularen kunne ikke læses.").into_response()
}

/// Back to the form's page with a refusal.
fn refused(up: &Upload, refusal: PictureRefusal) -> Response {
    match page(&up.target, up.id) {
        Some(p) => Redirect::to(&back_to(&p, &[refusal], "billede")).into_response(),
        None => unreadable(),
    }
}

/// Back to the form's page, the picture saved or removed.
fn done(up: &Upload) -> Response {
    let outcome = if up.remove { "fjernet" } else { "gemt" };
    match page(&up.target, up.id) {
        Some(p) => Redirect::to(&format!("{p}?billede={outcome}#billede")).into_response(),
        None => unreadable(),
    }
}

fn failed(error: &AppError) -> Response {
    match error {
        AppError::NotFound => StatusCode::NOT_FOUND.into_response(),
        AppError::Forbidden => {
            (StatusCode::FORBIDDEN, "Du har ikke adgang til det.").into_response()
        }
        other => {
            tracing::error!(error = %other, "picture upload failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Reads the form; `Err` carries what could be read of it, for sending the person back.
async fn read(mut form: Multipart) -> Result<Upload, (Upload, PictureRefusal)> {
    let mut up = Upload::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(up),
            Err(_) => return Err((up, PictureRefusal::Unreadable)),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "billede" {
            match field.bytes().await {
                Ok(b) if b.len() > MAX_BYTES => return Err((up, PictureRefusal::TooLarge)),
                Ok(b) => up.file = b.to_vec(),
                // Past the body limit the stream ends with an error.
                Err(_) => return Err((up, PictureRefusal::TooLarge)),
            }
            continue;
        }
        let Ok(text) = field.text().await else {
            return Err((up, PictureRefusal::Unreadable));
        };
        match name.as_str() {
            "target" => up.target = text,
            "id" => up.id = text.trim().parse().unwrap_or(0),
            "alt" => up.alt = text,
            "fjern" => up.remove = text == "ja",
            _ => {}
        }
    }
}

/// `POST /personale/billede`: sets or removes a course's image or a teacher's photo.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let ctx = match guard::signed_in_from(state, &headers).await {
        Ok(Some(ctx)) => ctx,
        Ok(None) => return Redirect::to("/personale/log-ind").into_response(),
        Err(err) => return failed(&err),
    };
    let up = match read(form).await {
        Ok(up) => up,
        Err((up, refusal)) => return refused(&up, refusal),
    };
    let result = match up.target.as_str() {
        "kursus" => course_image(&ctx, &up).await,
        "underviser" => teacher_photo(&ctx, &up).await,
        _ => return unreadable(),
    };
    match result {
        Ok(Ok(())) => done(&up),
        Ok(Err(refusal)) => refused(&up, refusal),
        Err(e) => failed(&e),
    }
}

async fn course_image(ctx: &Ctx, up: &Upload) -> Result<Result<(), PictureRefusal>, AppError> {
    let c = access::editable_course(ctx, up.id).await?;
    if up.remove {
        images::set_course_image(&ctx.state.db, &c, None, ctx.now).await?;
        return Ok(Ok(()));
    }
    let picture = match images::check_off_thread(up.file.clone()).await {
        Ok(p) => p,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let alt = up.alt.trim();
    if alt.is_empty() {
        return Ok(Err(PictureRefusal::AltMissing));
    }
    if alt.chars().count() > ALT_MAX {
        return Ok(Err(PictureRefusal::AltLong));
    }
    images::set_course_image(&ctx.state.db, &c, Some((&picture, alt)), ctx.now).await?;
    Ok(Ok(()))
}

async fn teacher_photo(ctx: &Ctx, up: &Upload) -> Result<Result<(), PictureRefusal>, AppError> {
    let t = access::editable_profile(ctx, up.id).await?;
    let picture = if up.remove {
        None
    } else {
        match images::check_off_thread(up.file.clone()).await {
            Ok(p) => Some(p),
            Err(refusal) => return Ok(Err(refusal)),
        }
    };
    images::set_teacher_photo(&ctx.state.db, &t, picture.as_ref(), ctx.now).await?;
    if !access::own_profile(ctx, &t) {
        guard::audit(
            ctx,
            Some(t.school_id),
            "teacher.photo",
            format!("Underviser {} ({})", t.id, t.name),
            String::new(),
        )
        .await?;
    }
    Ok(Ok(()))
}

/// `GET /billeder/{id}`: a stored picture. A new upload gets a new id, so a picture never
/// changes and may be cached for long.
pub async fn serve(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i32>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match images::get(&state.db, id).await {
        Ok(Some(img)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, img.content_type),
                (
                    header::CACHE_CONTROL,
                    "public, max-age=31536000, immutable".to_string(),
                ),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'".to_string(),
                ),
            ],
            img.data,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "could not read a picture");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
