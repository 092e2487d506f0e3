//! Pagination over a local server, and (feature `test-util`) capture/replay.

mod common;

use common::*;
use futures::{StreamExt, TryStreamExt};
use iotcloud_runtime::*;
use serde::Deserialize;

#[derive(Debug, Clone)]
struct QueryDevice {
    page: u32,
}

#[derive(Debug, Deserialize)]
struct QueryDeviceOutput {
    #[serde(rename = "Page", default, deserialize_with = "de::i32")]
    page: Option<i32>,
    #[serde(rename = "PageCount", default, deserialize_with = "de::i32")]
    page_count: Option<i32>,
    #[serde(rename = "Data", default, deserialize_with = "de::wrapped_list")]
    data: Vec<Device>,
}

#[derive(Debug, Deserialize)]
struct Device {
    #[serde(rename = "DeviceName", default, deserialize_with = "de::string")]
    name: Option<String>,
}

static QUERY_DEVICE_PAGES: PaginationMeta = PaginationMeta {
    style: PageStyle::PageNumber,
    request_page: "CurrentPage",
    request_size: "PageSize",
    max_size: Some(50),
    response_page_count: Some("PageCount"),
    response_total: Some("Total"),
    response_has_next: None,
    response_cursor: None,
    items: "Data.DeviceInfo",
};

static QUERY_DEVICE: OperationMeta = OperationMeta {
    service: &IOT,
    name: "QueryDevice",
    method: "POST",
    path: "/",
    authenticated: true,
    retry_safe: true,
    rate_limit_per_second: None,
    summary: "查询指定产品下的所有设备列表。",
    description: "",
    rules: &[],
    pagination: Some(&QUERY_DEVICE_PAGES),
    params: &[],
};

impl Operation for QueryDevice {
    type Service = Iot;
    type Output = QueryDeviceOutput;
    const META: &'static OperationMeta = &QUERY_DEVICE;
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_request(&self, out: &mut RequestParts) {
        out.push_query("CurrentPage", self.page.to_string());
        out.push_query("PageSize", "2");
    }
}

impl Paginated for QueryDevice {
    type Item = Device;
    fn next_request(&self, output: &QueryDeviceOutput) -> Option<Self> {
        let page = output.page? as u32;
        (output.page_count? as u32 > page).then(|| QueryDevice { page: page + 1 })
    }
    fn cursor(&self) -> String {
        self.page.to_string()
    }
    fn into_items(output: QueryDeviceOutput) -> Vec<Device> {
        output.data
    }
}

fn page(n: u32, of: u32, names: &[&str]) -> Answer {
    let items: Vec<String> = names
        .iter()
        .map(|d| format!(r#"{{"DeviceName":"{d}"}}"#))
        .collect();
    Answer::json(
        200,
        &format!(
            r#"{{"RequestId":"p{n}","Success":true,"Page":{n},"PageCount":"{of}","Data":{{"DeviceInfo":[{}]}}}}"#,
            items.join(",")
        ),
    )
}

#[tokio::test]
async fn items_flow_across_pages() {
    let (base, st) = start_server(
        vec![
            page(1, 3, &["a", "b"]),
            page(2, 3, &["c", "d"]),
            page(3, 3, &["e"]),
        ],
        None,
    )
    .await;
    let h = handle_for(&base);
    let names: Vec<String> = h
        .paginate(QueryDevice { page: 1 })
        .items()
        .map_ok(|d| d.name.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    let pages: Vec<String> = st
        .seen()
        .iter()
        .map(|s| param(&params_of(s), "CurrentPage").unwrap().to_string())
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
}

/// The inherent `next` / `try_collect` (no `futures` import needed by users) page the same way.
#[tokio::test]
async fn inherent_next_and_try_collect_without_stream_traits() {
    let pages = || vec![page(1, 2, &["a", "b"]), page(2, 2, &["c"])];
    let (base, _st) = start_server(pages(), None).await;
    let all = handle_for(&base)
        .paginate(QueryDevice { page: 1 })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "two pages");

    let (base, _st) = start_server(pages(), None).await;
    let mut pages_seen = handle_for(&base).paginate(QueryDevice { page: 1 });
    let mut count = 0;
    while let Some(p) = iotcloud_runtime::Paginator::next(&mut pages_seen).await {
        p.unwrap();
        count += 1;
    }
    assert_eq!(count, 2);

    let (base, _st) = start_server(pages(), None).await;
    let items = iotcloud_runtime::PageItems::try_collect(
        handle_for(&base).paginate(QueryDevice { page: 1 }).items(),
    )
    .await
    .unwrap();
    let names: Vec<_> = items.into_iter().filter_map(|d| d.name).collect();
    assert_eq!(names, ["a", "b", "c"]);

    // The first error ends the collection with that error.
    let (base, _st) = start_server(
        vec![
            page(1, 2, &["a"]),
            Answer::json(
                400,
                r#"{"Code":"iot.device.NotExistedDevice","Message":"gone"}"#,
            ),
        ],
        None,
    )
    .await;
    let failed = handle_for(&base)
        .paginate(QueryDevice { page: 1 })
        .items()
        .try_collect()
        .await;
    assert!(failed.is_err());
}

#[tokio::test]
async fn an_error_ends_the_stream_and_a_repeated_cursor_stops_it() {
    let (base, _st) = start_server(
        vec![
            page(1, 3, &["a"]),
            Answer::json(
                400,
                r#"{"Code":"iot.device.NotExistedDevice","Message":"gone"}"#,
            ),
        ],
        None,
    )
    .await;
    let h = handle_for(&base);
    let mut items = h.paginate(QueryDevice { page: 1 }).items();
    assert_eq!(
        items.try_next().await.unwrap().unwrap().name.as_deref(),
        Some("a")
    );
    assert!(items.next().await.unwrap().is_err());
    assert!(items.next().await.is_none());

    // A service that always answers page 1 of 3 would loop forever without the cursor check.
    let (base, st) = start_server(vec![], Some(page(1, 3, &["x"]))).await;
    let h = handle_for(&base);
    let pages: Vec<_> = h.paginate(QueryDevice { page: 1 }).collect().await;
    // Page 1 -> next is page 2 -> answer says page 1 again -> next page 2 repeats: stop.
    assert_eq!(pages.len(), 2);
    assert_eq!(st.count(), 2);
}

#[cfg(feature = "test-util")]
mod replay {
    use super::*;
    use iotcloud_runtime::test_util::{Exchange, Recorder, Replayer};

    #[tokio::test]
    async fn capture_then_replay_without_a_server() {
        let (base, _st) = start_server(
            vec![Answer::json(200, r#"{"RequestId":"R1","Success":true,"Data":{"DeviceName":"light","DeviceSecret":"dsecret123"}}"#)],
            None,
        )
        .await;
        let rec = Recorder::new();
        let h = handle_with(&base, |b| {
            b.capture(rec.clone()).credentials(Credentials::new(
                "testid",
                "testsecret",
                Some("ststoken123".into()),
            ))
        });
        let live = h
            .call(&QueryDeviceDetail {
                product_key: Some("pk".into()),
                device_name: Some("light".into()),
                iot_instance_id: None,
            })
            .await
            .unwrap();
        assert_eq!(live.data.unwrap().device_name.as_deref(), Some("light"));
        let json = rec.to_json();
        assert!(json.contains("QueryDeviceDetail"));
        assert!(
            !json.contains("ststoken123") && !json.contains("dsecret123"),
            "{json}"
        );

        // Replay: no server at all.
        let replayer = Replayer::from_json(&json).unwrap();
        let h = Handle::new(
            Config::builder()
                .region("cn-shanghai")
                .endpoint("http://127.0.0.1:9")
                .access_key("testid", "testsecret")
                .replay(replayer.clone())
                .build(),
        )
        .unwrap();
        let out = h
            .call(&QueryDeviceDetail {
                product_key: Some("pk".into()),
                device_name: Some("light".into()),
                iot_instance_id: None,
            })
            .await
            .unwrap();
        assert_eq!(out.request_id.as_deref(), Some("R1"));
        assert_eq!(
            replayer.requests()[0].action.as_deref(),
            Some("QueryDeviceDetail")
        );
        assert_eq!(replayer.remaining(), 0);
    }

    #[tokio::test]
    async fn replay_checks_the_action_and_runs_out_cleanly() {
        let replayer = Replayer::new([Exchange::answer_action("Pub", 200, r#"{"RequestId":"x"}"#)]);
        let h = Handle::new(
            Config::builder()
                .region("cn-shanghai")
                .access_key("a", "b")
                .retry(RetryConfig::disabled())
                .replay(replayer.clone())
                .build(),
        )
        .unwrap();
        let e = h.call(&QueryDeviceDetail::default()).await.unwrap_err();
        assert!(e.to_string().contains("expected POST / Pub"), "{e}");
        let e = h.call(&QueryDeviceDetail::default()).await.unwrap_err();
        assert!(e.to_string().contains("no recorded answer left"), "{e}");
        let r = Replayer::with_answers([(200, r#"{"RequestId":"canned"}"#)]);
        let h = Handle::new(
            Config::builder()
                .region("cn-shanghai")
                .access_key("a", "b")
                .replay(r)
                .build(),
        )
        .unwrap();
        assert_eq!(
            h.call(&QueryDeviceDetail::default())
                .await
                .unwrap()
                .request_id
                .as_deref(),
            Some("canned")
        );
    }
}
