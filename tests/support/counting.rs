//! A source wrapper that counts the calls a load makes.

use std::sync::Arc;
use std::sync::Mutex;

use ssm_config::{BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError};

#[derive(Clone)]
pub struct Counting {
    inner: Arc<dyn ParameterSource>,
    log: Arc<Mutex<Vec<Call>>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    GetParameters { names: Vec<String>, decrypt: bool },
    ByPath { path: String },
}

impl Counting {
    pub fn new(inner: impl ParameterSource) -> Self {
        Counting {
            inner: Arc::new(inner),
            log: Arc::default(),
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        self.log.lock().unwrap().clone()
    }

    pub fn get_parameters_calls(&self) -> usize {
        self.calls()
            .iter()
            .filter(|c| matches!(c, Call::GetParameters { .. }))
            .count()
    }

    pub fn by_path_calls(&self) -> usize {
        self.calls()
            .iter()
            .filter(|c| matches!(c, Call::ByPath { .. }))
            .count()
    }

    pub fn reset(&self) {
        self.log.lock().unwrap().clear();
    }
}

impl ParameterSource for Counting {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        with_decryption: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        self.log.lock().unwrap().push(Call::GetParameters {
            names: names.to_vec(),
            decrypt: with_decryption,
        });
        self.inner.get_parameters(names, with_decryption)
    }

    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        self.log.lock().unwrap().push(Call::ByPath {
            path: query.path.clone(),
        });
        self.inner.get_parameters_by_path(query)
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }

    fn parameter_info<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Option<ssm_config::ParameterInfo>, SourceError>> {
        self.inner.parameter_info(name)
    }

    fn put_parameter<'a>(
        &'a self,
        put: &'a ssm_config::PutParameter,
    ) -> BoxFuture<'a, Result<i64, SourceError>> {
        self.inner.put_parameter(put)
    }
}
