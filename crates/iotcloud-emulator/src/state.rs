//! The emulator's state: everything the stateful operations read and write, serialisable as
//! one JSON document (`state.json` under `--data-dir`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Product {
    pub product_key: String,
    pub product_name: String,
    pub node_type: i64,
    pub data_format: Option<i64>,
    pub description: Option<String>,
    pub aliyun_commodity_code: Option<String>,
    pub protocol_type: Option<String>,
    pub net_type: Option<String>,
    pub id2: Option<bool>,
    pub category_key: Option<String>,
    pub join_permission_id: Option<String>,
    pub product_secret: String,
    pub gmt_create: i64,
    /// Creation order (from [`State::next_number`]): breaks ties of `gmt_create`, so lists
    /// documented as newest first stay in a stable order within a millisecond.
    pub created: u64,
    pub tags: BTreeMap<String, String>,
}

/// A property value reported or set, with its time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Sample {
    pub value: String,
    pub time: i64,
}

/// A desired property value with its version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Desired {
    pub value: Value,
    pub version: i64,
    pub time: i64,
}

/// A service invocation (InvokeThingService, or the `set` service behind SetDeviceProperty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ServiceCall {
    pub identifier: String,
    pub input: String,
    pub output: String,
    pub time: i64,
}

/// An event a device reported (through the inspection endpoint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Event {
    pub identifier: String,
    /// `info`, `alert` or `error`.
    pub event_type: String,
    pub output: String,
    pub time: i64,
}

/// A device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Device {
    pub iot_id: String,
    pub product_key: String,
    pub device_name: String,
    pub device_secret: String,
    pub nickname: Option<String>,
    /// `UNACTIVE`, `ONLINE`, `OFFLINE` (the service's spellings); disabled devices answer `DISABLE`.
    pub status: String,
    pub disabled: bool,
    pub gmt_create: i64,
    /// Creation order (from [`State::next_number`]): breaks ties of `gmt_create`, so lists
    /// documented as newest first stay in a stable order within a millisecond.
    pub created: u64,
    pub gmt_active: Option<i64>,
    pub gmt_online: Option<i64>,
    pub firmware_version: Option<String>,
    /// Tags (`SaveDeviceProp`), a JSON object of strings.
    pub props: BTreeMap<String, String>,
    /// The gateway this sub-device hangs under (its IotId).
    pub gateway: Option<String>,
    /// Latest property values by identifier.
    pub properties: BTreeMap<String, Sample>,
    /// Property history by identifier, in time order.
    pub property_history: BTreeMap<String, Vec<Sample>>,
    pub desired: BTreeMap<String, Desired>,
    /// Device shadow document (`state`, `metadata`) and its version.
    pub shadow: Value,
    pub shadow_version: i64,
    /// Service invocations in time order.
    pub services: Vec<ServiceCall>,
    /// Reported events in time order.
    pub events: Vec<Event>,
}

/// A device group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Group {
    pub group_id: String,
    pub group_name: String,
    pub group_desc: Option<String>,
    pub super_group_id: Option<String>,
    pub gmt_create: i64,
    /// Creation order (from [`State::next_number`]): breaks ties of `gmt_create`, so lists
    /// documented as newest first stay in a stable order within a millisecond.
    pub created: u64,
    pub tags: BTreeMap<String, String>,
    /// Member devices by IotId.
    pub devices: BTreeSet<String>,
}

/// A custom topic category of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ProductTopic {
    pub topic_id: String,
    pub product_key: String,
    pub topic_short_name: String,
    pub operation: String,
    pub desc: Option<String>,
    /// Delegated subscription (`EnableProxySubscribe`); unset answers `false`.
    pub enable_proxy_subscribe: bool,
    /// `compress` or `decompress` (`Codec`), when set.
    pub codec: Option<String>,
}

/// A rule of the rules engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Rule {
    pub id: i64,
    pub name: String,
    pub product_key: Option<String>,
    pub short_topic: Option<String>,
    pub select: Option<String>,
    pub condition: Option<String>,
    pub rule_desc: Option<String>,
    pub data_type: Option<String>,
    pub topic_type: Option<i64>,
    /// `STOP` or `RUNNING`.
    pub status: String,
    pub created: i64,
    pub modified: i64,
}

/// An action of a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RuleAction {
    pub id: i64,
    pub rule_id: i64,
    pub action_type: String,
    pub configuration: String,
    pub error_action_flag: bool,
}

/// A message sent through Pub, PubBroadcast or RRpc, kept for inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Message {
    pub message_id: String,
    /// `Pub`, `PubBroadcast`, `RRpc`, `InvokeThingService(s)` or `SetDevicesProperty`.
    pub kind: String,
    pub product_key: String,
    pub device_name: Option<String>,
    pub topic: Option<String>,
    /// As sent (base64 for the IoT operations).
    pub content: String,
    pub qos: Option<i64>,
    /// MQTT 5 `ResponseTopic` of a Pub, when sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_topic: Option<String>,
    /// RRpc's JT/T 808 `ContentType`, when sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    pub time: i64,
}

/// A batch registration application (`ApplyId`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Application {
    pub apply_id: i64,
    pub product_key: String,
    pub device_names: Vec<String>,
    /// `CHECK`, `CHECK_SUCCESS`, `CREATE_SUCCESS`, ...
    pub status: String,
}

/// An OceanConnect device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct OcDevice {
    pub device_id: String,
    pub node_id: String,
    pub verify_code: String,
    pub timeout: i64,
    pub online: bool,
}

/// Everything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct State {
    pub products: BTreeMap<String, Product>,
    /// By IotId. Add and remove devices with [`State::insert_device`] and
    /// [`State::remove_device`], which keep [`DeviceIndex`] in step.
    pub devices: BTreeMap<String, Device>,
    /// Derived from `devices`, not saved; rebuilt by [`State::reindex`] after loading.
    #[serde(skip)]
    pub index: DeviceIndex,
    pub groups: BTreeMap<String, Group>,
    pub topics: BTreeMap<String, ProductTopic>,
    /// Topic routes: source topic -> destination topics.
    pub routes: BTreeMap<String, BTreeSet<String>>,
    pub rules: BTreeMap<i64, Rule>,
    pub rule_actions: BTreeMap<i64, RuleAction>,
    pub messages: Vec<Message>,
    pub applications: BTreeMap<i64, Application>,
    /// Unregistered MQTT credentials: `InstanceId/ClientId`.
    pub mqtt_unregistered: BTreeSet<String>,
    pub oc_devices: BTreeMap<String, OcDevice>,
    /// Source of ids (ProductKey, IotId, GroupId, numeric ids).
    pub next_id: u64,
    /// Enterprise IoT instances by `IotInstanceId`, each a state of its own; this state is the
    /// public instance (see `instances.rs`).
    pub instances: BTreeMap<String, State>,
}

/// Lookups that would otherwise scan every device: by (ProductKey, DeviceName), and a
/// product's devices newest first (the documented order of QueryDevice).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceIndex {
    by_name: HashMap<(String, String), String>,
    /// Oldest first by (`gmt_create`, creation order): a new device is appended, and a page
    /// counted from the newest is a slice, whatever its number.
    by_product: HashMap<String, Vec<CreationKey>>,
}

type CreationKey = (i64, u64, String);

impl DeviceIndex {
    fn add(&mut self, d: &Device) {
        self.by_name.insert(
            (d.product_key.clone(), d.device_name.clone()),
            d.iot_id.clone(),
        );
        let list = self.by_product.entry(d.product_key.clone()).or_default();
        let key = order_key(d);
        let at = list.partition_point(|k| *k < key);
        list.insert(at, key);
    }

    fn remove(&mut self, d: &Device) {
        self.by_name
            .remove(&(d.product_key.clone(), d.device_name.clone()));
        if let Some(list) = self.by_product.get_mut(&d.product_key) {
            if let Ok(at) = list.binary_search(&order_key(d)) {
                list.remove(at);
            }
        }
    }
}

fn order_key(d: &Device) -> CreationKey {
    (d.gmt_create, d.created, d.iot_id.clone())
}

/// `items` newest first by `(gmt_create, created)`: the order the guide documents for
/// QueryProductList, ListProductByTags, QueryDevice, QueryDeviceGroupList and ListRule
/// ("按照…创建时间倒序排列").
pub fn newest_first<'a, T: 'a>(
    items: impl Iterator<Item = &'a T>,
    created: impl Fn(&T) -> (i64, u64),
) -> Vec<&'a T> {
    let mut v: Vec<&T> = items.collect();
    v.sort_by_key(|t| std::cmp::Reverse(created(t)));
    v
}

impl State {
    /// A new unique number.
    pub fn next_number(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// A new id of `len` characters: `prefix`, letters derived from a counter, then the counter
    /// itself in digits. The letters hold no digits, so the digit suffix is unambiguous and ids
    /// are unique by construction.
    pub fn new_id(&mut self, prefix: &str, len: usize) -> String {
        const LETTERS: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
        let n = self.next_number();
        let digits = n.to_string();
        // Multiply by an odd constant (a bijection mod 2^64) so ids do not look sequential.
        let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut out = String::from(prefix);
        let letters = len.saturating_sub(prefix.len() + digits.len()).max(1);
        for _ in 0..letters {
            out.push(LETTERS[(x % LETTERS.len() as u64) as usize] as char);
            x /= LETTERS.len() as u64;
            if x == 0 {
                x = n;
            }
        }
        out.push_str(&digits);
        out
    }

    /// Add (or replace) a device.
    pub fn insert_device(&mut self, d: Device) {
        if let Some(old) = self.devices.remove(&d.iot_id) {
            self.index.remove(&old);
        }
        self.index.add(&d);
        self.devices.insert(d.iot_id.clone(), d);
    }

    /// Remove a device.
    pub fn remove_device(&mut self, iot_id: &str) -> Option<Device> {
        let d = self.devices.remove(iot_id)?;
        self.index.remove(&d);
        Some(d)
    }

    /// Rebuild the derived index (after loading a saved state), in every instance's state too.
    pub fn reindex(&mut self) {
        self.index = DeviceIndex::default();
        for d in self.devices.values() {
            self.index.add(d);
        }
        for instance in self.instances.values_mut() {
            instance.reindex();
        }
    }

    /// The devices of a product, newest first.
    pub fn product_devices<'a>(&'a self, product_key: &str) -> impl Iterator<Item = &'a Device> {
        self.product_devices_from(product_key, 0)
    }

    /// The devices of a product, newest first, from the `skip`-th on (without walking the
    /// skipped ones).
    pub fn product_devices_from<'a>(
        &'a self,
        product_key: &str,
        skip: usize,
    ) -> impl Iterator<Item = &'a Device> {
        let list = self
            .index
            .by_product
            .get(product_key)
            .map_or(&[][..], Vec::as_slice);
        let end = list.len().saturating_sub(skip);
        list[..end]
            .iter()
            .rev()
            .filter_map(|(_, _, id)| self.devices.get(id))
    }

    /// How many devices a product has.
    pub fn product_device_count(&self, product_key: &str) -> usize {
        self.index.by_product.get(product_key).map_or(0, Vec::len)
    }

    /// The IotId of the device `device_name` of `product_key`.
    pub fn device_by_name(&self, product_key: &str, device_name: &str) -> Option<&Device> {
        let key = (product_key.to_string(), device_name.to_string());
        self.devices.get(self.index.by_name.get(&key)?)
    }

    /// The device named by IotId, or by ProductKey + DeviceName (IotId wins, as documented).
    pub fn find_device(
        &self,
        iot_id: Option<&str>,
        product_key: Option<&str>,
        device_name: Option<&str>,
    ) -> Option<&Device> {
        match iot_id.filter(|s| !s.is_empty()) {
            Some(id) => self.devices.get(id),
            None => self.device_by_name(product_key?, device_name?),
        }
    }

    /// The IotId of the device named like [`State::find_device`].
    pub fn device_id(
        &self,
        iot_id: Option<&str>,
        product_key: Option<&str>,
        device_name: Option<&str>,
    ) -> Option<String> {
        self.find_device(iot_id, product_key, device_name)
            .map(|d| d.iot_id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_follows_inserts_removals_and_reloads() {
        let mut s = State::default();
        for (i, name) in ["a", "b", "c"].iter().enumerate() {
            s.insert_device(Device {
                iot_id: format!("id-{name}"),
                product_key: "pk".into(),
                device_name: name.to_string(),
                gmt_create: 1000,
                created: i as u64,
                ..Device::default()
            });
        }
        let order: Vec<&str> = s
            .product_devices("pk")
            .map(|d| d.device_name.as_str())
            .collect();
        assert_eq!(
            order,
            ["c", "b", "a"],
            "newest first, ties by creation order"
        );
        assert_eq!(
            s.find_device(None, Some("pk"), Some("b"))
                .map(|d| d.iot_id.as_str()),
            Some("id-b")
        );
        assert!(s.remove_device("id-b").is_some());
        assert!(s.find_device(None, Some("pk"), Some("b")).is_none());
        assert_eq!(s.product_device_count("pk"), 2);
        let saved = serde_json::to_string(&s).unwrap_or_default();
        let loaded: Result<State, _> = serde_json::from_str(&saved);
        let Ok(mut loaded) = loaded else {
            panic!("{loaded:?}")
        };
        assert!(
            loaded.find_device(None, Some("pk"), Some("a")).is_none(),
            "not saved"
        );
        loaded.reindex();
        assert_eq!(loaded, s);
    }

    #[test]
    fn ids_are_unique_and_sized() {
        let mut s = State::default();
        let ids: BTreeSet<String> = (0..10_000).map(|_| s.new_id("a1", 11)).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|i| i.len() == 11 && i.starts_with("a1")));
        let long: BTreeSet<String> = (0..1000).map(|_| s.new_id("", 20)).collect();
        assert_eq!(long.len(), 1000);
        assert!(long.iter().all(|i| i.len() == 20));
    }
}
