//! Turns a struct's static plan into concrete requests: fills `{VAR}`s,
//! joins paths, checks names and merges duplicate requests.

use std::collections::HashMap;

use crate::error::Problem;
use ssm_config_rules::{FillError, Filler, SECRETS_REFERENCE, join};

use crate::description::{Binding, FieldDescription, StructDescription, ValueDescription};
use crate::plan::selector::Selector;
use crate::source::PathFilters;

use crate::pipeline::resolve::resolved::{NameRequest, Node, PathRequest, Requests, Slot};

#[derive(Debug)]
pub(crate) struct Resolution {
    pub root: Node,
    pub requests: Requests,
    pub problems: Vec<Problem>,
    /// The struct's prefix with its `{VAR}`s filled, when it has one that
    /// could be filled.
    pub prefix: Option<String>,
}

/// The variables available to `{VAR}` templates and environment
/// overrides.
pub(crate) type Lookup<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// Which environment variables override fields at load time.
#[derive(Clone, Copy)]
pub(crate) enum Overrides<'a> {
    /// None: listings and policies show every parameter.
    Off,
    /// `#[ssm(env = "...")]`, and with a prefix (`Loader::env_prefix`) a
    /// variable for every other field: `PREFIX_CACHE__TTL_SECS` for
    /// `cache.ttl_secs`; their values read from `variables`.
    On {
        prefix: Option<&'a str>,
        variables: &'a dyn Variables,
    },
}

/// The variables environment overrides read: each looked up by name, and
/// all of them listed, to find those that no field reads.
pub(crate) trait Variables: Sync {
    fn get(&self, name: &str) -> Option<String>;
    fn names(&self) -> Vec<String>;
}

/// The variable that overrides `field` (dotted through nested structs).
pub(crate) fn env_variable(
    value: &ValueDescription,
    field: &str,
    overrides: Overrides<'_>,
) -> Option<String> {
    match (value.env, overrides) {
        (_, Overrides::Off) => None,
        (Some(explicit), _) => Some(explicit.to_owned()),
        (
            None,
            Overrides::On {
                prefix: Some(prefix),
                ..
            },
        ) => Some(format!("{prefix}{}", field.replace('.', "__")).to_ascii_uppercase()),
        (None, Overrides::On { prefix: None, .. }) => None,
    }
}

pub(crate) fn resolve(
    plan: &'static StructDescription,
    prefix: Option<&str>,
    lookup: Lookup<'_>,
    overrides: Overrides<'_>,
) -> Resolution {
    resolve_with(plan, prefix, Filler::checked(lookup), overrides)
}

/// Resolves names as a load does, every name checked by the same rules,
/// except that an unset `{VAR}` stays in a name as `{VAR}`
/// ([`Filler::keeping_unset`]): for outputs that leave it to whoever runs
/// them.
#[cfg(any(feature = "bootstrap", feature = "iam"))]
pub(crate) fn resolve_keeping_unset(
    plan: &'static StructDescription,
    prefix: Option<&str>,
    lookup: Lookup<'_>,
) -> Resolution {
    resolve_with(plan, prefix, Filler::keeping_unset(lookup), Overrides::Off)
}

fn resolve_with(
    plan: &'static StructDescription,
    prefix: Option<&str>,
    filler: Filler<'_>,
    overrides: Overrides<'_>,
) -> Resolution {
    let mut resolver = Resolver {
        filler,
        overrides,
        requests: Requests::default(),
        problems: Vec::new(),
        names: HashMap::new(),
    };
    let template = prefix.or(plan.prefix);
    let filled = match template {
        Some(template) => {
            let filled = resolver.filler.prefix(template);
            resolver.made("prefix", filled)
        }
        None => Some(String::new()),
    };
    let base = Base {
        filled: filled.as_deref(),
        template: template.unwrap_or(""),
    };
    let root = resolver.node(plan, base, "");
    Resolution {
        root,
        requests: resolver.requests,
        problems: resolver.problems,
        prefix: template.and(filled.clone()),
    }
}

/// What relative names of a struct are joined to: the filled base, unless
/// it could not be made, and the base as written, `{VAR}`s and all, which
/// a name that cannot be made is shown as.
#[derive(Clone, Copy)]
struct Base<'a> {
    filled: Option<&'a str>,
    template: &'a str,
}

struct Resolver<'a> {
    filler: Filler<'a>,
    overrides: Overrides<'a>,
    requests: Requests,
    problems: Vec<Problem>,
    names: HashMap<(String, bool), usize>,
}

impl Resolver<'_> {
    /// The name `made` for `field`, or `None` with the problem recorded
    /// (once: a prefix's unset variable fails every field alike).
    fn made(&mut self, field: &str, made: Result<String, FillError>) -> Option<String> {
        let problem = match made {
            Ok(name) => return Some(name),
            Err(err) => fill_problem(field, err),
        };
        if !self.problems.iter().any(|p| same_problem(p, &problem)) {
            self.problems.push(problem);
        }
        None
    }

    fn node(&mut self, plan: &'static StructDescription, base: Base<'_>, parent: &str) -> Node {
        let slots = plan
            .fields
            .iter()
            .map(|f| self.slot(plan, f, base, parent))
            .collect();
        Node { plan, slots }
    }

    fn slot(
        &mut self,
        plan: &StructDescription,
        field: &FieldDescription,
        base: Base<'_>,
        parent: &str,
    ) -> Slot {
        let field_name = format!("{parent}{}", field.field);
        let unresolved = |template: String| Slot::Unresolved {
            field: field_name.clone(),
            template,
        };
        if let Binding::Parameter { value, .. } | Binding::Secret { value, .. } = &field.binding
            && let Some(mut slot) = self.env_slot(&field_name, value)
        {
            // The name it stands for, so an entry of it in a local file is
            // not taken for a typo. Not checked: nothing reads it.
            let shadowed = match &field.binding {
                Binding::Parameter { path, .. } => base
                    .filled
                    .and_then(|b| self.filler.parameter(b, path).ok()),
                Binding::Secret { name, .. } => self.filler.secret(name).ok(),
                _ => None,
            };
            if let Slot::Env { shadows, .. } = &mut slot {
                *shadows = shadowed;
            }
            return slot;
        }
        match &field.binding {
            Binding::Skip => Slot::Skip,
            Binding::Nested {
                segment,
                plan: nested,
            } => {
                let child_base = match (base.filled, segment) {
                    (Some(base), Some(segment)) => {
                        let made = self.filler.segment(base, segment);
                        self.made(&field_name, made)
                    }
                    (base, None) => base.map(str::to_owned),
                    (None, Some(_)) => None,
                };
                let child_template = match segment {
                    Some(segment) => join(base.template, segment),
                    None => base.template.to_owned(),
                };
                let child = Base {
                    filled: child_base.as_deref(),
                    template: &child_template,
                };
                Slot::Nested(self.node(nested, child, &format!("{field_name}.")))
            }
            Binding::Parameter {
                path,
                selector,
                value,
            } => {
                let template = join(base.template, path);
                let Some(filled) = base.filled else {
                    return unresolved(template);
                };
                let made = self.filler.parameter(filled, path);
                let Some(full) = self.made(&field_name, made) else {
                    return unresolved(template);
                };
                let selector = match selector.map(Selector::parse).transpose() {
                    Ok(s) => s,
                    Err(reason) => {
                        let name = format!("{full}:{}", selector.unwrap_or_default());
                        self.problems.push(Problem::InvalidSelector {
                            field: field_name.clone(),
                            name,
                            reason,
                        });
                        return unresolved(template);
                    }
                };
                self.name_slot(field_name, full, selector, plan.decrypt, None, *value)
            }
            Binding::Secret {
                name: secret,
                key,
                value,
            } => {
                let made = self.filler.secret(secret);
                let Some(full) = self.made(&field_name, made) else {
                    return unresolved(format!("{SECRETS_REFERENCE}/{secret}"));
                };
                self.name_slot(field_name, full, None, true, *key, *value)
            }
            Binding::ByPath {
                path,
                recursive,
                kind,
                key_id,
                label,
                value,
            } => {
                let template = join(base.template, path);
                let Some(filled) = base.filled else {
                    return unresolved(template);
                };
                let made = self.filler.walk(filled, path);
                let Some(full) = self.made(&field_name, made) else {
                    return unresolved(template);
                };
                let request = PathRequest {
                    path: full,
                    recursive: *recursive,
                    filters: PathFilters {
                        kind: *kind,
                        key_id: key_id.map(str::to_owned),
                        label: label.map(str::to_owned),
                    },
                    decrypt: plan.decrypt,
                };
                let index = match self.requests.paths.iter().position(|p| *p == request) {
                    Some(i) => i,
                    None => {
                        self.requests.paths.push(request);
                        self.requests.paths.len() - 1
                    }
                };
                Slot::Path {
                    field: field_name,
                    request: index,
                    value: *value,
                }
            }
        }
    }

    /// The slot of a field its environment variable overrides; an empty
    /// variable counts as unset, as SSM holds no empty values.
    fn env_slot(&self, field: &str, value: &ValueDescription) -> Option<Slot> {
        let Overrides::On { variables, .. } = self.overrides else {
            return None;
        };
        let variable = env_variable(value, field, self.overrides)?;
        let text = variables.get(&variable).filter(|text| !text.is_empty())?;
        Some(Slot::Env {
            field: field.to_owned(),
            variable,
            text: crate::Secret::new_zeroizing(text),
            value: *value,
            shadows: None,
        })
    }

    fn name_slot(
        &mut self,
        field: String,
        name: String,
        selector: Option<Selector>,
        decrypt: bool,
        key: Option<&'static str>,
        value: ValueDescription,
    ) -> Slot {
        let request = NameRequest {
            name,
            selector,
            decrypt,
        };
        let request = *self
            .names
            .entry((request.wire(), decrypt))
            .or_insert_with(|| {
                self.requests.names.push(request);
                self.requests.names.len() - 1
            });
        let env = env_variable(&value, &field, self.overrides);
        Slot::Name {
            field,
            request,
            key,
            value,
            env,
        }
    }
}

/// The problem a name that could not be made for `field` causes.
pub(crate) fn fill_problem(field: &str, err: FillError) -> Problem {
    match err {
        FillError::Unset { variable, template } => Problem::UnsetVariable { variable, template },
        FillError::Variable {
            variable,
            template,
            reason,
        } => Problem::InvalidVariable {
            variable,
            template,
            reason,
        },
        FillError::Name { name, reason } => Problem::InvalidName {
            field: field.to_owned(),
            name,
            reason,
        },
    }
}

fn same_problem(a: &Problem, b: &Problem) -> bool {
    a.to_string() == b.to_string()
}

/// Resolves names without checking them, for listings where a variable may
/// stand in as `{VAR}` or `*`.
pub(crate) fn resolve_unchecked(
    plan: &'static StructDescription,
    prefix: Option<&str>,
    lookup: Lookup<'_>,
) -> Resolution {
    resolve_with(plan, prefix, Filler::unchecked(lookup), Overrides::Off)
}

pub(crate) mod resolved;
