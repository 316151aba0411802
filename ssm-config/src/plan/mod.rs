//! The binding plan: what `AppConfig::loader().plan()` lists (every field with
//! its full name, selector and kind) and the [`Selector`] of a pinned
//! version.

use std::fmt;

use ssm_config_rules::escaped;

use crate::description::{Presence, StructDescription};
use crate::pipeline::resolve;
use crate::pipeline::resolve::resolved::Leaf;
mod planned_parameter;
pub(crate) mod selector;

pub use planned_parameter::{PlannedKind, PlannedParameter};
pub use selector::Selector;

/// The binding plan of a config struct, from
/// [`Loader::plan`](crate::Loader::plan): a list of
/// [`PlannedParameter`]s that prints as a table. Where a value may come
/// from, first to last: the `ENV` variable (a column shown when some field
/// has one), the parameter, and the default (`REQUIRED` is `no`). `KIND`
/// says `SecureString` for a field that keeps its value secret.
///
/// ```text
/// FIELD        PARAMETER                                  SELECTOR  KIND                   REQUIRED
/// db_host      /prod/orders/db_host                                 parameter              yes
/// db_password  /prod/orders/db_password                             SecureString           yes
/// stripe_key   /aws/reference/secretsmanager/prod/stripe            secret, key `api_key`  yes
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    parameters: Vec<PlannedParameter>,
}

impl Plan {
    pub(crate) fn new(parameters: Vec<PlannedParameter>) -> Self {
        Plan { parameters }
    }
}

impl std::ops::Deref for Plan {
    type Target = [PlannedParameter];

    fn deref(&self) -> &[PlannedParameter] {
        &self.parameters
    }
}

impl IntoIterator for Plan {
    type Item = PlannedParameter;
    type IntoIter = std::vec::IntoIter<PlannedParameter>;

    fn into_iter(self) -> Self::IntoIter {
        self.parameters.into_iter()
    }
}

impl<'a> IntoIterator for &'a Plan {
    type Item = &'a PlannedParameter;
    type IntoIter = std::slice::Iter<'a, PlannedParameter>;

    fn into_iter(self) -> Self::IntoIter {
        self.parameters.iter()
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header =
            ["FIELD", "PARAMETER", "SELECTOR", "KIND", "REQUIRED", "ENV"].map(str::to_owned);
        let rows: Vec<[String; 6]> = self
            .parameters
            .iter()
            .map(|p| {
                [
                    p.field.clone(),
                    escaped(&p.name),
                    escaped(p.selector.as_deref().unwrap_or_default()),
                    p.kind.describe(),
                    if p.required { "yes" } else { "no" }.to_owned(),
                    p.env.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let with_env = self.parameters.iter().any(|p| p.env.is_some());
        let columns = if with_env { 6 } else { 5 };
        let (header, rows): (Vec<String>, Vec<Vec<String>>) = (
            header[..columns].to_vec(),
            rows.iter().map(|row| row[..columns].to_vec()).collect(),
        );
        let mut widths: Vec<usize> = header.iter().map(String::len).collect();
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, &width)| format!("{cell:width$}"))
                .collect();
            writeln!(f, "{}", line.join("  ").trim_end())?;
        }
        Ok(())
    }
}

/// The plan of `plan` as a flat list, for display: with the loader's
/// prefix and the variables that override each field.
pub(crate) fn planned_parameters(
    plan: &'static StructDescription,
    prefix: Option<&str>,
    lookup: resolve::Lookup<'_>,
    env_prefix: Option<&str>,
) -> Vec<PlannedParameter> {
    // Unset variables stay visible as `{VAR}` instead of failing the listing.
    let keep_unset = |var: &str| lookup(var).or_else(|| Some(format!("{{{var}}}")));
    let resolution = resolve::resolve_unchecked(plan, prefix, &keep_unset);
    // Only the variables' names are listed, never their values.
    let overrides = resolve::Overrides::On {
        prefix: env_prefix,
        variables: &NoVariables,
    };
    let requests = &resolution.requests;
    let mut out = Vec::new();
    for leaf in resolution.root.leaves(requests) {
        let planned = match leaf {
            Leaf::Name {
                field,
                request: r,
                key,
                value,
                ..
            } => {
                let kind = if r.is_secret() {
                    PlannedKind::Secret {
                        key: key.map(str::to_owned),
                    }
                } else {
                    PlannedKind::Parameter {
                        decrypt: r.decrypt,
                        secure_string: value.secret,
                    }
                };
                PlannedParameter {
                    field: field.to_owned(),
                    name: r.name.clone(),
                    selector: r.selector.as_ref().map(Selector::to_string),
                    kind,
                    required: value.presence == Presence::Required,
                    env: resolve::env_variable(value, field, overrides),
                }
            }
            Leaf::Path {
                field,
                request: r,
                value,
                ..
            } => PlannedParameter {
                field: field.to_owned(),
                name: r.path.clone(),
                selector: None,
                kind: PlannedKind::ByPath {
                    recursive: r.recursive,
                },
                required: value.presence == Presence::Required,
                env: None,
            },
            Leaf::Env { .. } | Leaf::Unresolved { .. } => continue,
        };
        out.push(planned);
    }
    out
}

/// No override variable holds a value: a listing shows every parameter.
struct NoVariables;

impl resolve::Variables for NoVariables {
    fn get(&self, _: &str) -> Option<String> {
        None
    }

    fn names(&self) -> Vec<String> {
        Vec::new()
    }
}
