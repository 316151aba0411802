//! Runs one test in a child process of its own: this test binary again,
//! filtered to exactly that test. For tests that set what a process has one
//! of (environment variables, the global tracing subscriber, the panic
//! hook), which every other test of this binary shares.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child, to the test it runs.
const CHILD: &str = "SSM_CONFIG_TEST_CHILD";

/// How long a test in a process of its own may take: the longest, the
/// derive's compile-fail cases, checks the SDK on a fresh clone.
const CHILD_BOUND: Duration = Duration::from_secs(900);

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
    run_in_child_without(test, env, &[]);
}

/// [`run_in_child`], with the variables `unset` taken out of the child's
/// environment.
pub fn run_in_child_without(test: &str, env: &[(&str, &str)], unset: &[&str]) {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut command = Command::new(exe);
    command
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test);
    for variable in unset {
        command.env_remove(variable);
    }
    let output = run_bounded(command.envs(env.iter().copied()), CHILD_BOUND);
    assert!(
        output.success && output.stdout.contains("test result: ok. 1 passed"),
        "`{test}` in a process of its own:\n{}\n{}",
        output.stdout,
        output.stderr
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

/// [`in_own_process!`], with the variables `unset` taken out of the
/// child's environment.
#[macro_export]
macro_rules! in_own_process_without {
    ($function:ident, env: $env:expr, unset: $unset:expr, $body:block) => {{
        let test = $crate::support::process::test_name(module_path!(), stringify!($function));
        if $crate::support::process::is_child_for(&test) {
            $body
        } else {
            $crate::support::process::run_in_child_without(&test, $env, $unset);
        }
    }};
}

/// What one command did.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` to its end, its output read as it comes (a full pipe
/// would stall it); killed, and the test failed, after `bound`.
pub fn run_bounded(command: &mut Command, bound: Duration) -> Run {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > bound {
            let _ = child.kill();
            panic!("`{command:?}` did not finish in {bound:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    Run {
        success: status.success(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}
