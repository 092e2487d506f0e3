//! Lenient decoding helpers.

use iotcloud_runtime::de;
use serde::Deserialize;

#[derive(Debug, Deserialize, Default, PartialEq)]
struct Out {
    #[serde(rename = "S", default, deserialize_with = "de::string")]
    s: Option<String>,
    #[serde(rename = "I", default, deserialize_with = "de::i32")]
    i: Option<i32>,
    #[serde(rename = "L", default, deserialize_with = "de::i64")]
    l: Option<i64>,
    #[serde(rename = "U", default, deserialize_with = "de::u64")]
    u: Option<u64>,
    #[serde(rename = "F", default, deserialize_with = "de::f64")]
    f: Option<f64>,
    #[serde(rename = "B", default, deserialize_with = "de::bool")]
    b: Option<bool>,
    #[serde(rename = "List", default, deserialize_with = "de::wrapped_list")]
    list: Vec<Item>,
}

#[derive(Debug, Deserialize, PartialEq, Clone)]
struct Item {
    #[serde(rename = "Name", default, deserialize_with = "de::string")]
    name: Option<String>,
}

fn parse(json: &str) -> Result<Out, serde_json::Error> {
    serde_json::from_str(json)
}

#[test]
fn strings_accept_numbers_and_booleans_without_precision_loss() {
    assert_eq!(
        parse(r#"{"S": 889455942124347329}"#).unwrap().s.as_deref(),
        Some("889455942124347329")
    );
    assert_eq!(
        parse(r#"{"S": 18446744073709551615}"#)
            .unwrap()
            .s
            .as_deref(),
        Some("18446744073709551615")
    );
    assert_eq!(parse(r#"{"S": -5}"#).unwrap().s.as_deref(), Some("-5"));
    assert_eq!(parse(r#"{"S": true}"#).unwrap().s.as_deref(), Some("true"));
    assert_eq!(parse(r#"{"S": "x"}"#).unwrap().s.as_deref(), Some("x"));
    assert_eq!(parse(r#"{"S": null}"#).unwrap().s, None);
    assert_eq!(parse(r#"{}"#).unwrap(), Out::default());
}

#[test]
fn integers_accept_strings_and_keep_64_bits() {
    let o = parse(r#"{"I": "42", "L": "9007199254740993", "U": 18446744073709551615}"#).unwrap();
    assert_eq!(o.i, Some(42));
    assert_eq!(o.l, Some(9_007_199_254_740_993));
    assert_eq!(o.u, Some(u64::MAX));
    assert_eq!(
        parse(r#"{"L": 9007199254740993}"#).unwrap().l,
        Some(9_007_199_254_740_993)
    );
    assert_eq!(parse(r#"{"I": ""}"#).unwrap().i, None);
    assert_eq!(parse(r#"{"I": " 7 "}"#).unwrap().i, Some(7));
    assert_eq!(parse(r#"{"I": 3.0}"#).unwrap().i, Some(3));
    assert!(
        parse(r#"{"I": 3000000000}"#).is_err(),
        "out of range must not wrap"
    );
    assert!(parse(r#"{"I": 3.5}"#).is_err());
    assert!(parse(r#"{"L": "12abc"}"#).is_err());
    assert!(parse(r#"{"U": -1}"#).is_err());
}

#[test]
fn floats_and_booleans() {
    assert_eq!(parse(r#"{"F": "1.5"}"#).unwrap().f, Some(1.5));
    assert_eq!(parse(r#"{"F": 2}"#).unwrap().f, Some(2.0));
    for (j, want) in [
        (r#"{"B": true}"#, Some(true)),
        (r#"{"B": "true"}"#, Some(true)),
        (r#"{"B": "TRUE"}"#, Some(true)),
        (r#"{"B": "false"}"#, Some(false)),
        (r#"{"B": 1}"#, Some(true)),
        (r#"{"B": "0"}"#, Some(false)),
        (r#"{"B": null}"#, None),
        (r#"{"B": ""}"#, None),
    ] {
        assert_eq!(parse(j).unwrap().b, want, "{j}");
    }
    assert!(parse(r#"{"B": "maybe"}"#).is_err());
    assert!(parse(r#"{"B": 2}"#).is_err());
}

#[test]
fn wrapped_lists() {
    let a = || Item {
        name: Some("a".into()),
    };
    let b = || Item {
        name: Some("b".into()),
    };
    assert_eq!(
        parse(r#"{"List": {"Item": [{"Name":"a"},{"Name":"b"}]}}"#)
            .unwrap()
            .list,
        vec![a(), b()]
    );
    assert_eq!(
        parse(r#"{"List": [{"Name":"a"},{"Name":"b"}]}"#)
            .unwrap()
            .list,
        vec![a(), b()]
    );
    assert_eq!(
        parse(r#"{"List": {"Item": {"Name":"a"}}}"#).unwrap().list,
        vec![a()]
    );
    assert_eq!(parse(r#"{"List": {"Item": []}}"#).unwrap().list, vec![]);
    assert_eq!(parse(r#"{"List": {}}"#).unwrap().list, vec![]);
    assert_eq!(parse(r#"{"List": null}"#).unwrap().list, vec![]);
    assert_eq!(parse(r#"{"List": {"Item": null}}"#).unwrap().list, vec![]);
    assert!(parse(r#"{"List": {"Item": [1]}}"#).is_err());
}

#[test]
fn unknown_fields_are_tolerated_and_nothing_panics_on_garbage() {
    assert!(parse(r#"{"Whatever": {"deep": [1,2,{"x":null}]}, "S": "ok"}"#).is_ok());
    for junk in [
        "",
        "[",
        "{\"S\":",
        "null",
        "[1,2]",
        "{\"I\": {}}",
        "{\"List\": 5}",
    ] {
        let _ = parse(junk);
    }
}
