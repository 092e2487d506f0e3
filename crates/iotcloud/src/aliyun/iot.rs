//! Alibaba Cloud IoT Platform (`Iot`, API version 2018-01-20): 89 operations generated from
//! `api-spec/aliyun-iot.yaml`.

iotcloud_macros::generate!("api-spec/aliyun-iot.yaml");

crate::builder::client_constructors!(alibaba);
