//! Temporary stand-in for the SDK's generated metadata while it is being written.
#![allow(dead_code)]

use iotcloud_runtime::meta::*;

pub static IOT: ServiceMeta = ServiceMeta {
    name: "aliyun-iot", product: "Iot", api_version: "2018-01-20", protocol: Protocol::Rpc,
    endpoint: "https://iot.{region}.aliyuncs.com", auth: AuthScheme::AcsHmacSha1,
};

pub static QUERY_DEVICE: OperationMeta = OperationMeta {
    service: &IOT, name: "QueryDevice", method: "POST", path: "/", authenticated: true,
    retry_safe: true, rate_limit_per_second: None,
    params: &[
        ParamMeta { wire: "ProductKey", rust: "product_key", ty: "string", required: true, location: Location::Query, sensitive: false, description: "要查询的设备所隶属的产品Key。" },
        ParamMeta { wire: "PageSize", rust: "page_size", ty: "integer", required: false, location: Location::Query, sensitive: false, description: "每页记录数。" },
        ParamMeta { wire: "CurrentPage", rust: "current_page", ty: "integer", required: false, location: Location::Query, sensitive: false, description: "页号。" },
    ],
};

pub static CREATE_PRODUCT_TAGS: OperationMeta = OperationMeta {
    service: &IOT, name: "CreateProductTags", method: "POST", path: "/", authenticated: true,
    retry_safe: false, rate_limit_per_second: None,
    params: &[
        ParamMeta { wire: "ProductKey", rust: "product_key", ty: "string", required: true, location: Location::Query, sensitive: false, description: "产品Key。" },
        ParamMeta { wire: "ProductTag", rust: "product_tag", ty: "list<ProductTag>", required: true, location: Location::Query, sensitive: false, description: "要创建的标签。" },
        ParamMeta { wire: "DeviceName", rust: "device_name", ty: "list<string>", required: false, location: Location::Query, sensitive: false, description: "names" },
        ParamMeta { wire: "Enabled", rust: "enabled", ty: "boolean", required: false, location: Location::Query, sensitive: false, description: "flag" },
    ],
};

pub static OPERATIONS: &[&OperationMeta] = &[&QUERY_DEVICE, &CREATE_PRODUCT_TAGS];
