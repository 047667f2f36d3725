//! `/giv-besked/:token`: the "no thanks" link from the receipt of "Giv mig besked". The link
//! itself changes nothing; one button deletes the address.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::components::load::loaded;
use crate::dto::watch::WatchPageDto;
use crate::i18n::use_locale;
use crate::pages::path_param;
use crate::server_fns::watch::{StopWatching, watch_page};
use crate::tr;

#[component]
pub fn WatchPage() -> impl IntoView {
    let l = use_locale();
    let token = path_param("token");
    let stopped = use_query_map().with_untracked(|q| q.get("afmeldt").is_some());
    let data = Resource::new(token, watch_page);
    view! {
        <Meta name="robots" content="noindex"/>
        <Title text=tr!(l, "watch.page_title")/>
        <div class="narrow">
            <h1>{tr!(l, "watch.page_title")}</h1>
            {move || if stopped {
                view! { <p class="notice notice-ok" role="status">{tr!(l, "watch.stopped")}</p> }.into_any()
            } else {
                loaded(data, move |d| match d {
                    WatchPageDto::Waiting { course, school } => view! {
                        <p>{tr!(l, "watch.stop_intro", course = course, school = school)}</p>
                        <form method="post" action=StopWatching::url()>
                            <input type="hidden" name="token" value=token()/>
                            <button type="submit" class="button">{tr!(l, "watch.stop_button")}</button>
                        </form>
                    }.into_any(),
                    WatchPageDto::Invalid => view! { <p class="notice">{tr!(l, "watch.invalid")}</p> }.into_any(),
                }).into_any()
            }}
        </div>
    }
}
