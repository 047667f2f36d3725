//! The API page's content, read from the generated OpenAPI document, so the page a developer
//! reads and the document a program reads cannot disagree.

#[allow(unused_imports)]
use crate::dto::api_reference::*;
use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "api_reference")]
pub async fn api_reference() -> Result<ReferenceDto, AppError> {
    use serde_json::Value;

    let state = crate::services::request::state()?;
    let doc = serde_json::to_value(crate::rest::doc::document()).map_err(|e| {
        tracing::error!(error = %e, "api page: could not read the OpenAPI document");
        AppError::Internal
    })?;
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let mut operations = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let summary = op
                    .get("summary")
                    .or_else(|| op.get("description"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let params = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| ParamDto {
                        name: text(p, "name"),
                        place: text(p, "in"),
                        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        description: text(p, "description"),
                    })
                    .collect();
                let body = op
                    .pointer("/requestBody/content/application~1json/schema/$ref")
                    .and_then(Value::as_str)
                    .map(|r| r.rsplit('/').next().unwrap_or_default().to_string());
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(status, r)| ResponseDto {
                        status: status.clone(),
                        description: text(r, "description"),
                    })
                    .collect();
                operations.push(OperationDto {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    tag: op
                        .get("tags")
                        .and_then(|t| t.get(0))
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    summary,
                    needs_key: op.get("security").is_some(),
                    params,
                    body,
                    responses,
                });
            }
        }
    }
    Ok(ReferenceDto {
        version: doc
            .pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        base_url: state.public_url.clone(),
        operations,
    })
}
