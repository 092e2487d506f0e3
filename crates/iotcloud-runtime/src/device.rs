//! The device an operation is about, where the documents accept `IotId` or `ProductKey` with
//! `DeviceName`: one value instead of three parameters that must be combined correctly.

/// Which device: its `IotId`, or its product's key with its name. Operations whose documents
/// state the rule `IotId | ProductKey + DeviceName` take it with `.device(..)`; an empty part is
/// refused by `validate`, before anything is sent, naming the parameter.
///
/// ```
/// use iotcloud_runtime::DeviceRef;
///
/// let by_id = DeviceRef::iot_id("Q7uOhVRdZRRlDnTLv****00100");
/// let by_name = DeviceRef::name("a1BwAGV****", "device1");
/// assert_ne!(by_id, by_name);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DeviceRef {
    /// The device ID the platform issued (`IotId`).
    IotId(String),
    /// The product key and the device's name in that product.
    Name {
        /// The product's key (`ProductKey`).
        product_key: String,
        /// The device's name within the product (`DeviceName`).
        device_name: String,
    },
}

impl DeviceRef {
    /// A device by its `IotId`.
    pub fn iot_id(iot_id: impl Into<String>) -> Self {
        DeviceRef::IotId(iot_id.into())
    }

    /// A device by `ProductKey` and `DeviceName`.
    pub fn name(product_key: impl Into<String>, device_name: impl Into<String>) -> Self {
        DeviceRef::Name {
            product_key: product_key.into(),
            device_name: device_name.into(),
        }
    }

    /// The `(IotId, ProductKey, DeviceName)` parameters: one side set, the other cleared.
    pub fn into_parts(self) -> (Option<String>, Option<String>, Option<String>) {
        match self {
            DeviceRef::IotId(id) => (Some(id), None, None),
            DeviceRef::Name {
                product_key,
                device_name,
            } => (None, Some(product_key), Some(device_name)),
        }
    }
}
