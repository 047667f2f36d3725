//! The front page: upcoming runs and the filter form.
//!
//! The form is a GET form, so filters live in the URL: they can be shared, the back button
//! works, and without JavaScript the browser simply loads the new URL. With JavaScript the
//! router's `Form` turns the submit into a client-side navigation and only the results reload.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::components::load::LoadError;
use crate::components::load::loaded;
use crate::components::run::RunList;
use crate::dto::catalogue::CatalogueOptions;
use crate::format;
use crate::format::WEEKDAY_KEYS;
use crate::i18n::{Locale, use_locale};
use crate::rules::catalogue::filter::{CatalogueFilter, Mode, TimeOfDay, WEEKDAY_SLUGS};
use crate::rules::vocabulary::{Audience, Format};
use crate::server_fns::catalogue::{catalogue_runs, filter_choices};
use crate::tr;

/// The query parameters the catalogue reads.
const KEYS: [&str; 12] = [
    "q", "skole", "tema", "format", "for", "maaned", "fra", "til", "dag", "tid", "sted", "ledige",
];

/// Reads the filter from the URL's query.
pub fn filter_from_params(map: &ParamsMap) -> CatalogueFilter {
    let pairs: Vec<(&str, String)> = KEYS
        .iter()
        .flat_map(|k| {
            map.get_all(k)
                .unwrap_or_default()
                .into_iter()
                .map(move |v| (*k, v))
        })
        .collect();
    CatalogueFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from_params));
    let options = Resource::new(|| (), |_| filter_choices());
    let runs = Resource::new(move || filter.get(), catalogue_runs);

    // After a filter change in the browser, a status line tells screen readers the new count.
    // Effects run only in the browser, and the first result (the page as loaded) is not
    // announced, so server and browser render the same empty line.
    let announcement = RwSignal::new(String::new());
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        if let Some(Ok(list)) = runs.get() {
            if first.get_value() {
                first.set_value(false);
            } else {
                announcement.set(results_text(l, list.len()));
            }
        }
    });

    view! {
        <Title text=tr!(l, "catalogue.title")/>
        <div class="page-intro">
            <h1>{tr!(l, "catalogue.title")}</h1>
            <p class="lead">{tr!(l, "catalogue.intro")}</p>
        </div>
        <p class="to-results"><a href="#resultater">{tr!(l, "catalogue.to_results")}</a></p>
        <div class="catalogue">
            {loaded(options, move |options| view! { <FilterForm options filter/> })}
            <section class="results" aria-labelledby="resultater">
                <p class="visually-hidden" role="status">{move || announcement.get()}</p>
                <Transition fallback=move || view! { <p>{tr!(l, "catalogue.loading")}</p> }>
                    {move || Suspend::new(async move {
                        match runs.await {
                            Ok(list) => {
                                let n = list.len();
                                view! {
                                    <h2 id="resultater" class="results-heading">{results_text(l, n)}</h2>
                                    {if n == 0 {
                                        view! { <p class="notice">{tr!(l, "catalogue.none")}</p> }.into_any()
                                    } else {
                                        view! { <RunList runs=list/> }.into_any()
                                    }}
                                }
                                .into_any()
                            }
                            Err(error) => view! {
                                <h2 id="resultater" class="results-heading">{tr!(l, "catalogue.title")}</h2>
                                <LoadError error/>
                            }
                            .into_any(),
                        }
                    })}
                </Transition>
            </section>
        </div>
    }
}

/// "19 hold fundet" / "1 hold fundet".
fn results_text(l: Locale, n: usize) -> String {
    if n == 1 {
        tr!(l, "catalogue.results_one")
    } else {
        tr!(l, "catalogue.results_many", count = n)
    }
}

/// One checkbox of a repeated query parameter (`name=value`), checked while `on` holds: as an
/// attribute in the server's HTML, as a property after client-side navigation.
fn check_box(
    name: &'static str,
    value: &'static str,
    label: String,
    on: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = format!("f-{name}-{value}");
    view! {
        <div class="check">
            <input id=id.clone() type="checkbox" name=name value=value checked=on() prop:checked=on/>
            <label for=id>{label}</label>
        </div>
    }
}

fn select_options(
    choices: Vec<(String, String)>,
    selected: Option<String>,
    any: String,
) -> impl IntoView {
    view! {
        <option value="" selected=selected.is_none()>{any}</option>
        {choices
            .into_iter()
            .map(|(value, label)| {
                let is = selected.as_deref() == Some(value.as_str());
                view! { <option value=value selected=is>{label}</option> }
            })
            .collect_view()}
    }
}

/// The filter form. Its fields follow the URL, also when the back button changes it.
#[component]
fn FilterForm(options: CatalogueOptions, filter: Memo<CatalogueFilter>) -> impl IntoView {
    let l = use_locale();
    let f = filter.get_untracked();
    let theme_label = move |da: &str, en: &str| match l {
        Locale::Da => da.to_string(),
        Locale::En => en.to_string(),
    };

    let schools: Vec<(String, String)> = options
        .schools
        .iter()
        .map(|s| (s.slug.clone(), s.name.clone()))
        .collect();
    let themes: Vec<(String, String)> = options
        .themes
        .iter()
        .map(|t| (t.slug.clone(), theme_label(&t.name_da, &t.name_en)))
        .collect();
    let formats: Vec<(String, String)> = Format::ALL
        .iter()
        .map(|f| (f.slug().to_string(), tr!(l, f.label_key())))
        .collect();
    let audiences: Vec<(String, String)> = Audience::ALL
        .iter()
        .filter(|a| **a != Audience::Everyone)
        .map(|a| (a.slug().to_string(), tr!(l, a.label_key())))
        .collect();
    let months: Vec<(String, String)> = options
        .months
        .iter()
        .map(|m| (format::month_value(*m), format::month_label(l, *m)))
        .collect();
    let modes = vec![
        (
            Mode::Physical.slug().to_string(),
            tr!(l, "catalogue.physical"),
        ),
        (Mode::Online.slug().to_string(), tr!(l, "catalogue.online")),
    ];
    let any = tr!(l, "catalogue.any");

    // The less used choices fold away, so a phone shows a short form; they stay open while any
    // of them is in use.
    let more_open = f.format.is_some()
        || f.audience.is_some()
        || f.month.is_some()
        || f.from.is_some()
        || f.to.is_some()
        || !f.weekdays.is_empty()
        || !f.times.is_empty()
        || f.mode.is_some();

    let date_value = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };

    view! {
        <Form method="get" action="/" attr:class="filters" attr:aria-labelledby="filtre" attr:autocomplete="off">
            <h2 id="filtre" class="filters-heading">{tr!(l, "catalogue.filters")}</h2>
            <div class="field">
                <label for="f-q">{tr!(l, "catalogue.search")}</label>
                <input id="f-q" name="q" type="search" maxlength="100" autocomplete="off"
                    aria-describedby="f-q-hint"
                    value=f.q.clone().unwrap_or_default()
                    prop:value=move || filter.with(|f| f.q.clone().unwrap_or_default())/>
                <p id="f-q-hint" class="hint">{tr!(l, "catalogue.search_hint")}</p>
            </div>
            <div class="field">
                <label for="f-skole">{tr!(l, "catalogue.school")}</label>
                <select id="f-skole" name="skole" prop:value=move || filter.with(|f| f.school.clone().unwrap_or_default())>{select_options(schools, f.school.clone(), any.clone())}</select>
            </div>
            <div class="field">
                <label for="f-tema">{tr!(l, "catalogue.theme")}</label>
                <select id="f-tema" name="tema" prop:value=move || filter.with(|f| f.theme.clone().unwrap_or_default())>{select_options(themes, f.theme.clone(), any.clone())}</select>
            </div>
            <div class="check">
                <input id="f-ledige" type="checkbox" name="ledige" value="ja"
                    checked=f.free_seats prop:checked=move || filter.with(|f| f.free_seats)/>
                <label for="f-ledige">{tr!(l, "catalogue.free_seats")}</label>
            </div>
            <details class="more-filters" open=more_open>
                <summary>{tr!(l, "catalogue.more")}</summary>
                <div class="field">
                    <label for="f-format">{tr!(l, "catalogue.format")}</label>
                    <select id="f-format" name="format" prop:value=move || filter.with(|f| f.format.map(|x| x.slug().to_string()).unwrap_or_default())>
                        {select_options(formats, f.format.map(|x| x.slug().to_string()), any.clone())}
                    </select>
                </div>
                <div class="field">
                    <label for="f-for">{tr!(l, "catalogue.audience")}</label>
                    <select id="f-for" name="for" prop:value=move || filter.with(|f| f.audience.map(|x| x.slug().to_string()).unwrap_or_default())>
                        {select_options(audiences, f.audience.map(|x| x.slug().to_string()), any.clone())}
                    </select>
                </div>
                <div class="field">
                    <label for="f-maaned">{tr!(l, "catalogue.month")}</label>
                    <select id="f-maaned" name="maaned" prop:value=move || filter.with(|f| f.month.map(format::month_value).unwrap_or_default())>
                        {select_options(months, f.month.map(format::month_value), any.clone())}
                    </select>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="f-fra">{tr!(l, "catalogue.from")}</label>
                        <input id="f-fra" name="fra" type="date" value=date_value(f.from)
                            prop:value=move || filter.with(|f| date_value(f.from))/>
                    </div>
                    <div class="field">
                        <label for="f-til">{tr!(l, "catalogue.to")}</label>
                        <input id="f-til" name="til" type="date" value=date_value(f.to)
                            prop:value=move || filter.with(|f| date_value(f.to))/>
                    </div>
                </div>
                <fieldset class="field checks">
                    <legend>{tr!(l, "catalogue.weekday")}</legend>
                    {WEEKDAY_SLUGS.iter().enumerate().map(|(i, slug)| {
                        let on = move || filter.with(|f| f.weekdays.contains(&(i as u8)));
                        check_box("dag", slug, tr!(l, WEEKDAY_KEYS[i]), on)
                    }).collect_view()}
                </fieldset>
                <fieldset class="field checks">
                    <legend>{tr!(l, "catalogue.time_of_day")}</legend>
                    {TimeOfDay::ALL.iter().map(|t| {
                        let t = *t;
                        let on = move || filter.with(|f| f.times.contains(&t));
                        check_box("tid", t.slug(), tr!(l, t.label_key()), on)
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="f-sted">{tr!(l, "catalogue.place")}</label>
                    <select id="f-sted" name="sted" prop:value=move || filter.with(|f| f.mode.map(|m| m.slug().to_string()).unwrap_or_default())>
                        {select_options(modes, f.mode.map(|m| m.slug().to_string()), any.clone())}
                    </select>
                </div>
            </details>
            <div class="form-actions">
                <button type="submit" class="button">{tr!(l, "catalogue.apply")}</button>
                <a class="button-link" href="/">{tr!(l, "catalogue.reset")}</a>
            </div>
        </Form>
    }
}
