//! Turns a struct's static plan into concrete requests: fills `{VAR}`s,
//! joins paths, checks names and merges duplicate requests.

use std::collections::HashMap;

use crate::error::Problem;
use ssm_config_rules::{FillError, Filler};

use crate::name::{self, Selector};
use crate::plan::{
    Binding, FieldPlan, PlannedKind, PlannedParameter, Presence, StructPlan, ValuePlan,
};
use crate::source::PathFilters;

/// A name to fetch with `GetParameters`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameRequest {
    pub name: String,
    pub selector: Option<Selector>,
    pub decrypt: bool,
}

impl NameRequest {
    /// The name as `GetParameters` takes it.
    pub fn wire(&self) -> String {
        match &self.selector {
            Some(s) => format!("{}:{s}", self.name),
            None => self.name.clone(),
        }
    }

    /// Whether this is a Secrets Manager reference.
    pub fn is_secret(&self) -> bool {
        name::referenced_secret(&self.name).is_some()
    }

    /// The name a result may come back under: some servers name a secret by
    /// its bare name, a parameter asked for by ARN by its name in the
    /// owning account, and drop selectors, so two requests with one match
    /// key cannot share a call.
    pub fn match_key(&self) -> &str {
        name::referenced_secret(&self.name)
            .or_else(|| name::arn_name(&self.name))
            .unwrap_or(&self.name)
    }
}

/// A `GetParametersByPath` walk.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PathRequest {
    pub path: String,
    pub recursive: bool,
    pub filters: PathFilters,
    pub decrypt: bool,
}

/// Everything one load asks for, without duplicates.
#[derive(Debug, Default)]
pub(crate) struct Requests {
    pub names: Vec<NameRequest>,
    pub paths: Vec<PathRequest>,
}

/// A resolved struct, mirroring its plan field for field.
#[derive(Debug)]
pub(crate) struct Node {
    pub plan: &'static StructPlan,
    pub slots: Vec<Slot>,
}

impl Node {
    /// Every slot but nested structs, theirs included in their place, in
    /// declaration order: what walks over a whole struct go through.
    pub fn leaves(&self) -> Leaves<'_> {
        Leaves {
            stack: vec![self.slots.iter()],
        }
    }
}

/// The iterator of [`Node::leaves`].
pub(crate) struct Leaves<'a> {
    stack: Vec<std::slice::Iter<'a, Slot>>,
}

impl<'a> Iterator for Leaves<'a> {
    type Item = &'a Slot;

    fn next(&mut self) -> Option<&'a Slot> {
        loop {
            match self.stack.last_mut()?.next() {
                Some(Slot::Nested(child)) => self.stack.push(child.slots.iter()),
                Some(slot) => return Some(slot),
                None => {
                    self.stack.pop();
                }
            }
        }
    }
}

#[derive(Debug)]
pub(crate) enum Slot {
    /// An environment variable overrides the parameter: nothing is fetched.
    Env {
        field: String,
        variable: String,
        text: crate::Secret<String>,
        value: ValuePlan,
    },
    Name {
        field: String,
        request: usize,
        key: Option<&'static str>,
        value: ValuePlan,
    },
    Path {
        field: String,
        request: usize,
        value: ValuePlan,
    },
    Nested(Node),
    /// Could not be resolved; the problem is already recorded.
    Unresolved {
        field: String,
    },
    Skip,
}

#[derive(Debug)]
pub(crate) struct Resolution {
    pub root: Node,
    pub requests: Requests,
    pub problems: Vec<Problem>,
}

/// The variables available to `{VAR}` templates and environment
/// overrides.
pub(crate) type Lookup<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// Which environment variables override fields at load time.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Overrides<'a> {
    /// None: listings and policies show every parameter.
    Off,
    /// `#[ssm(env = "...")]`, and with a prefix (`Loader::env_prefix`) a
    /// variable for every other field: `PREFIX_CACHE__TTL_SECS` for
    /// `cache.ttl_secs`.
    On { prefix: Option<&'a str> },
}

/// The variable that overrides `field` (dotted through nested structs).
pub(crate) fn env_variable(
    value: &ValuePlan,
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
            },
        ) => Some(format!("{prefix}{}", field.replace('.', "__")).to_ascii_uppercase()),
        (None, Overrides::On { prefix: None }) => None,
    }
}

pub(crate) fn resolve(
    plan: &'static StructPlan,
    prefix: Option<&str>,
    lookup: Lookup<'_>,
    overrides: Overrides<'_>,
) -> Resolution {
    resolve_with(plan, prefix, lookup, true, overrides)
}

fn resolve_with(
    plan: &'static StructPlan,
    prefix: Option<&str>,
    lookup: Lookup<'_>,
    validate: bool,
    overrides: Overrides<'_>,
) -> Resolution {
    let mut resolver = Resolver {
        filler: match validate {
            true => Filler::checked(lookup),
            false => Filler::unchecked(lookup),
        },
        lookup,
        overrides,
        requests: Requests::default(),
        problems: Vec::new(),
        names: HashMap::new(),
    };
    let base = match prefix.or(plan.prefix) {
        Some(template) => {
            let filled = resolver.filler.prefix(template);
            resolver.made("prefix", filled)
        }
        None => Some(String::new()),
    };
    let root = resolver.node(plan, base.as_deref(), "");
    Resolution {
        root,
        requests: resolver.requests,
        problems: resolver.problems,
    }
}

struct Resolver<'a> {
    filler: Filler<'a>,
    lookup: Lookup<'a>,
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

    fn node(&mut self, plan: &'static StructPlan, base: Option<&str>, parent: &str) -> Node {
        let slots = plan
            .fields
            .iter()
            .map(|f| self.slot(plan, f, base, parent))
            .collect();
        Node { plan, slots }
    }

    fn slot(
        &mut self,
        plan: &StructPlan,
        field: &FieldPlan,
        base: Option<&str>,
        parent: &str,
    ) -> Slot {
        let field_name = format!("{parent}{}", field.field);
        if let Binding::Parameter { value, .. } | Binding::Secret { value, .. } = &field.binding
            && let Some(slot) = self.env_slot(&field_name, value)
        {
            return slot;
        }
        match &field.binding {
            Binding::Skip => Slot::Skip,
            Binding::Nested {
                segment,
                plan: nested,
            } => {
                let child_base = match (base, segment) {
                    (Some(base), Some(segment)) => {
                        let made = self.filler.segment(base, segment);
                        self.made(&field_name, made)
                    }
                    (base, None) => base.map(str::to_owned),
                    (None, Some(_)) => None,
                };
                Slot::Nested(self.node(nested, child_base.as_deref(), &format!("{field_name}.")))
            }
            Binding::Parameter {
                path,
                selector,
                value,
            } => {
                let Some(base) = base else {
                    return Slot::Unresolved { field: field_name };
                };
                let made = self.filler.parameter(base, path);
                let Some(full) = self.made(&field_name, made) else {
                    return Slot::Unresolved { field: field_name };
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
                        return Slot::Unresolved { field: field_name };
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
                    return Slot::Unresolved { field: field_name };
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
                let Some(base) = base else {
                    return Slot::Unresolved { field: field_name };
                };
                let made = self.filler.walk(base, path);
                let Some(full) = self.made(&field_name, made) else {
                    return Slot::Unresolved { field: field_name };
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
    fn env_slot(&self, field: &str, value: &ValuePlan) -> Option<Slot> {
        let variable = env_variable(value, field, self.overrides)?;
        let text = (self.lookup)(&variable).filter(|text| !text.is_empty())?;
        Some(Slot::Env {
            field: field.to_owned(),
            variable,
            text: crate::Secret::new_zeroizing(text),
            value: *value,
        })
    }

    fn name_slot(
        &mut self,
        field: String,
        name: String,
        selector: Option<Selector>,
        decrypt: bool,
        key: Option<&'static str>,
        value: ValuePlan,
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
        Slot::Name {
            field,
            request,
            key,
            value,
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
    plan: &'static StructPlan,
    prefix: Option<&str>,
    lookup: Lookup<'_>,
) -> Resolution {
    resolve_with(plan, prefix, lookup, false, Overrides::Off)
}

/// The plan of `plan` as a flat list, for display: with the loader's
/// prefix and the variables that override each field.
pub(crate) fn planned_parameters(
    plan: &'static StructPlan,
    prefix: Option<&str>,
    lookup: Lookup<'_>,
    env_prefix: Option<&str>,
) -> Vec<PlannedParameter> {
    // Unset variables stay visible as `{VAR}` instead of failing the listing.
    let keep_unset = |var: &str| lookup(var).or_else(|| Some(format!("{{{var}}}")));
    let resolution = resolve_unchecked(plan, prefix, &keep_unset);
    let overrides = Overrides::On { prefix: env_prefix };
    let requests = &resolution.requests;
    let mut out = Vec::new();
    for slot in resolution.root.leaves() {
        let planned = match slot {
            Slot::Name {
                field,
                request,
                key,
                value,
            } => {
                let r = &requests.names[*request];
                let kind = if r.is_secret() {
                    PlannedKind::Secret {
                        key: key.map(str::to_owned),
                    }
                } else {
                    PlannedKind::Parameter { decrypt: r.decrypt }
                };
                PlannedParameter {
                    field: field.clone(),
                    name: r.name.clone(),
                    selector: r.selector.as_ref().map(Selector::to_string),
                    kind,
                    required: value.presence == Presence::Required,
                    env: env_variable(value, field, overrides),
                }
            }
            Slot::Path {
                field,
                request,
                value,
            } => {
                let r = &requests.paths[*request];
                PlannedParameter {
                    field: field.clone(),
                    name: r.path.clone(),
                    selector: None,
                    kind: PlannedKind::ByPath {
                        recursive: r.recursive,
                    },
                    required: value.presence == Presence::Required,
                    env: None,
                }
            }
            Slot::Env { .. } | Slot::Nested(_) | Slot::Unresolved { .. } | Slot::Skip => continue,
        };
        out.push(planned);
    }
    out
}
