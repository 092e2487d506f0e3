//! Documented constraints, checked before anything is sent; every violation is reported.

/// How a length constraint counts.
#[derive(Clone, Copy)]
pub enum Unit {
    Chars,
    /// One CJK character counts as two.
    CjkDouble,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

fn length(value: &str, unit: Unit) -> u64 {
    match unit {
        Unit::Chars => value.chars().count() as u64,
        Unit::CjkDouble => value.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum(),
    }
}

/// Collects every violated rule of one request.
pub struct Checker {
    op: &'static str,
    err: crate::ValidationError,
}

impl Checker {
    pub fn new(op: &'static str) -> Self {
        Checker {
            op,
            err: crate::ValidationError::new(),
        }
    }

    fn push(&mut self, name: &str, rule: String) {
        self.err.push(self.op, name, rule);
    }

    /// For the checks that live beside their formats (`payload.rs`).
    pub(super) fn push_rule(&mut self, name: &str, rule: String) {
        self.push(name, rule);
    }

    pub fn required(&mut self, name: &str, present: bool) {
        if !present {
            self.push(name, "is required".to_string());
        }
    }

    pub fn length(
        &mut self,
        name: &str,
        value: Option<&str>,
        min: Option<u64>,
        max: Option<u64>,
        unit: Unit,
    ) {
        let Some(value) = value else { return };
        let n = length(value, unit);
        let what = match unit {
            Unit::Chars => "characters",
            Unit::CjkDouble => "characters, a CJK character counting as two",
        };
        if let Some(min) = min {
            if n < min {
                self.push(
                    name,
                    format!("must be at least {min} {what} long (got {n})"),
                );
            }
        }
        if let Some(max) = max {
            if n > max {
                self.push(name, format!("must be at most {max} {what} long (got {n})"));
            }
        }
    }

    pub fn each_length(
        &mut self,
        name: &str,
        values: &[String],
        min: Option<u64>,
        max: Option<u64>,
        unit: Unit,
    ) {
        for (i, v) in values.iter().enumerate() {
            self.length(&format!("{name}.{}", i + 1), Some(v), min, max, unit);
        }
    }

    pub fn bytes(&mut self, name: &str, value: Option<&str>, max: u64) {
        if let Some(value) = value {
            let n = value.len() as u64;
            if n > max {
                self.push(name, format!("must be at most {max} bytes (got {n})"));
            }
        }
    }

    pub fn range(&mut self, name: &str, value: Option<i64>, min: Option<i64>, max: Option<i64>) {
        let Some(value) = value else { return };
        if let Some(min) = min {
            if value < min {
                self.push(name, format!("must be at least {min} (got {value})"));
            }
        }
        if let Some(max) = max {
            if value > max {
                self.push(name, format!("must be at most {max} (got {value})"));
            }
        }
    }

    pub fn range_f64(
        &mut self,
        name: &str,
        value: Option<f64>,
        min: Option<i64>,
        max: Option<i64>,
    ) {
        let Some(value) = value else { return };
        if let Some(min) = min {
            if value < min as f64 {
                self.push(name, format!("must be at least {min} (got {value})"));
            }
        }
        if let Some(max) = max {
            if value > max as f64 {
                self.push(name, format!("must be at most {max} (got {value})"));
            }
        }
    }

    pub fn each_range(&mut self, name: &str, values: &[i64], min: Option<i64>, max: Option<i64>) {
        for (i, v) in values.iter().enumerate() {
            self.range(&format!("{name}.{}", i + 1), Some(*v), min, max);
        }
    }

    pub fn items(&mut self, name: &str, count: usize, min: Option<u64>, max: Option<u64>) {
        let n = count as u64;
        // An empty list is "not given": `required` reports it when it matters.
        if n == 0 {
            return;
        }
        if let Some(min) = min {
            if n < min {
                self.push(name, format!("must have at least {min} items (got {n})"));
            }
        }
        if let Some(max) = max {
            if n > max {
                self.push(name, format!("must have at most {max} items (got {n})"));
            }
        }
    }

    /// `name` was given, so each of `others` must be given too.
    pub fn requires(&mut self, name: &str, present: bool, others: &[(&str, bool)]) {
        if !present {
            return;
        }
        for (other, given) in others {
            if !given {
                self.push(name, format!("requires {other} to be given too"));
            }
        }
    }

    /// One-of groups. `required`: at least one alternative, complete (the documents
    /// give precedence when several are sent: `以IotId为准`, so that is no error).
    /// Not required: at most one. A lone alternative must be complete.
    pub fn one_of(&mut self, alternatives: &[&[(&str, bool)]], required: bool) {
        let describe =
            |alt: &[(&str, bool)]| alt.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("+");
        let all = alternatives
            .iter()
            .map(|a| describe(a))
            .collect::<Vec<_>>()
            .join(" or ");
        let chosen: Vec<&&[(&str, bool)]> = alternatives
            .iter()
            .filter(|a| a.iter().any(|(_, g)| *g))
            .collect();
        let complete = chosen.iter().any(|a| a.iter().all(|(_, g)| *g));
        if chosen.is_empty() {
            if required {
                let first = alternatives
                    .first()
                    .and_then(|a| a.first())
                    .map(|(n, _)| *n)
                    .unwrap_or("");
                self.push(first, format!("is required: give one of {all}"));
            }
            return;
        }
        if !required && chosen.len() > 1 {
            let given = chosen
                .iter()
                .map(|a| describe(a))
                .collect::<Vec<_>>()
                .join(" and ");
            let first = chosen[0]
                .iter()
                .find(|(_, g)| *g)
                .map(|(n, _)| *n)
                .unwrap_or("");
            self.push(
                first,
                format!("conflicts: give at most one of {all} (got {given})"),
            );
            return;
        }
        if complete {
            return;
        }
        for alt in chosen {
            let name = describe(alt);
            for (n, g) in alt.iter() {
                if !g {
                    self.push(n, format!("is required with {name}"));
                }
            }
        }
    }

    pub fn finish(self) -> Result<(), crate::ValidationError> {
        self.err.into_result()
    }
}

/// Request members of struct lists check themselves under their flattened name.
pub trait Check {
    fn check(&self, c: &mut Checker, prefix: &str);
}

pub fn check_each<T: Check>(c: &mut Checker, name: &str, items: &[T]) {
    for (i, item) in items.iter().enumerate() {
        item.check(c, &format!("{name}.{}", i + 1));
    }
}

pub fn check_one<T: Check>(c: &mut Checker, name: &str, item: &Option<T>) {
    if let Some(item) = item {
        item.check(c, name);
    }
}

impl<T: Check> Check for Box<T> {
    fn check(&self, c: &mut Checker, prefix: &str) {
        (**self).check(c, prefix);
    }
}
