//! `/personale/temaer`: the themes all schools share, for administrators.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::{StaffView, query_notice, staff_page, success_in};
use crate::components::form::refusal_notice;
use crate::dto::staff::themes::{NAME_MAX, ThemeForm, ThemeRefusal, ThemeRowDto};
use crate::error::AppError;
use crate::i18n::{Locale, use_locale};
use crate::server_fns::staff::account::me;
use crate::server_fns::staff::themes::{RetireTheme, SaveTheme, themes_page};
use crate::tr;

/// One labelled text input with an id of its own.
fn input(
    id: String,
    name: &'static str,
    label: String,
    value: String,
    hint: Option<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.as_ref().map(|_| hint_id.clone());
    let label_for = id.clone();
    view! {
        <div class="field">
            <label for=label_for>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input id=id name=name type="text" value=value maxlength=NAME_MAX.to_string() autocomplete="off" aria-describedby=described/>
        </div>
    }
}

/// The fields of a theme's form: `key` keeps the ids apart ("nyt" or the theme's id).
fn fields(l: Locale, key: &str, f: ThemeForm) -> impl IntoView + use<> {
    view! {
        {input(format!("tema-{key}-da"), "name_da", tr!(l, "staff.themes.name_da"), f.name_da, None)}
        {input(format!("tema-{key}-en"), "name_en", tr!(l, "staff.themes.name_en"), f.name_en, Some(tr!(l, "staff.themes.name_en_hint")))}
        {input(format!("tema-{key}-slug"), "slug", tr!(l, "staff.themes.slug"), f.slug, Some(tr!(l, "staff.themes.slug_hint")))}
    }
}

fn theme_card(l: Locale, t: ThemeRowDto, typed: Option<ThemeForm>) -> impl IntoView {
    let id = t.id;
    let form = typed
        .filter(|f| f.id.trim() == id.to_string())
        .unwrap_or_else(|| ThemeForm {
            id: id.to_string(),
            name_da: t.name_da.clone(),
            name_en: t.name_en.clone(),
            slug: t.slug.clone(),
        });
    let heading = format!("tema-{id}-navn");
    let save_label = tr!(l, "staff.themes.save_named", name = t.name_da.clone());
    let (retire_value, retire_text, retire_label) = if t.retired {
        (
            "",
            tr!(l, "staff.themes.restore"),
            tr!(l, "staff.themes.restore_named", name = t.name_da.clone()),
        )
    } else {
        (
            "ja",
            tr!(l, "staff.themes.retire"),
            tr!(l, "staff.themes.retire_named", name = t.name_da.clone()),
        )
    };
    view! {
        <article id=format!("tema-{id}") class="editor-section" aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{t.name_da.clone()}</h3>
            <p class="hint">
                {tr!(l, "staff.themes.used_by", count = t.courses)}
                {t.retired.then(|| view! { " "{tr!(l, "staff.themes.retired_note")} })}
            </p>
            <form method="post" action=SaveTheme::url() class="staff-form">
                <input type="hidden" name="id" value=id.to_string()/>
                {fields(l, &id.to_string(), form)}
                <button type="submit" class="button" aria-label=save_label>{tr!(l, "staff.themes.save")}</button>
            </form>
            <form method="post" action=RetireTheme::url() class="inline-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="retire" value=retire_value/>
                <button type="submit" class="button-plain" aria-label=retire_label>{retire_text}</button>
            </form>
        </article>
    }
}

const SUCCESSES: &[(&str, &str)] = &[
    ("gemt", "staff.themes.saved"),
    ("pensioneret", "staff.themes.retired"),
    ("genbrugt", "staff.themes.restored"),
];

#[component]
pub fn ThemesPage() -> impl IntoView {
    let l = use_locale();
    let ok = success_in(SUCCESSES);
    let data = Resource::new(
        || (),
        |()| async { Ok::<_, AppError>((me().await?, themes_page().await?)) },
    );
    staff_page(data, move |(_, d)| {
        let typed_new = d
            .typed
            .clone()
            .filter(|f| f.id.trim().is_empty())
            .unwrap_or_default();
        StaffView::new(tr!(l, "staff.themes.title"))
            .lead(tr!(l, "staff.themes.intro"))
            .notices(view! {
                {refusal_notice::<ThemeRefusal>(l)}
                {query_notice(l, ok.clone(), SUCCESSES, true)}
            })
            .body(view! {
                <section aria-labelledby="nyt-tema" class="narrow">
                    <h2 id="nyt-tema">{tr!(l, "staff.themes.new")}</h2>
                    <form method="post" action=SaveTheme::url() class="staff-form">
                        <input type="hidden" name="id" value=""/>
                        {fields(l, "nyt", typed_new)}
                        <button type="submit" class="button">{tr!(l, "staff.themes.create")}</button>
                    </form>
                </section>
                <section aria-labelledby="alle-temaer">
                    <h2 id="alle-temaer">{tr!(l, "staff.themes.all")}</h2>
                    {d.themes.into_iter().map(|t| theme_card(l, t, d.typed.clone())).collect_view()}
                </section>
            })
    })
}
