//! Pictures: a course's image (with its alt text, which is required) and a teacher's photo.
//! Uploads are plain multipart form posts to `/personale/billede`, so they work without
//! JavaScript; the picture is kept in the database (every server instance can serve it) and
//! served from `/billeder/{id}`. Only JPEG, PNG and WebP are taken, told apart by their first
//! bytes, never by the name or the type the browser claims; SVG is refused (it can carry script).

/// Largest accepted picture.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// The content type of a picture we accept, from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[cfg(feature = "ssr")]
pub use handlers::{serve, upload};

#[cfg(feature = "ssr")]
mod handlers {
    use axum::extract::{Multipart, Path, State};
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::{IntoResponse, Redirect, Response};
    use chrono::Utc;
    use entity::{course, image, teacher};
    use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};

    use super::{MAX_BYTES, sniff};
    use crate::api::booking::web;
    use crate::api::staff::guard::Ctx;
    use crate::error::AppError;
    use crate::staff::auth::{self, Stage};
    use crate::state::AppState;

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

    fn back(target: &str, id: i32, query: &str) -> Response {
        match page(target, id) {
            Some(p) => Redirect::to(&format!("{p}?{query}#billede")).into_response(),
            None => (StatusCode::BAD_REQUEST, "Formularen kunne ikke læses.").into_response(),
        }
    }

    fn refused(error: &AppError) -> Response {
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
    async fn read(mut form: Multipart) -> Result<Upload, (Upload, &'static str)> {
        let mut up = Upload::default();
        loop {
            let field = match form.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => return Ok(up),
                Err(_) => return Err((up, "billede-laes")),
            };
            let name = field.name().unwrap_or_default().to_string();
            if name == "billede" {
                match field.bytes().await {
                    Ok(b) if b.len() > MAX_BYTES => return Err((up, "billede-stor")),
                    Ok(b) => up.file = b.to_vec(),
                    // Past the body limit the stream ends with an error.
                    Err(_) => return Err((up, "billede-stor")),
                }
                continue;
            }
            let Ok(text) = field.text().await else {
                return Err((up, "billede-laes"));
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
        let now = Utc::now();
        let signed = match web::cookie_in(&headers, state.staff_sessions.cookie_name()) {
            Some(token) => auth::session(&state.db, &token, now, &state.staff_sessions).await,
            None => Ok(None),
        };
        let me = match signed {
            Ok(Some(me)) if me.stage == Stage::Full => me,
            Ok(_) => return Redirect::to("/personale/log-ind").into_response(),
            Err(err) => return refused(&AppError::from(err)),
        };
        let ctx = Ctx { state, me, now };
        let up = match read(form).await {
            Ok(up) => up,
            Err((up, code)) => return back(&up.target, up.id, &format!("fejl={code}")),
        };
        let result = match up.target.as_str() {
            "kursus" => course_image(&ctx, &up).await,
            "underviser" => teacher_photo(&ctx, &up).await,
            _ => return (StatusCode::BAD_REQUEST, "Formularen kunne ikke læses.").into_response(),
        };
        match result {
            Ok(query) => back(&up.target, up.id, query),
            Err(e) => refused(&e),
        }
    }

    /// The picture's type, or the error code for the form.
    fn checked(up: &Upload) -> Result<&'static str, &'static str> {
        if up.file.is_empty() {
            return Err("billede-mangler");
        }
        sniff(&up.file).ok_or("billede-type")
    }

    async fn course_image(ctx: &Ctx, up: &Upload) -> Result<&'static str, AppError> {
        let c = crate::api::staff::courses::access::editable(ctx, up.id).await?;
        let alt = up.alt.trim();
        let old = c.image_id;
        let txn = ctx.state.db.begin().await?;
        let mut m: course::ActiveModel = c.into();
        if up.remove {
            m.image_id = Set(None);
            m.image_alt = Set(String::new());
        } else {
            let kind = match checked(up) {
                Ok(k) => k,
                Err(code) => return Ok(code_query(code)),
            };
            if alt.is_empty() {
                return Ok("fejl=alt");
            }
            if alt.chars().count() > crate::api::staff::courses::ALT_MAX {
                return Ok("fejl=alt-lang");
            }
            let img = store(&txn, kind, &up.file, ctx).await?;
            m.image_id = Set(Some(img));
            m.image_alt = Set(alt.to_string());
        }
        m.updated_at = Set(ctx.now);
        m.update(&txn).await?;
        if let Some(old) = old {
            image::Entity::delete_by_id(old).exec(&txn).await?;
        }
        txn.commit().await?;
        Ok(if up.remove {
            "billede=fjernet"
        } else {
            "billede=gemt"
        })
    }

    async fn teacher_photo(ctx: &Ctx, up: &Upload) -> Result<&'static str, AppError> {
        let t = crate::api::staff::profile::access::editable(ctx, up.id).await?;
        let own = crate::api::staff::profile::access::own(ctx, &t);
        let (school, subject) = (t.school_id, format!("Underviser {} ({})", t.id, t.name));
        let old = t.image_id;
        let txn = ctx.state.db.begin().await?;
        let mut m: teacher::ActiveModel = t.into();
        if up.remove {
            m.image_id = Set(None);
        } else {
            let kind = match checked(up) {
                Ok(k) => k,
                Err(code) => return Ok(code_query(code)),
            };
            m.image_id = Set(Some(store(&txn, kind, &up.file, ctx).await?));
        }
        m.update(&txn).await?;
        if let Some(old) = old {
            image::Entity::delete_by_id(old).exec(&txn).await?;
        }
        txn.commit().await?;
        if !own {
            crate::api::staff::guard::audit(
                ctx,
                Some(school),
                "teacher.photo",
                subject,
                String::new(),
            )
            .await?;
        }
        Ok(if up.remove {
            "billede=fjernet"
        } else {
            "billede=gemt"
        })
    }

    fn code_query(code: &'static str) -> &'static str {
        match code {
            "billede-mangler" => "fejl=billede-mangler",
            _ => "fejl=billede-type",
        }
    }

    async fn store(
        txn: &sea_orm::DatabaseTransaction,
        kind: &str,
        bytes: &[u8],
        ctx: &Ctx,
    ) -> Result<i32, AppError> {
        Ok(image::ActiveModel {
            content_type: Set(kind.to_string()),
            data: Set(bytes.to_vec()),
            created_at: Set(ctx.now),
            ..Default::default()
        }
        .insert(txn)
        .await?
        .id)
    }

    /// `GET /billeder/{id}`: a stored picture. A new upload gets a new id, so a picture never
    /// changes and may be cached for long.
    pub async fn serve(State(state): State<AppState>, Path(id): Path<String>) -> Response {
        let Ok(id) = id.parse::<i32>() else {
            return StatusCode::NOT_FOUND.into_response();
        };
        match image::Entity::find_by_id(id).one(&state.db).await {
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
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn pictures_are_told_apart_by_their_first_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVE"), None);
    }
}
