mod broken {
    iotcloud_macros::generate!("../../../../crates/iotcloud-macros/tests/ui/bad_syntax.yaml");
}

fn main() {}
