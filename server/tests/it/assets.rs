//! The bundle's files under hashed names: pages name them, they come from memory with a year's
//! caching, precompressed when the browser takes it, and a name of another build is not served.

use crate::common::Backend;
use crate::common::spawn_app_configured;

fn site() -> std::path::PathBuf {
    let n: u64 = rand::random();
    let root = std::env::temp_dir().join(format!("skolebaenk_site_{n:016x}"));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg folder");
    std::fs::write(pkg.join("skolebaenk.js"), "export default function () {}").expect("js");
    std::fs::write(pkg.join("skolebaenk_bg.wasm"), b"\0asm-raw").expect("wasm");
    std::fs::write(pkg.join("skolebaenk.css"), "body { color: black }").expect("css");
    // Written after their files, as the build does.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(pkg.join("skolebaenk_bg.wasm.br"), b"brotli-bytes").expect("br");
    std::fs::write(pkg.join("skolebaenk_bg.wasm.gz"), b"gzip-bytes").expect("gz");
    root
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundle_files_have_hashed_names_and_a_long_life() {
    let root = site();
    let site_root = root.clone();
    let app = spawn_app_configured(Backend::Sqlite, true, move |c| {
        c.site_root = site_root;
    })
    .await;
    let (status, page) = app.get("/").await;
    assert_eq!(status, 200);
    let find = |prefix: &str, ext: &str| {
        page.split(&format!("/pkg/{prefix}."))
            .skip(1)
            .find_map(|rest| {
                let (hash, after) = rest.split_once('.')?;
                (after.starts_with(ext) && hash.len() == 16)
                    .then(|| format!("/pkg/{prefix}.{hash}.{ext}"))
            })
            .unwrap_or_else(|| panic!("no hashed {prefix}.{ext} in the page"))
    };
    let wasm = find("skolebaenk_bg", "wasm");
    let js = find("skolebaenk", "js");
    let css = find("skolebaenk", "css");

    let get = |path: String, encoding: Option<&'static str>| {
        let mut request = app.client.get(format!("{}{path}", app.base));
        if let Some(e) = encoding {
            request = request.header("accept-encoding", e);
        }
        request.send()
    };
    let br = get(wasm.clone(), Some("gzip, br")).await.expect("wasm");
    assert_eq!(br.status().as_u16(), 200);
    assert_eq!(
        br.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["content-type"], "application/wasm");
    assert_eq!(br.bytes().await.expect("body").as_ref(), b"brotli-bytes");
    let gz = get(wasm.clone(), Some("gzip")).await.expect("wasm");
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.expect("body").as_ref(), b"gzip-bytes");
    let raw = get(wasm.clone(), Some("br;q=0, identity"))
        .await
        .expect("wasm");
    assert!(raw.headers().get("content-encoding").is_none());
    assert_eq!(raw.bytes().await.expect("body").as_ref(), b"\0asm-raw");
    for path in [js, css] {
        let r = get(path.clone(), None).await.expect("file");
        assert_eq!(r.status().as_u16(), 200, "{path}");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
    }

    // Another build's name is not this build's file; the plain name still works.
    let (status, _) = app.get("/pkg/skolebaenk_bg.0123456789abcdef.wasm").await;
    assert_eq!(status, 404);
    let plain = get("/pkg/skolebaenk_bg.wasm".into(), None)
        .await
        .expect("plain");
    assert_eq!(plain.status().as_u16(), 200);
    assert_ne!(
        plain
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("public, max-age=31536000, immutable")
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(root);
}
