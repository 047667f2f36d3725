//! Pictures: a course's image (with its alt text, which is required) and a teacher's photo,
//! kept in the database so every server instance can serve them. Only JPEG, PNG and WebP are
//! taken, told apart by their first bytes, never by the name or the type the browser claims;
//! SVG is refused (it can carry script). What cameras and phones add (where and when a photo
//! was taken) is removed before a picture is stored.

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

/// The picture without the metadata cameras and phones add (where and when it was taken, the
/// device): a teacher's photo must not tell where they live. Drops EXIF, XMP and comments from
/// JPEG (keeping the JFIF header and the colour profile), text, time and EXIF chunks from PNG,
/// and EXIF and XMP chunks from WebP. `None` when the file does not hold together.
///
/// Without EXIF a photo also loses its "rotate me" note, so a phone photo may show on its side;
/// the person can turn it and upload it again.
pub fn strip_metadata(kind: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    match kind {
        "image/jpeg" => strip_jpeg(bytes),
        "image/png" => strip_png(bytes),
        "image/webp" => strip_webp(bytes),
        _ => None,
    }
}

fn strip_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = vec![0xFF, 0xD8];
    let mut i = 2;
    loop {
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        match marker {
            // Fill byte.
            0xFF => i += 1,
            // Start of scan or end of image: the rest is picture data.
            0xDA | 0xD9 => {
                out.extend_from_slice(&b[i..]);
                return Some(out);
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
            }
            _ => {
                let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
                let end = i + 2 + len;
                if len < 2 || end > b.len() {
                    return None;
                }
                // APP1 (EXIF, XMP), APP3–APP15 and comments go; APP0 (JFIF) and APP2 (ICC
                // colour profile) stay, as do the tables the picture needs.
                let drop = marker == 0xE1 || (0xE3..=0xEF).contains(&marker) || marker == 0xFE;
                if !drop {
                    out.extend_from_slice(&b[i..end]);
                }
                i = end;
            }
        }
    }
}

fn strip_png(b: &[u8]) -> Option<Vec<u8>> {
    const SIGNATURE: usize = 8;
    /// Ancillary chunks that change how the picture looks; every other ancillary chunk
    /// (text, time, EXIF, …) is dropped. Critical chunks (upper-case first letter) stay.
    const KEEP: [&[u8; 4]; 8] = [
        b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs", b"bKGD",
    ];
    let mut out = b.get(..SIGNATURE)?.to_vec();
    let mut i = SIGNATURE;
    while i < b.len() {
        let len = u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind: &[u8; 4] = b.get(i + 4..i + 8)?.try_into().ok()?;
        let end = i.checked_add(12)?.checked_add(len)?;
        let chunk = b.get(i..end)?;
        if kind[0].is_ascii_uppercase() || KEEP.contains(&kind) {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

fn strip_webp(b: &[u8]) -> Option<Vec<u8>> {
    const HEADER: usize = 12;
    let mut out = b.get(..HEADER)?.to_vec();
    let mut i = HEADER;
    while i + 8 <= b.len() {
        let kind: &[u8; 4] = b.get(i..i + 4)?.try_into().ok()?;
        let len = u32::from_le_bytes(b.get(i + 4..i + 8)?.try_into().ok()?) as usize;
        // Chunks are padded to an even length.
        let end = i.checked_add(8)?.checked_add(len + (len & 1))?.min(b.len());
        if kind != b"EXIF" && kind != b"XMP " {
            let start = out.len();
            out.extend_from_slice(b.get(i..end)?);
            if kind == b"VP8X" && len > 0 {
                // The extended header's flags say EXIF (bit 3) and XMP (bit 2) follow.
                out[start + 8] &= !0b0000_1100;
            }
        }
        i = end;
    }
    let size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Some(out)
}

/// A picture as checked for storing: its type and its bytes without metadata.
pub struct Checked {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Checks an uploaded file: present, a picture we take, and readable; its metadata stripped.
pub fn check(file: &[u8]) -> Result<Checked, PictureRefusal> {
    if file.is_empty() {
        return Err(PictureRefusal::Missing);
    }
    let content_type = sniff(file).ok_or(PictureRefusal::Type)?;
    let bytes = strip_metadata(content_type, file).ok_or(PictureRefusal::Type)?;
    Ok(Checked {
        content_type,
        bytes,
    })
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
    use super::{sniff, strip_metadata};

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]); // the CRC is not checked here
        c
    }

    #[test]
    fn jpeg_loses_exif_and_comments_but_keeps_the_picture() {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0]);
        let exif = b"Exif\0\0GPS 56.46N 10.03E";
        jpeg.extend_from_slice(&[0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
        jpeg.extend_from_slice(exif);
        jpeg.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x06, b'K', b'a', b'm', b'.']);
        jpeg.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 1, 2]);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 9, 9, 9, 0xFF, 0xD9]);
        let clean = strip_metadata("image/jpeg", &jpeg).expect("valid");
        let text = String::from_utf8_lossy(&clean);
        assert!(!text.contains("GPS") && !text.contains("Kam"));
        assert!(text.contains("JFIF"));
        assert!(clean.ends_with(&[
            0xFF, 0xDB, 0x00, 0x04, 1, 2, 0xFF, 0xDA, 0x00, 0x02, 9, 9, 9, 0xFF, 0xD9
        ]));
        // Cut short, it is refused rather than stored half.
        assert_eq!(strip_metadata("image/jpeg", &jpeg[..12]), None);
    }

    #[test]
    fn png_loses_text_and_exif_chunks() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let ihdr = png_chunk(b"IHDR", &[0; 13]);
        let srgb = png_chunk(b"sRGB", &[0]);
        let idat = png_chunk(b"IDAT", &[1, 2, 3]);
        let iend = png_chunk(b"IEND", &[]);
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&png_chunk(b"tEXt", b"Location\0Aarhus"));
        png.extend_from_slice(&srgb);
        png.extend_from_slice(&png_chunk(b"eXIf", b"GPS"));
        png.extend_from_slice(&idat);
        png.extend_from_slice(&iend);
        let clean = strip_metadata("image/png", &png).expect("valid");
        let expected = [&b"\x89PNG\r\n\x1a\n"[..], &ihdr, &srgb, &idat, &iend].concat();
        assert_eq!(clean, expected);
        assert_eq!(strip_metadata("image/png", &png[..20]), None);
    }

    #[test]
    fn webp_loses_exif_and_xmp_and_says_so_in_its_header() {
        let chunk = |kind: &[u8; 4], data: &[u8]| {
            let mut c = kind.to_vec();
            c.extend_from_slice(&(data.len() as u32).to_le_bytes());
            c.extend_from_slice(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        let body = [
            chunk(b"VP8X", &[0b0000_1100, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            chunk(b"VP8L", &[7, 7, 7]),
            chunk(b"EXIF", b"GPS"),
            chunk(b"XMP ", b"<x/>"),
        ]
        .concat();
        let mut webp = b"RIFF".to_vec();
        webp.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        webp.extend_from_slice(b"WEBP");
        webp.extend_from_slice(&body);
        let clean = strip_metadata("image/webp", &webp).expect("valid");
        assert!(!String::from_utf8_lossy(&clean).contains("GPS"));
        assert_eq!(clean[20], 0, "no EXIF or XMP flag left");
        let size = u32::from_le_bytes(clean[4..8].try_into().expect("size")) as usize;
        assert_eq!(size, clean.len() - 8);
        assert_eq!(clean.len(), 12 + 18 + 12);
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
}
