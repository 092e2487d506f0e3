//! Credential providers against a temporary HOME and a local metadata server.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, put};
use iotcloud_runtime::credentials::*;
use iotcloud_runtime::redact;

fn env_with_home(home: &std::path::Path, extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![("HOME".to_string(), home.display().to_string())];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(vars)
}

#[test]
fn environment_provider() {
    let e = Env::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "envid"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envsecret"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "envtoken"),
    ]);
    let c = EnvironmentProvider::with_env(e).resolve().unwrap();
    assert_eq!(c.access_key_id(), "envid");
    assert_eq!(c.access_key_secret(), "envsecret");
    assert_eq!(c.security_token(), Some("envtoken"));
    assert_eq!(c.provider_name(), "environment");

    let half = Env::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_ID", "envid")]);
    let err = EnvironmentProvider::with_env(half).resolve().unwrap_err();
    assert!(
        err.to_string()
            .contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"),
        "{err}"
    );
}

const CLI_CONFIG: &str = r#"{
  "current": "sts",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "cliid", "access_key_secret": "clisecret", "region_id": "cn-shanghai"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "stsid", "access_key_secret": "stssecret", "sts_token": "ststoken"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "x", "access_key_secret": "y"},
    {"name": "broken", "mode": "StsToken", "access_key_id": "x", "access_key_secret": "y"}
  ]
}"#;

#[test]
fn cli_profile_provider_modes_and_selection() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(home.path().join(".aliyun/config.json"), CLI_CONFIG).unwrap();

    // `current` picks the StsToken profile.
    let c = CliProfileProvider::new()
        .with_env(env_with_home(home.path(), &[]))
        .resolve()
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.security_token()),
        ("stsid", Some("ststoken"))
    );

    // ALIBABA_CLOUD_PROFILE wins over `current`.
    let c = CliProfileProvider::new()
        .with_env(env_with_home(
            home.path(),
            &[("ALIBABA_CLOUD_PROFILE", "default")],
        ))
        .resolve()
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret(), c.security_token()),
        ("cliid", "clisecret", None)
    );

    let e = CliProfileProvider::new()
        .with_env(env_with_home(home.path(), &[]))
        .with_profile("role")
        .resolve()
        .unwrap_err();
    assert!(e.to_string().contains("RamRoleArn"), "{e}");
    let e = CliProfileProvider::new()
        .with_env(env_with_home(home.path(), &[]))
        .with_profile("broken")
        .resolve()
        .unwrap_err();
    assert!(e.to_string().contains("sts_token"), "{e}");
    let e = CliProfileProvider::new()
        .with_env(env_with_home(home.path(), &[]))
        .with_profile("nope")
        .resolve()
        .unwrap_err();
    assert!(e.to_string().contains("no profile \"nope\""), "{e}");
}

#[test]
fn ini_profile_provider() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
    std::fs::write(
        home.path().join(".alibabacloud/credentials.ini"),
        "[default]\nenable = true\ntype = access_key\naccess_key_id = iniid\naccess_key_secret = inisecret\n\n\
         [client1]\ntype = sts\naccess_key_id = i2\naccess_key_secret = s2\nsecurity_token = t2\n\n\
         [off]\nenable = false\ntype = access_key\naccess_key_id = a\naccess_key_secret = b\n",
    )
    .unwrap();
    let c = IniProfileProvider::new()
        .with_env(env_with_home(home.path(), &[]))
        .resolve()
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret()),
        ("iniid", "inisecret")
    );
    let c = IniProfileProvider::new()
        .with_env(env_with_home(
            home.path(),
            &[("ALIBABA_CLOUD_PROFILE", "client1")],
        ))
        .resolve()
        .unwrap();
    assert_eq!(c.security_token(), Some("t2"));
    let e = IniProfileProvider::new()
        .with_env(env_with_home(home.path(), &[]))
        .with_profile("off")
        .resolve()
        .unwrap_err();
    assert!(e.to_string().contains("disabled"), "{e}");

    // ALIBABA_CLOUD_CREDENTIALS_FILE points elsewhere.
    let other = home.path().join("elsewhere.ini");
    std::fs::write(
        &other,
        "[default]\naccess_key_id = f\naccess_key_secret = g\n",
    )
    .unwrap();
    let c = IniProfileProvider::new()
        .with_env(env_with_home(
            home.path(),
            &[("ALIBABA_CLOUD_CREDENTIALS_FILE", other.to_str().unwrap())],
        ))
        .resolve()
        .unwrap();
    assert_eq!(c.access_key_id(), "f");
}

// ----------------------------------------------------------------- ECS metadata server

#[derive(Default)]
struct Meta {
    token_calls: AtomicUsize,
    role_calls: AtomicUsize,
    cred_calls: AtomicUsize,
    lifetime_secs: Mutex<i64>,
    saw_token_header: Mutex<Vec<bool>>,
}

async fn start_metadata(lifetime_secs: i64) -> (String, Arc<Meta>) {
    let st = Arc::new(Meta {
        lifetime_secs: Mutex::new(lifetime_secs),
        ..Default::default()
    });
    async fn token(State(st): State<Arc<Meta>>) -> &'static str {
        st.token_calls.fetch_add(1, Ordering::SeqCst);
        "session-token"
    }
    async fn roles(State(st): State<Arc<Meta>>) -> &'static str {
        st.role_calls.fetch_add(1, Ordering::SeqCst);
        "EcsRole\n"
    }
    async fn creds(
        State(st): State<Arc<Meta>>,
        Path(role): Path<String>,
        headers: HeaderMap,
    ) -> (StatusCode, String) {
        if role != "EcsRole" {
            return (StatusCode::NOT_FOUND, String::new());
        }
        let n = st.cred_calls.fetch_add(1, Ordering::SeqCst) + 1;
        st.saw_token_header.lock().unwrap().push(
            headers
                .get("x-aliyun-ecs-metadata-token")
                .is_some_and(|v| v == "session-token"),
        );
        let life = *st.lifetime_secs.lock().unwrap();
        let exp = time::OffsetDateTime::now_utc() + time::Duration::seconds(life);
        let exp = exp
            .replace_nanosecond(0)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        (
            StatusCode::OK,
            format!(
                r#"{{"AccessKeyId":"STS.id{n}","AccessKeySecret":"ecssecret{n}","Expiration":"{exp}","SecurityToken":"ecstoken{n}","LastUpdated":"x","Code":"Success"}}"#
            ),
        )
    }
    let app = axum::Router::new()
        .route("/latest/api/token", put(token))
        .route("/latest/meta-data/ram/security-credentials/", get(roles))
        .route(
            "/latest/meta-data/ram/security-credentials/:role",
            get(creds),
        )
        .with_state(st.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(l, app).await;
    });
    (format!("http://{addr}"), st)
}

#[tokio::test]
async fn ecs_role_credentials_are_discovered_and_refreshed_before_expiry() {
    let (base, st) = start_metadata(120).await;
    let provider = EcsRamRoleProvider::new()
        .with_base_url(&base)
        .with_env(Env::from_vars(Vec::<(String, String)>::new()));
    let cached = Cached::new(Arc::new(provider));
    let c1 = cached.get().await.unwrap();
    assert_eq!(c1.access_key_id(), "STS.id1");
    assert_eq!(c1.security_token(), Some("ecstoken1"));
    let exp = c1.expiration().unwrap();
    let left = exp.duration_since(SystemTime::now()).unwrap();
    assert!(
        left > Duration::from_secs(100) && left <= Duration::from_secs(121),
        "{left:?}"
    );
    // 120 s left is inside the 3-minute margin: the next call refreshes.
    let c2 = cached.get().await.unwrap();
    assert_eq!(c2.access_key_id(), "STS.id2");
    assert_eq!(st.role_calls.load(Ordering::SeqCst), 2);
    assert!(st.saw_token_header.lock().unwrap().iter().all(|b| *b));

    // Long-lived answers are served from the cache.
    *st.lifetime_secs.lock().unwrap() = 3600;
    let c3 = cached.get().await.unwrap();
    let c4 = cached.get().await.unwrap();
    assert_eq!(c3.access_key_id(), "STS.id3");
    assert_eq!(c4.access_key_id(), "STS.id3");
    assert_eq!(st.cred_calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn ecs_role_name_from_env_and_disable_switch() {
    let (base, st) = start_metadata(3600).await;
    let p = EcsRamRoleProvider::new()
        .with_base_url(&base)
        .with_env(Env::from_vars([("ALIBABA_CLOUD_ECS_METADATA", "EcsRole")]));
    assert_eq!(
        p.provide_credentials().await.unwrap().access_key_id(),
        "STS.id1"
    );
    assert_eq!(st.role_calls.load(Ordering::SeqCst), 0);

    let p = EcsRamRoleProvider::new()
        .with_base_url(&base)
        .with_env(Env::from_vars([(
            "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
            "true",
        )]));
    let e = p.provide_credentials().await.unwrap_err();
    assert!(
        e.to_string()
            .contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED"),
        "{e}"
    );
    assert_eq!(st.cred_calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn chain_order_and_error_listing() {
    let home = tempfile::tempdir().unwrap();
    let (base, _st) = start_metadata(3600).await;
    // Nothing anywhere but the metadata server: ECS wins.
    let chain = DefaultChain::builder()
        .env(env_with_home(home.path(), &[]))
        .ecs_metadata_base_url(&base)
        .build();
    assert_eq!(
        chain.provide_credentials().await.unwrap().provider_name(),
        "ecs-ram-role"
    );

    // INI beats ECS; CLI beats INI; environment beats CLI; explicit beats environment.
    std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
    std::fs::write(
        home.path().join(".alibabacloud/credentials.ini"),
        "[default]\ntype = access_key\naccess_key_id = iniid\naccess_key_secret = s\n",
    )
    .unwrap();
    let build = |extra: &[(&str, &str)]| {
        DefaultChain::builder()
            .env(env_with_home(home.path(), extra))
            .ecs_metadata_base_url(&base)
            .build()
    };
    assert_eq!(
        build(&[])
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "iniid"
    );
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(home.path().join(".aliyun/config.json"), CLI_CONFIG).unwrap();
    assert_eq!(
        build(&[])
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "stsid"
    );
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "envid"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envsecret"),
    ];
    assert_eq!(
        build(&env)
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "envid"
    );
    let explicit = DefaultChain::builder()
        .explicit(Credentials::new("expid", "expsecret", None))
        .env(env_with_home(home.path(), &env))
        .build();
    assert_eq!(
        explicit
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "expid"
    );
}

#[tokio::test]
async fn chain_error_says_what_each_provider_said() {
    let home = tempfile::tempdir().unwrap();
    // A metadata endpoint that exists but has no role (404 everywhere).
    let app = axum::Router::new();
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(l, app).await;
    });
    let chain = DefaultChain::builder()
        .env(env_with_home(home.path(), &[]))
        .ecs_metadata_base_url(format!("http://{addr}"))
        .build();
    let e = chain.provide_credentials().await.unwrap_err();
    assert_eq!(e.tried.len(), 5, "{e}");
    let names: Vec<&str> = e.tried.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names[0], "explicit");
    assert_eq!(names[1], "environment");
    assert!(names[2].starts_with("cli-profile"));
    assert!(names[3].starts_with("ini-profile"));
    assert_eq!(names[4], "ecs-ram-role");
    let text = e.to_string();
    assert!(text.starts_with("no Alibaba Cloud credentials found: explicit: none given; environment: ALIBABA_CLOUD_ACCESS_KEY_ID"), "{text}");
    assert!(text.contains("config.json"), "{text}");
    assert!(text.contains("credentials.ini"), "{text}");
    assert!(text.contains("HTTP 404"), "{text}");
}

#[test]
fn debug_never_shows_secrets() {
    let c = Credentials::new("id", "supersecretvalue", Some("supersecrettoken".into()));
    let d = format!("{c:?}");
    assert!(
        !d.contains("supersecretvalue") && !d.contains("supersecrettoken"),
        "{d}"
    );
    assert!(d.contains("id"));
    assert_eq!(format!("{:?}", redact::Secret::new("abc")), "***");
}
