//! `/personale/profil` (the teacher profiles a person may edit) and `/personale/profil/:id`
//! (a profile's title, text in the teacher's own words, and photo).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::{StaffView, id_param, query_notice, staff_page};
use crate::components::form::refusal_notice;
use crate::dto::staff::pictures::PictureRefusal;
use crate::dto::staff::profile::{BIO_MAX, ProfileEditorDto, ProfileRefusal, TITLE_MAX};
use crate::i18n::use_locale;
use crate::server_fns::staff::profile::{SaveProfile, profile_editor, profile_list};
use crate::tr;

const SUCCESSES: &[(&str, &str)] = &[
    ("gemt", "staff.profile.saved"),
    ("billede-gemt", "staff.image.saved"),
    ("billede-fjernet", "staff.image.removed"),
];

/// `/personale/profil`.
#[component]
pub fn ProfileListPage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(|| (), |()| profile_list());
    staff_page(data, move |d| {
        StaffView::new(tr!(l, "staff.profile.list_title"))
            .lead(tr!(l, "staff.profile.list_intro"))
            .body(view! {
                <ul class="link-list">
                    {d.profiles.into_iter().map(|p| view! {
                        <li>
                            <a href=format!("/personale/profil/{}", p.id)>{p.name}</a>
                            " · "{tr!(l, p.kind.label_key())}
                            <span class="cell-sub">{p.school_name}{p.own.then(|| format!(" · {}", tr!(l, "staff.profile.yours")))}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })
    })
}

/// `/personale/profil/:id`.
#[component]
pub fn ProfileEditorPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let ok = query.with_untracked(|q| {
        q.get("billede")
            .map(|b| format!("billede-{b}"))
            .or_else(|| q.get("gemt").map(|_| "gemt".to_string()))
    });
    let data = Resource::new(move || id, profile_editor);
    staff_page(data, move |d| profile_view(d, ok.clone()))
}

fn profile_view(d: ProfileEditorDto, ok: Option<String>) -> StaffView {
    let l = use_locale();
    let title = if d.own {
        tr!(l, "staff.profile.own_title")
    } else {
        tr!(l, "staff.profile.title", name = d.name.clone())
    };
    let id = d.id.to_string();
    StaffView::new(title)
        .crumbs(view! { <a href="/personale/profil">{tr!(l, "staff.profile.back")}</a> })
        .lead(view! { {d.name.clone()}" · "{tr!(l, d.kind.label_key())}" · "{d.school_name.clone()} })
        .notices(view! {
            {refusal_notice::<ProfileRefusal>(l)}
            {refusal_notice::<PictureRefusal>(l)}
            {query_notice(l, ok, SUCCESSES, true)}
        })
        .body(view! {
        <section aria-labelledby="profil-tekst" class="editor-section">
            <h2 id="profil-tekst">{tr!(l, "staff.profile.text")}</h2>
            <p>{tr!(l, "staff.profile.text_intro")}</p>
            <form method="post" action=SaveProfile::url() class="staff-form">
                <input type="hidden" name="teacher_id" value=id.clone()/>
                <div class="field">
                    <label for="profil-titel">{tr!(l, "staff.profile.title_field")}</label>
                    <p class="hint" id="profil-titel-hint">{tr!(l, "staff.profile.title_hint")}</p>
                    <input id="profil-titel" name="title" type="text" maxlength=TITLE_MAX.to_string() value=d.title.clone() aria-describedby="profil-titel-hint"/>
                </div>
                <div class="field">
                    <label for="profil-bio">{tr!(l, "staff.profile.bio")}</label>
                    <p class="hint" id="profil-bio-hint">{tr!(l, "staff.profile.bio_hint", max = BIO_MAX)}</p>
                    <textarea id="profil-bio" name="bio" rows="8" maxlength=BIO_MAX.to_string() aria-describedby="profil-bio-hint">{d.bio.clone()}</textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button">{tr!(l, "staff.profile.save")}</button>
                </div>
            </form>
        </section>
        <section aria-labelledby="billede" class="editor-section">
            <h2 id="billede">{tr!(l, "staff.profile.photo")}</h2>
            {d.photo_url.clone().map(|src| view! {
                <img class="teacher-photo-large" src=src alt=tr!(l, "staff.profile.photo_alt", name = d.name.clone()) width="240" height="240"/>
            })}
            <form method="post" action="/personale/billede" enctype="multipart/form-data" class="staff-form">
                <input type="hidden" name="target" value="underviser"/>
                <input type="hidden" name="id" value=id.clone()/>
                <div class="field">
                    <label for="billede-fil">{tr!(l, "staff.image.file")}</label>
                    <p class="hint" id="billede-fil-hint">{tr!(l, "staff.image.file_hint")}</p>
                    <input id="billede-fil" name="billede" type="file" required accept="image/jpeg,image/png,image/webp" aria-describedby="billede-fil-hint"/>
                </div>
                <button type="submit" class="button button-secondary">{tr!(l, "staff.image.upload")}</button>
            </form>
            {d.photo_url.is_some().then(|| view! {
                <form method="post" action="/personale/billede" enctype="multipart/form-data" class="inline-form">
                    <input type="hidden" name="target" value="underviser"/>
                    <input type="hidden" name="id" value=id.clone()/>
                    <input type="hidden" name="fjern" value="ja"/>
                    <button type="submit" class="button-plain">{tr!(l, "staff.image.remove")}</button>
                </form>
            })}
        </section>
        })
}
