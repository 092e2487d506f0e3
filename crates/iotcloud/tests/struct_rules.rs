//! Rules stated inside struct tables apply to each struct value, before anything is sent:
//! DeviceNicknameInfo (L3949-3967) and DeviceList (L6125-6145) identify a device by IotId or by
//! ProductKey together with DeviceName.
#![cfg(feature = "aliyun-iot")]

use iotcloud::aliyun::iot::types::{
    BatchUpdateDeviceNicknameRequest, DeviceList as SubDevice, DeviceNicknameInfo as Nickname,
    NotifyAddThingTopoRequest,
};
use iotcloud_runtime::Operation;

fn violations<O: Operation>(op: &O) -> Vec<String> {
    match op.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.violations.iter().map(|v| v.to_string()).collect(),
    }
}

#[test]
fn each_nickname_entry_names_its_device_one_way_or_the_other() {
    let req = BatchUpdateDeviceNicknameRequest::builder()
        .device_nickname_info(Nickname::new().iot_id("id-1").nickname("lamp"))
        .device_nickname_info(
            Nickname::new()
                .product_key("pk")
                .device_name("d2")
                .nickname("desk"),
        )
        .device_nickname_info(Nickname::new().nickname("nobody"))
        .device_nickname_info(Nickname::new().product_key("pk").nickname("half"))
        .build();
    assert_eq!(
        violations(&req),
        [
            "BatchUpdateDeviceNickname: DeviceNicknameInfo.3.IotId is required: give one of \
             DeviceNicknameInfo.3.IotId or DeviceNicknameInfo.3.ProductKey+DeviceNicknameInfo.3.DeviceName",
            "BatchUpdateDeviceNickname: DeviceNicknameInfo.4.ProductKey requires \
             DeviceNicknameInfo.4.DeviceName to be given too",
            "BatchUpdateDeviceNickname: DeviceNicknameInfo.4.DeviceName is required with \
             DeviceNicknameInfo.4.ProductKey+DeviceNicknameInfo.4.DeviceName",
        ]
    );
}

#[test]
fn iot_id_wins_over_product_key_and_device_name_as_the_guide_says() {
    // 如果您同时传入IotId和ProductKey与DeviceName组合，则以IotId为准 (L3956-3958): no error.
    let req = BatchUpdateDeviceNicknameRequest::builder()
        .device_nickname_info(
            Nickname::new()
                .iot_id("id")
                .product_key("pk")
                .device_name("d"),
        )
        .build();
    assert_eq!(violations(&req), Vec::<String>::new());
}

#[test]
fn sub_devices_of_a_topology_are_checked_inside_the_json_document() {
    let req = NotifyAddThingTopoRequest::builder()
        .gw_iot_id("gw")
        .device_list_str(SubDevice::new().device_name("orphan"))
        .build();
    let v = violations(&req);
    assert!(
        v.iter()
            .any(|m| m.contains("DeviceListStr.1.DeviceName requires DeviceListStr.1.ProductKey")),
        "{v:?}"
    );
}
