//! `{VAR}`s set neither in the scope nor in the environment: each becomes
//! `*` in the policy, and each such widening is recorded, named in the
//! notes and refusable with [`IamPolicy::exact`](super::IamPolicy::exact).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Stands for an unset variable while names are resolved and joined, so
/// the finished text can say which variable each `*` comes from. The
/// delimiter can be in no parameter name, secret name or environment
/// value.
const MARK: char = '\u{1}';

/// The stand-in for the unset variable `name`.
pub(super) fn unset(name: &str) -> String {
    format!("{MARK}{name}{MARK}")
}

/// One `*` an unset `{VAR}` put in the policy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Widening {
    /// The variable, set neither with [`PolicyScope::var`](super::PolicyScope::var)
    /// nor in the environment.
    pub variable: String,
    /// The resource ARN, or condition value, as granted: `*` in the
    /// variable's place, matching any value of it at any depth (in IAM,
    /// `*` also matches `/`).
    pub resource: String,
}

/// The widenings met while a policy's texts are finished.
#[derive(Default)]
pub(super) struct Widenings {
    found: BTreeSet<Widening>,
}

impl Widenings {
    /// `text` with each stand-in replaced by `*`, every one recorded.
    pub(super) fn finish(&mut self, text: &str) -> String {
        if !text.contains(MARK) {
            return text.to_owned();
        }
        let mut finished = String::with_capacity(text.len());
        let mut variables = Vec::new();
        for (i, piece) in text.split(MARK).enumerate() {
            match i % 2 {
                0 => finished.push_str(piece),
                _ => {
                    finished.push('*');
                    variables.push(piece);
                }
            }
        }
        for variable in variables {
            self.found.insert(Widening {
                variable: variable.to_owned(),
                resource: finished.clone(),
            });
        }
        finished
    }

    /// One note per variable, naming everything it widened.
    pub(super) fn notes(&self) -> Vec<String> {
        by_variable(self.found.iter())
            .into_iter()
            .map(|(variable, resources)| {
                let listed = resources
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "`{variable}` is set neither with `PolicyScope::var` nor in the environment, so `{{{variable}}}` became `*`, which matches any value at any depth (`*` also matches `/`), in: {listed}. Set it to grant one value, or refuse such a policy with `IamPolicy::exact`."
                )
            })
            .collect()
    }

    pub(super) fn into_list(self) -> Vec<Widening> {
        self.found.into_iter().collect()
    }
}

fn by_variable<'a>(
    widenings: impl Iterator<Item = &'a Widening>,
) -> BTreeMap<&'a str, Vec<&'a str>> {
    let mut grouped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for w in widenings {
        grouped.entry(&w.variable).or_default().push(&w.resource);
    }
    grouped
}

/// A policy [`IamPolicy::exact`](super::IamPolicy::exact) refused: an unset
/// `{VAR}` made it grant every value of the variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Widened {
    widenings: Vec<Widening>,
}

impl Widened {
    pub(super) fn new(widenings: Vec<Widening>) -> Self {
        Widened { widenings }
    }

    /// The unset variables, sorted, each once.
    pub fn variables(&self) -> Vec<&str> {
        by_variable(self.widenings.iter()).into_keys().collect()
    }

    /// Every widening: each variable with each resource it widened.
    pub fn widenings(&self) -> &[Widening] {
        &self.widenings
    }
}

impl fmt::Display for Widened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the IAM policy grants `*` for unset variables:")?;
        for (variable, resources) in by_variable(self.widenings.iter()) {
            write!(f, " `{variable}` (in `{}`", resources[0])?;
            match resources.len() - 1 {
                0 => f.write_str(")")?,
                more => write!(f, " and {more} more)")?,
            }
        }
        f.write_str("; set each with `PolicyScope::var` or in the environment")
    }
}

impl std::error::Error for Widened {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stand_in_becomes_a_wildcard_and_is_recorded() {
        let mut widenings = Widenings::default();
        let text = format!("/{}/orders/{}", unset("ENV"), unset("TEAM"));
        assert_eq!(widenings.finish(&text), "/*/orders/*");
        assert_eq!(widenings.finish("/plain/name"), "/plain/name");
        let list = widenings.into_list();
        let pairs: Vec<(&str, &str)> = list
            .iter()
            .map(|w| (w.variable.as_str(), w.resource.as_str()))
            .collect();
        assert_eq!(pairs, [("ENV", "/*/orders/*"), ("TEAM", "/*/orders/*")]);
    }

    #[test]
    fn the_refusal_names_each_variable_once() {
        let mut widenings = Widenings::default();
        widenings.finish(&format!("/{}/a", unset("ENV")));
        widenings.finish(&format!("/{}/b", unset("ENV")));
        let refused = Widened::new(widenings.into_list());
        assert_eq!(refused.variables(), ["ENV"]);
        assert_eq!(
            refused.to_string(),
            "the IAM policy grants `*` for unset variables: `ENV` (in `/*/a` and 1 more); set each with `PolicyScope::var` or in the environment"
        );
    }
}
