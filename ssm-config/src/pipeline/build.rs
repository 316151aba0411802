//! The build step: generated `build` functions ask this context for each
//! field's value. Every problem is recorded; none stops the others.

use std::collections::HashSet;

use crate::SsmConfig;
use crate::description::ValueDescription;
use crate::error::Problem;
use crate::name;
use crate::origin::Origin;
use crate::pipeline::convert::Convert;
use crate::pipeline::fetch::fetched::{Fetched, NameOutcome};
use crate::pipeline::resolve::resolved::{NameRequest, Node, Requests, Slot};
use crate::pipeline::stand_ins::{self, StandIn};
use crate::placeholder::holds_placeholder;
use crate::source::{Parameter, ParameterType};

/// What generated code builds a struct from. Not public API.
pub struct Build<'a> {
    node: &'a Node,
    requests: &'a Requests,
    fetched: &'a Fetched,
    problems: &'a mut Vec<Problem>,
    /// Secrets whose values came from beside the store.
    stand_ins: &'a mut Vec<StandIn>,
    /// Where values were looked for: the source's description.
    looked_in: &'a str,
    /// The struct being built, dotted from the top; empty for the top.
    at: String,
}

impl<'a> Build<'a> {
    pub(crate) fn new(
        node: &'a Node,
        requests: &'a Requests,
        fetched: &'a Fetched,
        problems: &'a mut Vec<Problem>,
        stand_ins: &'a mut Vec<StandIn>,
        looked_in: &'a str,
    ) -> Self {
        Build {
            node,
            requests,
            fetched,
            problems,
            stand_ins,
            looked_in,
            at: String::new(),
        }
    }

    /// Records a problem of this load.
    pub(crate) fn record(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// Runs the struct's `#[ssm(validate = ...)]` function on the built
    /// struct: a refusal (or a panic) is a problem of the load, and the
    /// struct is not returned.
    pub fn validated<T, E: std::fmt::Display>(
        &mut self,
        value: T,
        validate: impl FnOnce(&T) -> Result<(), E>,
    ) -> Option<T> {
        let verdict = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            validate(&value).map_err(|e| e.to_string())
        }));
        let problem = match verdict {
            Ok(Ok(())) => return Some(value),
            Ok(Err(message)) => Problem::Invalidated {
                at: self.at.clone(),
                message,
            },
            Err(_payload) => Problem::Panicked {
                field: (!self.at.is_empty()).then(|| self.at.clone()),
                name: None,
                during: "validating the struct",
            },
        };
        self.problems.push(problem);
        None
    }

    /// A required field.
    pub fn required<C: Convert>(&mut self, index: usize, converter: &C) -> Option<C::Output> {
        match self.lookup(index, converter)? {
            Some(value) => Some(value),
            None => {
                let (field, name) = self.describe(index);
                let env = match &self.node.slots[index] {
                    Slot::Name { env, .. } => env.clone(),
                    _ => None,
                };
                self.problems.push(Problem::Missing {
                    field,
                    name,
                    looked_in: self.looked_in.to_owned(),
                    env,
                });
                None
            }
        }
    }

    /// An `Option<T>` field.
    pub fn optional<C: Convert>(
        &mut self,
        index: usize,
        converter: &C,
    ) -> Option<Option<C::Output>> {
        self.lookup(index, converter)
    }

    /// A field with `#[ssm(default = EXPR)]` or `#[ssm(default)]`.
    pub fn or_default<C: Convert>(
        &mut self,
        index: usize,
        converter: &C,
        default: impl FnOnce() -> C::Output,
    ) -> Option<C::Output> {
        match self.lookup(index, converter)? {
            Some(found) => Some(found),
            None => {
                self.note_default(index, converter);
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(default)) {
                    Ok(value) => Some(value),
                    Err(_payload) => {
                        let (field, _) = self.describe(index);
                        self.problems.push(Problem::Panicked {
                            field: Some(field),
                            name: None,
                            during: "making its `#[ssm(default = ...)]` value",
                        });
                        None
                    }
                }
            }
        }
    }

    /// A field with `#[ssm(default = "text")]`: the text goes through the
    /// field's converter, as a fetched value would, on every load, so a
    /// default that does not convert fails every load, not only those where
    /// the parameter happens to be missing.
    pub fn or_default_str<C: Convert>(
        &mut self,
        index: usize,
        converter: &C,
        default: &str,
    ) -> Option<C::Output> {
        let converted =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| converter.convert(default)));
        let fallback = match converted {
            Ok(Ok(value)) => value,
            Err(_payload) => {
                let (field, _) = self.describe(index);
                self.problems.push(Problem::Panicked {
                    field: Some(field),
                    name: Some("#[ssm(default)]".into()),
                    during: "converting",
                });
                return None;
            }
            Ok(Err(rejection)) => {
                if let Slot::Name {
                    field, value: plan, ..
                }
                | Slot::Env {
                    field, value: plan, ..
                } = &self.node.slots[index]
                {
                    let (reason, value) = rejection.redacted(default, plan.secret);
                    self.problems.push(Problem::Invalid {
                        field: field.clone(),
                        name: "#[ssm(default)]".into(),
                        origin: Origin::Default,
                        expected: plan.expected.to_owned(),
                        reason,
                        value,
                    });
                }
                return None;
            }
        };
        match self.lookup(index, converter)? {
            Some(found) => Some(found),
            None => {
                self.note_default(index, converter);
                Some(fallback)
            }
        }
    }

    /// Notes the default of the field at `index` as a stand-in when the
    /// field is secret.
    fn note_default<C: Convert>(&mut self, index: usize, converter: &C) {
        if let Slot::Name {
            field, value: plan, ..
        } = &self.node.slots[index]
        {
            let stand_in = stand_ins::judge(field, plan, None, &Origin::Default, || {
                converter.may_hold_secret()
            });
            self.stand_ins.extend(stand_in);
        }
    }

    /// A `#[ssm(by_path)]` map, keyed by the name below the path.
    pub fn by_path<C: Convert, M: FromIterator<(String, C::Output)>>(
        &mut self,
        index: usize,
        converter: &C,
    ) -> Option<M> {
        let Slot::Path {
            field,
            request,
            value: plan,
        } = &self.node.slots[index]
        else {
            return None;
        };
        let path = &self.requests.paths[*request].path;
        let found = self.fetched.paths[*request].as_ref()?;
        let mut entries = Vec::with_capacity(found.len());
        let mut ok = true;
        let mut seen = HashSet::new();
        for parameter in found {
            let key = parameter
                .name
                .strip_prefix(path.as_str())
                .unwrap_or(&parameter.name)
                .trim_start_matches('/');
            if !seen.insert(key) {
                continue;
            }
            let origin = Origin::of(&parameter.name, parameter);
            let stand_in = stand_ins::judge(field, plan, Some(parameter.kind), &origin, || {
                converter.may_hold_secret()
            });
            self.stand_ins.extend(stand_in);
            match convert_one(field, parameter, plan, None, converter, origin) {
                Ok(value) => entries.push((key.to_owned(), value)),
                Err(problem) => {
                    self.problems.push(problem);
                    ok = false;
                }
            }
        }
        ok.then(|| entries.into_iter().collect())
    }

    /// A `#[ssm(nested)]` or `#[ssm(flatten)]` field.
    pub fn nested<T: SsmConfig>(&mut self, index: usize) -> Option<T> {
        let Slot::Nested(child) = &self.node.slots[index] else {
            return None;
        };
        let field = self.node.plan.fields[index].field;
        let at = match self.at.is_empty() {
            true => field.to_owned(),
            false => format!("{}.{field}", self.at),
        };
        let mut child = Build {
            node: child,
            requests: self.requests,
            fetched: self.fetched,
            problems: self.problems,
            stand_ins: self.stand_ins,
            looked_in: self.looked_in,
            at,
        };
        T::build(&mut child)
    }

    /// `Some(None)` when missing; `None` when a problem was recorded.
    fn lookup<C: Convert>(&mut self, index: usize, converter: &C) -> Option<Option<C::Output>> {
        let converted = match &self.node.slots[index] {
            Slot::Env {
                field,
                variable,
                text,
                value: plan,
                ..
            } => {
                let parameter = env_parameter(variable, text.expose_secret(), plan);
                let origin = Origin::Env {
                    variable: variable.clone(),
                };
                let stand_in = stand_ins::judge(field, plan, Some(parameter.kind), &origin, || {
                    converter.may_hold_secret()
                });
                self.stand_ins.extend(stand_in);
                convert_one(field, &parameter, plan, None, converter, origin)
            }
            Slot::Name {
                field,
                request,
                key,
                value: plan,
                ..
            } => {
                let parameter = match &self.fetched.names[*request] {
                    NameOutcome::Found(parameter) => parameter,
                    NameOutcome::Missing => return Some(None),
                    NameOutcome::Failed => return None,
                };
                let origin = origin_of(&self.requests.names[*request], parameter, *key);
                let stand_in = stand_ins::judge(field, plan, Some(parameter.kind), &origin, || {
                    converter.may_hold_secret()
                });
                self.stand_ins.extend(stand_in);
                convert_one(field, parameter, plan, *key, converter, origin)
            }
            _ => return None,
        };
        match converted {
            Ok(value) => Some(Some(value)),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    fn describe(&self, index: usize) -> (String, String) {
        match &self.node.slots[index] {
            Slot::Name { field, request, .. } => {
                (field.clone(), self.requests.names[*request].wire())
            }
            Slot::Path { field, request, .. } => {
                (field.clone(), self.requests.paths[*request].path.clone())
            }
            _ => (self.node.plan.fields[index].field.to_owned(), String::new()),
        }
    }
}

/// An environment variable's text as a parameter would hold it: secret
/// when the field is, so it is never quoted.
fn env_parameter(variable: &str, text: &str, plan: &ValueDescription) -> Parameter {
    Parameter {
        name: variable.to_owned(),
        value: text.to_owned(),
        kind: match plan.secret {
            true => ParameterType::SecureString,
            false => ParameterType::String,
        },
        version: 0,
        selector: None,
        last_modified: None,
        location: None,
    }
}

/// Where a fetched value came from: the request's name (an ARN stays an
/// ARN), its selector and version, or the secret and key.
pub(crate) fn origin_of(request: &NameRequest, parameter: &Parameter, key: Option<&str>) -> Origin {
    match name::referenced_secret(&request.name) {
        Some(secret) => Origin::Secret {
            name: secret.to_owned(),
            key: key.map(str::to_owned),
            location: parameter.location.clone(),
        },
        None => Origin::Parameter {
            name: request.name.clone(),
            selector: request.selector.as_ref().map(ToString::to_string),
            version: parameter.version,
            location: parameter.location.clone(),
        },
    }
}

/// Whether a value read for `plan` from a parameter of `kind` is never
/// shown: the field is a `Secret<_>`, or the parameter a SecureString.
pub(crate) fn sensitive(plan: &ValueDescription, kind: ParameterType) -> bool {
    plan.secret || kind == ParameterType::SecureString
}

pub(crate) fn convert_one<C: Convert>(
    field: &str,
    parameter: &Parameter,
    plan: &ValueDescription,
    key: Option<&str>,
    converter: &C,
    origin: Origin,
) -> Result<C::Output, Problem> {
    let sensitive = sensitive(plan, parameter.kind);
    if parameter.kind == ParameterType::SecureString && !plan.secret && !plan.plaintext {
        return Err(Problem::SecureStringNotSecret {
            field: field.to_owned(),
            name: parameter.name.clone(),
            origin,
        });
    }
    let picked;
    let raw = match key {
        None => parameter.value.as_str(),
        Some(key) => {
            picked = pick_key(&parameter.value, key).map_err(|reason| Problem::MissingKey {
                field: field.to_owned(),
                name: parameter.name.clone(),
                origin: origin.clone().without_key(),
                key: key.to_owned(),
                reason,
            })?;
            picked.as_str()
        }
    };
    if holds_placeholder(raw) {
        return Err(Problem::Placeholder {
            field: field.to_owned(),
            name: parameter.name.clone(),
            origin,
        });
    }
    let converted =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| converter.convert(raw))).map_err(
            |_payload| Problem::Panicked {
                field: Some(field.to_owned()),
                name: Some(parameter.name.clone()),
                during: "converting",
            },
        )?;
    converted.map_err(|rejection| {
        let (reason, value) = rejection.redacted(raw, sensitive);
        Problem::Invalid {
            field: field.to_owned(),
            name: parameter.name.clone(),
            origin,
            expected: plan.expected.to_owned(),
            reason,
            value,
        }
    })
}

/// One key of a JSON object: a string as is, anything else as JSON text.
/// The parsed secret, every key and string of it, is wiped once picked.
fn pick_key(json: &str, key: &str) -> Result<zeroize::Zeroizing<String>, &'static str> {
    const NOT_AN_OBJECT: &str = "is not a JSON object, so it has no";
    let parsed = WipedJson(serde_json::from_str(json).map_err(|_| NOT_AN_OBJECT)?);
    let serde_json::Value::Object(object) = &parsed.0 else {
        return Err(NOT_AN_OBJECT);
    };
    match object.get(key) {
        Some(serde_json::Value::String(s)) => Ok(zeroize::Zeroizing::new(s.clone())),
        Some(other) => Ok(zeroize::Zeroizing::new(other.to_string())),
        None => Err("has no"),
    }
}

/// Parsed JSON that is wiped when dropped.
struct WipedJson(serde_json::Value);

impl Drop for WipedJson {
    fn drop(&mut self) {
        wipe_json(&mut self.0);
    }
}

/// Zeroes every string and key of `value` (numbers cannot be reached).
fn wipe_json(value: &mut serde_json::Value) {
    use zeroize::Zeroize;
    match value {
        serde_json::Value::String(s) => s.zeroize(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(wipe_json),
        serde_json::Value::Object(object) => {
            for (mut key, mut item) in std::mem::take(object) {
                key.zeroize();
                wipe_json(&mut item);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picking_a_key_leaves_no_other_secret_behind() {
        let json = r#"{"user":"admin","password":"hunter2","nested":{"pin":"1234"}}"#;
        assert_eq!(*pick_key(json, "password").unwrap(), "hunter2");
        assert_eq!(*pick_key(json, "nested").unwrap(), r#"{"pin":"1234"}"#);
        assert_eq!(pick_key(json, "absent").unwrap_err(), "has no");
        assert!(pick_key("[1]", "a").is_err());

        let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
        wipe_json(&mut value);
        assert_eq!(value.to_string(), "{}", "keys and strings are gone");
        let mut list: serde_json::Value = serde_json::from_str(r#"["a",["b"]]"#).unwrap();
        wipe_json(&mut list);
        assert_eq!(list.to_string(), r#"["",[""]]"#);
    }
}
