//! The resolved tree: a struct's description with every `{VAR}` filled and
//! every name checked, as the leaves a load builds from and the requests it
//! sends for them. Every walk over a resolved struct (the build, metadata,
//! the doctor, bootstrap, IAM) goes through [`Node::leaves`].

use crate::description::{StructDescription, ValueDescription};
use crate::name;
use crate::plan::selector::Selector;
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

impl PathRequest {
    /// Whether `name` is one of the parameters this walk reads: below the
    /// path, and a direct child unless the walk descends.
    #[cfg(feature = "events")]
    pub fn holds(&self, name: &str) -> bool {
        let base = self.path.trim_end_matches('/');
        match name
            .strip_prefix(base)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            Some(rest) => !rest.is_empty() && (self.recursive || !rest.contains('/')),
            None => false,
        }
    }
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
    pub plan: &'static StructDescription,
    pub slots: Vec<Slot>,
}

impl Node {
    /// Every field that reads something or stands for something, nested
    /// structs' fields in their place, in declaration order, each with the
    /// request it reads: the one walk the tools, metadata and the doctor
    /// take over a resolved struct. Skipped fields are not leaves.
    pub fn leaves<'a>(&'a self, requests: &'a Requests) -> Leaves<'a> {
        Leaves {
            requests,
            stack: vec![self.slots.iter()],
        }
    }
}

/// One field of a resolved struct, as [`Node::leaves`] yields it.
#[derive(Clone, Copy)]
pub(crate) enum Leaf<'a> {
    /// A parameter or a secret, read with `GetParameters`.
    Name {
        field: &'a str,
        request: &'a NameRequest,
        /// The index of `request` in [`Requests::names`].
        index: usize,
        /// One key of a JSON secret.
        key: Option<&'static str>,
        value: &'a ValueDescription,
        /// The variable that would override it, had it been set.
        #[cfg_attr(not(feature = "doctor"), expect(dead_code, reason = "the doctor's"))]
        env: Option<&'a str>,
    },
    /// Every parameter under a path, read with `GetParametersByPath`.
    Path {
        field: &'a str,
        request: &'a PathRequest,
        /// The index of `request` in [`Requests::paths`].
        #[cfg_attr(not(feature = "doctor"), expect(dead_code, reason = "the doctor's"))]
        index: usize,
        value: &'a ValueDescription,
    },
    /// An environment variable stands for the parameter: nothing is read.
    Env {
        field: &'a str,
        variable: &'a str,
        text: &'a crate::Secret<String>,
        /// The name the variable stands for, when it could be made.
        shadows: Option<&'a str>,
    },
    /// A name that could not be made (its problem is recorded), with the
    /// name as written, `{VAR}`s unfilled.
    #[cfg_attr(not(feature = "doctor"), expect(dead_code, reason = "the doctor's"))]
    Unresolved { field: &'a str, template: &'a str },
}

/// The iterator of [`Node::leaves`].
pub(crate) struct Leaves<'a> {
    requests: &'a Requests,
    stack: Vec<std::slice::Iter<'a, Slot>>,
}

impl<'a> Iterator for Leaves<'a> {
    type Item = Leaf<'a>;

    fn next(&mut self) -> Option<Leaf<'a>> {
        loop {
            let slot = match self.stack.last_mut()?.next() {
                Some(slot) => slot,
                None => {
                    self.stack.pop();
                    continue;
                }
            };
            return Some(match slot {
                Slot::Nested(child) => {
                    self.stack.push(child.slots.iter());
                    continue;
                }
                Slot::Skip => continue,
                Slot::Name {
                    field,
                    request,
                    key,
                    value,
                    env,
                } => Leaf::Name {
                    field,
                    request: &self.requests.names[*request],
                    index: *request,
                    key: *key,
                    value,
                    env: env.as_deref(),
                },
                Slot::Path {
                    field,
                    request,
                    value,
                } => Leaf::Path {
                    field,
                    request: &self.requests.paths[*request],
                    index: *request,
                    value,
                },
                Slot::Env {
                    field,
                    variable,
                    text,
                    shadows,
                    ..
                } => Leaf::Env {
                    field,
                    variable,
                    text,
                    shadows: shadows.as_deref(),
                },
                Slot::Unresolved { field, template } => Leaf::Unresolved { field, template },
            });
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
        value: ValueDescription,
        /// The name the variable stands for, when it could be made.
        shadows: Option<String>,
    },
    Name {
        field: String,
        request: usize,
        key: Option<&'static str>,
        value: ValueDescription,
        /// The variable that would override it, had it been set.
        env: Option<String>,
    },
    Path {
        field: String,
        request: usize,
        value: ValueDescription,
    },
    Nested(Node),
    /// Could not be resolved; the problem is already recorded.
    Unresolved {
        field: String,
        /// The name as written, `{VAR}`s unfilled.
        template: String,
    },
    Skip,
}
