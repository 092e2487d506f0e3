//! Service-level parameters (`IotInstanceId`): one value on the client, sent on every operation
//! of the service, overridable per request. Applied here once, not by each operation.

use crate::error::ValidationError;
use crate::meta::ServiceParamMeta;
use crate::request::RequestParts;

/// Adds the client's value of each of `params` that the request does not carry itself, then
/// checks every value about to be sent; nothing is added for a parameter without a value.
pub(crate) fn apply(
    operation: &'static str,
    params: &[ServiceParamMeta],
    configured: &[(String, String)],
    parts: &mut RequestParts,
) -> Result<(), ValidationError> {
    let mut problems = ValidationError::new();
    for p in params {
        let own = parts.query.iter().position(|(k, _)| k == p.wire);
        let value = match own {
            Some(i) => &parts.query[i].1,
            None => match configured.iter().find(|(k, _)| k == p.wire) {
                Some((_, v)) => {
                    parts.push_query(p.wire, v.clone());
                    v
                }
                None => continue,
            },
        };
        if let Err(rule) = check(value) {
            problems.push(operation, p.wire, rule);
        }
    }
    problems.into_result()
}

/// An identifier: not empty, no whitespace, no control characters.
pub(crate) fn check(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty (leave it unset instead)".into());
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(format!(
            "must not contain control characters (found U+{:04X})",
            c as u32
        ));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(format!("must not contain whitespace (got {value:?})"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static INSTANCE: [ServiceParamMeta; 1] = [ServiceParamMeta {
        wire: "IotInstanceId",
        rust: "iot_instance_id",
        env: "ALIBABA_CLOUD_IOT_INSTANCE_ID",
        description: "",
        example: None,
    }];

    fn run(
        own: Option<&str>,
        client: Option<&str>,
    ) -> (Vec<(String, String)>, Result<(), ValidationError>) {
        let mut parts = RequestParts::default();
        parts.push_query("ProductKey", "pk");
        if let Some(v) = own {
            parts.push_query("IotInstanceId", v);
        }
        let configured: Vec<(String, String)> = client
            .map(|v| vec![("IotInstanceId".to_string(), v.to_string())])
            .unwrap_or_default();
        let r = apply("QueryDevice", &INSTANCE, &configured, &mut parts);
        let query = parts
            .query
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v))
            .collect();
        (query, r)
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn the_request_value_wins_the_client_value_fills_in_and_none_sends_nothing() {
        let (q, r) = run(Some("iot-a"), Some("iot-b"));
        assert_eq!(r, Ok(()));
        assert_eq!(
            q,
            [pair("ProductKey", "pk"), pair("IotInstanceId", "iot-a")]
        );
        let (q, r) = run(None, Some("iot-b"));
        assert_eq!(r, Ok(()));
        assert_eq!(
            q,
            [pair("ProductKey", "pk"), pair("IotInstanceId", "iot-b")]
        );
        let (q, r) = run(None, None);
        assert_eq!(r, Ok(()));
        assert_eq!(q, [pair("ProductKey", "pk")]);
    }

    #[test]
    fn bad_values_are_refused_naming_the_parameter_from_either_source() {
        for (own, client, rule) in [
            (Some(""), None, "must not be empty"),
            (None, Some(""), "must not be empty"),
            (Some("iot a"), None, "whitespace"),
            (None, Some(" iot-a"), "whitespace"),
            (Some("iot\u{0}a"), None, "control characters (found U+0000)"),
            (None, Some("iot-a\n"), "control characters (found U+000A)"),
        ] {
            let (_, r) = run(own, client);
            let e = r.expect_err("refused");
            assert_eq!(e.violations.len(), 1, "{e}");
            assert_eq!(e.violations[0].parameter, "IotInstanceId");
            assert_eq!(e.violations[0].operation, "QueryDevice");
            assert!(
                e.violations[0].rule.contains(rule),
                "{own:?} {client:?}: {e}"
            );
        }
        // A bad client value does not matter when the request brings a good one.
        assert_eq!(run(Some("iot-a"), Some("bad value")).1, Ok(()));
    }
}
