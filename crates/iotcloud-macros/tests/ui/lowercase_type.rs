mod lowercase_type {
    iotcloud_macros::generate!("../../../../crates/iotcloud-macros/tests/ui/lowercase_type.yaml");
}

fn main() {}
