mod unknown_type {
    iotcloud_macros::generate!("../../../../crates/iotcloud-macros/tests/ui/unknown_type.yaml");
}

fn main() {}
