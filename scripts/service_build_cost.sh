#!/usr/bin/env bash
# What adding ssm-config costs a service that already builds aws-config with
# its default features: a fresh debug build of a small service, without the
# crate and with each ssm-config crate directory given, one after another,
# each in a target directory of its own. Prints wall and CPU seconds, the
# crates built, and whether ring or aws-lc is among them.
#
#   scripts/service_build_cost.sh ssm-config [/path/to/another/ssm-config ...]
set -euo pipefail
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
variant() {
    local name="$1" dep="$2" use="$3"
    mkdir -p "$work/$name/src"
    cat > "$work/$name/Cargo.toml" <<TOML
[package]
name = "svc-$name"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
aws-config = "1.13"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
$dep

[workspace]
TOML
    cat > "$work/$name/src/main.rs" <<RUST
#[tokio::main]
async fn main() {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    println!("{:?}", config.region());
    $use
}
RUST
    (
        cd "$work/$name"
        cargo generate-lockfile -q
        /usr/bin/time -f "$name: wall %e s, cpu %U s user + %S s sys" cargo build -q 2>&1 | tail -1
        echo "  crates: $(ls target/debug/deps/*.rlib | wc -l); ring: $(cargo tree -e normal -i ring 2>/dev/null | head -1 || true); aws-lc-rs: $(cargo tree -e normal -i aws-lc-rs 2>/dev/null | head -1 || true)"
    )
}
variant baseline "" ""
n=0
for crate in "$@"; do
    n=$((n + 1))
    variant "with-$n" "ssm-config = { path = \"$(cd "$crate" && pwd)\" }" "let _ = ssm_config::MemorySource::new();"
done
