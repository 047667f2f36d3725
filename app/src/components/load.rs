//! Waiting for a page's data: the page is drawn once its data has loaded (completely on the
//! server, as every page is), or a plain message says it could not be.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::i18n::use_locale;
use crate::tr;

/// What a page shows when its data could not be loaded.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let l = use_locale();
    view! { <p class="notice notice-error" role="alert">{tr!(l, error.message_key())}</p> }
}

/// A page's data once it has loaded: `render` draws it, and an error that kept it from loading
/// shows [`LoadError`]. Rendered completely on the server, as every page is.
pub fn loaded<T, V>(
    data: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    V: IntoView + 'static,
{
    loaded_or(data, render, |error| {
        view! { <LoadError error/> }.into_any()
    })
}

/// [`loaded`] with another view for the error.
pub fn loaded_or<T, V>(
    data: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
    failed: fn(AppError) -> AnyView,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => render(d).into_any(),
                        Err(error) => failed(error),
                    }
                })
            }}
        </Suspense>
    }
}
