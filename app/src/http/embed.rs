//! The embeddable catalogue: one school's upcoming runs as a small page made to sit in an
//! iframe on a municipal or partner site, in the school's colour, each run linking to its
//! sign-up. It works without JavaScript on either side; with JavaScript it tells the host
//! page its height, and `/indlejr/skoler/{slug}.js` is a one-line snippet that inserts the
//! iframe and follows that height.
//!
//! The page is plain HTML built here (no hydration, no site header) so it is light and can be
//! framed by any site; every other page refuses framing.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::format;
use crate::i18n::Locale;
use crate::rules::catalogue::availability::{Availability, availability_text};
use crate::rules::catalogue::filter::CatalogueFilter;
use crate::rules::embed::{fitting_height, parse_colour, text_on};
use crate::services::mail::compose::escape as esc;
use crate::services::state::AppState;
use crate::tr;

/// Most runs an embed lists.
pub const MAX_RUNS: usize = 50;
use crate::services::embed::DEFAULT_RUNS;

/// How many runs to list, from `antal`.
fn count_of(q: &[(String, String)]) -> usize {
    q.iter()
        .find(|(k, _)| k == "antal")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .map_or(DEFAULT_RUNS, |n| n.clamp(1, MAX_RUNS))
}

/// `GET /indlejr/skoler/{slug}`: the embedded list. `antal` caps the number of runs (1–50).
/// `GET /indlejr/skoler/{slug}.js` is the script snippet's code.
pub async fn page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    if slug.ends_with(".js") {
        return script(&state, &slug).await;
    }
    let l = Locale::Da;
    let found = match crate::services::school_data::school(&state.db, &slug).await {
        Ok(Some(s)) => s,
        Ok(None) => return (StatusCode::NOT_FOUND, "Skolen findes ikke.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "embed: could not read the school");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let filter = CatalogueFilter {
        school: Some(found.slug.clone()),
        ..Default::default()
    };
    let runs =
        match crate::services::catalogue::matching_runs(&state.db, &filter, chrono::Utc::now())
            .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "embed: could not read the runs");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
    let base = state.public_url.as_str();
    let colour = parse_colour(&found.colour).unwrap_or_else(|| "#1f5f5b".into());
    let on = text_on(&colour);
    let shown = count_of(&q);
    let mut items = String::new();
    for r in runs.iter().take(shown) {
        let when = r
            .next_session
            .as_ref()
            .map(|s| format::session_when(l, s.starts, s.ends))
            .unwrap_or_default();
        let sessions = r.active_sessions();
        let sessions_text = if sessions == 1 {
            tr!(l, "embed.one_session")
        } else {
            tr!(l, "embed.sessions", count = sessions)
        };
        let place = r
            .place
            .as_ref()
            .map(|p| {
                if p.online {
                    tr!(l, "embed.online")
                } else {
                    [Some(p.name.clone()), p.city.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            })
            .unwrap_or_default();
        let action = match r.availability {
            Availability::Open { .. } => Some(tr!(l, "course.signup")),
            Availability::Waitlist => Some(tr!(l, "course.signup_waitlist")),
            _ => None,
        };
        let action = action
            .map(|label| {
                format!(
                    "<p><a class=\"go\" href=\"{base}/hold/{}/tilmelding\" target=\"_top\">{}<span class=\"vh\"> – {}</span></a></p>",
                    r.id,
                    esc(&label),
                    esc(&r.course_title)
                )
            })
            .unwrap_or_default();
        items.push_str(&format!(
            "<li><article aria-labelledby=\"k{id}\"><h2 id=\"k{id}\"><a href=\"{base}/kurser/{slug}#hold-{id}\" target=\"_top\">{title}</a></h2><p>{summary}</p><dl><dt>Første gang</dt><dd>{when}</dd><dt>Omfang</dt><dd>{sessions_text}</dd><dt>Sted</dt><dd>{place}</dd><dt>Pladser</dt><dd>{seats}</dd></dl>{action}</article></li>",
            id = r.id,
            slug = esc(&r.course_slug),
            title = esc(&r.course_title),
            summary = esc(&r.course_summary),
            when = esc(&when),
            sessions_text = esc(&sessions_text),
            place = esc(&place),
            seats = esc(&availability_text(l, r.availability)),
        ));
    }
    let list = if items.is_empty() {
        format!("<p>{}</p>", esc(&tr!(l, "embed.none")))
    } else {
        format!("<ul class=\"runs\">{items}</ul>")
    };
    let more = format!(
        "<p class=\"more\"><a href=\"{base}/skoler/{}\" target=\"_top\">{}</a></p>",
        esc(&found.slug),
        esc(&tr!(l, "embed.all", school = found.name))
    );
    let title = tr!(l, "embed.title", school = found.name);
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>{title}</title>
<style>
:root{{--c:{colour};--on:{on}}}
*{{box-sizing:border-box}}
body{{margin:0;padding:1rem;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}}
h1{{font-size:1.25rem;margin:0 0 .75rem;padding:.5rem .75rem;background:var(--c);color:var(--on);border-radius:.375rem}}
.runs{{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}}
article{{border:1px solid #767676;border-left:.5rem solid var(--c);border-radius:.375rem;padding:.75rem 1rem}}
h2{{font-size:1.125rem;margin:0 0 .25rem}}
a{{color:#1a1a1a;text-underline-offset:.15em}}
a:focus-visible{{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 5px #fff}}
p{{margin:.25rem 0}}
dl{{display:grid;grid-template-columns:auto 1fr;gap:.125rem .75rem;margin:.5rem 0}}
dt{{font-weight:600}}dd{{margin:0}}
.go{{display:inline-block;padding:.5rem 1rem;background:var(--c);color:var(--on);border-radius:.375rem;text-decoration:none;font-weight:600}}
.go:hover{{text-decoration:underline}}
.vh{{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}}
.more{{margin-top:1rem}}
</style></head>
<body><main><h1>{heading}</h1>{list}{more}</main>
<script>(function(){{function h(){{parent.postMessage({{type:"skolebaenk-hoejde",height:document.documentElement.scrollHeight}},"*")}}addEventListener("load",h);addEventListener("resize",h)}})()</script>
</body></html>"#,
        title = esc(&title),
        heading = esc(&title),
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
            (header::CONTENT_SECURITY_POLICY, "frame-ancestors *"),
        ],
        html,
    )
        .into_response()
}

/// The script snippet's code: it puts the iframe after its own script tag and sets the
/// iframe's height to what the embedded page reports.
async fn script(state: &AppState, file: &str) -> Response {
    let Some(slug) = file
        .strip_suffix(".js")
        .filter(|s| crate::http::api_v1::query::is_slug(s))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let name = match crate::services::school_data::school(&state.db, slug).await {
        Ok(Some(s)) => s.name,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "embed script: could not read the school");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let origin = serde_json::to_string(&state.public_url).unwrap_or_default();
    let src = serde_json::to_string(&format!("{}/indlejr/skoler/{slug}", state.public_url))
        .unwrap_or_default();
    let title =
        serde_json::to_string(&tr!(Locale::Da, "embed.title", school = name)).unwrap_or_default();
    let js = format!(
        "(function(){{var s=document.currentScript;if(!s)return;var f=document.createElement(\"iframe\");f.src={src};f.title={title};f.width=\"100%\";f.height=\"{h}\";f.style.border=\"0\";f.setAttribute(\"loading\",\"lazy\");s.parentNode.insertBefore(f,s.nextSibling);addEventListener(\"message\",function(e){{if(e.origin!=={origin}||e.source!==f.contentWindow)return;var d=e.data;if(d&&d.type===\"skolebaenk-hoejde\"&&d.height>0&&d.height<20000)f.height=String(Math.ceil(d.height));}});}})();",
        h = fitting_height(3),
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        js,
    )
        .into_response()
}
