//! A failed AWS SDK call as a [`SourceError`]: its kind, and a message of
//! one line. Never the SDK's `DisplayErrorContext` nor any `Debug` of its
//! errors: they print the raw HTTP response, whose body holds the
//! decrypted values of the call. A machine without AWS set up (no
//! credentials, no region) and a refused connection say so, and where to
//! look, instead of the SDK's dump.

use std::error::Error as _;
use std::sync::{Arc, OnceLock};

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_ssm::error::{ProvideErrorMetadata, SdkError};

use super::{SourceError, SourceErrorKind};

/// What the SDK's credential chain found: nothing.
const NO_CREDENTIALS: &str = "no AWS credentials found (environment, ~/.aws files, container or instance metadata): set AWS_PROFILE (a profile of ~/.aws/config), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; or, for an emulator, AWS_ENDPOINT_URL with any credentials";

/// What a client without a region says.
const NO_REGION: &str = "no AWS region: set AWS_REGION, or a `region` in the profile of ~/.aws/config that AWS_PROFILE names";

/// Where a source's calls go: what a message about reaching it names.
#[derive(Debug, Clone)]
pub(super) struct CallTarget {
    pub region: Option<String>,
    /// The endpoint the calls go to, where it is known
    /// (`AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL`, one set in code).
    pub endpoint: Option<String>,
    /// What the credentials' misconfiguration was, in the words of the
    /// first call that met it: aws-config says it to that call only, and
    /// "already taken" to every later one, of this load and the next.
    pub misconfigured: Arc<OnceLock<String>>,
}

impl CallTarget {
    /// The endpoint the calls go to, as a message names it.
    fn endpoint(&self) -> String {
        match (&self.endpoint, &self.region) {
            (Some(endpoint), _) => endpoint.clone(),
            (None, Some(region)) => format!("the configured SSM endpoint (region {region})"),
            (None, None) => "the configured SSM endpoint".to_owned(),
        }
    }
}

/// The [`SourceError`] of a failed call of `operation` to `target`.
pub(super) fn source_error<E>(
    operation: &'static str,
    err: SdkError<E, aws_sdk_ssm::config::http::HttpResponse>,
    target: &CallTarget,
) -> SourceError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let (kind, message) = match &err {
        SdkError::ServiceError(_) if err.code().is_some() => {
            (kind_of_code(err.code()), answer(&err))
        }
        SdkError::TimeoutError(_) => (SourceErrorKind::Timeout, display_chain(&err)),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            (SourceErrorKind::Timeout, display_chain(&err))
        }
        // The body was read and did not parse: the parser's words may
        // quote it, and it holds the values asked for.
        SdkError::ResponseError(response) => (
            kind_of_code(err.code()),
            format!(
                "the response (HTTP {}) could not be parsed",
                response.raw().status().as_u16()
            ),
        ),
        // Before anything is sent: no region, no credentials.
        _ if target.region.is_none() => (SourceErrorKind::NotConfigured, NO_REGION.to_owned()),
        _ => match caused_by::<CredentialsError>(&err) {
            Some(CredentialsError::CredentialsNotLoaded(_)) => {
                (SourceErrorKind::NotConfigured, NO_CREDENTIALS.to_owned())
            }
            // A profile that needs a feature of aws-config this build lacks
            // (`sso`): in the provider's words, remembered for the calls
            // that will be told "already taken".
            Some(credentials @ CredentialsError::InvalidConfiguration(_)) => {
                let said = format!(
                    "the AWS credentials are not configured right: {}",
                    below(credentials)
                );
                let first = target.misconfigured.get_or_init(|| said);
                (SourceErrorKind::NotConfigured, first.clone())
            }
            Some(credentials @ CredentialsError::ProviderTimedOut(_)) => (
                SourceErrorKind::Timeout,
                format!("the AWS credentials could not be loaded: {credentials}"),
            ),
            Some(credentials @ CredentialsError::Unhandled(_))
                if credentials.to_string().contains("already taken")
                    || below(credentials).contains("already taken") =>
            {
                let said = target.misconfigured.get().cloned().unwrap_or_else(|| {
                    format!(
                        "the AWS credentials are not configured right: {}",
                        below(credentials)
                    )
                });
                (SourceErrorKind::NotConfigured, said)
            }
            // A provider that failed on its way (STS or the instance
            // metadata out of reach): it may pass, as an outage does.
            Some(credentials) => (
                SourceErrorKind::Unreachable,
                format!(
                    "the AWS credentials could not be loaded: {}",
                    below(credentials)
                ),
            ),
            None => match refused(&err) {
                true => (
                    SourceErrorKind::Unreachable,
                    format!(
                        "connection refused by {}: nothing listens there (for an emulator: is it running, on that port?)",
                        target.endpoint()
                    ),
                ),
                false => match &err {
                    SdkError::DispatchFailure(_) => {
                        (SourceErrorKind::Unreachable, display_chain(&err))
                    }
                    _ => (kind_of_code(err.code()), display_chain(&err)),
                },
            },
        },
    };
    // Every call fails alike, whatever it asks: said once, without the call.
    // So does a credentials failure, and a refused connection.
    let about_the_source = kind == SourceErrorKind::NotConfigured
        || refused(&err)
        || caused_by::<CredentialsError>(&err).is_some();
    let error = SourceError::new(kind, operation, message).with_quiet_source(err);
    match about_the_source {
        true => error.about_the_source(),
        false => error,
    }
}

/// Whether nothing listens where the calls go.
fn refused(err: &(dyn std::error::Error + 'static)) -> bool {
    caused_by::<std::io::Error>(err)
        .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
}

/// What a credentials error says below its own words, which only name
/// its variant.
fn below(credentials: &CredentialsError) -> String {
    credentials
        .source()
        .map_or_else(|| credentials.to_string(), display_chain)
}

/// A service's answer: all in its code and message.
pub(crate) fn answer<E: ProvideErrorMetadata>(err: &E) -> String {
    let code = err.code().unwrap_or_default();
    match err.message() {
        Some(text) if !text.is_empty() => format!("{code}: {text}"),
        _ => code.to_owned(),
    }
}

/// The first error of type `T` in `err`'s chain.
fn caused_by<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut next = Some(err);
    while let Some(cause) = next {
        if let Some(found) = cause.downcast_ref::<T>() {
            return Some(found);
        }
        next = cause.source();
    }
    None
}

/// The `Display` of `err` and of each error below it, joined by `: `, each
/// to its first line (the SDK's credential chain lists its providers, with
/// their `Debug`, on the lines below).
pub(crate) fn display_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let first_line = |e: &dyn std::error::Error| {
        e.to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end()
            .to_owned()
    };
    let mut text = first_line(err);
    let mut next = err.source();
    while let Some(cause) = next {
        let said = first_line(cause);
        if !said.is_empty() && !text.ends_with(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        next = cause.source();
    }
    text
}

fn kind_of_code(code: Option<&str>) -> SourceErrorKind {
    match code {
        Some(
            "ThrottlingException"
            | "Throttling"
            | "TooManyRequestsException"
            | "RequestLimitExceeded",
        ) => SourceErrorKind::Throttled,
        Some(
            "AccessDeniedException"
            | "AccessDenied"
            | "UnrecognizedClientException"
            | "KMSAccessDeniedException"
            | "InvalidSignatureException"
            | "ExpiredTokenException",
        ) => SourceErrorKind::AccessDenied,
        Some("ParameterNotFound" | "ParameterVersionNotFound" | "ResourceNotFoundException") => {
            SourceErrorKind::NotFound
        }
        _ => SourceErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ssm::config::http::HttpResponse;
    use aws_sdk_ssm::operation::get_parameters::GetParametersError;

    const CANARY: &str = "canary-51d0e7";

    /// A client without a region.
    fn no_region() -> CallTarget {
        CallTarget {
            region: None,
            endpoint: None,
            misconfigured: Arc::default(),
        }
    }

    /// An error whose `Debug` differs from its `Display`, as the SDK's own
    /// timeout error's does.
    struct Elapsed;

    impl std::fmt::Display for Elapsed {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("operation timeout (all attempts including retries) occurred after 5s")
        }
    }

    impl std::fmt::Debug for Elapsed {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("MaybeTimeoutError { kind: Operation, duration: 5s }")
        }
    }

    impl std::error::Error for Elapsed {}

    #[test]
    fn a_response_that_does_not_parse_is_never_shown() {
        let body = format!(
            r#"{{"Parameters":[{{"Name":"/db/password","Type":"SecureString","Value":"{CANARY}","Version":"#
        );
        let raw = HttpResponse::new(200.try_into().unwrap(), body.into());
        let err = SdkError::<GetParametersError, _>::response_error(
            std::io::Error::other("Error at offset 90: unexpected end of stream"),
            raw,
        );
        let error = source_error("GetParameters", err, &no_region());
        let (display, debug) = (error.to_string(), format!("{error:?} {error:#?}"));
        assert_eq!(
            display,
            "GetParameters failed (error): the response (HTTP 200) could not be parsed"
        );
        assert!(!debug.contains(CANARY), "{debug}");
        assert!(debug.contains("could not be parsed"), "{debug}");
    }

    #[test]
    fn a_timeout_says_how_long_in_words() {
        let err = SdkError::<GetParametersError, HttpResponse>::timeout_error(Elapsed);
        let error = source_error("GetParameters", err, &no_region());
        assert_eq!(error.kind(), SourceErrorKind::Timeout);
        assert_eq!(
            error.to_string(),
            "GetParameters failed (timed out): request has timed out: operation timeout (all attempts including retries) occurred after 5s"
        );
        let debug = format!("{error:?}");
        assert!(
            !debug.contains("TimeoutError(") && !debug.contains("MaybeTimeoutError"),
            "{debug}"
        );
    }

    #[test]
    fn error_codes_are_told_apart() {
        assert_eq!(
            kind_of_code(Some("ThrottlingException")),
            SourceErrorKind::Throttled
        );
        assert_eq!(
            kind_of_code(Some("AccessDeniedException")),
            SourceErrorKind::AccessDenied
        );
        assert_eq!(
            kind_of_code(Some("ParameterNotFound")),
            SourceErrorKind::NotFound
        );
        assert_eq!(
            kind_of_code(Some("InternalServerError")),
            SourceErrorKind::Other
        );
        assert_eq!(kind_of_code(None), SourceErrorKind::Other);
    }

    #[test]
    fn the_messages_of_a_machine_without_aws_set_up_are_one_line_each() {
        for message in [NO_CREDENTIALS, NO_REGION] {
            assert!(!message.contains('\n') && message.len() < 300, "{message}");
        }
        let target = CallTarget {
            region: Some("eu-west-1".into()),
            endpoint: None,
            misconfigured: Arc::default(),
        };
        assert_eq!(
            target.endpoint(),
            "the configured SSM endpoint (region eu-west-1)"
        );
        let emulator = CallTarget {
            region: Some("eu-west-1".into()),
            endpoint: Some("http://127.0.0.1:5000".into()),
            misconfigured: Arc::default(),
        };
        assert_eq!(emulator.endpoint(), "http://127.0.0.1:5000");
    }

    /// Only a machine without credentials (or a region) is `NotConfigured`;
    /// a credentials provider that times out or fails on its way may pass.
    #[test]
    fn credential_failures_are_told_apart() {
        let region = CallTarget {
            region: Some("eu-west-1".into()),
            endpoint: None,
            misconfigured: Arc::default(),
        };
        let error = |credentials: CredentialsError| {
            let err =
                SdkError::<GetParametersError, HttpResponse>::construction_failure(credentials);
            source_error("GetParameters", err, &region)
        };
        let none = error(CredentialsError::not_loaded_no_source());
        assert_eq!(none.kind(), SourceErrorKind::NotConfigured);
        assert_eq!(
            none.to_string(),
            NO_CREDENTIALS,
            "said once: without the call"
        );
        let profile = error(CredentialsError::invalid_configuration(
            "profile `dev` not found",
        ));
        assert_eq!(profile.kind(), SourceErrorKind::NotConfigured);
        assert!(
            profile.to_string().ends_with("profile `dev` not found"),
            "{profile}"
        );
        let slow = error(CredentialsError::provider_timed_out(
            std::time::Duration::from_secs(5),
        ));
        assert_eq!(slow.kind(), SourceErrorKind::Timeout);
        let sts = error(CredentialsError::provider_error(std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "sts.amazonaws.com refused",
        )));
        assert_eq!(sts.kind(), SourceErrorKind::Unreachable);
        assert!(
            sts.to_string().contains("credentials could not be loaded"),
            "{sts}"
        );
        let taken = error(CredentialsError::unhandled(
            "profile file credentials provider initialization error already taken",
        ));
        assert_eq!(taken.kind(), SourceErrorKind::NotConfigured);
        assert_eq!(
            taken.to_string(),
            profile.to_string(),
            "in the first call's words"
        );
        for passing in [&slow, &sts, &none] {
            assert!(passing.kind().may_pass(), "{passing}");
        }
        let no_region = source_error(
            "GetParameters",
            SdkError::<GetParametersError, HttpResponse>::construction_failure(
                std::io::Error::other("x"),
            ),
            &no_region(),
        );
        assert_eq!(no_region.to_string(), NO_REGION);
    }

    #[test]
    fn a_chain_is_one_line() {
        let err =
            std::io::Error::other("no credentials found in chain. Attempted:\n  Environment: {..}");
        assert_eq!(
            display_chain(&err),
            "no credentials found in chain. Attempted:"
        );
    }
}
