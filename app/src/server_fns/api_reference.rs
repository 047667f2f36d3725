//! The `/api` page's content: the public API's operations, read from its OpenAPI document once
//! at start-up (`http::api_v1::doc::reference`) and kept in the app's state.

use leptos::prelude::*;

use crate::dto::api_reference::ReferenceDto;
use crate::error::AppError;

#[server(endpoint = "api_reference")]
pub async fn api_reference() -> Result<ReferenceDto, AppError> {
    let state = crate::services::request::state()?;
    Ok(state.api_reference.as_ref().clone())
}
