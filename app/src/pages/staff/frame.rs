//! The frame every signed-in staff page shares: the title, `noindex`, the workspace menu with
//! the person signed in, an optional breadcrumb, the heading, the notices area (`#fejl`, where a
//! refused form's redirect points) and what the page shows when its data could not be loaded.
//! A page only says what is its own, as a [`StaffView`].

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::components::load::LoadError;
use crate::components::load::loaded_or;
use crate::dto::staff::{MeDto, SignedIn};
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::rules::access::{Action, Role};
use crate::server_fns::staff::sign_in::SignOut;
use crate::tr;

/// What one staff page shows inside the frame.
pub struct StaffView {
    title: String,
    heading: Option<String>,
    crumbs: Option<AnyView>,
    lead: Option<AnyView>,
    notices: Option<AnyView>,
    body: AnyView,
}

impl StaffView {
    /// A page whose title is also its heading.
    pub fn new(title: String) -> Self {
        Self {
            title,
            heading: None,
            crumbs: None,
            lead: None,
            notices: None,
            body: ().into_any(),
        }
    }

    /// A heading other than the title.
    #[must_use]
    pub fn heading(mut self, heading: String) -> Self {
        self.heading = Some(heading);
        self
    }

    /// Links back up, above the heading.
    #[must_use]
    pub fn crumbs(mut self, links: impl IntoView + 'static) -> Self {
        self.crumbs = Some(links.into_any());
        self
    }

    /// The line under the heading.
    #[must_use]
    pub fn lead(mut self, lead: impl IntoView + 'static) -> Self {
        self.lead = Some(lead.into_any());
        self
    }

    /// Refusals and confirmations, in the area a redirect's `#fejl` points to.
    #[must_use]
    pub fn notices(mut self, notices: impl IntoView + 'static) -> Self {
        self.notices = Some(notices.into_any());
        self
    }

    /// The rest of the page.
    #[must_use]
    pub fn body(mut self, body: impl IntoView + 'static) -> Self {
        self.body = body.into_any();
        self
    }
}

/// A signed-in staff page: loads `data`, then draws the frame around what `page` makes of it,
/// or [`StaffError`] when it could not be loaded.
pub fn staff_page<T>(
    data: Resource<Result<T, AppError>>,
    page: impl Fn(T) -> StaffView + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: SignedIn + Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    view! {
        <Meta name="robots" content="noindex"/>
        {loaded_or(
            data,
            move |d| {
                let me = d.me().clone();
                framed(me, page(d))
            },
            |error| view! { <StaffError error/> }.into_any(),
        )}
    }
}

fn framed(me: MeDto, v: StaffView) -> impl IntoView {
    let StaffView {
        title,
        heading,
        crumbs,
        lead,
        notices,
        body,
    } = v;
    view! {
        <Title text=title.clone()/>
        <StaffNav me/>
        {crumbs.map(|links| view! { <p class="breadcrumb">{links}</p> })}
        <div class="page-intro">
            <h1>{heading.unwrap_or(title)}</h1>
            {lead.map(|lead| view! { <p class="lead">{lead}</p> })}
        </div>
        {notices.map(|n| view! { <div id="fejl" class="notices" tabindex="-1">{n}</div> })}
        {body}
    }
}

/// The workspace's own menu, under the site header: where the person can go, and sign out.
#[component]
pub fn StaffNav(me: MeDto) -> impl IntoView {
    let l = use_locale();
    let location = use_location();
    let current = move |href: &'static str| {
        let path = location.pathname.get();
        let active = if href == "/personale" {
            path == "/personale"
        } else {
            path.starts_with(href)
        };
        active.then_some("page")
    };
    let g = &me.grants;
    let manages_staff = g.admin || !g.schools_as(Role::Coordinator).is_empty();
    // Courses and teacher profiles are for those who teach or run a school.
    let edits_courses = g.admin
        || !g.schools_as(Role::Coordinator).is_empty()
        || !g.schools_as(Role::Teacher).is_empty();
    // Figures for those who run or lead a school, and for teachers about their own runs.
    let reads_reports = edits_courses || !g.schools_as(Role::Management).is_empty();
    let reads_log = me
        .schools
        .iter()
        .any(|(id, _)| g.may(Action::ViewAuditLog { school: *id }));
    view! {
        <nav class="staff-nav" aria-label=tr!(l, "staff.nav.label")>
            <ul>
                <li><a href="/personale" aria-current=move || current("/personale")>{tr!(l, "staff.nav.home")}</a></li>
                {edits_courses.then(|| view! {
                    <li><a href="/personale/kurser" aria-current=move || current("/personale/kurser")>{tr!(l, "staff.nav.courses")}</a></li>
                })}
                {edits_courses.then(|| view! {
                    <li><a href="/personale/profil" aria-current=move || current("/personale/profil")>{tr!(l, "staff.nav.profile")}</a></li>
                })}
                {reads_reports.then(|| view! {
                    <li><a href="/personale/rapporter" aria-current=move || current("/personale/rapporter")>{tr!(l, "staff.nav.reports")}</a></li>
                })}
                {manages_staff.then(|| view! {
                    <li><a href="/personale/personale" aria-current=move || current("/personale/personale")>{tr!(l, "staff.nav.people")}</a></li>
                })}
                {manages_staff.then(|| view! {
                    <li><a href="/personale/skoler" aria-current=move || current("/personale/skoler")>{tr!(l, "staff.nav.schools")}</a></li>
                })}
                {g.admin.then(|| view! {
                    <li><a href="/personale/temaer" aria-current=move || current("/personale/temaer")>{tr!(l, "staff.nav.themes")}</a></li>
                })}
                {manages_staff.then(|| view! {
                    <li><a href="/personale/integrationer" aria-current=move || current("/personale/integrationer")>{tr!(l, "staff.nav.integrations")}</a></li>
                })}
                {reads_log.then(|| view! {
                    <li><a href="/personale/log" aria-current=move || current("/personale/log")>{tr!(l, "staff.nav.log")}</a></li>
                })}
                <li><a href="/personale/konto" aria-current=move || current("/personale/konto")>{tr!(l, "staff.nav.account")}</a></li>
            </ul>
            <form method="post" action=SignOut::url() class="inline-form staff-signout">
                <span class="staff-who">{me.name.clone()}</span>
                <button type="submit" class="button-plain">{tr!(l, "staff.nav.sign_out")}</button>
            </form>
        </nav>
    }
}

/// What a staff page shows when its data could not be loaded: a sign-in link, "no access", or
/// the general error. The server has already set the status (and a redirect for sign-in).
#[component]
pub fn StaffError(error: AppError) -> impl IntoView {
    let l = use_locale();
    match error {
        AppError::SignInRequired => view! {
            <Title text=tr!(l, "staff.err.sign_in_title")/>
            <div class="page-intro">
                <h1>{tr!(l, "staff.err.sign_in_title")}</h1>
                <p class="lead">{tr!(l, "staff.err.sign_in_required")}</p>
                <p><a class="button" href="/personale/log-ind">{tr!(l, "staff.sign_in.button")}</a></p>
            </div>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <Title text=tr!(l, "staff.err.forbidden_title")/>
            <div class="page-intro">
                <h1>{tr!(l, "staff.err.forbidden_title")}</h1>
                <p class="lead">{tr!(l, "staff.err.forbidden")}</p>
                <p><a href="/personale">{tr!(l, "staff.back_home")}</a></p>
            </div>
        }
        .into_any(),
        AppError::NotFound => view! {
            <Title text=tr!(l, "staff.err.not_found_title")/>
            <div class="page-intro">
                <h1>{tr!(l, "staff.err.not_found_title")}</h1>
                <p class="lead">{tr!(l, "staff.err.not_found")}</p>
                <p><a href="/personale">{tr!(l, "staff.back_home")}</a></p>
            </div>
        }
        .into_any(),
        error => view! {
            <Title text=tr!(l, "staff.err.error_title")/>
            <LoadError error/>
        }
        .into_any(),
    }
}
