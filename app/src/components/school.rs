//! A school's contact details, as a block, as a line, and every school as a grid of cards. A
//! school without a phone number or opening hours shows none (no empty link).

use leptos::prelude::*;

use crate::dto::catalogue::SchoolDto;
use crate::i18n::use_locale;
use crate::tr;

/// Address and contact lines of a school.
#[component]
pub fn SchoolContact(school: SchoolDto) -> impl IntoView {
    let l = use_locale();
    let mailto = format!("mailto:{}", school.email);
    let tel = format!("tel:{}", school.phone.replace(' ', ""));
    view! {
        <dl class="contact-list">
            <div><dt>{tr!(l, "school.address")}</dt><dd>{school.street.clone()}", "{school.postal_code.clone()}" "{school.city.clone()}</dd></div>
            <div><dt>{tr!(l, "school.email")}</dt><dd><a href=mailto>{school.email.clone()}</a></dd></div>
            {(!school.phone.is_empty()).then(|| view! {
                <div><dt>{tr!(l, "school.phone")}</dt><dd><a href=tel>{school.phone.clone()}</a></dd></div>
            })}
            {(!school.opening_hours.is_empty()).then(|| view! {
                <div><dt>{tr!(l, "school.opening_hours")}</dt><dd>{school.opening_hours.clone()}</dd></div>
            })}
        </dl>
    }
}

/// Every school as a card with its contact details.
#[component]
pub fn SchoolGrid(schools: Vec<SchoolDto>) -> impl IntoView {
    view! {
        <ul class="school-grid">
            {schools.into_iter().map(|s| {
                let href = format!("/skoler/{}", s.slug);
                view! {
                    <li class="school-card">
                        <h2><a href=href>{s.name.clone()}</a></h2>
                        <SchoolContact school=s/>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The school's contact details in one short block.
#[component]
pub fn SchoolContactLine(school: SchoolDto) -> impl IntoView {
    let l = use_locale();
    let mailto = format!("mailto:{}", school.email);
    let tel = format!("tel:{}", school.phone.replace(' ', ""));
    view! {
        <section class="school-contact-line" aria-label=tr!(l, "signup.school_contact")>
            <h3>{tr!(l, "signup.school_contact")}</h3>
            <p>
                {school.name.clone()}<br/>
                <a href=mailto>{school.email.clone()}</a>
                {(!school.phone.is_empty()).then(|| view! { <br/><a href=tel>{school.phone.clone()}</a> })}
            </p>
        </section>
    }
}
