//! Alibaba Cloud MQTT (`OnsMqtt`, API version 2020-04-20), generated from
//! `api-spec/aliyun-mqtt.yaml`.

iotcloud_macros::generate!("api-spec/aliyun-mqtt.yaml");

crate::builder::client_constructors!(alibaba);
