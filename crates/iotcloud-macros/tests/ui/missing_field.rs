mod missing_field {
    iotcloud_macros::generate!("../../../../crates/iotcloud-macros/tests/ui/missing_field.yaml");
}

fn main() {}
