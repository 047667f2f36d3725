//! `/personale/integrationer`: API keys, webhooks and the embedded catalogue of the schools the
//! person coordinates. Every form is a plain post; a new key or secret is shown once.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::{StaffView, query_notice, staff_page};
use crate::components::form::refusal_notice;
use crate::dto::staff::integrations::{IntegrationRefusal, IntegrationsDto, SchoolIntegrationsDto};
use crate::error::AppError;
use crate::format;
use crate::i18n::{Locale, use_locale};
use crate::server_fns::staff::account::me;
use crate::server_fns::staff::integrations::{
    CreateApiKey, CreateWebhook, DeleteWebhook, EnableWebhook, RevokeApiKey, SetColour,
    integrations,
};
use crate::tr;

fn event_label(l: Locale, name: &str) -> String {
    tr!(
        l,
        format!("staff.hooks.ev.{}", name.replace('.', "_")).as_str()
    )
}

fn delivery_state(l: Locale, status: &str) -> String {
    tr!(l, format!("staff.hooks.state.{status}").as_str())
}

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let ok = query.with_untracked(|q| {
        ["tilbagekaldt", "til", "slettet", "farve"]
            .into_iter()
            .find(|k| q.get(k).is_some())
            .map(str::to_string)
    });
    let data = Resource::new(
        || (),
        |()| async { Ok::<_, AppError>((me().await?, integrations().await?)) },
    );
    staff_page(data, move |(_, d)| {
        StaffView::new(tr!(l, "staff.integrations.title"))
            .lead(tr!(l, "staff.integrations.intro"))
            .notices(view! {
                {refusal_notice::<IntegrationRefusal>(l)}
                {query_notice(l, ok.clone(), &[
                    ("tilbagekaldt", "staff.keys.revoked_ok"),
                    ("til", "staff.hooks.enabled_ok"),
                    ("slettet", "staff.hooks.deleted_ok"),
                    ("farve", "staff.embed.colour_ok"),
                ], true)}
            })
            .body(view! {
                <p><a href="/api">{tr!(l, "staff.integrations.docs")}</a></p>
                <SchoolSections d/>
            })
    })
}

#[component]
fn SchoolSections(d: IntegrationsDto) -> impl IntoView {
    let IntegrationsDto {
        schools,
        new_key,
        new_secret,
        events,
        ..
    } = d;
    let several = schools.len() > 1;
    schools
        .into_iter()
        .map(|s| {
            let key = new_key
                .clone()
                .filter(|(school, _)| *school == s.id)
                .map(|(_, k)| k);
            let secret = new_secret
                .clone()
                .filter(|(hook, _)| s.hooks.iter().any(|h| h.id == *hook));
            view! {
                <SchoolSection s several new_key=key new_secret=secret events=events.clone()/>
            }
        })
        .collect_view()
}

#[component]
fn SchoolSection(
    s: SchoolIntegrationsDto,
    several: bool,
    new_key: Option<String>,
    new_secret: Option<(i32, String)>,
    events: Vec<String>,
) -> impl IntoView {
    let l = use_locale();
    let id = s.id;
    let school_value = id.to_string();
    let heading = (several).then(|| view! { <h2 class="school-heading">{s.name.clone()}</h2> });
    let embed_id = format!("indlejring-{id}");
    let embed_id_label = embed_id.clone();
    let keys_id = format!("noegler-{id}");
    let keys_id_label = keys_id.clone();
    let hooks_id = format!("webhooks-{id}");
    let hooks_id_label = hooks_id.clone();
    let iframe = s.iframe_snippet.clone();
    let script = s.script_snippet.clone();
    let preview = format!("/indlejr/skoler/{}", s.slug);
    let colour_id = format!("farve-{id}");
    let iframe_id = format!("kode-iframe-{id}");
    let script_id = format!("kode-script-{id}");
    let key_name_id = format!("noegle-navn-{id}");
    let key_valid_id = format!("noegle-varighed-{id}");
    let hook_url_id = format!("webhook-adresse-{id}");
    let hook_url_hint = format!("webhook-adresse-{id}-hint");
    view! {
        {heading}
        <section aria-labelledby=embed_id_label class="integration">
            <h2 id=embed_id>{tr!(l, "staff.embed.title")}</h2>
            <p>{tr!(l, "staff.embed.intro")}</p>
            <form method="post" action=SetColour::url() class="staff-form inline-fields">
                <input type="hidden" name="school" value=school_value.clone()/>
                <div class="field">
                    <label for=colour_id.clone()>{tr!(l, "staff.embed.colour")}</label>
                    <input id=colour_id type="color" name="colour" value=s.colour.clone()/>
                </div>
                <button type="submit" class="button button-secondary">{tr!(l, "staff.embed.save_colour")}</button>
            </form>
            <p><a href=preview>{tr!(l, "staff.embed.preview")}</a></p>
            <div class="field">
                <label for=iframe_id.clone()>{tr!(l, "staff.embed.iframe")}</label>
                <textarea id=iframe_id readonly rows="3" class="code">{iframe}</textarea>
            </div>
            <div class="field">
                <label for=script_id.clone()>{tr!(l, "staff.embed.script")}</label>
                <textarea id=script_id readonly rows="2" class="code">{script}</textarea>
            </div>
        </section>

        <section aria-labelledby=keys_id_label class="integration">
            <h2 id=keys_id>{tr!(l, "staff.keys.title")}</h2>
            <p>{tr!(l, "staff.keys.intro")}</p>
            {if s.may_manage_keys { view! {
            {new_key.map(|k| view! {
                <div class="notice notice-ok" role="status" id="ny-noegle" tabindex="-1">
                    <p><strong>{tr!(l, "staff.keys.new")}</strong></p>
                    <p><code class="secret">{k}</code></p>
                    <p>{tr!(l, "staff.keys.new_once")}</p>
                </div>
            })}
            {if s.keys.is_empty() {
                view! { <p>{tr!(l, "staff.keys.none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-label=tr!(l, "staff.keys.title") tabindex="0">
                        <table class="staff-table">
                            <caption class="visually-hidden">{tr!(l, "staff.keys.title")}</caption>
                            <thead><tr>
                                <th scope="col">{tr!(l, "staff.keys.col_name")}</th>
                                <th scope="col">{tr!(l, "staff.keys.col_access")}</th>
                                <th scope="col">{tr!(l, "staff.keys.col_used")}</th>
                                <th scope="col">{tr!(l, "staff.keys.col_state")}</th>
                            </tr></thead>
                            <tbody>
                                {s.keys.iter().map(|k| {
                                    let revoke_label = tr!(l, "staff.keys.revoke_named", name = k.name.clone());
                                    let state = if let Some(at) = k.revoked {
                                        tr!(l, "staff.keys.revoked_at", when = format::date_time(l, at))
                                    } else if !k.live {
                                        tr!(l, "staff.keys.expired")
                                    } else if let Some(at) = k.expires {
                                        tr!(l, "staff.keys.expires", when = format::date_plain(l, at.date()))
                                    } else {
                                        tr!(l, "staff.keys.no_expiry")
                                    };
                                    view! {
                                        <tr>
                                            <th scope="row">{k.name.clone()}<span class="cell-sub"><code>{format!("{}…", k.prefix)}</code></span></th>
                                            <td>{if k.write { tr!(l, "staff.keys.write") } else { tr!(l, "staff.keys.read") }}</td>
                                            <td>{k.last_used.map_or_else(|| tr!(l, "staff.keys.never"), |t| format::date_time(l, t))}</td>
                                            <td>
                                                {state}
                                                {k.live.then(|| view! {
                                                    <form method="post" action=RevokeApiKey::url() class="inline-form">
                                                        <input type="hidden" name="school" value=id.to_string()/>
                                                        <input type="hidden" name="key" value=k.id.to_string()/>
                                                        <button type="submit" class="button-plain button-small" aria-label=revoke_label>{tr!(l, "staff.keys.revoke")}</button>
                                                    </form>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h3>{tr!(l, "staff.keys.create")}</h3>
            <form method="post" action=CreateApiKey::url() class="staff-form">
                <input type="hidden" name="school" value=school_value.clone()/>
                <div class="field">
                    <label for=key_name_id.clone()>{tr!(l, "staff.keys.name")}</label>
                    <input id=key_name_id type="text" name="name" maxlength="80" autocomplete="off"/>
                </div>
                <fieldset class="field">
                    <legend>{tr!(l, "staff.keys.access")}</legend>
                    <label class="check"><input type="radio" name="scope" value="read" checked/>{tr!(l, "staff.keys.read_long")}</label>
                    <label class="check"><input type="radio" name="scope" value="write"/>{tr!(l, "staff.keys.write_long")}</label>
                </fieldset>
                <div class="field">
                    <label for=key_valid_id.clone()>{tr!(l, "staff.keys.valid")}</label>
                    <select id=key_valid_id name="valid">
                        <option value="90">{tr!(l, "staff.keys.valid_90")}</option>
                        <option value="365" selected>{tr!(l, "staff.keys.valid_365")}</option>
                        <option value="aldrig">{tr!(l, "staff.keys.valid_never")}</option>
                    </select>
                </div>
                <button type="submit" class="button">{tr!(l, "staff.keys.create_button")}</button>
            </form>
            }.into_any() } else { view! {
                <p>{tr!(l, "staff.keys.coordinators_only")}</p>
            }.into_any() }}
        </section>

        <section aria-labelledby=hooks_id_label class="integration">
            <h2 id=hooks_id>{tr!(l, "staff.hooks.title")}</h2>
            <p>{tr!(l, "staff.hooks.intro")}</p>
            {new_secret.map(|(_, secret)| view! {
                <div class="notice notice-ok" role="status" id="ny-webhook" tabindex="-1">
                    <p><strong>{tr!(l, "staff.hooks.new")}</strong></p>
                    <p><code class="secret">{secret}</code></p>
                    <p>{tr!(l, "staff.hooks.new_once")}</p>
                </div>
            })}
            {if s.hooks.is_empty() {
                view! { <p>{tr!(l, "staff.hooks.none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-label=tr!(l, "staff.hooks.title") tabindex="0">
                        <table class="staff-table">
                            <caption class="visually-hidden">{tr!(l, "staff.hooks.title")}</caption>
                            <thead><tr>
                                <th scope="col">{tr!(l, "staff.hooks.col_url")}</th>
                                <th scope="col">{tr!(l, "staff.hooks.col_events")}</th>
                                <th scope="col">{tr!(l, "staff.hooks.col_state")}</th>
                            </tr></thead>
                            <tbody>
                                {s.hooks.iter().map(|h| {
                                    let state = if h.active {
                                        match h.last_success {
                                            Some(t) => tr!(l, "staff.hooks.active_since", when = format::date_time(l, t)),
                                            None => tr!(l, "staff.hooks.active"),
                                        }
                                    } else {
                                        tr!(l, "staff.hooks.inactive", when = h.disabled.map(|t| format::date_time(l, t)).unwrap_or_default())
                                    };
                                    let enable_label = tr!(l, "staff.hooks.enable_named", url = h.url.clone());
                                    let delete_label = tr!(l, "staff.hooks.delete_named", url = h.url.clone());
                                    view! {
                                        <tr>
                                            <th scope="row"><code>{h.url.clone()}</code></th>
                                            <td><ul class="plain-list">{h.events.iter().map(|e| view! { <li>{event_label(l, e)}</li> }).collect_view()}</ul></td>
                                            <td>
                                                {state}
                                                {(h.failures_in_row > 0).then(|| view! { <span class="cell-sub">{tr!(l, "staff.hooks.failures", count = h.failures_in_row)}</span> })}
                                                {(!h.active).then(|| view! {
                                                    <form method="post" action=EnableWebhook::url() class="inline-form">
                                                        <input type="hidden" name="school" value=id.to_string()/>
                                                        <input type="hidden" name="hook" value=h.id.to_string()/>
                                                        <button type="submit" class="button-plain button-small" aria-label=enable_label>{tr!(l, "staff.hooks.enable")}</button>
                                                    </form>
                                                })}
                                                <form method="post" action=DeleteWebhook::url() class="inline-form">
                                                    <input type="hidden" name="school" value=id.to_string()/>
                                                    <input type="hidden" name="hook" value=h.id.to_string()/>
                                                    <button type="submit" class="button-plain button-small" aria-label=delete_label>{tr!(l, "staff.hooks.delete")}</button>
                                                </form>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(!s.deliveries.is_empty()).then(|| view! {
                <h3>{tr!(l, "staff.hooks.deliveries")}</h3>
                <div class="table-scroll" role="region" aria-label=tr!(l, "staff.hooks.deliveries") tabindex="0">
                    <table class="staff-table">
                        <caption class="visually-hidden">{tr!(l, "staff.hooks.deliveries")}</caption>
                        <thead><tr>
                            <th scope="col">{tr!(l, "staff.col.when")}</th>
                            <th scope="col">{tr!(l, "staff.hooks.col_event")}</th>
                            <th scope="col">{tr!(l, "staff.hooks.col_state")}</th>
                        </tr></thead>
                        <tbody>
                            {s.deliveries.iter().map(|d| view! {
                                <tr>
                                    <td>{format::date_time(l, d.created)}</td>
                                    <td>{event_label(l, &d.event)}</td>
                                    <td>
                                        {delivery_state(l, &d.status)}
                                        <span class="cell-sub">{tr!(l, "staff.hooks.attempts", count = d.attempts)}
                                            {d.last_error.clone().filter(|_| d.status != "sent").map(|e| format!(" · {e}"))}
                                        </span>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <h3>{tr!(l, "staff.hooks.create")}</h3>
            <form method="post" action=CreateWebhook::url() class="staff-form">
                <input type="hidden" name="school" value=school_value/>
                <div class="field">
                    <label for=hook_url_id.clone()>{tr!(l, "staff.hooks.url")}</label>
                    <p class="hint" id=hook_url_hint.clone()>{tr!(l, "staff.hooks.url_hint")}</p>
                    <input id=hook_url_id type="url" name="url" maxlength="500" autocomplete="off" aria-describedby=hook_url_hint/>
                </div>
                <fieldset class="field">
                    <legend>{tr!(l, "staff.hooks.events")}</legend>
                    {events.iter().enumerate().map(|(i, e)| view! {
                        <label class="check"><input type="checkbox" name=format!("events[e{i}]") value="ja"/>{event_label(l, e)}</label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">{tr!(l, "staff.hooks.create_button")}</button>
            </form>
        </section>
    }
}
