//! One module per page.

pub mod api_docs;
pub mod catalogue;
pub mod course;
pub mod evaluation;
pub mod info;
pub mod mine;
pub mod outbox;
pub mod prospectus;
pub mod reply;
pub mod school;
pub mod signup;
pub mod staff;
pub mod watch;

use leptos::prelude::*;

/// The address's `:name` part, as it changes (a slug, a link's token).
pub fn path_param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync {
    let params = leptos_router::hooks::use_params_map();
    move || params.with(|p| p.get(name).unwrap_or_default())
}
