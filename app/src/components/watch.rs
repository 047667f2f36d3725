//! "Giv mig besked": on a course page with no run to join, a short form to be told once when
//! the course gets a new run. Works without JavaScript; after sending it says the same whatever
//! happened, so it never tells whether an address was already waiting.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::components::form::refusal_notice_as;
use crate::dto::watch::WatchRefusal;
use crate::i18n::use_locale;
use crate::server_fns::watch::WatchCourse;
use crate::tr;

/// The form for course `slug`, or its thank-you once sent.
#[component]
pub fn NotifyMe(slug: String) -> impl IntoView {
    let l = use_locale();
    let sent = use_query_map().with_untracked(|q| q.get("besked").is_some_and(|b| b == "ja"));
    view! {
        <section aria-labelledby="giv-besked" class="notify-me">
            <h3 id="giv-besked">{tr!(l, "watch.title")}</h3>
            {if sent {
                view! { <p class="notice notice-ok" role="status">{tr!(l, "watch.thanks")}</p> }.into_any()
            } else {
                view! {
                    <div>
                        <p>{tr!(l, "watch.intro")}</p>
                        {refusal_notice_as::<WatchRefusal>(l, "giv-besked-fejl")}
                        <form method="post" action=WatchCourse::url() class="watch-form">
                            <input type="hidden" name="course" value=slug/>
                            <div class="field">
                                <label for="giv-besked-email">{tr!(l, "signup.email")}</label>
                                <input id="giv-besked-email" name="email" type="email" autocomplete="email" required/>
                            </div>
                            <label class="check" for="giv-besked-samtykke">
                                <input id="giv-besked-samtykke" type="checkbox" name="consent" value="ja" required/>
                                {tr!(l, "watch.consent")}
                            </label>
                            <button type="submit" class="button button-secondary">{tr!(l, "watch.button")}</button>
                        </form>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
