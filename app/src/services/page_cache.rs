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
//! Pages carry a nonce for their scripts, in the body and in the Content-Security-Policy; each
//! answer from the cache gets a fresh one, so no two responses share it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http::{HeaderMap, HeaderValue, header};

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

/// One kept answer.
#[derive(Clone, Debug)]
struct Entry {
    generation: u64,
    stored: Instant,
    headers: HeaderMap,
    body: Bytes,
    nonce: Option<String>,
}

/// The answers of one app, by key.
#[derive(Debug)]
pub struct PageCache {
    ttl: Duration,
    entries: Mutex<HashMap<Key, Entry>>,
    /// What [`changed`] moves on (its own counter in unit tests).
    counter: &'static AtomicU64,
}

impl PageCache {
    /// A cache whose answers are used for at most `ttl`.
    pub fn new(ttl: Duration) -> Self {
        PageCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
            counter: &GENERATION,
        }
    }

    /// The current generation: an answer whose render begins now is kept under it.
    pub fn generation(&self) -> u64 {
        self.counter.load(Ordering::Acquire)
    }

    /// The answer kept for `key`, if nothing changed since it was rendered, with a fresh nonce.
    pub fn get(&self, key: &Key) -> Option<(HeaderMap, Bytes)> {
        let entry = {
            let entries = self
                .entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            entries.get(key).cloned()?
        };
        if entry.generation != self.generation() || entry.stored.elapsed() >= self.ttl {
            return None;
        }
        let Some(old) = entry.nonce else {
            return Some((entry.headers, entry.body));
        };
        let new = crate::services::tokens::new_token();
        let mut headers = entry.headers;
        if let Some(policy) = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| HeaderValue::from_str(&v.replace(&old, &new)).ok())
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        let body = String::from_utf8_lossy(&entry.body).replace(&old, &new);
        Some((headers, Bytes::from(body)))
    }

    /// Keeps an answer rendered from `generation` on. Answers without a body's type that is a
    /// page or JSON are not kept.
    pub fn put(&self, key: Key, generation: u64, headers: HeaderMap, body: Bytes) {
        let nonce = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(nonce_of);
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                generation,
                stored: Instant::now(),
                headers,
                body,
                nonce,
            },
        );
    }
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

    fn page(nonce: &str) -> (HeaderMap, Bytes) {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&format!("script-src 'self' 'nonce-{nonce}'")).expect("value"),
        );
        let body =
            format!("<script nonce=\"{nonce}\">a</script><script nonce=\"{nonce}\">b</script>");
        (headers, Bytes::from(body))
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

    #[test]
    fn a_change_or_time_ends_an_answer_and_each_hit_has_its_own_nonce() {
        let cache = cache(Duration::from_secs(60));
        let old = "AAAAAAAAAAAAAAAAAAAAAA";
        let (headers, body) = page(old);
        cache.put(key("/"), cache.generation(), headers, body);
        let (h1, b1) = cache.get(&key("/")).expect("kept");
        let (_, b2) = cache.get(&key("/")).expect("kept");
        let b1 = String::from_utf8_lossy(&b1).to_string();
        assert!(!b1.contains(old), "the old nonce is gone");
        let new =
            nonce_of(h1[header::CONTENT_SECURITY_POLICY].to_str().expect("text")).expect("a nonce");
        assert_eq!(b1.matches(&format!("nonce=\"{new}\"")).count(), 2);
        assert_ne!(b1, String::from_utf8_lossy(&b2), "a fresh nonce each time");
        assert!(cache.get(&key("/andet")).is_none());

        change();
        assert!(cache.get(&key("/")).is_none(), "out of date after a change");

        // An answer whose render began before a change is never used.
        let before = cache.generation();
        change();
        let (headers, body) = page(old);
        cache.put(key("/"), before, headers, body);
        assert!(cache.get(&key("/")).is_none());

        let short = super::PageCache::new(Duration::ZERO);
        let (headers, body) = page(old);
        short.put(key("/"), short.generation(), headers, body);
        assert!(short.get(&key("/")).is_none(), "out of date after its time");
    }
}
