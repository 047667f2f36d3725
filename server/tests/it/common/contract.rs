//! Contract checks: an API answer must match what the generated OpenAPI document says for its
//! path, method and status: the status must be listed, and the body must validate (JSON Schema
//! 2020-12, formats checked) against the documented schema.

use super::header;
use serde_json::{Value, json};

use super::TestApp;

/// The OpenAPI document the app serves.
pub async fn document(app: &TestApp) -> Value {
    let (status, body) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200, "openapi.json");
    serde_json::from_str(&body).expect("openapi.json is JSON")
}

/// Checks `body` (with `status` and `content_type`) against the document's entry for
/// `template` (a documented path such as `/api/v1/runs/{id}`) and `method`.
pub fn check(
    doc: &Value,
    method: &str,
    template: &str,
    status: u16,
    content_type: &str,
    body: &str,
) {
    let op = doc
        .pointer(&format!(
            "/paths/{}/{}",
            template.replace('~', "~0").replace('/', "~1"),
            method.to_lowercase()
        ))
        .unwrap_or_else(|| panic!("{method} {template} is not documented"));
    let response = op
        .pointer(&format!("/responses/{status}"))
        .unwrap_or_else(|| {
            panic!("{method} {template}: status {status} is not documented: {body}")
        });
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let Some(schema) = response.pointer(&format!("/content/{}/schema", media.replace('/', "~1")))
    else {
        assert!(
            response.get("content").is_none() || body.is_empty(),
            "{method} {template} {status}: documented without {media}"
        );
        return;
    };
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc.get("components").cloned().unwrap_or(Value::Null),
        "allOf": [schema],
    });
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("{method} {template}: schema does not compile: {e}"));
    let instance: Value = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("{method} {template} {status}: not JSON ({e}): {body}"));
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {template} {status} does not match the document: {errors:?}\n{body}"
    );
}

/// GETs `path` (with optional headers), checks the answer against `template`, and returns
/// the status and the parsed body.
pub async fn get_checked(
    app: &TestApp,
    doc: &Value,
    path: &str,
    template: &str,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = app.client.get(format!("{}{}", app.base, path));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let content_type = header(&response, "content-type");
    let body = response.text().await.expect("body");
    check(doc, "GET", template, status, &content_type, &body);
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}
