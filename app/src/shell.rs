//! The HTML document, the router and the page frame.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::components::layout::Layout;
use crate::components::not_found::NotFound;
use crate::i18n::detect_locale;
use crate::pages::{
    api_docs::ApiDocsPage,
    catalogue::CataloguePage,
    course::CoursePage,
    evaluation::{EvaluationPage, EvaluationThanksPage},
    info::{AccessibilityPage, ContactPage, PrivacyPage},
    mine::{MyBookingsPage, RequestLinkPage},
    outbox::OutboxPage,
    prospectus::ProspectusPage,
    reply::ReplyPage,
    school::{SchoolPage, SchoolsPage},
    signup::{ReceivedPage, SignupPage},
    staff::{
        account::{AccountPage, RecoveryCodesPage},
        attendance::AttendancePage,
        courses::{CourseEditorPage, CourseListPage, CoursePreviewPage, NewCoursePage},
        evaluation::{CourseQuestionsPage, PaperEvaluationPage, TeamResultsPage},
        home::StaffHomePage,
        integrations::IntegrationsPage,
        people::{AuditLogPage, StaffListPage},
        places::PlaceEditorPage,
        profile::{ProfileEditorPage, ProfileListPage},
        reports::ReportPage,
        roster::RosterPage,
        runs::{NewRunPage, RunEditorPage},
        schools::{NewSchoolPage, SchoolEditorPage, SchoolsPage as StaffSchoolsPage},
        sign_in::{CodePage, ForgotPage, InvitationPage, ResetPage, SignInPage, TotpSetupPage},
        themes::ThemesPage,
    },
    watch::WatchPage,
};

/// The whole HTML document, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = detect_locale();
    #[cfg(feature = "ssr")]
    crate::services::request::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" href=asset_url("skolebaenk.css")/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <BundleScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The address of a bundle file (`pkg/`): its hashed name, kept for a year, once the server has
/// read the built site (`services::assets`).
fn asset_url(name: &str) -> String {
    #[cfg(feature = "ssr")]
    if let Some(state) = use_context::<crate::services::state::AppState>() {
        return state.assets.url(name);
    }
    format!("/pkg/{name}")
}

/// The WASM bundle's preload hints and the module script that loads it and hydrates the page's
/// islands. (In place of Leptos 0.8.23's `HydrationScripts`, which writes the page's nonce into
/// the hints' `crossorigin` attribute, leptos-rs/leptos#4843: an invalid CORS setting, so the
/// browser fetched the bundle a second time instead of using the preload.) The hints' CORS mode
/// is the one the loader's own requests have: `anonymous`, same-origin credentials.
///
/// The loader waits for the browser to be idle, sets up the reactive system (`hydrate`), then
/// walks the page in document order and calls each `<leptos-island>`'s exported function with
/// its element; an island inside another island's children first restores its parent's owner
/// (the `$$on_hydrate` the children element carries), as Leptos' own island script does.
#[component]
fn BundleScripts(options: LeptosOptions) -> impl IntoView {
    // cargo-leptos names the bundle after the output name; a plain wasm-bindgen build adds `_bg`.
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        format!("{}.wasm", options.output_name)
    } else {
        format!("{}_bg.wasm", options.output_name)
    };
    let js = asset_url(&format!("{}.js", options.output_name));
    let wasm = asset_url(&wasm);
    let loader = format!(
        "const start=async()=>{{const m=await import({js:?});await m.default({{module_or_path:{wasm:?}}});m.hydrate();\
         const owners=[];\
         const visit=async(el)=>{{const name=el.localName;\
         if(name==='leptos-island'){{const f=m[el.dataset.component];\
         if(f){{const o=owners[owners.length-1];if(o)o();await f(el);}}\
         else console.warn('no WASM function for the island '+el.dataset.component);}}\
         const inner=name==='leptos-children';if(inner)owners.push(el.$$on_hydrate);\
         for(const c of el.children)await visit(c);if(inner)owners.pop();}};\
         await visit(document.body);}};\
         if('requestIdleCallback' in window)requestIdleCallback(start);else start();"
    );
    view! {
        <link rel="modulepreload" href=js.clone() crossorigin="anonymous"/>
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="anonymous"/>
        <script type="module" nonce=leptos::nonce::use_nonce()>{loader}</script>
    }
}

/// The application: language, page frame and routes. Every route renders fully on the server
/// before it is sent (`SsrMode::Async`), so pages work without JavaScript and can answer 404.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(detect_locale());
    view! {
        <Title formatter=|title: String| format!("{title} – Skolebænk")/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=CataloguePage ssr=SsrMode::Async/>
                    <Route path=path!("/kurser/:slug") view=CoursePage ssr=SsrMode::Async/>
                    <Route path=path!("/skoler") view=SchoolsPage ssr=SsrMode::Async/>
                    <Route path=path!("/skoler/:slug") view=SchoolPage ssr=SsrMode::Async/>
                    <Route path=path!("/skoler/:slug/katalog") view=ProspectusPage ssr=SsrMode::Async/>
                    <Route path=path!("/hold/:id/tilmelding") view=SignupPage ssr=SsrMode::Async/>
                    <Route path=path!("/hold/:id/tilmelding/modtaget") view=ReceivedPage ssr=SsrMode::Async/>
                    <Route path=path!("/mine-tilmeldinger") view=RequestLinkPage/>
                    <Route path=path!("/mine-tilmeldinger/:token") view=MyBookingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/giv-besked/:token") view=WatchPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommer/:token") view=ReplyPage ssr=SsrMode::Async/>
                    <Route path=path!("/evaluering/tak") view=EvaluationThanksPage/>
                    <Route path=path!("/evaluering/:token") view=EvaluationPage ssr=SsrMode::Async/>
                    <Route path=path!("/udbakke") view=OutboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/kontakt") view=ContactPage ssr=SsrMode::Async/>
                    <Route path=path!("/privatliv") view=PrivacyPage/>
                    <Route path=path!("/tilgaengelighed") view=AccessibilityPage/>
                    <Route path=path!("/personale") view=StaffHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/log-ind") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/log-ind/kode") view=CodePage/>
                    <Route path=path!("/personale/totp") view=TotpSetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/glemt") view=ForgotPage/>
                    <Route path=path!("/personale/invitation/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/nulstil/:token") view=ResetPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/konto") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/konto/koder") view=RecoveryCodesPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/personale") view=StaffListPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/temaer") view=ThemesPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/skoler") view=StaffSchoolsPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/skoler/ny") view=NewSchoolPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/skoler/:id") view=SchoolEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/skoler/:school/steder/:place") view=PlaceEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/log") view=AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/integrationer") view=IntegrationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/api") view=ApiDocsPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/rapporter") view=ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/kurser") view=CourseListPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/kurser/ny") view=NewCoursePage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/kurser/:id") view=CourseEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/kurser/:id/vis") view=CoursePreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/kurser/:id/evaluering") view=CourseQuestionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/profil") view=ProfileListPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/profil/:id") view=ProfileEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/hold/ny") view=NewRunPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/hold/:id") view=RunEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/hold/:id/deltagere") view=RosterPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/hold/:id/fremmoede") view=AttendancePage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/hold/:id/evaluering") view=PaperEvaluationPage ssr=SsrMode::Async/>
                    <Route path=path!("/personale/hold/:id/resultater") view=TeamResultsPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
