//! The page cache: public pages kept as rendered, so the hundredth visitor of the front page in
//! a second gets the bytes the first one got instead of a new render (which pages qualify is
//! [`crate::rules::page_cache`]'s decision).
//!
//! An answer is used only while nothing has changed since its render began: every committed
//! write ([`crate::services::transaction::write`]) moves the process's generation on, and on
//! PostgreSQL it also tells the other instances (`NOTIFY skolebaenk_changed`, which
//! `server::wake` hears), so a seat count is never older than the booking that changed it. As a
//! bound for what no write announces (time passing a sign-up deadline, a command run in another
//! process on SQLite), an answer is also used for at most the configured number of seconds.
//!
//! A rendered page allows its inline scripts by a nonce, which must not be shared between
//! responses. A kept page allows them by their SHA-256 hashes instead (the policy lists each
//! script's hash and the nonce is taken out), which any number of responses may share; so a kept
//! page is the same bytes for everyone, and is compressed once (brotli and gzip) when it is kept
//! rather than on every request.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};

use crate::rules::page_cache::Key;

/// The notification channel that tells other instances that something changed.
pub const CHANNEL: &str = "skolebaenk_changed";

/// More answers than this and the cache starts again empty: a robot asking for endless
/// filter combinations cannot make it grow without end.
const MAX_ENTRIES: usize = 2_000;

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Something changed in the database: every answer rendered before now is out of date.
pub fn changed() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// One kept answer, in each encoding.
#[derive(Clone, Debug)]
struct Entry {
    generation: u64,
    stored: Instant,
    page: Kept,
}

/// A page as it is kept and sent: its headers (with the hash policy) and its bytes, raw and
/// compressed.
#[derive(Clone, Debug)]
pub struct Kept {
    pub headers: HeaderMap,
    pub raw: Bytes,
    pub brotli: Bytes,
    pub gzip: Bytes,
}

/// The answers of one app, by key.
#[derive(Debug)]
pub struct PageCache {
    ttl: Duration,
    entries: RwLock<HashMap<Key, Entry>>,
    /// What [`changed`] moves on (its own counter in unit tests).
    counter: &'static AtomicU64,
    /// How many requests were answered from the cache (for `/metrics`: answers from the cache
    /// pass no other layer, the access log included).
    hits: AtomicU64,
}

impl PageCache {
    /// A cache whose answers are used for at most `ttl`.
    pub fn new(ttl: Duration) -> Self {
        PageCache {
            ttl,
            entries: RwLock::new(HashMap::new()),
            counter: &GENERATION,
            hits: AtomicU64::new(0),
        }
    }

    /// The current generation: an answer whose render begins now is kept under it.
    pub fn generation(&self) -> u64 {
        self.counter.load(Ordering::Acquire)
    }

    /// The answer kept for `key`, if nothing changed since it was rendered.
    pub fn get(&self, key: &Key) -> Option<Kept> {
        let entries = self
            .entries
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = entries.get(key)?;
        if entry.generation != self.generation() || entry.stored.elapsed() >= self.ttl {
            return None;
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(entry.page.clone())
    }

    /// How many requests the cache has answered since the process started.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Turns a rendered page into the form it is kept and sent in ([`keepable`]), and keeps it
    /// as rendered from `generation` on.
    pub fn put(&self, key: Key, generation: u64, page: Kept) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                generation,
                stored: Instant::now(),
                page,
            },
        );
    }
}

/// A rendered page in the form it is kept: its scripts allowed by hash instead of by nonce, and
/// compressed. `None` when its policy names a nonce that the page's scripts do not all carry.
pub fn keepable(mut headers: HeaderMap, body: &[u8]) -> Option<Kept> {
    let policy = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut raw = body.to_vec();
    if let Some(policy) = policy
        && let Some(nonce) = nonce_of(&policy)
    {
        let html = std::str::from_utf8(body).ok()?;
        let attribute = format!(" nonce=\"{nonce}\"");
        let without = html.replace(&attribute, "");
        let hashes: Vec<String> = inline_scripts(&without)
            .map(|script| {
                use base64::Engine;
                let digest = Sha256::digest(script.as_bytes());
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect();
        let sources = if hashes.is_empty() {
            "'none'".to_string()
        } else {
            hashes.join(" ")
        };
        let policy = policy.replace(&format!("'nonce-{nonce}'"), &sources);
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&policy).ok()?,
        );
        raw = without.into_bytes();
    }
    let brotli = {
        let mut out = Vec::with_capacity(raw.len() / 4);
        let params = brotli::enc::BrotliEncoderParams {
            quality: 6,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &raw[..], &mut out, &params).ok()?;
        out
    };
    let gzip = {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        encoder.write_all(&raw).ok()?;
        encoder.finish().ok()?
    };
    Some(Kept {
        headers,
        raw: Bytes::from(raw),
        brotli: Bytes::from(brotli),
        gzip: Bytes::from(gzip),
    })
}

/// The text of each inline `<script>` element of `html` (those with a `src` have none).
pub fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let open_end = rest.find('>')?;
        let after = &rest[open_end + 1..];
        let close = after.find("</script>")?;
        Some(&after[..close]).filter(|text| !text.is_empty())
    })
}

/// The nonce in a Content-Security-Policy (`'nonce-…'`).
fn nonce_of(policy: &str) -> Option<String> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = policy[start..].find('\'')? + start;
    let nonce = &policy[start..end];
    (nonce.len() >= 16).then(|| nonce.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &str) -> Key {
        Key {
            path_and_query: path.into(),
            language: None,
        }
    }

    static COUNTER: AtomicU64 = AtomicU64::new(0);

    fn cache(ttl: Duration) -> PageCache {
        PageCache {
            counter: &COUNTER,
            ..PageCache::new(ttl)
        }
    }

    fn change() {
        COUNTER.fetch_add(1, Ordering::AcqRel);
    }

    fn page(nonce: &str) -> Kept {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&format!(
                "script-src 'self' 'nonce-{nonce}'; object-src 'none'"
            ))
            .expect("value"),
        );
        let body = format!(
            "<p>x</p><script type=\"module\" nonce=\"{nonce}\">a()</script><script nonce=\"{nonce}\">b=1;</script><script src=\"/x.js\"></script>"
        );
        keepable(headers, body.as_bytes()).expect("keepable")
    }

    #[test]
    fn a_kept_page_allows_its_scripts_by_hash_and_no_nonce_is_shared() {
        use base64::Engine;
        let nonce = "AAAAAAAAAAAAAAAAAAAAAA";
        let kept = page(nonce);
        let body = String::from_utf8_lossy(&kept.raw).to_string();
        assert!(!body.contains(nonce), "the nonce is taken out");
        let policy = kept.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("text")
            .to_string();
        assert!(!policy.contains("nonce"), "{policy}");
        for script in ["a()", "b=1;", ""] {
            let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
            assert_eq!(
                policy.contains(&format!("'sha256-{hash}'")),
                !script.is_empty(),
                "{script:?} in {policy}"
            );
        }
        assert!(policy.ends_with("; object-src 'none'"));
        // The compressed forms are the same page.
        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(&mut &kept.brotli[..], &mut unbrotli).expect("brotli");
        assert_eq!(unbrotli, kept.raw.to_vec());
        let mut ungzip = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&kept.gzip[..]),
            &mut ungzip,
        )
        .expect("gzip");
        assert_eq!(ungzip, kept.raw.to_vec());
    }

    #[test]
    fn a_change_or_time_ends_an_answer() {
        let cache = cache(Duration::from_secs(60));
        cache.put(key("/"), cache.generation(), page("BBBBBBBBBBBBBBBBBBBBBB"));
        assert!(cache.get(&key("/")).is_some());
        assert!(cache.get(&key("/andet")).is_none());
        change();
        assert!(cache.get(&key("/")).is_none(), "out of date after a change");

        // An answer whose render began before a change is never used.
        let before = cache.generation();
        change();
        cache.put(key("/"), before, page("BBBBBBBBBBBBBBBBBBBBBB"));
        assert!(cache.get(&key("/")).is_none());

        let short = super::PageCache::new(Duration::ZERO);
        short.put(key("/"), short.generation(), page("BBBBBBBBBBBBBBBBBBBBBB"));
        assert!(short.get(&key("/")).is_none(), "out of date after its time");
    }
}
