//! The front page: upcoming runs and the filter form.
//!
//! The form is a GET form, so filters live in the URL: they can be shared, the back button
//! works, and without JavaScript the browser simply loads the new URL. With JavaScript the
//! island [`LiveFilter`] keeps the page: it puts the new address in the history, fetches the
//! page the server renders for it and swaps in its results, and announces the new count.

use leptos::prelude::*;
use leptos_meta::Title;
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

    view! {
        <Title text=tr!(l, "catalogue.title")/>
        <div class="page-intro">
            <h1>{tr!(l, "catalogue.title")}</h1>
            <p class="lead">{tr!(l, "catalogue.intro")}</p>
        </div>
        <p class="to-results"><a href="#resultater">{tr!(l, "catalogue.to_results")}</a></p>
        <LiveFilter>
            {loaded(options, move |options| view! { <FilterForm options f=filter.get_untracked()/> })}
            <section class="results" aria-labelledby="resultater">
                // Empty as the page loads; the live filter writes the new count here.
                <p class="visually-hidden" role="status"></p>
                <div id="resultater-liste">
                    <Suspense fallback=move || view! { <p>{tr!(l, "catalogue.loading")}</p> }>
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
                    </Suspense>
                </div>
            </section>
        </LiveFilter>
    }
}

/// The filter form and the results. With JavaScript, a submit of the form (or its reset link)
/// does not leave the page: the new address goes into the history, the page the server renders
/// for it is fetched (from the page cache, mostly) and its results replace these, and the status
/// line announces the new count. The back and forward buttons bring back the results and the
/// form of their address. If anything fails, the browser simply loads the address.
#[island]
fn LiveFilter(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    live::follow_history();
    view! {
        <div class="catalogue"
            on:submit=|ev| {
                #[cfg(feature = "hydrate")]
                live::submitted(ev);
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
            on:click=|ev| {
                #[cfg(feature = "hydrate")]
                live::clicked(ev);
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }>
            {children()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod live {
    //! The live filter's work in the browser.

    use std::cell::{Cell, RefCell};

    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Document, DomParser, Element, FormData, HtmlFormElement, SupportedType, UrlSearchParams,
    };

    thread_local! {
        /// The address whose results are shown or being fetched (path and query).
        static SHOWN: RefCell<String> = const { RefCell::new(String::new()) };
        /// Counts the loads; only the latest one is shown when answers cross.
        static LOADS: Cell<u32> = const { Cell::new(0) };
    }

    fn here() -> String {
        let location = window().location();
        format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        )
    }

    /// The form's address as the browser would send it, without the empty fields.
    fn address(form: &HtmlFormElement) -> Option<String> {
        let data = FormData::new_with_form(form).ok()?;
        let query = String::from(
            UrlSearchParams::new_with_str_sequence_sequence(&data)
                .ok()?
                .to_string(),
        );
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.ends_with('='))
            .collect();
        let path = form
            .get_attribute("action")
            .filter(|a| a.starts_with('/'))
            .unwrap_or_else(|| "/".into());
        Some(if kept.is_empty() {
            path
        } else {
            format!("{path}?{}", kept.join("&"))
        })
    }

    pub fn submitted(ev: web_sys::SubmitEvent) {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            .filter(|f| f.class_list().contains("filters"))
        else {
            return;
        };
        let Some(url) = address(&form) else {
            return;
        };
        ev.prevent_default();
        go(url, false);
    }

    /// The form's reset link.
    pub fn clicked(ev: web_sys::MouseEvent) {
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|e| e.closest(".filters a.button-link").ok().flatten())
        else {
            return;
        };
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        let Some(url) = link.get_attribute("href") else {
            return;
        };
        ev.prevent_default();
        go(url, true);
    }

    fn go(url: String, with_form: bool) {
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url));
        }
        leptos::task::spawn_local(show(url, with_form));
    }

    /// The back and forward buttons: the results and the form of the address gone to.
    pub fn follow_history() {
        SHOWN.with(|s| *s.borrow_mut() = here());
        let handle = window_event_listener(leptos::ev::popstate, |_| {
            let url = here();
            if SHOWN.with(|s| *s.borrow() != url) {
                leptos::task::spawn_local(show(url, true));
            }
        });
        std::mem::forget(handle);
    }

    async fn show(url: String, with_form: bool) {
        // Set at once, so that the back button pressed while this loads goes back.
        SHOWN.with(|s| s.borrow_mut().clone_from(&url));
        let load = LOADS.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        let page = fetch_page(&url).await;
        if LOADS.with(Cell::get) != load {
            return;
        }
        let Some(page) = page else {
            let _ = window().location().set_href(&url);
            return;
        };
        swap(&page, "#resultater-liste");
        if with_form {
            swap(&page, "form.filters");
        }
        let count = document()
            .get_element_by_id("resultater")
            .and_then(|h| h.text_content())
            .unwrap_or_default();
        if let Ok(Some(status)) = document().query_selector(".results [role=status]") {
            status.set_text_content(Some(&count));
        }
    }

    async fn fetch_page(url: &str) -> Option<Document> {
        let response: web_sys::Response = JsFuture::from(window().fetch_with_str(url))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        if !response.ok() {
            return None;
        }
        let text = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        DomParser::new()
            .ok()?
            .parse_from_string(&text, SupportedType::TextHtml)
            .ok()
    }

    /// Puts the content of `selector` in `page` in place of this page's.
    fn swap(page: &Document, selector: &str) {
        if let (Ok(Some(old)), Ok(Some(new))) = (
            document().query_selector(selector),
            page.query_selector(selector),
        ) {
            old.set_inner_html(&new.inner_html());
        }
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

/// One checkbox of a repeated query parameter (`name=value`).
fn check_box(name: &'static str, value: &'static str, label: String, on: bool) -> impl IntoView {
    let id = format!("f-{name}-{value}");
    view! {
        <div class="check">
            <input id=id.clone() type="checkbox" name=name value=value checked=on/>
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

/// The filter form, filled in from the address.
#[component]
fn FilterForm(options: CatalogueOptions, f: CatalogueFilter) -> impl IntoView {
    let l = use_locale();
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
        <form method="get" action="/" class="filters" aria-labelledby="filtre" autocomplete="off">
            <h2 id="filtre" class="filters-heading">{tr!(l, "catalogue.filters")}</h2>
            <div class="field">
                <label for="f-q">{tr!(l, "catalogue.search")}</label>
                <input id="f-q" name="q" type="search" maxlength="100" autocomplete="off"
                    aria-describedby="f-q-hint"
                    value=f.q.clone().unwrap_or_default()/>
                <p id="f-q-hint" class="hint">{tr!(l, "catalogue.search_hint")}</p>
            </div>
            <div class="field">
                <label for="f-skole">{tr!(l, "catalogue.school")}</label>
                <select id="f-skole" name="skole">{select_options(schools, f.school.clone(), any.clone())}</select>
            </div>
            <div class="field">
                <label for="f-tema">{tr!(l, "catalogue.theme")}</label>
                <select id="f-tema" name="tema">{select_options(themes, f.theme.clone(), any.clone())}</select>
            </div>
            <div class="check">
                <input id="f-ledige" type="checkbox" name="ledige" value="ja" checked=f.free_seats/>
                <label for="f-ledige">{tr!(l, "catalogue.free_seats")}</label>
            </div>
            <details class="more-filters" open=more_open>
                <summary>{tr!(l, "catalogue.more")}</summary>
                <div class="field">
                    <label for="f-format">{tr!(l, "catalogue.format")}</label>
                    <select id="f-format" name="format">
                        {select_options(formats, f.format.map(|x| x.slug().to_string()), any.clone())}
                    </select>
                </div>
                <div class="field">
                    <label for="f-for">{tr!(l, "catalogue.audience")}</label>
                    <select id="f-for" name="for">
                        {select_options(audiences, f.audience.map(|x| x.slug().to_string()), any.clone())}
                    </select>
                </div>
                <div class="field">
                    <label for="f-maaned">{tr!(l, "catalogue.month")}</label>
                    <select id="f-maaned" name="maaned">
                        {select_options(months, f.month.map(format::month_value), any.clone())}
                    </select>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="f-fra">{tr!(l, "catalogue.from")}</label>
                        <input id="f-fra" name="fra" type="date" value=date_value(f.from)/>
                    </div>
                    <div class="field">
                        <label for="f-til">{tr!(l, "catalogue.to")}</label>
                        <input id="f-til" name="til" type="date" value=date_value(f.to)/>
                    </div>
                </div>
                <fieldset class="field checks">
                    <legend>{tr!(l, "catalogue.weekday")}</legend>
                    {WEEKDAY_SLUGS.iter().enumerate().map(|(i, slug)| {
                        check_box("dag", slug, tr!(l, WEEKDAY_KEYS[i]), f.weekdays.contains(&(i as u8)))
                    }).collect_view()}
                </fieldset>
                <fieldset class="field checks">
                    <legend>{tr!(l, "catalogue.time_of_day")}</legend>
                    {TimeOfDay::ALL.iter().map(|t| {
                        check_box("tid", t.slug(), tr!(l, t.label_key()), f.times.contains(t))
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="f-sted">{tr!(l, "catalogue.place")}</label>
                    <select id="f-sted" name="sted">
                        {select_options(modes, f.mode.map(|m| m.slug().to_string()), any.clone())}
                    </select>
                </div>
            </details>
            <div class="form-actions">
                <button type="submit" class="button">{tr!(l, "catalogue.apply")}</button>
                <a class="button-link" href="/">{tr!(l, "catalogue.reset")}</a>
            </div>
        </form>
    }
}
