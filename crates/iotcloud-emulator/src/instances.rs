//! IoT Platform instances: the public instance (requests without `IotInstanceId`) and enterprise
//! instances (`--instance iot-xxx`, `POST /_emulator/instances`), each with a state of its own.
//! A thin layer: an enterprise instance is a whole [`State`] kept in [`State::instances`], so
//! the handlers never know which instance they serve.

use crate::state::State;
use crate::validate::Params;
use crate::wire::Failure;
use iotcloud_spec::ServiceSpec;

/// The request parameter naming the instance.
pub const PARAMETER: &str = "IotInstanceId";

/// What the service answers for an instance id the account does not have (IoT Platform error
/// codes page, <https://www.alibabacloud.com/help/doc-detail/87387.htm>, system error codes).
pub const NOT_FOUND: &str = "iot.system.InstanceNotFound";

/// Runs `f` on the state of the instance a request goes to: the public one (`state` itself)
/// when the request names none or its service has no instances, else the named enterprise
/// instance. Ids stay unique across instances, as the service's are: the public state's counter
/// is the one sequence every instance draws from.
pub fn with_instance<R>(
    state: &mut State,
    service: &ServiceSpec,
    params: &Params,
    f: impl FnOnce(&mut State) -> R,
) -> Result<R, Failure> {
    let named = params
        .get(PARAMETER)
        .filter(|_| service.service_parameter(PARAMETER).is_some());
    let Some(id) = named else {
        return Ok(f(state));
    };
    let sequence = state.next_id;
    let instance = state.instances.get_mut(id).ok_or_else(|| not_found(id))?;
    instance.next_id = instance.next_id.max(sequence);
    let out = f(instance);
    state.next_id = instance.next_id;
    Ok(out)
}

fn not_found(id: &str) -> Failure {
    Failure::business_msg(
        NOT_FOUND,
        format!("The instance {id} does not exist in this account (create it with --instance {id} or POST /_emulator/instances)."),
    )
}

/// Checks an instance id before it is created: what the service's ids look like (`iot-` then
/// letters, digits and hyphens, e.g. `iot-cn-0pp1n8t4x0e`, `iot-06z00ax1o4c****`).
pub fn check_id(id: &str) -> Result<(), String> {
    let rest = id
        .strip_prefix("iot-")
        .ok_or_else(|| format!("instance id {id:?} must start with `iot-`"))?;
    let ok = !rest.is_empty()
        && id.len() <= 64
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "instance id {id:?}: after `iot-`, 1 to 60 letters, digits, hyphens or `*`"
        ))
    }
}

/// Creates an enterprise instance; `false` when it exists already (its state is kept).
pub fn create(state: &mut State, id: &str) -> Result<bool, String> {
    check_id(id)?;
    if state.instances.contains_key(id) {
        return Ok(false);
    }
    state.instances.insert(id.to_string(), State::default());
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_the_services() {
        for good in ["iot-cn-0pp1n8t4x0e", "iot-06z00ax1o4c****", "iot-a"] {
            assert_eq!(check_id(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "iot-",
            "cn-0pp1",
            "iot-a b",
            "iot-a\n",
            &format!("iot-{}", "a".repeat(61)),
        ] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn instances_draw_ids_from_one_sequence() {
        let mut s = State::default();
        assert_eq!(create(&mut s, "iot-a"), Ok(true));
        let text = "service: {name: s, title: S, vendor: aliyun, product: Iot, api_version: '1', protocol: rpc, endpoint: 'https://x', auth: acs-hmac-sha1, sources: []}\nservice_parameters:\n- {name: IotInstanceId, rust: iot_instance_id, type: string, env: E}\noperations: []\n";
        let spec = iotcloud_spec::parse(std::path::Path::new("t.yaml"), text)
            .expect("spec")
            .spec;
        let mut in_a = Params::new();
        in_a.insert(PARAMETER.into(), "iot-a".into());
        let public_id = s.new_id("", 8);
        let a_id = with_instance(&mut s, &spec, &in_a, |i| i.new_id("", 8)).expect("A exists");
        let public_again =
            with_instance(&mut s, &spec, &Params::new(), |i| i.new_id("", 8)).expect("public");
        assert_ne!(public_id, a_id);
        assert_ne!(a_id, public_again);
        assert_ne!(public_id, public_again);
        in_a.insert(PARAMETER.into(), "iot-b".into());
        let unknown = with_instance(&mut s, &spec, &in_a, |_| ()).expect_err("no such instance");
        assert_eq!(unknown.code(), NOT_FOUND);
    }

    #[test]
    fn create_is_idempotent_and_keeps_the_state() {
        let mut s = State::default();
        assert_eq!(create(&mut s, "iot-a"), Ok(true));
        if let Some(a) = s.instances.get_mut("iot-a") {
            a.next_id = 7;
        }
        assert_eq!(create(&mut s, "iot-a"), Ok(false));
        assert_eq!(s.instances.get("iot-a").map(|i| i.next_id), Some(7));
        assert!(create(&mut s, "bad").is_err());
    }
}
