//! `iotcloud demo`, the README's first command: exits 0 and narrates every step.

mod common;

#[test]
fn demo_walks_the_whole_scenario() {
    let out = common::bare().arg("demo").output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for step in [
        "(CreateProduct)",
        "(RegisterDevice)",
        "(SetDeviceProperty)",
        "(QueryDevicePropertyStatus)",
        "(Pub)",
        "(QueryDevice)",
        "(QueryDeviceDetail)",
        "(UnRegisterDeviceCredential)",
        "(RefreshDeviceKey)",
    ] {
        assert!(stdout.contains(step), "no step {step} in:\n{stdout}");
    }
    // The property set in step 3 is read back in step 4.
    assert!(stdout.contains("TargetTemperature = 21.5"), "{stdout}");
    // 12 devices at 5 per page.
    assert!(stdout.contains("12 devices in 3 pages of 5"), "{stdout}");
    // The guide: QueryDevice PageSize "最大值是50"; an unknown device is iot.device.NotExistedDevice.
    assert!(stdout.contains("PageSize"), "{stdout}");
    assert!(stdout.contains("iot.device.NotExistedDevice"), "{stdout}");
    assert!(
        !stdout.contains("emulator-demo-secret"),
        "secrets are never printed"
    );
}
