//! A source wrapper that counts the calls a load makes.

use std::sync::Arc;
use std::sync::Mutex;

use ssm_config::source::{
    BoxFuture, ParameterInfo, ParameterSource, ParameterWriter, ParametersOutput, PathPage,
    PathQuery, PutParameter, SourceError, SourceErrorKind,
};

#[derive(Clone)]
pub struct Counting {
    inner: Arc<dyn ParameterSource>,
    /// The same source, when it can write.
    writer: Option<Arc<dyn ParameterWriter>>,
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
            writer: None,
            log: Arc::default(),
        }
    }

    /// Counts the reads of a source that can also write.
    pub fn writable(inner: impl ParameterWriter) -> Self {
        let writer: Arc<dyn ParameterWriter> = Arc::new(inner);
        Counting {
            inner: writer.clone(),
            writer: Some(writer),
            log: Arc::default(),
        }
    }

    fn writer(&self) -> Result<&dyn ParameterWriter, SourceError> {
        self.writer.as_deref().ok_or_else(|| {
            SourceError::new(
                SourceErrorKind::Other,
                "PutParameter",
                "read-only test source",
            )
        })
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
}

impl ParameterWriter for Counting {
    fn parameter_info<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Option<ParameterInfo>, SourceError>> {
        match self.writer() {
            Ok(writer) => writer.parameter_info(name),
            Err(err) => Box::pin(async { Err(err) }),
        }
    }

    fn put_parameter<'a>(
        &'a self,
        put: &'a PutParameter,
    ) -> BoxFuture<'a, Result<i64, SourceError>> {
        match self.writer() {
            Ok(writer) => writer.put_parameter(put),
            Err(err) => Box::pin(async { Err(err) }),
        }
    }
}
