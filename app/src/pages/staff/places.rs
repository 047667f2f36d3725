//! `/personale/skoler/:school/steder/:place`: one of a school's places, with its address,
//! step-free access and facilities, or online with its platform.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use super::{StaffView, field, query_notice, staff_page, success_in, text_area};
use crate::components::form::refusal_notice;
use crate::dto::staff::places::{PlaceEditorDto, PlaceForm, PlaceRefusal, TEXT_MAX};
use crate::error::AppError;
use crate::i18n::{Locale, use_locale};
use crate::rules::vocabulary::StepFree;
use crate::server_fns::staff::account::me;
use crate::server_fns::staff::places::{DeletePlace, RetirePlace, SavePlace, place_editor};
use crate::server_fns::staff::schools::school_page;
use crate::tr;

const SUCCESSES: &[(&str, &str)] = &[
    ("gemt", "staff.places.saved"),
    ("pensioneret", "staff.places.retired"),
    ("genbrugt", "staff.places.restored"),
];

/// `/personale/skoler/:school/steder/:place` (`ny` for a new place).
#[component]
pub fn PlaceEditorPage() -> impl IntoView {
    let l = use_locale();
    let (school, place) = use_params_map().with_untracked(|p| {
        let number = |key: &str| p.get(key).and_then(|v| v.parse::<i32>().ok());
        let place = match p.get("place").as_deref() {
            Some("ny") => Some(0),
            _ => number("place"),
        };
        (number("school").unwrap_or(-1), place.unwrap_or(-1))
    });
    let ok = success_in(SUCCESSES);
    let data = Resource::new(
        move || (school, place),
        |(school, place)| async move {
            Ok::<_, AppError>((me().await?, place_editor(school, place).await?))
        },
    );
    staff_page(data, move |(_, d)| editor_view(l, d, ok.clone()))
}

fn editor_view(l: Locale, d: PlaceEditorDto, ok: Option<String>) -> StaffView {
    let title = match d.id {
        Some(_) => d.form.name.clone(),
        None => tr!(l, "staff.places.new_title"),
    };
    let manage = d.id.map(|id| manage_section(l, id, d.retired, d.used));
    StaffView::new(title)
        .crumbs(view! {
            <a href=school_page(Some(d.school_id))>{tr!(l, "staff.places.back", school = d.school_name.clone())}</a>
        })
        .lead(tr!(l, "staff.places.intro"))
        .notices(view! {
            {refusal_notice::<PlaceRefusal>(l)}
            {query_notice(l, ok, SUCCESSES, true)}
            {(d.coming_sessions > 0).then(|| view! {
                <p class="hint">{tr!(l, "staff.places.coming", count = d.coming_sessions)}</p>
            })}
        })
        .body(view! {
            {place_form(l, d.id, d.form)}
            {manage}
        })
}

/// A check box that posts "ja" when ticked.
fn tick(id: &'static str, name: &'static str, label: String, value: &str) -> impl IntoView + use<> {
    let checked = value == "ja";
    view! {
        <label class="check" for=id>
            <input id=id type="checkbox" name=name value="ja" checked=checked/>
            {label}
        </label>
    }
}

/// A radio button of a group.
fn choice(
    id: &'static str,
    name: &'static str,
    value: &'static str,
    label: String,
    chosen: bool,
) -> impl IntoView {
    view! {
        <label class="check" for=id>
            <input id=id type="radio" name=name value=value checked=chosen/>
            {label}
        </label>
    }
}

fn place_form(l: Locale, id: Option<i32>, f: PlaceForm) -> impl IntoView {
    let t = |key: &str| tr!(l, key);
    let online = f.online == "ja";
    let submit = if id.is_some() {
        t("staff.places.save")
    } else {
        t("staff.places.create")
    };
    let step = |s: StepFree, id: &'static str, key: &str| {
        choice(id, "step_free", s.slug(), t(key), f.step_free == s.slug())
    };
    view! {
        <form method="post" action=SavePlace::url() class="staff-form">
            <input type="hidden" name="school" value=f.school.clone()/>
            <input type="hidden" name="id" value=id.map(|i| i.to_string()).unwrap_or_default()/>
            {field("sted-navn", "name", t("staff.places.name"), "text", f.name.clone(), "off", Some(t("staff.places.name_hint")))}
            <fieldset class="field">
                <legend>{t("staff.places.kind")}</legend>
                {choice("sted-adresse-valg", "online", "", t("staff.places.kind_room"), !online)}
                {choice("sted-online-valg", "online", "ja", t("staff.places.kind_online"), online)}
                <p class="hint">{t("staff.places.online_note")}</p>
            </fieldset>
            {field("sted-platform", "platform", t("staff.places.platform"), "text", f.platform.clone(), "off", Some(t("staff.places.platform_hint")))}
            <fieldset>
                <legend>{t("staff.places.address")}</legend>
                {field("sted-vej", "street", t("staff.places.street"), "text", f.street.clone(), "street-address", None)}
                {field("sted-postnummer", "postal_code", t("staff.places.postal_code"), "text", f.postal_code.clone(), "postal-code", None)}
                {field("sted-by", "city", t("staff.places.city"), "text", f.city.clone(), "address-level2", None)}
                {field("sted-lokale", "room", t("staff.places.room"), "text", f.room.clone(), "off", Some(t("staff.places.room_hint")))}
                {field("sted-kort", "map_url", t("staff.places.map_url"), "url", f.map_url.clone(), "url", Some(t("staff.places.map_url_hint")))}
                {text_area("sted-vejvisning", "directions", t("staff.places.directions"), t("staff.places.directions_hint"), f.directions.clone(), 3, TEXT_MAX)}
            </fieldset>
            <fieldset>
                <legend>{t("staff.places.access")}</legend>
                <fieldset class="field">
                    <legend>{t("staff.places.step_free")}</legend>
                    {step(StepFree::Yes, "sted-trinfri-ja", "staff.places.step_free_yes")}
                    {step(StepFree::Partly, "sted-trinfri-delvist", "staff.places.step_free_partly")}
                    {step(StepFree::No, "sted-trinfri-nej", "staff.places.step_free_no")}
                </fieldset>
                {text_area("sted-adgang", "access_note", t("staff.places.access_note"), t("staff.places.access_note_hint"), f.access_note.clone(), 2, TEXT_MAX)}
                <fieldset class="field">
                    <legend>{t("staff.places.facilities")}</legend>
                    {tick("sted-toilet", "accessible_toilet", t("staff.places.accessible_toilet"), &f.accessible_toilet)}
                    {tick("sted-teleslynge", "hearing_loop", t("staff.places.hearing_loop"), &f.hearing_loop)}
                    {tick("sted-stille-rum", "quiet_room", t("staff.places.quiet_room"), &f.quiet_room)}
                </fieldset>
            </fieldset>
            <button type="submit" class="button">{submit}</button>
        </form>
    }
}

fn manage_section(l: Locale, id: i32, retired: bool, used: bool) -> impl IntoView {
    let (title, hint, button, value) = if retired {
        (
            "staff.places.restore_title",
            "staff.places.restore_hint",
            "staff.places.restore",
            "",
        )
    } else {
        (
            "staff.places.retire_title",
            "staff.places.retire_hint",
            "staff.places.retire",
            "ja",
        )
    };
    view! {
        <section aria-labelledby="i-brug" class="editor-section">
            <h2 id="i-brug">{tr!(l, title)}</h2>
            <p class="hint">{tr!(l, hint)}</p>
            <form method="post" action=RetirePlace::url() class="inline-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="retire" value=value/>
                <button type="submit" class="button-plain">{tr!(l, button)}</button>
            </form>
        </section>
        {(!used).then(|| view! {
            <section aria-labelledby="slet" class="editor-section">
                <h2 id="slet">{tr!(l, "staff.places.delete_title")}</h2>
                <p class="hint">{tr!(l, "staff.places.delete_hint")}</p>
                <form method="post" action=DeletePlace::url() class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button-plain">{tr!(l, "staff.places.delete")}</button>
                </form>
            </section>
        })}
    }
}
