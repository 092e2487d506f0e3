//! The single-page readers (000/002 web pages, 001 pipe tables) never panic, whatever the input:
//! garbage, empty text, truncated or shuffled seeds. And extraction is deterministic.

use proptest::prelude::*;
use xtask::extract::{pipe, web};

const RESET: &str = include_str!("../../api-spec/sources/aliyun-iot-reset-thing.txt");
const MQTT: &str =
    include_str!("../../api-spec/sources/aliyun-mqtt-unregister-device-credential.txt");
const HUAWEI: &str =
    include_str!("../../api-spec/sources/huawei-oceanconnect-refresh-device-key.txt");
const SEEDS: [&str; 3] = [RESET, MQTT, HUAWEI];

fn read_all(text: &str) {
    let _ = web::read(text, "fuzz.txt");
    let _ = pipe::read(text, "fuzz.txt");
}

/// Text built from the tokens the readers react to, so the fuzzer reaches deep states.
fn token_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "Request parameters\n",
        "Response parameters\n",
        "请求参数\n",
        "返回数据\n",
        "JSON format\n",
        "JSON格式\n",
        "Error codes\n",
        "错误码\n",
        "API Prototype\n",
        "Request Parameters\n",
        "Response Example\n",
        "Request Example\n",
        "Parameter Type Required Example Description\n",
        "名称 类型 是否必选 示例值 描述\n",
        "HttpCode 错误码 错误信息 描述\n",
        "Action String Yes X\n",
        "A String(9) No e\n",
        "B Integer\n",
        "Method |\n",
        "PUT |\n",
        "URL |\n",
        "---|---|\n",
        "---|---|---|\n",
        "|\n",
        " |\n",
        "x |\n",
        "\n",
        "{\n",
        "}\n",
        "\"a\": 1\n",
        "HTTP/1.1 200 OK\n",
        "Content-Type:x\n",
        "https://h/?Action=A\n",
        "&k=v\n",
        "&<Common request parameters>\n",
        "400 Code msg 中文\n",
        "Body: {\"a\":\n",
        "Status Code: 200 OK\n",
        "Note If you specify this parameter, you must also specify the X parameter.\n",
        "Refreshing a Key\n",
        "ranges from 9 to 1\n",
        "%zz\n",
        "中\n",
    ]);
    prop::collection::vec(tokens, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".*") {
        read_all(&text);
    }

    #[test]
    fn keyword_soup_never_panics(text in token_soup()) {
        read_all(&text);
    }

    #[test]
    fn truncated_seeds_never_panic(seed in 0usize..3, cut in 0.0f64..1.0) {
        let text = SEEDS[seed];
        let mut at = (text.len() as f64 * cut) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        read_all(&text[..at]);
        read_all(&text[at..]);
    }

    #[test]
    fn seeds_with_lines_dropped_or_repeated_never_panic(seed in 0usize..3, picks in prop::collection::vec(any::<prop::sample::Index>(), 0..200)) {
        let lines: Vec<&str> = SEEDS[seed].lines().collect();
        let text: Vec<&str> = picks.iter().map(|i| lines[i.index(lines.len())]).collect();
        read_all(&text.join("\n"));
    }

    #[test]
    fn garbage_overrides_never_panic(text in ".*") {
        let _ = xtask::overrides::parse(&text, "o.yaml");
    }
}

#[test]
fn empty_input_is_an_error_naming_the_file() {
    for result in [web::read("", "empty.txt"), pipe::read("", "empty.txt")] {
        let err = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("empty.txt:0: "), "{err}");
    }
}

#[test]
fn extraction_is_deterministic() {
    let dir = xtask::spec_dir();
    let first = xtask::extract::extract_all(&dir).unwrap_or_else(|e| panic!("{e:?}"));
    let second = xtask::extract::extract_all(&dir).unwrap_or_else(|e| panic!("{e:?}"));
    let texts =
        |o: &[xtask::extract::ServiceOutput]| o.iter().map(|s| s.yaml.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&first), texts(&second));
}
