//! Runs one test in a child process of its own: this test binary again,
//! filtered to exactly that test. For tests that set what a process has one
//! of (environment variables, the global tracing subscriber, the panic
//! hook), which every other test of this binary shares.

use std::process::Command;

/// Set in the child, to the test it runs.
const CHILD: &str = "SSM_CONFIG_TEST_CHILD";

/// `module_path!()` and a function name, as the test harness names the test:
/// without the crate's own name.
pub fn test_name(module_path: &str, function: &str) -> String {
    let path = module_path
        .split_once("::")
        .map_or("", |(_crate, path)| path);
    match path {
        "" => function.to_owned(),
        path => format!("{path}::{function}"),
    }
}

/// Whether this process is the child that runs `test` alone.
pub fn is_child_for(test: &str) -> bool {
    std::env::var(CHILD).is_ok_and(|running| running == test)
}

/// Runs `test` in a child process with `env` added to this process's
/// environment, and panics with the child's output unless exactly that one
/// test ran and passed.
pub fn run_in_child(test: &str, env: &[(&str, &str)]) {
    let exe = std::env::current_exe().expect("the test binary's path");
    let output = Command::new(exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .envs(env.iter().copied())
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("test result: ok. 1 passed"),
        "`{test}` in a process of its own:\n{stdout}\n{stderr}"
    );
}

/// The body of a test that must run in a process of its own: in the parent,
/// runs the test again in a child (with `env` added); in the child, `body`.
#[macro_export]
macro_rules! in_own_process {
    ($function:ident, env: $env:expr, $body:block) => {{
        let test = $crate::support::process::test_name(module_path!(), stringify!($function));
        if $crate::support::process::is_child_for(&test) {
            $body
        } else {
            $crate::support::process::run_in_child(&test, $env);
        }
    }};
}
