#!/usr/bin/env bash
# What adding ssm-config costs a service: a fresh build of a small Lambda
# function (the shape of examples/lambda.rs: lambda_runtime, serde, one
# configuration loaded at init), once for each variant given, each in a
# target directory of its own under a temporary directory that is removed
# at the end. Prints wall and CPU seconds, the crates built, whether ring or
# aws-lc is among them, and the binary's size as built and stripped.
#
#   scripts/service_build_cost.sh [--release] VARIANT...
#
# VARIANT is one of
#   sdk        the function reading its two parameters with aws-config and
#              aws-sdk-ssm, both with their default features;
#   sdk-lean   the same with the SDK features ssm-config turns on (the
#              default HTTPS client only): what ssm-config adds, alone;
#   DIR[:FEATURE,FEATURE...]
#              the function on ssm-config from the crate directory DIR,
#              with these features beside its defaults.
# Without --release the builds are debug builds.
#
#   scripts/service_build_cost.sh --release sdk sdk-lean ssm-config \
#       ssm-config:doctor,bootstrap,iam,untyped,file,events
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
profile=debug
release=()
if [[ "${1:-}" == "--release" ]]; then
    profile=release
    release=(--release)
    shift
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unset CARGO_TARGET_DIR

# A Lambda function that reads /$APP_ENV/greeter/greeting and the
# SecureString /$APP_ENV/greeter/api/token with the SDK.
sdk_main='use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Request {
    names: Vec<String>,
}

#[derive(Serialize)]
struct Response {
    message: String,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ssm = aws_sdk_ssm::Client::new(&config);
    let env = std::env::var("APP_ENV")?;
    let read = ssm
        .get_parameters()
        .names(format!("/{env}/greeter/greeting"))
        .names(format!("/{env}/greeter/api/token"))
        .with_decryption(true)
        .send()
        .await?;
    let value = |name: &str| {
        read.parameters()
            .iter()
            .find(|p| p.name().is_some_and(|n| n.ends_with(name)))
            .and_then(|p| p.value())
            .map(str::to_owned)
            .ok_or(format!("{name} is missing"))
    };
    let (greeting, token) = (value("/greeting")?, value("/api/token")?);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Request>| {
        let message = format!("{greeting}, {}!", event.payload.names.join(" and "));
        let audited = !token.is_empty();
        async move { Ok::<_, Error>(Response { message: format!("{message} {audited}") }) }
    }))
    .await
}'

# The same function with ssm-config, as examples/lambda.rs has it.
ssm_config_main='use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde::{Deserialize, Serialize};
use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{APP_ENV}/greeter", max_age = 300)]
struct Config {
    greeting: String,
    #[ssm(path = "api/token")]
    api_token: Secret<String>,
    #[ssm(default = 3)]
    max_names: usize,
}

#[derive(Deserialize)]
struct Request {
    names: Vec<String>,
}

#[derive(Serialize)]
struct Response {
    message: String,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = Config::load().await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Request>| {
        let snapshot = config.get();
        let names: Vec<String> = event.payload.names.into_iter().take(snapshot.max_names).collect();
        let message = format!("{}, {}!", snapshot.greeting, names.join(" and "));
        let audited = !snapshot.api_token.expose_secret().is_empty();
        async move { Ok::<_, Error>(Response { message: format!("{message} {audited}") }) }
    }))
    .await
}'

variant() {
    local name="$1" deps="$2" main="$3"
    mkdir -p "$work/$name/src"
    cat > "$work/$name/Cargo.toml" <<TOML
[package]
name = "svc-$name"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
lambda_runtime = { version = "1.5", default-features = false }
serde = { version = "1", features = ["derive"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
$deps

[workspace]
TOML
    printf '%s\n' "$main" > "$work/$name/src/main.rs"
    # The workspace's toolchain, and its lock file for the versions it
    # resolved (cargo drops and adds what this service differs in).
    cp "$root/rust-toolchain.toml" "$root/Cargo.lock" "$work/$name/"
    (
        cd "$work/$name"
        /usr/bin/time -f "$name: wall %e s, cpu %U s user + %S s sys" \
            cargo build -q "${release[@]}" 2>&1 | tail -1
        local binary="target/$profile/svc-$name"
        strip -o stripped "$binary"
        echo "  binary: $(stat -c %s "$binary") bytes, stripped $(stat -c %s stripped) bytes"
        echo "  crates: $(ls target/"$profile"/deps/*.rlib | wc -l); ring: $(cargo tree -e normal -i ring 2>/dev/null | head -1 || true); aws-lc-rs: $(cargo tree -e normal -i aws-lc-rs 2>/dev/null | head -1 || true)"
    )
}

sdk_lean='default-features = false, features = ["behavior-version-latest", "rt-tokio", "default-https-client"]'
n=0
for arg in "$@"; do
    n=$((n + 1))
    case "$arg" in
    sdk)
        variant "$n-sdk" 'aws-config = "1.13"
aws-sdk-ssm = "1.133"' "$sdk_main"
        ;;
    sdk-lean)
        variant "$n-sdk-lean" "aws-config = { version = \"1.13\", $sdk_lean }
aws-sdk-ssm = { version = \"1.133\", $sdk_lean }" "$sdk_main"
        ;;
    *)
        crate="${arg%%:*}"
        features=""
        if [[ "$arg" == *:* ]]; then
            features="${arg#*:}"
        fi
        list="$(printf '%s' "$features" | sed 's/[^,][^,]*/"&"/g; s/,/, /g')"
        variant "$n-ssm-config" "ssm-config = { path = \"$(cd "$crate" && pwd)\", features = [$list] }" "$ssm_config_main"
        ;;
    esac
done
