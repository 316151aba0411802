//! [`Layered`]: a source made of sources in precedence order.

use std::collections::HashSet;
use std::sync::Arc;

use super::calls::{self, Pages};
use super::{
    BoxFuture, Parameter, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError,
    SourceErrorKind,
};
use crate::name;

/// Sources in precedence order: for each name, the first layer that has it
/// wins; a name no layer has is missing. `GetParametersByPath` walks every
/// layer and merges by the same rule, name by name.
///
// The example takes a `FileSource`, which needs the `file` feature.
#[cfg_attr(feature = "file", doc = "```")]
#[cfg_attr(not(feature = "file"), doc = "```ignore")]
/// use ssm_config::MemorySource;
/// use ssm_config::source::{FileSource, Layered};
///
/// let overrides = MemorySource::new();
/// let layered = Layered::new()
///     .then(overrides)                                        // wins
///     .then_optional(FileSource::new("config/local.toml"))    // skipped when absent
///     .then(MemorySource::new());                             // or `AwsSource::from_env().await`
/// # let _ = layered;
/// ```
///
/// A later layer is asked only for the names the earlier ones lack, so a
/// file that holds every name keeps a load off the network, except for
/// `by_path` walks, which read every layer. An optional layer that cannot
/// be reached ([`SourceErrorKind::Unreachable`]: a missing file, an
/// endpoint that refuses the connection) or is not configured
/// ([`SourceErrorKind::NotConfigured`]: AWS without credentials or a
/// region, or with credentials it cannot follow) is skipped; any other
/// failure of
/// any layer, a timeout included, fails the call, so a layer never hides an
/// error by letting the next one answer.
///
/// Environment overrides come above every layer, and defaults in code below
/// the last: [the whole precedence](crate::guide::local_development#precedence).
#[derive(Clone, Default)]
pub struct Layered {
    layers: Vec<Layer>,
}

#[derive(Clone)]
struct Layer {
    source: Arc<dyn ParameterSource>,
    optional: bool,
}

impl Layered {
    /// No layers yet: every name is missing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a layer below the others.
    pub fn then(mut self, source: impl ParameterSource) -> Self {
        self.layers.push(Layer {
            source: Arc::new(source),
            optional: false,
        });
        self
    }

    /// Adds a layer below the others that is skipped while it cannot be
    /// reached.
    pub fn then_optional(mut self, source: impl ParameterSource) -> Self {
        self.layers.push(Layer {
            source: Arc::new(source),
            optional: true,
        });
        self
    }
}

impl Layered {
    /// `parameter` as the layer at `at` gave it, saying where when that
    /// layer stands above another and does not say so itself: a value from
    /// above the bottom layer (the store, as a rule) is never mistaken for
    /// the store's, in metadata or by a secret's stand-in check.
    fn located(&self, at: usize, mut parameter: Parameter) -> Parameter {
        if parameter.location.is_none() && at + 1 < self.layers.len() {
            parameter.location = Some(self.layers[at].source.describe());
        }
        parameter
    }
}

impl std::fmt::Debug for Layered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Layer {
    /// Whether this failure means the layer is skipped.
    fn skips(&self, err: &SourceError) -> bool {
        self.optional
            && matches!(
                err.kind(),
                SourceErrorKind::Unreachable | SourceErrorKind::NotConfigured
            )
    }

    /// `GetParameters` on this layer. A missing secret fails a whole call
    /// (as on AWS): the names are then asked apart, as a load's fetch asks
    /// them, so the others are still answered here.
    #[expect(
        clippy::disallowed_methods,
        reason = "a layer is called inside the deadline of the layered call"
    )]
    async fn get(&self, names: &[String], decrypt: bool) -> Result<ParametersOutput, SourceError> {
        let ask =
            |names: Vec<String>| async move { self.source.get_parameters(&names, decrypt).await };
        match ask(names.to_vec()).await {
            Err(err) if err.kind() == SourceErrorKind::NotFound => {
                calls::get_apart(names, ask).await
            }
            answered => answered,
        }
    }

    /// Every page of one walk on this layer.
    async fn walk(&self, query: &PathQuery) -> Result<Vec<Parameter>, SourceError> {
        let query = PathQuery {
            next_token: None,
            ..query.clone()
        };
        calls::walk(self, &query).await
    }
}

impl Pages for Layer {
    #[expect(
        clippy::disallowed_methods,
        reason = "a layer is called inside the deadline of the layered call"
    )]
    fn page<'a>(&'a self, query: &'a PathQuery) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        self.source.get_parameters_by_path(query)
    }

    fn describe(&self) -> String {
        self.source.describe()
    }
}

/// Whether a result named `returned` answers the name `asked`: by the same
/// name, the name without its selector, a secret's bare name, or an ARN's
/// name in its own account.
fn answers(asked: &str, returned: &str) -> bool {
    if asked == returned {
        return true;
    }
    let base = name::split_selector(asked).map_or(asked, |(base, _)| base);
    base == returned
        || name::referenced_secret(base) == Some(returned)
        || name::arn_name(base) == Some(returned)
}

impl ParameterSource for Layered {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        with_decryption: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            let mut remaining: Vec<String> = names.to_vec();
            let mut output = ParametersOutput::default();
            for (at, layer) in self.layers.iter().enumerate() {
                if remaining.is_empty() {
                    break;
                }
                let answer = match layer.get(&remaining, with_decryption).await {
                    Ok(answer) => answer,
                    Err(err) if layer.skips(&err) => continue,
                    Err(err) => return Err(err),
                };
                for parameter in answer.parameters {
                    if let Some(index) = remaining.iter().position(|n| answers(n, &parameter.name))
                    {
                        remaining.swap_remove(index);
                        output.parameters.push(self.located(at, parameter));
                    }
                }
            }
            output.invalid = remaining;
            Ok(output)
        })
    }

    /// Every layer's whole walk, merged: one page, no token.
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(async move {
            if query.next_token.is_some() {
                return Err(SourceError::new(
                    SourceErrorKind::Other,
                    "GetParametersByPath",
                    "a layered walk is one page; it has no next page",
                ));
            }
            let mut names = HashSet::new();
            let mut parameters = Vec::new();
            for (at, layer) in self.layers.iter().enumerate() {
                let found = match layer.walk(query).await {
                    Ok(found) => found,
                    Err(err) if layer.skips(&err) => continue,
                    Err(err) => return Err(err),
                };
                for parameter in found {
                    if names.insert(parameter.name.clone()) {
                        parameters.push(self.located(at, parameter));
                    }
                }
            }
            Ok(PathPage {
                parameters,
                next_token: None,
            })
        })
    }

    fn describe(&self) -> String {
        let layers: Vec<String> = self
            .layers
            .iter()
            .map(|layer| match layer.optional {
                true => format!("{} (optional)", layer.source.describe()),
                false => layer.source.describe(),
            })
            .collect();
        format!("layers: {}", layers.join(" > "))
    }

    fn under_prefix(&self, prefix: &str) -> Option<Box<dyn ParameterSource>> {
        let mut any = false;
        let layers = self
            .layers
            .iter()
            .map(|layer| match layer.source.under_prefix(prefix) {
                Some(bound) => {
                    any = true;
                    Layer {
                        source: Arc::from(bound),
                        optional: layer.optional,
                    }
                }
                None => layer.clone(),
            })
            .collect();
        any.then(|| Box::new(Layered { layers }) as Box<dyn ParameterSource>)
    }

    fn listed_names(&self) -> Option<Vec<String>> {
        let listed: Vec<Vec<String>> = self
            .layers
            .iter()
            .filter_map(|layer| layer.source.listed_names())
            .collect();
        (!listed.is_empty()).then(|| listed.concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_answer_names_as_the_loader_matches_them() {
        assert!(answers("/a", "/a"));
        assert!(answers("/a:3", "/a"));
        assert!(answers("/aws/reference/secretsmanager/s", "s"));
        assert!(answers(
            "arn:aws:ssm:eu-west-1:111122223333:parameter/x:2",
            "/x"
        ));
        assert!(!answers("/a", "/b"));
        assert!(!answers("/a:3", "/a:4"));
    }
}
