//! The AWS source: SSM's `GetParameters` and `GetParametersByPath` through
//! `aws-sdk-ssm`.

use std::time::SystemTime;

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_ssm::Client;
use aws_sdk_ssm::config::SharedHttpClient;
use aws_sdk_ssm::config::timeout::TimeoutConfig;
use aws_sdk_ssm::types::{self as sdk, ParameterStringFilter};
#[cfg(any(feature = "rustls-ring", feature = "fips"))]
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_types::service_config::ServiceConfigKey;

use super::aws_error::{CallTarget, source_error};
use super::{
    BoxFuture, Parameter, ParameterSource, ParameterType, ParameterWriter, ParametersOutput,
    PathPage, PathQuery,
};
use super::{ParameterInfo, PutParameter, SourceError, SourceErrorKind};

/// Reads parameters from AWS Systems Manager Parameter Store.
///
/// Built from the environment ([`AwsSource::from_env`]: region, credentials
/// and `AWS_ENDPOINT_URL` as the AWS CLI reads them), from an `SdkConfig`, or
/// from a client you configured. Throttled calls are retried by the SDK with
/// exponential backoff and jitter; tune that with the SDK's `RetryConfig`.
///
/// # Timeouts
///
/// The SDK sets no read, attempt or operation timeout of its own, so a
/// connection that is accepted and never answered would wait forever.
/// Every way of making an `AwsSource` fills each timeout the client's
/// configuration leaves unset (a timeout you set, or disabled, wins):
///
/// | timeout | default | why |
/// |---|---|---|
/// | connect | 2 s | a TCP and TLS handshake to SSM takes milliseconds |
/// | read | 2 s | SSM answers in tens of milliseconds |
/// | attempt | 2 s | a stalled attempt is abandoned and retried |
/// | operation | 5 s | three attempts with their backoff, inside Lambda's 10 s init |
///
/// ```
/// use std::time::Duration;
/// use aws_sdk_ssm::config::{BehaviorVersion, Region, timeout::TimeoutConfig};
/// use ssm_config::source::AwsSource;
///
/// let config = aws_sdk_ssm::Config::builder()
///     .behavior_version(BehaviorVersion::latest())
///     .region(Region::new("eu-west-1"))
///     .timeout_config(TimeoutConfig::builder().operation_timeout(Duration::from_secs(20)).build())
///     .build();
/// let source = AwsSource::new(aws_sdk_ssm::Client::from_conf(config));
/// let timeouts = source.client().config().timeout_config().unwrap();
/// assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(20))); // yours
/// assert_eq!(timeouts.operation_attempt_timeout(), Some(Duration::from_secs(2))); // filled
/// ```
#[derive(Debug, Clone)]
pub struct AwsSource {
    client: Client,
    description: String,
    target: CallTarget,
}

impl AwsSource {
    /// A source over `client`, with the [timeouts](#timeouts) it leaves
    /// unset filled in.
    pub fn new(client: Client) -> Self {
        let mut timeouts = client
            .config()
            .timeout_config()
            .cloned()
            .unwrap_or_else(|| TimeoutConfig::builder().build());
        timeouts.take_defaults_from(&default_timeouts());
        let client = Client::from_conf(
            client
                .config()
                .to_builder()
                .timeout_config(timeouts)
                .build(),
        );
        let target = CallTarget {
            region: client.config().region().map(|r| r.to_string()),
            endpoint: None,
            misconfigured: Default::default(),
        };
        let region = target.region.as_deref().unwrap_or("no region");
        AwsSource {
            description: format!("AWS SSM ({region})"),
            client,
            target,
        }
    }

    /// A source over a client built from `config`. A config without an HTTP
    /// client gets the one this crate's TLS features choose (see
    /// [the feature flags](crate#feature-flags)).
    pub fn from_sdk_config(config: &SdkConfig) -> Self {
        let config = match (config.http_client(), https_client()) {
            (None, Some(client)) => config.to_builder().http_client(client).build(),
            _ => config.clone(),
        };
        let mut source = AwsSource::new(Client::new(&config));
        source.target.endpoint = ssm_endpoint(&config);
        source
    }

    /// A source configured from the environment, as the AWS CLI would be.
    pub async fn from_env() -> Self {
        AwsSource::from_sdk_config(&sdk_config_from_env().await)
    }

    /// The SDK client.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// The SSM endpoint `config` gives, for messages, found as the SDK finds
/// it (`aws_sdk_ssm::config::Builder::from(&SdkConfig)`): one set in code,
/// else SSM's own (`AWS_ENDPOINT_URL_SSM`, a `services` section of the
/// config file), else every service's (`AWS_ENDPOINT_URL`). `None`: AWS's.
fn ssm_endpoint(config: &SdkConfig) -> Option<String> {
    if config.get_origin("endpoint_url").is_client_config() {
        return config.endpoint_url().map(str::to_owned);
    }
    let key = ServiceConfigKey::builder()
        .service_id("SSM")
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()?;
    config
        .service_config()
        .and_then(|services| services.load_config(key))
        .or_else(|| config.endpoint_url().map(str::to_owned))
}

/// The timeouts an `AwsSource` fills in where its client has none.
fn default_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(std::time::Duration::from_secs(2))
        .read_timeout(std::time::Duration::from_secs(2))
        .operation_attempt_timeout(std::time::Duration::from_secs(2))
        .operation_timeout(std::time::Duration::from_secs(5))
        .build()
}

/// The SDK configuration from the environment, with the HTTP client this
/// crate's TLS features choose.
pub(crate) async fn sdk_config_from_env() -> SdkConfig {
    let loader = aws_config::defaults(BehaviorVersion::latest());
    match https_client() {
        Some(client) => loader.http_client(client).load().await,
        None => loader.load().await,
    }
}

/// The HTTPS client of the `fips` or `rustls-ring` feature.
#[cfg(any(feature = "rustls-ring", feature = "fips"))]
fn https_client() -> Option<SharedHttpClient> {
    #[cfg(feature = "fips")]
    let mode = CryptoMode::AwsLcFips;
    #[cfg(not(feature = "fips"))]
    let mode = CryptoMode::Ring;
    let client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(mode))
        .build_https();
    Some(client)
}

/// No client of this crate's own: the SDK's default (`default-https-client`:
/// rustls with aws-lc), so a service that builds the SDK builds one TLS
/// stack.
#[cfg(not(any(feature = "rustls-ring", feature = "fips")))]
fn https_client() -> Option<SharedHttpClient> {
    None
}

impl ParameterSource for AwsSource {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        with_decryption: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            let output = self
                .client
                .get_parameters()
                .set_names(Some(names.to_vec()))
                .with_decryption(with_decryption)
                .send()
                .await
                .map_err(|e| source_error("GetParameters", e, &self.target))?;
            Ok(ParametersOutput {
                parameters: output.parameters().iter().map(convert).collect(),
                invalid: output.invalid_parameters().to_vec(),
            })
        })
    }

    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(async move {
            let filters = [
                ("Type", query.filters.kind.map(|k| k.as_str().to_owned())),
                ("KeyId", query.filters.key_id.clone()),
                ("Label", query.filters.label.clone()),
            ];
            let mut request = self
                .client
                .get_parameters_by_path()
                .path(&query.path)
                .recursive(query.recursive)
                .with_decryption(query.with_decryption)
                .max_results(10)
                .set_next_token(query.next_token.clone());
            for (key, value) in filters {
                if let Some(value) = value {
                    let filter = ParameterStringFilter::builder()
                        .key(key)
                        .option("Equals")
                        .values(value)
                        .build()
                        .map_err(|e| {
                            SourceError::new(
                                SourceErrorKind::Other,
                                "GetParametersByPath",
                                e.to_string(),
                            )
                        })?;
                    request = request.parameter_filters(filter);
                }
            }
            let output = request
                .send()
                .await
                .map_err(|e| source_error("GetParametersByPath", e, &self.target))?;
            Ok(PathPage {
                parameters: output.parameters().iter().map(convert).collect(),
                next_token: output.next_token().map(str::to_owned),
            })
        })
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

impl ParameterWriter for AwsSource {
    fn parameter_info<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Option<ParameterInfo>, SourceError>> {
        Box::pin(async move {
            let filter = ParameterStringFilter::builder()
                .key("Name")
                .option("Equals")
                .values(name)
                .build()
                .map_err(|e| {
                    SourceError::new(SourceErrorKind::Other, "DescribeParameters", e.to_string())
                })?;
            let output = self
                .client
                .describe_parameters()
                .parameter_filters(filter)
                .send()
                .await
                .map_err(|e| source_error("DescribeParameters", e, &self.target))?;
            Ok(output
                .parameters()
                .iter()
                .find(|p| p.name() == Some(name))
                .map(|p| ParameterInfo {
                    kind: kind_of(p.r#type()),
                    key_id: p.key_id().map(str::to_owned),
                }))
        })
    }

    fn put_parameter<'a>(
        &'a self,
        put: &'a PutParameter,
    ) -> BoxFuture<'a, Result<i64, SourceError>> {
        Box::pin(async move {
            let output = self
                .client
                .put_parameter()
                .name(&put.name)
                .value(&put.value)
                .r#type(sdk::ParameterType::from(put.kind.as_str()))
                .set_key_id(put.key_id.clone())
                .overwrite(true)
                .send()
                .await
                .map_err(|e| source_error("PutParameter", e, &self.target))?;
            Ok(output.version())
        })
    }
}

/// A type this version does not know (or none) is taken as a SecureString:
/// it fails closed, never printed and never bound to a plain field.
fn kind_of(kind: Option<&sdk::ParameterType>) -> ParameterType {
    match kind {
        Some(sdk::ParameterType::String) => ParameterType::String,
        Some(sdk::ParameterType::StringList) => ParameterType::StringList,
        _ => ParameterType::SecureString,
    }
}

fn convert(p: &sdk::Parameter) -> Parameter {
    let kind = kind_of(p.r#type());
    Parameter {
        name: p.name().unwrap_or_default().to_owned(),
        value: p.value().unwrap_or_default().to_owned(),
        kind,
        version: p.version(),
        selector: p.selector().map(str::to_owned),
        last_modified: p
            .last_modified_date()
            .and_then(|d| SystemTime::try_from(*d).ok()),
        location: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_parameter_types_fail_closed() {
        let known = [
            (sdk::ParameterType::String, ParameterType::String),
            (sdk::ParameterType::StringList, ParameterType::StringList),
            (
                sdk::ParameterType::SecureString,
                ParameterType::SecureString,
            ),
        ];
        for (sdk_kind, kind) in known {
            assert_eq!(kind_of(Some(&sdk_kind)), kind);
        }
        let future = sdk::ParameterType::from("SecureStringV2");
        assert_eq!(kind_of(Some(&future)), ParameterType::SecureString);
        assert_eq!(kind_of(None), ParameterType::SecureString);
    }
}
