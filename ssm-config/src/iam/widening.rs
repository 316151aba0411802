//! Where a policy cannot name one value: a `{VAR}` set neither in the
//! scope nor in the environment, a `{VAR}` or a prefix whose value a load
//! refuses, a scope part (partition, region, account) that is no such
//! thing. Each becomes `*` in the policy (a refused value is never
//! written), and each such widening is recorded, named in the notes and
//! refusable with [`IamPolicy::exact`](super::IamPolicy::exact).

use std::collections::{BTreeMap, BTreeSet};

use super::WideningCause;

/// Stands for a value the policy cannot name while names are resolved and
/// joined, so the finished text can say what each `*` comes from. The
/// delimiter can be in no parameter name, secret name or ARN the rules
/// accept.
const MARK: char = '\u{1}';

/// The stand-in for the value of `variable`, or for the prefix when
/// `variable` is empty (no variable is named so).
pub(super) fn stand_in(variable: &str) -> String {
    format!("{MARK}{variable}{MARK}")
}

/// One `*` the policy grants where it cannot name one value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Widening {
    /// What the `*` stands in for, and why.
    pub cause: WideningCause,
    /// The resource ARN, or condition value, as granted: `*` in the
    /// value's place, matching any value at any depth (in IAM, `*` also
    /// matches `/`).
    pub resource: String,
}

impl Widening {
    /// The `{VAR}` the `*` stands in for; `None` for the prefix.
    pub fn variable(&self) -> Option<&str> {
        match &self.cause {
            WideningCause::Unset { variable } | WideningCause::Refused { variable, .. } => {
                Some(variable)
            }
            WideningCause::Prefix { .. } | WideningCause::Scope { .. } => None,
        }
    }
}

/// The widenings met while a policy's texts are finished.
pub(super) struct Widenings {
    /// What each stand-in, by the name between its marks, stands in for.
    causes: BTreeMap<String, WideningCause>,
    found: BTreeSet<Widening>,
}

impl Widenings {
    /// Finishes texts whose stand-ins are named in `causes`; a stand-in
    /// not in it is an unset variable.
    pub(super) fn new(causes: BTreeMap<String, WideningCause>) -> Self {
        Widenings {
            causes,
            found: BTreeSet::new(),
        }
    }

    /// `text` with each stand-in replaced by `*`, every one recorded.
    pub(super) fn finish(&mut self, text: &str) -> String {
        if !text.contains(MARK) {
            return text.to_owned();
        }
        let mut finished = String::with_capacity(text.len());
        let mut stood_for = Vec::new();
        for (i, piece) in text.split(MARK).enumerate() {
            match i % 2 {
                0 => finished.push_str(piece),
                _ => {
                    finished.push('*');
                    stood_for.push(piece);
                }
            }
        }
        for variable in stood_for {
            let cause =
                self.causes
                    .get(variable)
                    .cloned()
                    .unwrap_or_else(|| WideningCause::Unset {
                        variable: variable.to_owned(),
                    });
            self.found.insert(Widening {
                cause,
                resource: finished.clone(),
            });
        }
        finished
    }

    /// One note per cause, naming everything it widened.
    pub(super) fn notes(&self) -> Vec<String> {
        by_cause(self.found.iter())
            .into_iter()
            .map(|(cause, resources)| {
                let listed = resources
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let any = "which matches any value at any depth (`*` also matches `/`)";
                match cause {
                    WideningCause::Unset { variable } => format!(
                        "`{variable}` is set neither with `Loader::var` nor in the environment, so `{{{variable}}}` became `*`, {any}, in: {listed}. Set it to grant one value, or refuse such a policy with `IamPolicy::exact`."
                    ),
                    WideningCause::Refused { variable, reason } => format!(
                        "`{variable}` holds a value a load refuses ({reason}), so the value is not written: `{{{variable}}}` became `*`, {any}, in: {listed}. Give it a value a load accepts, or refuse such a policy with `IamPolicy::exact`."
                    ),
                    WideningCause::Prefix { reason } => format!(
                        "The prefix is one a load refuses ({reason}), so it is not written: it became `*`, {any}, in: {listed}. Give a prefix a load accepts, or refuse such a policy with `IamPolicy::exact`."
                    ),
                    WideningCause::Scope { part, reason } => format!(
                        "The scope's {part} is no {part} ({reason}), so it is not written: it became `*`, {any}, in: {listed}. Give the scope a real {part}, or refuse such a policy with `IamPolicy::exact`."
                    ),
                }
            })
            .collect()
    }

    /// Whether some text was widened for `cause`.
    pub(super) fn has(&self, cause: &WideningCause) -> bool {
        self.found.iter().any(|w| w.cause == *cause)
    }

    pub(super) fn into_list(self) -> Vec<Widening> {
        self.found.into_iter().collect()
    }
}

pub(super) fn by_cause<'a>(
    widenings: impl Iterator<Item = &'a Widening>,
) -> BTreeMap<&'a WideningCause, Vec<&'a str>> {
    let mut grouped: BTreeMap<&WideningCause, Vec<&str>> = BTreeMap::new();
    for w in widenings {
        grouped.entry(&w.cause).or_default().push(&w.resource);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(variable: &str) -> WideningCause {
        WideningCause::Refused {
            variable: variable.into(),
            reason: "it holds `*`".into(),
        }
    }

    #[test]
    fn each_stand_in_becomes_a_wildcard_and_is_recorded() {
        let causes = BTreeMap::from([("TEAM".to_owned(), refused("TEAM"))]);
        let mut widenings = Widenings::new(causes);
        let text = format!("/{}/orders/{}", stand_in("ENV"), stand_in("TEAM"));
        assert_eq!(widenings.finish(&text), "/*/orders/*");
        assert_eq!(widenings.finish("/plain/name"), "/plain/name");
        let list = widenings.into_list();
        let pairs: Vec<(&WideningCause, &str)> = list
            .iter()
            .map(|w| (&w.cause, w.resource.as_str()))
            .collect();
        let unset = WideningCause::Unset {
            variable: "ENV".into(),
        };
        assert_eq!(
            pairs,
            [(&unset, "/*/orders/*"), (&refused("TEAM"), "/*/orders/*")]
        );
    }
}
