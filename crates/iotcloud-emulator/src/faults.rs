//! Fault injection, per operation, reproducible with a seed: error answers (5xx, throttling),
//! added latency, dropped connections, truncated or malformed bodies.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The kind of error answer an error fault gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// HTTP 500 `InternalError`.
    #[default]
    ServerError,
    /// HTTP 503 `ServiceUnavailable`.
    Unavailable,
    /// HTTP 400 `Throttling.User`.
    Throttling,
}

/// One fault rule. Rates are probabilities in `0..=1`, drawn independently per request in the
/// order drop, error, truncate, malformed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct FaultRule {
    /// Operation name (`QueryProduct`, `RefreshDeviceKey`), or `*` for every operation.
    pub operation: String,
    pub error_rate: f64,
    pub error_kind: ErrorKind,
    /// Added before answering, on every matching request.
    pub latency_ms: u64,
    /// Close the connection without an answer.
    pub drop_rate: f64,
    /// Answer with the first half of the body.
    pub truncate_rate: f64,
    /// Answer HTTP 200 with a body that is not JSON.
    pub malformed_rate: f64,
}

impl FaultRule {
    /// Parse the command-line form `OP:key=value,key=value` (keys: `error`, `kind`, `latency`,
    /// `drop`, `truncate`, `malformed`), e.g. `QueryProduct:error=0.5,kind=throttling`.
    pub fn parse(text: &str) -> Result<FaultRule, String> {
        let (op, rest) = text
            .split_once(':')
            .ok_or_else(|| format!("fault `{text}`: expected OPERATION:key=value,..."))?;
        let mut rule = FaultRule {
            operation: op.trim().to_string(),
            ..FaultRule::default()
        };
        if rule.operation.is_empty() {
            return Err(format!(
                "fault `{text}`: the operation is empty (use * for all)"
            ));
        }
        for item in rest.split(',').filter(|s| !s.trim().is_empty()) {
            let (k, v) = item
                .split_once('=')
                .ok_or_else(|| format!("fault `{text}`: `{item}` is not key=value"))?;
            let rate = |v: &str| -> Result<f64, String> {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or_else(|| {
                        format!(
                            "fault `{text}`: {k} must be a probability between 0 and 1, got `{v}`"
                        )
                    })
            };
            match k.trim() {
                "error" => rule.error_rate = rate(v)?,
                "drop" => rule.drop_rate = rate(v)?,
                "truncate" => rule.truncate_rate = rate(v)?,
                "malformed" => rule.malformed_rate = rate(v)?,
                "latency" => {
                    rule.latency_ms = v
                        .trim()
                        .trim_end_matches("ms")
                        .parse()
                        .map_err(|_| format!("fault `{text}`: latency must be milliseconds, got `{v}`"))?
                }
                "kind" => {
                    rule.error_kind = match v.trim() {
                        "server-error" | "5xx" | "500" => ErrorKind::ServerError,
                        "unavailable" | "503" => ErrorKind::Unavailable,
                        "throttling" => ErrorKind::Throttling,
                        other => {
                            return Err(format!(
                                "fault `{text}`: kind must be server-error, unavailable or throttling, got `{other}`"
                            ))
                        }
                    }
                }
                other => return Err(format!("fault `{text}`: unknown key `{other}`")),
            }
        }
        Ok(rule)
    }

    fn matches(&self, operation: &str) -> bool {
        self.operation == "*" || self.operation == operation
    }
}

/// What to do to one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decision {
    pub latency: Duration,
    pub drop: bool,
    pub error: Option<ErrorKind>,
    pub truncate: bool,
    pub malformed: bool,
}

/// The configured rules and the seeded random source.
#[derive(Debug)]
pub struct Faults {
    rules: Vec<FaultRule>,
    rng: StdRng,
    seed: u64,
}

impl Faults {
    /// Rules drawn from a generator seeded with `seed`.
    pub fn new(rules: Vec<FaultRule>, seed: u64) -> Faults {
        Faults {
            rules,
            rng: StdRng::seed_from_u64(seed),
            seed,
        }
    }

    /// The current rules.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// Replace the rules and restart the random sequence from the seed.
    pub fn set(&mut self, rules: Vec<FaultRule>) {
        self.rules = rules;
        self.rng = StdRng::seed_from_u64(self.seed);
    }

    /// Decide the faults of one request to `operation`. Draws happen only when a rule matches,
    /// so unrelated traffic does not shift the sequence.
    pub fn decide(&mut self, operation: &str) -> Decision {
        let mut d = Decision::default();
        for rule in self.rules.iter().filter(|r| r.matches(operation)) {
            d.latency += Duration::from_millis(rule.latency_ms);
            let draws: [f64; 4] = [
                self.rng.gen(),
                self.rng.gen(),
                self.rng.gen(),
                self.rng.gen(),
            ];
            d.drop |= draws[0] < rule.drop_rate;
            if d.error.is_none() && draws[1] < rule.error_rate {
                d.error = Some(rule.error_kind);
            }
            d.truncate |= draws[2] < rule.truncate_rate;
            d.malformed |= draws[3] < rule.malformed_rate;
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_command_line_form() {
        let r = FaultRule::parse("QueryProduct:error=0.5,kind=throttling,latency=20ms");
        assert_eq!(
            r,
            Ok(FaultRule {
                operation: "QueryProduct".into(),
                error_rate: 0.5,
                error_kind: ErrorKind::Throttling,
                latency_ms: 20,
                ..FaultRule::default()
            })
        );
        assert!(FaultRule::parse("QueryProduct:error=2").is_err());
        assert!(FaultRule::parse("QueryProduct").is_err());
        assert!(FaultRule::parse("X:colour=red").is_err());
    }

    #[test]
    fn same_seed_same_sequence_and_rates_hold() {
        let rule = FaultRule {
            operation: "*".into(),
            error_rate: 0.3,
            ..FaultRule::default()
        };
        let run = |seed| {
            let mut f = Faults::new(vec![rule.clone()], seed);
            (0..1000)
                .map(|_| f.decide("Op").error.is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        let errors = run(7).iter().filter(|e| **e).count();
        assert!(
            (250..350).contains(&errors),
            "{errors} errors in 1000 at rate 0.3"
        );
    }

    #[test]
    fn rules_apply_only_to_their_operation() {
        let rule = FaultRule {
            operation: "A".into(),
            error_rate: 1.0,
            ..FaultRule::default()
        };
        let mut f = Faults::new(vec![rule], 1);
        assert!(f.decide("A").error.is_some());
        assert!(f.decide("B").error.is_none());
    }
}
