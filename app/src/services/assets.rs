//! The bundle's files (`pkg/`: the WASM, its JS glue, the stylesheet) under names that carry a
//! hash of their content, so browsers may keep them for a year: a new build has new names.
//!
//! The server reads the files once at start-up and holds them in memory, with the brotli and
//! gzip versions the build wrote beside them (`skolebaenk.wasm.br`, `….gz`; `make run` and
//! `make bench` write them at the highest brotli quality, once, instead of compressing on every
//! request; a copy older than its file is of an earlier build and is left unused). Pages name the hashed addresses ([`Assets::url`]); a file missing at start-up (a
//! test without a built site) keeps its plain name and is served as before, from the folder.

use std::collections::HashMap;
use std::path::Path;

use axum::body::Bytes;
use sha2::{Digest, Sha256};

/// The files that get hashed names, as pages name them.
const FILES: [&str; 4] = [
    "skolebaenk.js",
    "skolebaenk.wasm",
    "skolebaenk_bg.wasm",
    "skolebaenk.css",
];

/// One file: its bytes, its compressed versions, and what it is.
#[derive(Clone, Debug)]
pub struct Asset {
    pub content_type: &'static str,
    pub raw: Bytes,
    pub brotli: Option<Bytes>,
    pub gzip: Option<Bytes>,
}

/// The bundle's files by hashed name, and the hashed name of each plain one.
#[derive(Clone, Debug, Default)]
pub struct Assets {
    by_hashed: HashMap<String, Asset>,
    hashed_of: HashMap<String, String>,
}

impl Assets {
    /// Reads the bundle's files from `pkg_dir`. Files that are not there are left out.
    pub fn load(pkg_dir: &Path) -> std::io::Result<Assets> {
        let mut assets = Assets::default();
        for name in FILES {
            let path = pkg_dir.join(name);
            let raw = match std::fs::read(&path) {
                Ok(raw) => raw,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            // A compressed copy older than its file is of an earlier build, and is not used.
            let built = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
            let read_beside = |ext: &str| {
                let beside = pkg_dir.join(format!("{name}.{ext}"));
                let written = std::fs::metadata(&beside).and_then(|m| m.modified()).ok();
                match (written, built) {
                    (Some(w), Some(b)) if w >= b => std::fs::read(&beside).ok().map(Bytes::from),
                    _ => None,
                }
            };
            let digest = Sha256::digest(&raw);
            let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            let hashed = format!("{stem}.{hash}.{ext}");
            assets.by_hashed.insert(
                hashed.clone(),
                Asset {
                    content_type: content_type(ext),
                    raw: Bytes::from(raw),
                    brotli: read_beside("br"),
                    gzip: read_beside("gz"),
                },
            );
            assets.hashed_of.insert(name.to_string(), hashed);
        }
        Ok(assets)
    }

    /// The address pages use for `name` (a file in `pkg/`): its hashed name when it was loaded,
    /// else its plain one.
    pub fn url(&self, name: &str) -> String {
        match self.hashed_of.get(name) {
            Some(hashed) => format!("/pkg/{hashed}"),
            None => format!("/pkg/{name}"),
        }
    }

    /// The file with this hashed name, if it is one of this build's.
    pub fn get(&self, hashed: &str) -> Option<&Asset> {
        self.by_hashed.get(hashed)
    }
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    }
}
