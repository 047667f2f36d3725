//! `/personale/rapporter`: the report for koordinatorer and ledelse (a teacher sees their own
//! runs). A plain GET form chooses school, term or dates, course, format and theme. Charts are
//! SVG drawn on the server, each followed by its table, so they work without JavaScript, read
//! aloud, and print on A4. Every table can be downloaded as CSV.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{StaffView, staff_page};
use crate::components::results::ResultTables;
use crate::dto::staff::reports::{ReportDto, ReportQuery};
use crate::format;
use crate::i18n::{Locale, use_locale};
use crate::rules::reports::{Figures, question_label, summary};
use crate::server_fns::staff::reports::report;
use crate::tr;

const FORMATS: [&str; 6] = [
    "course",
    "series",
    "workshop",
    "theme_day",
    "talk",
    "drop_in",
];

#[component]
pub fn ReportPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let q = query.with_untracked(|q| ReportQuery::from_query(|k| q.get(k).unwrap_or_default()));
    let data = Resource::new(move || q.clone(), report);
    staff_page(data, move |d| {
        StaffView::new(tr!(l, "staff.reports.title"))
            .lead(tr!(l, "staff.reports.period", from = format::date_long(l, d.from), to = format::date_long(l, d.to)))
            .notices(d.error.as_ref().map(|_| view! {
                <p class="notice notice-error" role="alert" id="besked">{tr!(l, "staff.reports.err.selection")}</p>
            }))
            .body(view! {
                <p>{tr!(l, if d.own_runs { "staff.reports.intro_own" } else { "staff.reports.intro" })}</p>
                <SelectionForm d=d.clone()/>
                <Report d/>
            })
    })
}

#[component]
fn SelectionForm(d: ReportDto) -> impl IntoView {
    let l = use_locale();
    let select = move |id: &'static str,
                       name: &'static str,
                       label: String,
                       all: String,
                       options: Vec<(String, String)>,
                       chosen: String| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id name=name>
                    <option value="">{all}</option>
                    {options.into_iter().map(|(v, t)| {
                        let selected = v == chosen;
                        view! { <option value=v selected=selected>{t}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let terms = d
        .terms
        .iter()
        .map(|(v, _)| {
            let (y, half) = v.split_once('-').unwrap_or((v.as_str(), "1"));
            let key = if half == "1" {
                "staff.reports.spring"
            } else {
                "staff.reports.autumn"
            };
            (v.clone(), tr!(l, key, year = y))
        })
        .collect();
    let formats = FORMATS
        .iter()
        .map(|f| (f.to_string(), tr!(l, &format!("format.{f}"))))
        .collect();
    view! {
        <form method="get" action="/personale/rapporter" class="report-filter no-print" aria-label=tr!(l, "staff.reports.selection")>
            {(d.schools.len() > 1).then(|| select("r-skole", "skole", tr!(l, "staff.reports.school"), tr!(l, "staff.reports.all_schools"), d.schools.clone(), d.chosen.skole.clone()))}
            {select("r-termin", "termin", tr!(l, "staff.reports.term"), tr!(l, "staff.reports.current_term"), terms, d.chosen.termin.clone())}
            <fieldset class="date-range">
                <legend>{tr!(l, "staff.reports.or_dates")}</legend>
                <div class="field">
                    <label for="r-fra">{tr!(l, "staff.reports.from")}</label>
                    <input id="r-fra" name="fra" type="date" value=if d.chosen.termin.is_empty() { d.chosen.fra.clone() } else { String::new() }/>
                </div>
                <div class="field">
                    <label for="r-til">{tr!(l, "staff.reports.to")}</label>
                    <input id="r-til" name="til" type="date" value=if d.chosen.termin.is_empty() { d.chosen.til.clone() } else { String::new() }/>
                </div>
            </fieldset>
            {select("r-kursus", "kursus", tr!(l, "staff.reports.course"), tr!(l, "staff.reports.all_courses"), d.courses.clone(), d.chosen.kursus.clone())}
            {select("r-format", "format", tr!(l, "staff.reports.format"), tr!(l, "staff.reports.all_formats"), formats, d.chosen.format.clone())}
            {select("r-tema", "tema", tr!(l, "staff.reports.theme"), tr!(l, "staff.reports.all_themes"), d.themes.clone(), d.chosen.tema.clone())}
            <button type="submit" class="button">{tr!(l, "staff.reports.show")}</button>
        </form>
    }
}

/// A link to one table as CSV.
fn csv_link(l: Locale, d: &ReportDto, table: &'static str) -> impl IntoView + use<> {
    let mut q = d.chosen.clone();
    q.termin = String::new();
    let href = format!("/personale/rapport/csv?tabel={table}&{}", q.to_query());
    view! {
        <p class="no-print"><a href=href download>{tr!(l, "staff.reports.csv")}</a></p>
    }
}

#[component]
fn Report(d: ReportDto) -> impl IntoView {
    let l = use_locale();
    let f = d.figures.clone();
    let small_note = tr!(l, "staff.reports.small_note");
    view! {
        <p class="hint">{small_note}</p>
        <section aria-labelledby="noegletal">
            <h2 id="noegletal">{tr!(l, "staff.reports.key_figures")}</h2>
            <dl class="figures">
                {summary(&f).into_iter().map(|(key, cell)| view! {
                    <div><dt>{tr!(l, key)}</dt><dd>{cell.text()}</dd></div>
                }).collect_view()}
            </dl>
            {csv_link(l, &d, "noegletal")}
        </section>
        <AttendanceChart f=f.clone()/>
        {csv_link(l, &d, "fremmoede")}
        <p class="no-print"><a href=format!("/personale/rapport/csv?tabel=gange&{}", ReportQuery { termin: String::new(), ..d.chosen.clone() }.to_query()) download>{tr!(l, "staff.reports.csv_sessions")}</a></p>
        <CourseChart f=f.clone()/>
        {csv_link(l, &d, "kurser")}
        <RunTable f=f.clone()/>
        {csv_link(l, &d, "hold")}
        <MixTables f=f.clone()/>
        <div class="no-print">{csv_link(l, &d, "perspektiver")}{csv_link(l, &d, "kommuner")}</div>
        <EvaluationSection f=f.clone()/>
        {csv_link(l, &d, "evaluering")}
        {(!d.waiting_for_news.is_empty()).then(|| view! {
            <section aria-labelledby="venter-paa-besked">
                <h2 id="venter-paa-besked">{tr!(l, "staff.reports.waiting_for_news")}</h2>
                <p class="hint">{tr!(l, "staff.reports.waiting_for_news_hint")}</p>
                <div class="table-wrap" tabindex="0" role="region" aria-label=tr!(l, "staff.reports.waiting_for_news")>
                    <table>
                        <caption>{tr!(l, "staff.reports.waiting_for_news")}</caption>
                        <thead><tr>
                            <th scope="col">{tr!(l, "staff.reports.col.course")}</th>
                            <th scope="col">{tr!(l, "staff.reports.col.people")}</th>
                        </tr></thead>
                        <tbody>
                            {d.waiting_for_news.iter().map(|(course, c)| view! {
                                <tr><th scope="row">{course.clone()}</th><td>{c.text()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
        <p class="hint no-print">{tr!(l, "staff.reports.print_hint")}</p>
    }
}

/// Horizontal bars with their labels and values: `(label, value to draw, text)`.
fn bar_chart(
    id: &'static str,
    title: String,
    desc: String,
    rows: Vec<(String, Option<f64>, String)>,
    max: f64,
) -> impl IntoView {
    const W: f64 = 600.0;
    const LABEL: f64 = 250.0;
    const ROW: f64 = 34.0;
    let height = ROW * rows.len().max(1) as f64 + 8.0;
    let scale = if max > 0.0 {
        (W - LABEL - 90.0) / max
    } else {
        0.0
    };
    let title_id = format!("{id}-titel");
    let desc_id = format!("{id}-beskrivelse");
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {height}") role="img" aria-labelledby=labelled_by preserveAspectRatio="xMinYMin meet">
            <title id=title_id>{title}</title>
            <desc id=desc_id>{desc}</desc>
            {rows.into_iter().enumerate().map(|(i, (label, value, text))| {
                let y = 4.0 + ROW * i as f64;
                let short: String = if label.chars().count() > 22 {
                    format!("{}…", label.chars().take(21).collect::<String>())
                } else {
                    label
                };
                let w = value.map_or(0.0, |v| (v * scale).max(if v > 0.0 { 2.0 } else { 0.0 }));
                view! {
                    <g>
                        <text x="0" y=y + 23.0 class="chart-label">{short}</text>
                        <rect x=LABEL y=y + 4.0 width=w height=ROW - 10.0 class="chart-bar"/>
                        <text x=LABEL + w + 8.0 y=y + 23.0 class="chart-value">{text}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
fn AttendanceChart(f: Figures) -> impl IntoView {
    let l = use_locale();
    let period_label = |d: chrono::NaiveDate| {
        if f.monthly {
            format::month_label(l, d)
        } else {
            tr!(l, "staff.reports.week_of", date = format::date_plain(l, d))
        }
    };
    let rows: Vec<(String, Option<f64>, String)> = f
        .by_period
        .iter()
        .map(|p| (period_label(p.starts), p.present.value(), p.present.text()))
        .collect();
    let max = rows.iter().filter_map(|r| r.1).fold(0.0, f64::max);
    let title = tr!(l, "staff.reports.chart.attendance");
    view! {
        <section aria-labelledby="fremmoede">
            <h2 id="fremmoede">{title.clone()}</h2>
            {if f.by_period.is_empty() {
                view! { <p>{tr!(l, "staff.reports.no_sessions")}</p> }.into_any()
            } else {
                view! {
                    <figure>
                        {bar_chart("diagram-fremmoede", title.clone(), tr!(l, "staff.reports.chart.attendance_desc"), rows, max)}
                        <figcaption>{tr!(l, "staff.reports.chart.table_follows")}</figcaption>
                    </figure>
                    <div class="table-wrap" tabindex="0" role="region" aria-label={title.clone()}>
                        <table>
                            <caption>{title.clone()}</caption>
                            <thead><tr>
                                <th scope="col">{tr!(l, if f.monthly { "staff.reports.col.month" } else { "staff.reports.col.week" })}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.sessions")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.present")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.attendance")}</th>
                            </tr></thead>
                            <tbody>
                                {f.by_period.iter().map(|p| view! {
                                    <tr>
                                        <th scope="row">{period_label(p.starts)}</th>
                                        <td>{p.sessions}</td>
                                        <td>{p.present.text()}</td>
                                        <td>{p.rate.text()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CourseChart(f: Figures) -> impl IntoView {
    let l = use_locale();
    let title = tr!(l, "staff.reports.chart.fill");
    let rows: Vec<(String, Option<f64>, String)> = f
        .by_course
        .iter()
        .map(|c| (c.course.clone(), c.fill.value(), c.fill.text()))
        .collect();
    view! {
        <section aria-labelledby="fyld">
            <h2 id="fyld">{title.clone()}</h2>
            {if f.by_course.is_empty() {
                view! { <p>{tr!(l, "staff.reports.no_runs")}</p> }.into_any()
            } else {
                view! {
                    <figure>
                        {bar_chart("diagram-fyld", title.clone(), tr!(l, "staff.reports.chart.fill_desc"), rows, 100.0)}
                        <figcaption>{tr!(l, "staff.reports.chart.table_follows")}</figcaption>
                    </figure>
                    <div class="table-wrap" tabindex="0" role="region" aria-label={title.clone()}>
                        <table>
                            <caption>{title.clone()}</caption>
                            <thead><tr>
                                <th scope="col">{tr!(l, "staff.reports.col.course")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.runs")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.capacity")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.seats")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.fill")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.unmet")}</th>
                            </tr></thead>
                            <tbody>
                                {f.by_course.iter().map(|c| view! {
                                    <tr>
                                        <th scope="row">{c.course.clone()}</th>
                                        <td>{c.runs}</td>
                                        <td>{c.capacity}</td>
                                        <td>{c.seats.text()}</td>
                                        <td>{c.fill.text()}</td>
                                        <td>{c.unmet.text()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn RunTable(f: Figures) -> impl IntoView {
    let l = use_locale();
    let title = tr!(l, "staff.reports.runs");
    view! {
        <section aria-labelledby="hold">
            <h2 id="hold">{title.clone()}</h2>
            {if f.by_run.is_empty() {
                view! { <p>{tr!(l, "staff.reports.no_runs")}</p> }.into_any()
            } else {
                view! {
                    {(f.runs as usize > f.by_run.len()).then(|| view! {
                        <p class="hint">{tr!(l, "staff.reports.runs_latest", shown = f.by_run.len())}</p>
                    })}
                    <div class="table-wrap" tabindex="0" role="region" aria-label={title.clone()}>
                        <table>
                            <caption>{title.clone()}</caption>
                            <thead><tr>
                                <th scope="col">{tr!(l, "staff.reports.col.course")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.starts")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.sessions")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.seats")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.fill")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.unmet")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.attendance")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.completion")}</th>
                                <th scope="col">{tr!(l, "staff.reports.col.responses")}</th>
                            </tr></thead>
                            <tbody>
                                {f.by_run.iter().map(|r| view! {
                                    <tr>
                                        <th scope="row">{r.course.clone()}<span class="cell-sub">{r.school.clone()}</span></th>
                                        <td>{format::date_plain(l, r.starts)}</td>
                                        <td>{r.sessions}</td>
                                        <td>{r.seats.text()}{r.capacity.map(|c| format!(" / {c}"))}</td>
                                        <td>{r.fill.text()}</td>
                                        <td>{r.unmet.text()}</td>
                                        <td>{r.attendance.text()}</td>
                                        <td>{r.completion.text()}</td>
                                        <td>{r.responses.text()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn MixTables(f: Figures) -> impl IntoView {
    let l = use_locale();
    view! {
        <section aria-labelledby="blanding">
            <h2 id="blanding">{tr!(l, "staff.reports.mix")}</h2>
            <p>{tr!(l, "staff.reports.mix_intro")}</p>
            <div class="table-pair">
                <div class="table-wrap" tabindex="0" role="region" aria-label={tr!(l, "staff.reports.perspectives")}>
                    <table>
                        <caption>{tr!(l, "staff.reports.perspectives")}</caption>
                        <thead><tr>
                            <th scope="col">{tr!(l, "staff.reports.col.perspective")}</th>
                            <th scope="col">{tr!(l, "staff.reports.col.people")}</th>
                        </tr></thead>
                        <tbody>
                            {f.perspectives.iter().map(|(p, c)| view! {
                                <tr><th scope="row">{tr!(l, &format!("staff.reports.perspective.{p}"))}</th><td>{c.text()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <div class="table-wrap" tabindex="0" role="region" aria-label={tr!(l, "staff.reports.municipalities")}>
                    <table>
                        <caption>{tr!(l, "staff.reports.municipalities")}</caption>
                        <thead><tr>
                            <th scope="col">{tr!(l, "staff.reports.col.municipality")}</th>
                            <th scope="col">{tr!(l, "staff.reports.col.people")}</th>
                        </tr></thead>
                        <tbody>
                            {f.municipalities.iter().map(|(m, c)| view! {
                                <tr>
                                    <th scope="row">{if m.is_empty() { tr!(l, "staff.reports.not_given") } else { m.clone() }}</th>
                                    <td>{c.text()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        </section>
    }
}

#[component]
fn EvaluationSection(f: Figures) -> impl IntoView {
    let l = use_locale();
    let title = tr!(l, "staff.reports.evaluation");
    let rows: Vec<(String, Option<f64>, String)> = f
        .questions
        .iter()
        .filter(|q| q.kind == "likert")
        .map(|q| (question_label(l, q), q.mean.value(), q.mean.text()))
        .collect();
    view! {
        <section aria-labelledby="evaluering">
            <h2 id="evaluering">{title.clone()}</h2>
            <p>{tr!(l, "staff.reports.responses", count = f.responses.text())}</p>
            {(!rows.is_empty()).then(|| view! {
                <figure>
                    {bar_chart("diagram-evaluering", tr!(l, "staff.reports.chart.evaluation"), tr!(l, "staff.reports.chart.evaluation_desc"), rows, 5.0)}
                    <figcaption>{tr!(l, "staff.reports.chart.table_follows")}</figcaption>
                </figure>
            })}
            <ResultTables questions=f.questions.clone() free_texts=f.free_texts.clone()/>
        </section>
    }
}
