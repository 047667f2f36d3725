//! `/api`: the API described for people: how to start, keys, retries, webhooks and their
//! signature, the embedded catalogue, every operation (read from the OpenAPI document) and
//! every error code.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::load::loaded;
use crate::dto::api_reference::{ERROR_CODES, OperationDto};
use crate::i18n::use_locale;
use crate::server_fns::api_reference::api_reference;
use crate::tr;

/// A translation key from an identifier: lower case, one `_` for each run of anything but
/// letters and digits.
fn key_part(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

fn operation_id(op: &OperationDto) -> String {
    let path = key_part(op.path.trim_start_matches("/api/v1/")).replace('_', "-");
    format!("op-{}-{path}", op.method.to_lowercase())
}

#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(|| (), |()| api_reference());
    view! {
        <Title text=tr!(l, "apidoc.title")/>
        <div class="page-intro">
            <h1>{tr!(l, "apidoc.title")}</h1>
            <p class="lead">{tr!(l, "apidoc.intro")}</p>
        </div>
        {loaded(data, move |d| {
            let example = format!("curl {}/api/v1/runs?school=randers&per_page=5", d.base_url);
            let spec = format!("{}/api/v1/openapi.json", d.base_url);
            let tags: Vec<String> = {
                let mut t: Vec<String> = Vec::new();
                for op in &d.operations {
                    if !t.contains(&op.tag) {
                        t.push(op.tag.clone());
                    }
                }
                t
            };
            view! {
                <div class="prose">
                    <h2>{tr!(l, "apidoc.h_start")}</h2>
                    <p>{tr!(l, "apidoc.p_start", version = d.version.clone())}</p>
                    <pre class="code" tabindex="0"><code>{example}</code></pre>
                    <p>{tr!(l, "apidoc.p_spec")}" "<a href="/api/v1/openapi.json">{spec}</a></p>
                    <h2>{tr!(l, "apidoc.h_keys")}</h2>
                    <p>{tr!(l, "apidoc.p_keys")}</p>
                    <pre class="code" tabindex="0"><code>"Authorization: Bearer sbk_…"</code></pre>
                    <h2>{tr!(l, "apidoc.h_signup")}</h2>
                    <p>{tr!(l, "apidoc.p_signup")}</p>
                    <h2>{tr!(l, "apidoc.h_cache")}</h2>
                    <p>{tr!(l, "apidoc.p_cache")}</p>
                    <h2>{tr!(l, "apidoc.h_hooks")}</h2>
                    <p>{tr!(l, "apidoc.p_hooks")}</p>
                    <pre class="code" tabindex="0"><code>"Skolebaenk-Signature: t=1764000000,v1=5f2b…\nHMAC-SHA256(secret, \"1764000000.\" + body)"</code></pre>
                    <p>{tr!(l, "apidoc.p_hooks_verify")}</p>
                    <h2>{tr!(l, "apidoc.h_embed")}</h2>
                    <p>{tr!(l, "apidoc.p_embed")}</p>
                </div>
                <h2>{tr!(l, "apidoc.h_ops")}</h2>
                <nav aria-label=tr!(l, "apidoc.h_ops")>
                    <ul class="plain-list">
                        {d.operations.iter().map(|op| {
                            let href = format!("#{}", operation_id(op));
                            view! { <li><a href=href><code>{format!("{} {}", op.method, op.path)}</code></a></li> }
                        }).collect_view()}
                    </ul>
                </nav>
                {tags.into_iter().map(|tag| {
                    let ops: Vec<OperationDto> = d.operations.iter().filter(|o| o.tag == tag).cloned().collect();
                    view! {
                        <section class="api-group">
                            <h3>{tr!(l, format!("apidoc.tag.{}", key_part(&tag)).as_str())}</h3>
                            {ops.into_iter().map(|op| {
                                let id = operation_id(&op);
                                let id_text = id.clone();
                                let label = id.clone();
                                view! {
                                    <article class="api-op" aria-labelledby=label>
                                        <h4 id=id><code>{format!("{} {}", op.method, op.path)}</code></h4>
                                        <p>{tr!(l, format!("apidoc.op.{}", key_part(id_text.trim_start_matches("op-"))).as_str())}</p>
                                        {op.needs_key.then(|| view! { <p><strong>{tr!(l, "apidoc.needs_key")}</strong></p> })}
                                        {(!op.params.is_empty()).then(|| view! {
                                            <dl class="api-params">
                                                {op.params.iter().map(|p| view! {
                                                    <dt><code>{p.name.clone()}</code>" ("{p.place.clone()}{p.required.then(|| format!(", {}", tr!(l, "apidoc.required")))}")"</dt>
                                                    <dd>{tr!(l, format!("apidoc.param.{}", key_part(&p.name)).as_str())}</dd>
                                                }).collect_view()}
                                            </dl>
                                        })}
                                        {op.body.clone().map(|b| view! { <p>{tr!(l, "apidoc.body")}" "<code>{b}</code></p> })}
                                        <ul class="plain-list">
                                            {op.responses.iter().map(|r| view! {
                                                <li><code>{r.status.clone()}</code>" – "{tr!(l, format!("apidoc.status.s{}", r.status).as_str())}</li>
                                            }).collect_view()}
                                        </ul>
                                    </article>
                                }
                            }).collect_view()}
                        </section>
                    }
                }).collect_view()}
                <h2 id="fejl">{tr!(l, "apidoc.h_errors")}</h2>
                <p>{tr!(l, "apidoc.p_errors")}</p>
                <dl class="api-errors">
                    {ERROR_CODES.iter().map(|code| {
                        let id = format!("fejl-{code}");
                        view! {
                            <dt id=id><code>{*code}</code></dt>
                            <dd>{tr!(l, format!("apidoc.err.{code}").as_str())}</dd>
                        }
                    }).collect_view()}
                </dl>
            }.into_any()

        })}
    }
}
