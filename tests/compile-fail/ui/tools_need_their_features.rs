// Without their cargo features the tools are not there: each one named
// here fails to compile. (`ssm-config` without default features, whose
// code is the defaults' code: `feature_sets` checks that the defaults add
// only the HTTPS client.)
use ssm_config::{Live, Loader, SsmConfig};

async fn doctor<T: SsmConfig>(l: Loader<T>) {
    let _ = l.diagnose().await;
}
fn bootstrap<T: SsmConfig>(l: &Loader<T>) {
    let _ = l.bootstrap();
}
fn iam<T: SsmConfig>(l: &Loader<T>, scope: &ssm_config::iam::PolicyScope) {
    let _ = l.iam_policy(scope);
}
fn untyped() {
    let _ = ssm_config::untyped::Parameters::new(ssm_config::MemorySource::new());
}
fn file() {
    let _ = ssm_config::source::FileSource::new("x.toml");
}
fn events<T: SsmConfig>(l: &Live<T>) {
    let _ = l.apply_event(b"{}");
}
fn event_settings() {
    let _ = ssm_config::live::RefreshPolicy::new().event_spread(std::time::Duration::ZERO);
}
fn event_counts<T: SsmConfig>(l: &Live<T>) {
    let _ = l.status().events_applied;
}

fn main() {}
