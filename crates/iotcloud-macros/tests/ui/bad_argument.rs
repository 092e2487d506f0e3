mod identifier {
    iotcloud_macros::generate!(aliyun_iot);
}

mod two_paths {
    iotcloud_macros::generate!("a.yaml", "b.yaml");
}

mod empty {
    iotcloud_macros::generate!("");
}

mod nothing {
    iotcloud_macros::generate!();
}

fn main() {}
