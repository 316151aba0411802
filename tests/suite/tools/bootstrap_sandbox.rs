//! Where the bootstrap tests run what bootstrap writes: a scratch directory
//! with a stand-in `aws` that records every call, and the test
//! virtualenv's HCL and YAML parsers in one long-lived process. Every child
//! runs under a bound.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::support::emulator;
use crate::support::scratch::TempFile;

/// How long one child process (a script, a parse) may run.
pub const CHILD_BOUND: Duration = Duration::from_secs(30);

/// What a bounded child did.
pub struct Ran {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` with its output in files of `dir`, killed after
/// [`CHILD_BOUND`].
pub fn run_bounded(command: &mut Command, dir: &Path) -> Ran {
    let out = dir.join("child.stdout");
    let err = dir.join("child.stderr");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > CHILD_BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish in {CHILD_BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let ran = Ran {
        success: status.success(),
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
    };
    let _ = std::fs::remove_file(out);
    let _ = std::fs::remove_file(err);
    ran
}

/// A scratch place to run a script: a stand-in `aws` that records each
/// call's arguments (and what it was given on its standard input), and an
/// empty working directory that nothing but a stray command writes to.
pub struct Sandbox {
    _root: TempFile,
    pub bin: PathBuf,
    work: PathBuf,
    log: PathBuf,
}

/// Ends the arguments of one recorded `aws` call.
const END_OF_CALL: &str = "--end-of-call--";

/// What a recorded call got on its standard input, as its last argument.
pub const STDIN: &str = "STDIN=";

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = TempFile::new("keep", "");
        let base = root.path.parent().unwrap().to_owned();
        let bin = base.join("bin");
        let work = base.join("work");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&work).unwrap();
        let log = base.join("aws.log");
        // Each argument NUL-terminated, so any text is recorded exactly
        // (`x` keeps the input's trailing newlines from `$(...)`).
        // Lookups answer "not found", so every name is created.
        let shim = format!(
            "#!/bin/sh\n\
             for arg in \"$@\"; do printf '%s\\0' \"$arg\"; done >> '{log}'\n\
             case \"$2\" in\n  \
               get-parameter|describe-secret) printf '%s\\0' '{END_OF_CALL}' >> '{log}'; exit 1 ;;\n  \
               put-parameter|create-secret) input=$(cat; echo x); printf '%s\\0' \"{STDIN}${{input%x}}\" >> '{log}' ;;\n\
             esac\n\
             printf '%s\\0' '{END_OF_CALL}' >> '{log}'\n",
            log = log.display()
        );
        let aws = bin.join("aws");
        std::fs::write(&aws, shim).unwrap();
        std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).unwrap();
        Sandbox {
            _root: root,
            bin,
            work,
            log,
        }
    }

    fn script_file(&self, script: &str) -> PathBuf {
        let file = self.work.parent().unwrap().join("create.sh");
        std::fs::write(&file, script).unwrap();
        file
    }

    /// Whether `sh -n` reads `script` without a syntax error.
    pub fn parses(&self, script: &str) -> Ran {
        let file = self.script_file(script);
        run_bounded(Command::new("sh").arg("-n").arg(&file), &self.bin)
    }

    /// Runs `script` with `sh`, with `env` added, from the empty working
    /// directory, after clearing the record of an earlier run.
    pub fn run(&self, script: &str, env: &[(String, String)]) -> Ran {
        self.run_with("sh", script, env)
    }

    /// [`Self::run`] with `shell` (`dash`, `bash`).
    pub fn run_with(&self, shell: &str, script: &str, env: &[(String, String)]) -> Ran {
        let _ = std::fs::remove_file(&self.log);
        let file = self.script_file(script);
        let path = format!("{}:{}", self.bin.display(), std::env::var("PATH").unwrap());
        run_bounded(
            Command::new(shell)
                .arg(&file)
                .current_dir(&self.work)
                .env("PATH", path)
                .envs(env.iter().map(|(k, v)| (k, v))),
            &self.bin,
        )
    }

    /// The arguments of each `aws` call, in order.
    pub fn calls(&self) -> Vec<Vec<String>> {
        let log = std::fs::read(&self.log).unwrap_or_default();
        let mut calls = Vec::new();
        let mut call = Vec::new();
        let mut args: Vec<&[u8]> = log.split(|b| *b == 0).collect();
        args.pop(); // after the last NUL
        for arg in args {
            let arg = String::from_utf8_lossy(arg).into_owned();
            match arg == END_OF_CALL {
                true => calls.push(std::mem::take(&mut call)),
                false => call.push(arg),
            }
        }
        calls
    }

    /// What the script left in its working directory: nothing, unless a
    /// command other than `aws` ran.
    pub fn strays(&self) -> Vec<String> {
        std::fs::read_dir(&self.work)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }
}

/// Whether `program` is on the `PATH`.
pub fn installed(program: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| dir.join(program).is_file())
}

/// The shells a script is run with: dash, whose `echo` reads backslash
/// escapes (`/bin/sh` on Debian and Ubuntu; `sh` stands in where it is not
/// installed), and bash where it is.
pub fn shells() -> Vec<&'static str> {
    let dash = if installed("dash") { "dash" } else { "sh" };
    let mut shells = vec![dash];
    if installed("bash") {
        shells.push("bash");
    }
    shells
}

/// A value for each secret `script` reads from its environment, as its
/// `read_secret` lines name them.
pub fn secret_values(script: &str) -> Vec<(String, String)> {
    script
        .lines()
        .filter_map(|line| line.strip_prefix("read_secret "))
        .filter_map(|rest| rest.split(' ').next())
        .map(|variable| (variable.to_owned(), format!("secret-of-{variable}")))
        .collect()
}

/// The test virtualenv's python, with its HCL and YAML parsers: installed
/// with the emulator, which is started (and let go) for it. `None` where
/// the emulator cannot start outside CI.
pub fn python() -> Option<PathBuf> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(emulator::Emulator::start())?;
    Some(emulator::venv_bin().join("python"))
}

/// Reads each file it is given, one request a line (`tf PATH`, `yaml
/// PATH` or `re PATH`), and answers one JSON line: the parse, or the
/// parser's error. A `re` file holds a JSON pattern and values; the answer
/// says which values the pattern matches whole.
/// Terraform comes without its comments, its strings (block labels among
/// them) as written, quotes and escapes and all; a YAML tag such as `!Sub`
/// as a one-key object. Files are read exactly: no newline translation.
const PARSER: &str = "import json, re, sys, yaml, hcl2
from hcl2.utils import SerializationOptions
class Loader(yaml.SafeLoader): pass
Loader.add_multi_constructor('!', lambda l, tag, node: {tag: l.construct_scalar(node)})
options = SerializationOptions(with_comments=False)
for line in sys.stdin:
    kind, path = line.rstrip('\\n').split(' ', 1)
    try:
        with open(path, encoding='utf-8', newline='') as f:
            text = f.read()
        if kind == 'tf':
            parsed = hcl2.loads(text, serialization_options=options)
        elif kind == 're':
            request = json.loads(text)
            pattern = re.compile(request['pattern'])
            parsed = [pattern.fullmatch(v) is not None for v in request['values']]
        else:
            parsed = yaml.load(text, Loader=Loader)
        print(json.dumps({'parsed': parsed}), flush=True)
    except Exception as e:
        print(json.dumps({'error': repr(e)}), flush=True)
";

/// The HCL and YAML parsers, in one python process for a whole test.
pub struct Parsers {
    child: Child,
    requests: ChildStdin,
    answers: Receiver<String>,
    dir: TempFile,
}

impl Parsers {
    pub fn start() -> Option<Parsers> {
        let python = python()?;
        let mut child = Command::new(python)
            .args(["-c", PARSER])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let requests = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, answers) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if send.send(line).is_err() {
                    return;
                }
            }
        });
        Some(Parsers {
            child,
            requests,
            answers,
            dir: TempFile::new("keep", ""),
        })
    }

    fn parse(&mut self, kind: &str, text: &str) -> Result<serde_json::Value, String> {
        let file = self.dir.sibling(&format!("input.{kind}"), text);
        writeln!(self.requests, "{kind} {}", file.display()).unwrap();
        self.requests.flush().unwrap();
        let answer = self
            .answers
            .recv_timeout(CHILD_BOUND)
            .unwrap_or_else(|e| panic!("the parser did not answer in {CHILD_BOUND:?}: {e}"));
        let mut answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        match answer.get("error") {
            Some(error) => Err(error.to_string()),
            None => Ok(answer["parsed"].take()),
        }
    }

    /// The Terraform as python-hcl2 reads it.
    pub fn terraform(&mut self, text: &str) -> Result<serde_json::Value, String> {
        self.parse("tf", text)
    }

    /// Which of `values` `pattern` matches whole, as Python's `re` reads
    /// it (as Terraform's RE2 and CloudFormation read the patterns the
    /// outputs write: classes, groups, `|`, `*`, `?` and anchors).
    pub fn matches(&mut self, pattern: &str, values: &[String]) -> Vec<bool> {
        let request = serde_json::json!({ "pattern": pattern, "values": values });
        let answer = self.parse("re", &request.to_string()).unwrap();
        serde_json::from_value(answer).unwrap()
    }

    /// The CloudFormation template as PyYAML reads it.
    pub fn cloudformation(&mut self, text: &str) -> Result<serde_json::Value, String> {
        self.parse("yaml", text)
    }
}

impl Drop for Parsers {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
