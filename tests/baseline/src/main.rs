//! `make bench`'s yardstick: a bare axum server that answers each of a few addresses with bytes
//! held in memory, the same bytes Skolebænk answered with. Its requests per second are what
//! this machine can do with no work per request but HTTP itself; the bench prints each page's
//! figure beside it.
//!
//! `baseline ADDR PATH=FILE [PATH=FILE …]` (`PATH` with its query, as requested; a `FILE`
//! ending in `.json` is sent as JSON, anything else as HTML).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::IntoResponse;

type Pages = Arc<HashMap<String, (&'static str, Bytes)>>;

async fn answer(State(pages): State<Pages>, uri: Uri) -> impl IntoResponse {
    let key = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    match pages.get(&key) {
        Some((kind, body)) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, *kind)],
            body.clone(),
        ),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain")],
            Bytes::new(),
        ),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().ok_or("usage: baseline ADDR PATH=FILE …")?;
    let mut pages = HashMap::new();
    for pair in args {
        // The path may hold `=` in its query; the file name does not.
        let (path, file) = pair.rsplit_once('=').ok_or("each page is PATH=FILE")?;
        let kind = if file.ends_with(".json") {
            "application/json"
        } else {
            "text/html; charset=utf-8"
        };
        pages.insert(path.to_string(), (kind, Bytes::from(std::fs::read(file)?)));
    }
    let app = axum::Router::new()
        .fallback(answer)
        .with_state(Arc::new(pages));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("baseline at http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
