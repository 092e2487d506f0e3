//! Alibaba Cloud IoT Platform (`Iot`, API version 2018-01-20): 89 operations generated from
//! `api-spec/aliyun-iot.yaml`.

iotcloud_macros::generate!("../../api-spec/aliyun-iot.yaml");

crate::builder::client_constructors!();

impl Client {
    /// A client from the environment: region from `ALIBABA_CLOUD_REGION_ID` and credentials
    /// from the default chain (environment, CLI profile, credentials file, ECS RAM role),
    /// resolved now so that missing credentials fail here rather than on the first call.
    pub async fn from_env() -> Result<Self, Error> {
        let client = Client::builder().region_from_env().build()?;
        client
            .handle()
            .credentials()
            .await
            .map_err(|e| e.with_code_type())?;
        Ok(client)
    }
}
