//! Pictures: a course's image (with its alt text, which is required) and a teacher's photo,
//! kept in the database so every server instance can serve them. Only JPEG, PNG and WebP are
//! taken, told apart by their first bytes, never by the name or the type the browser claims;
//! SVG is refused (it can carry script). A picture is decoded and encoded again before it is
//! stored, so nothing but its pixels survives (see [`reencode`]).

use chrono::{DateTime, Utc};
use entity::{course, image, teacher};
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, Set};

use crate::dto::staff::pictures::PictureRefusal;
use crate::services::transaction::write;

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

/// The picture and nothing else: decoded, turned the way its EXIF note says (phones store
/// photos on their side with a "rotate me" note), and encoded again. Whatever else the file
/// carried (where and when it was taken, the device, comments, a second picture or a video
/// after the end, colour profiles) is not in the new file. JPEG stays JPEG and PNG stays PNG;
/// WebP becomes PNG when it is transparent, JPEG otherwise. `None` when the file is not a
/// picture we can read, or is too large to decode safely.
pub fn reencode(kind: &str, bytes: &[u8]) -> Option<(&'static str, Vec<u8>)> {
    use ::image::codecs::jpeg::JpegEncoder;
    use ::image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
    use std::io::Cursor;

    let format = match kind {
        "image/jpeg" => ImageFormat::Jpeg,
        "image/png" => ImageFormat::Png,
        "image/webp" => ImageFormat::WebP,
        _ => return None,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder.orientation().ok()?;
    let mut picture = DynamicImage::from_decoder(decoder).ok()?;
    picture.apply_orientation(orientation);
    let mut out = Cursor::new(Vec::new());
    if format == ImageFormat::Png || picture.color().has_alpha() {
        picture.write_to(&mut out, ImageFormat::Png).ok()?;
        Some(("image/png", out.into_inner()))
    } else {
        let rgb = DynamicImage::ImageRgb8(picture.to_rgb8());
        JpegEncoder::new_with_quality(&mut out, 88)
            .encode_image(&rgb)
            .ok()?;
        Some(("image/jpeg", out.into_inner()))
    }
}

/// Widest and tallest picture decoded, in pixels.
pub const MAX_SIDE: u32 = 8_000;
/// Most memory a picture may take while it is decoded.
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;

/// A picture as checked for storing: its type and its bytes without metadata.
pub struct Checked {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Checks an uploaded file: present, a picture we take, and readable; only its pixels kept
/// (see [`reencode`]).
pub fn check(file: &[u8]) -> Result<Checked, PictureRefusal> {
    if file.is_empty() {
        return Err(PictureRefusal::Missing);
    }
    let kind = sniff(file).ok_or(PictureRefusal::Type)?;
    let (content_type, bytes) = reencode(kind, file).ok_or(PictureRefusal::Unreadable)?;
    Ok(Checked {
        content_type,
        bytes,
    })
}

/// [`check`] on a blocking thread: decoding a photo takes a moment of CPU.
pub async fn check_off_thread(file: Vec<u8>) -> Result<Checked, PictureRefusal> {
    tokio::task::spawn_blocking(move || check(&file))
        .await
        .unwrap_or(Err(PictureRefusal::Unreadable))
}

async fn store(
    txn: &impl sea_orm::ConnectionTrait,
    picture: &Checked,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    Ok(image::ActiveModel {
        content_type: Set(picture.content_type.to_string()),
        data: Set(picture.bytes.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?
    .id)
}

/// Sets (with its alt text) or, with `None`, removes a course's picture; the old one is deleted.
pub async fn set_course_image(
    db: &DatabaseConnection,
    c: &course::Model,
    picture: Option<(&Checked, &str)>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let mut m: course::ActiveModel = c.clone().into();
        match picture {
            Some((p, alt)) => {
                m.image_id = Set(Some(store(&txn, p, now).await?));
                m.image_alt = Set(alt.to_string());
            }
            None => {
                m.image_id = Set(None);
                m.image_alt = Set(String::new());
            }
        }
        m.updated_at = Set(now);
        m.update(&txn).await?;
        if let Some(old) = c.image_id {
            image::Entity::delete_by_id(old).exec(&txn).await?;
        }
        Ok(())
    })
    .await
}

/// Sets or, with `None`, removes a teacher's photo; the old one is deleted.
pub async fn set_teacher_photo(
    db: &DatabaseConnection,
    t: &teacher::Model,
    picture: Option<&Checked>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let mut m: teacher::ActiveModel = t.clone().into();
        m.image_id = Set(match picture {
            Some(p) => Some(store(&txn, p, now).await?),
            None => None,
        });
        m.update(&txn).await?;
        if let Some(old) = t.image_id {
            image::Entity::delete_by_id(old).exec(&txn).await?;
        }
        Ok(())
    })
    .await
}

/// A stored picture.
pub async fn get(db: &DatabaseConnection, id: i32) -> Result<Option<image::Model>, DbErr> {
    image::Entity::find_by_id(id).one(db).await
}

#[cfg(test)]
mod tests {
    use super::{check, reencode, sniff};
    use ::image::{DynamicImage, GenericImageView, ImageFormat, RgbImage, RgbaImage};
    use proptest::prelude::*;
    use std::io::Cursor;

    /// A real 16×9 picture in `format`.
    fn picture(format: ImageFormat, alpha: bool) -> Vec<u8> {
        let picture = if alpha {
            DynamicImage::ImageRgba8(RgbaImage::from_fn(16, 9, |x, y| {
                ::image::Rgba([x as u8 * 10, y as u8 * 20, 90, 128])
            }))
        } else {
            DynamicImage::ImageRgb8(RgbImage::from_fn(16, 9, |x, y| {
                ::image::Rgb([x as u8 * 10, y as u8 * 20, 90])
            }))
        };
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, format).expect("encode");
        out.into_inner()
    }

    /// PNG's chunk checksum (CRC-32, as in zlib).
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// An EXIF segment saying "rotate 90° clockwise" (orientation 6), with a place in it.
    fn exif_rotated() -> Vec<u8> {
        let mut payload = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
        payload.extend_from_slice(&[0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        payload.extend_from_slice(&[0, 0, 0, 0]);
        payload.extend_from_slice(b"GPS 56.46N 10.03E");
        let mut segment = vec![0xFF, 0xE1];
        segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        segment.extend_from_slice(&payload);
        segment
    }

    #[test]
    fn a_jpeg_keeps_only_its_pixels_turned_the_right_way() {
        let plain = picture(ImageFormat::Jpeg, false);
        // EXIF after the start, a second "picture" (a motion photo's video) after the end.
        let mut phone = plain[..2].to_vec();
        phone.extend_from_slice(&exif_rotated());
        phone.extend_from_slice(&plain[2..]);
        phone.extend_from_slice(b"\xFF\xD8SECRET MOTION VIDEO\xFF\xD9");
        let checked = check(&phone).expect("a picture");
        assert_eq!(checked.content_type, "image/jpeg");
        let text = String::from_utf8_lossy(&checked.bytes);
        assert!(!text.contains("GPS") && !text.contains("SECRET") && !text.contains("Exif"));
        let stored = ::image::load_from_memory(&checked.bytes).expect("decodes");
        assert_eq!(stored.dimensions(), (9, 16), "turned as the note said");
    }

    #[test]
    fn png_and_webp_keep_their_pixels_only() {
        let mut png = picture(ImageFormat::Png, false);
        // A text chunk naming a place, before the end, as some cameras write.
        let iend = png.len() - 12;
        let body = b"tEXtLocation\0Aarhus";
        let mut text = ((body.len() - 4) as u32).to_be_bytes().to_vec();
        text.extend_from_slice(body);
        text.extend_from_slice(&crc32(body).to_be_bytes());
        png.splice(iend..iend, text);
        assert!(String::from_utf8_lossy(&png).contains("Aarhus"));
        let checked = check(&png).expect("png");
        assert_eq!(checked.content_type, "image/png");
        assert!(!String::from_utf8_lossy(&checked.bytes).contains("Aarhus"));
        let clean = check(&picture(ImageFormat::Png, true)).expect("png");
        assert_eq!(clean.content_type, "image/png");
        let webp = check(&picture(ImageFormat::WebP, true)).expect("webp");
        assert_eq!(webp.content_type, "image/png", "transparency kept");
        let decoded = ::image::load_from_memory(&webp.bytes).expect("decodes");
        assert_eq!(decoded.dimensions(), (16, 9));
    }

    #[test]
    fn a_crafted_webp_is_refused_not_a_crash() {
        // 20 bytes: a header and an extended-header chunk that promises more than is there.
        let crafted = b"RIFF\x0c\0\0\0WEBPVP8X\x0a\0\0\0";
        assert_eq!(crafted.len(), 20);
        assert!(check(crafted).is_err());
        assert!(reencode("image/gif", &picture(ImageFormat::Png, false)).is_none());
    }

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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Whatever bytes arrive behind a picture's first bytes, the check answers and never
        /// panics.
        #[test]
        fn any_upload_gets_an_answer(
            head in prop_oneof![
                Just(b"\xFF\xD8\xFF".to_vec()),
                Just(b"\x89PNG\r\n\x1a\n".to_vec()),
                Just(b"RIFF\x20\0\0\0WEBPVP8X".to_vec()),
                Just(b"RIFF\x20\0\0\0WEBPVP8L".to_vec()),
                Just(Vec::new()),
            ],
            tail in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let mut file = head;
            file.extend_from_slice(&tail);
            let _ = check(&file);
        }

        /// A real picture cut short or with bytes changed is refused or read, never a crash.
        #[test]
        fn damaged_pictures_get_an_answer(
            which in 0usize..3,
            cut in 0usize..2000,
            flips in proptest::collection::vec((0usize..2000, any::<u8>()), 0..8),
        ) {
            let format = [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP][which];
            let mut file = picture(format, which == 2);
            for (at, byte) in flips {
                let len = file.len();
                file[at % len] = byte;
            }
            file.truncate(cut.max(1));
            let _ = check(&file);
        }
    }
}
