//! `-v`/`-vv`/`-vvv` and `RUST_LOG` log to stderr; secrets never appear, even at trace level;
//! `--security-token` joins `--access-key-id`, and `-v` says which credentials source answered.

mod common;

use common::{bare, Lab, Run};

fn assert_no_secret(run: &Run, secrets: &[&str]) {
    for secret in secrets {
        assert!(!run.stdout.contains(secret), "{secret} leaked to stdout");
        assert!(
            !run.stderr.contains(secret),
            "{secret} leaked to stderr:\n{}",
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn trace_level_logs_a_real_call_without_leaking_the_secret() {
    let lab = Lab::start().await;
    let run = lab.run(&[
        "-vvv",
        "aliyun-iot",
        "query-product-list",
        "--current-page",
        "1",
        "--page-size",
        "10",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("TRACE") || run.stderr.contains("DEBUG"),
        "{}",
        run.stderr
    );
    // -v names the provider of the default chain that answered.
    assert!(run.stderr.contains("provider answered"), "{}", run.stderr);
    assert!(run.stderr.contains("environment"), "{}", run.stderr);
    assert_no_secret(&run, &[&lab.key_secret]);

    // RUST_LOG alone turns logging on, with its own filter.
    let mut cmd = bare();
    cmd.env("RUST_LOG", "trace")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", &lab.key_id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &lab.key_secret)
        .args([
            "--endpoint",
            &lab.url,
            "--region",
            "cn-shanghai",
            "--output",
            "json",
        ])
        .args([
            "aliyun-iot",
            "query-product-list",
            "--current-page",
            "1",
            "--page-size",
            "10",
        ]);
    let run = Run::from(cmd.output().expect("runs"));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("TRACE"), "{}", run.stderr);
    assert_no_secret(&run, &[&lab.key_secret]);

    // Without -v or RUST_LOG, stderr stays quiet.
    let run = lab.run(&[
        "aliyun-iot",
        "query-product-list",
        "--current-page",
        "1",
        "--page-size",
        "10",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.trim().is_empty(), "{}", run.stderr);
}

fn dry_run(extra_env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = bare();
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "the-sts-secret");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.args([
        "--endpoint",
        "http://127.0.0.1:9",
        "--region",
        "cn-shanghai",
    ])
    .args(["--access-key-id", "STS.id"])
    .args(args)
    .args([
        "aliyun-iot",
        "query-product",
        "--product-key",
        "pk",
        "--dry-run",
        "--output",
        "json",
    ]);
    Run::from(cmd.output().expect("runs"))
}

fn query_param(run: &Run, name: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("dry run JSON");
    let url = json["url"].as_str().expect("url").to_string();
    let query = url.split_once('?')?.1.to_string();
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

#[test]
fn security_token_flag_is_sent_redacted_and_the_env_token_never_mixes_in() {
    let run = dry_run(&[], &["-vvv", "--security-token", "the-sts-token"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_no_secret(&run, &["the-sts-secret", "the-sts-token"]);
    // Sent (masked in the dry run's output), and -v says where it came from.
    assert!(
        query_param(&run, "SecurityToken").is_some(),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("SecurityToken from --security-token"),
        "{}",
        run.stderr
    );

    // With --access-key-id, an environment token is not silently added: a warning, no token.
    let run = dry_run(&[("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token")], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(query_param(&run, "SecurityToken"), None, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("ALIBABA_CLOUD_SECURITY_TOKEN is ignored"),
        "{}",
        run.stderr
    );

    // --security-token without --access-key-id is a usage error.
    let run = Run::from(
        bare()
            .args([
                "--security-token",
                "t",
                "aliyun-iot",
                "query-product",
                "--product-key",
                "pk",
                "--dry-run",
            ])
            .output()
            .expect("runs"),
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}
