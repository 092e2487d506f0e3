mod missing {
    iotcloud_macros::generate!("tests/ui/does-not-exist.yaml");
}

fn main() {}
