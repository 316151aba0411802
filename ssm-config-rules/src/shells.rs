//! Variables a shell sets for itself: a `{VAR}` left to a script cannot be
//! one of them, since the shell running it replaces (or keeps changing)
//! the value the environment gave.

/// Set by sh, dash or bash whatever the environment holds: POSIX's
/// (<https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_05_03>)
/// and bash's own
/// (<https://www.gnu.org/software/bash/manual/html_node/Bash-Variables.html>).
const SET_BY_SHELLS: &[&str] = &[
    "_",
    "IFS",
    "LINENO",
    "OPTARG",
    "OPTIND",
    "PPID",
    "PWD",
    "OLDPWD",
    "BASH",
    "BASHOPTS",
    "BASHPID",
    "DIRSTACK",
    "EPOCHREALTIME",
    "EPOCHSECONDS",
    "EUID",
    "FUNCNAME",
    "GROUPS",
    "HISTCMD",
    "HOSTNAME",
    "HOSTTYPE",
    "MACHTYPE",
    "OSTYPE",
    "PIPESTATUS",
    "RANDOM",
    "REPLY",
    "SECONDS",
    "SHELLOPTS",
    "SHLVL",
    "SRANDOM",
    "UID",
];

/// Families of bash's own variables (`BASH_ARGV0`, `BASH_LINENO`,
/// `COMP_WORDS`...).
const SET_BY_SHELLS_PREFIXES: &[&str] = &["BASH_", "COMP_"];

/// Whether a shell sets `variable` for itself (`_`, `LINENO`, `RANDOM`,
/// `PWD`, `BASH_*`...): a script cannot read the value its environment
/// gave such a variable, or reads one that changes as it runs.
pub fn set_by_shells(variable: &str) -> bool {
    SET_BY_SHELLS.contains(&variable)
        || SET_BY_SHELLS_PREFIXES
            .iter()
            .any(|prefix| variable.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shells_own_variables_and_no_others() {
        for own in [
            "_",
            "LINENO",
            "RANDOM",
            "SECONDS",
            "PPID",
            "BASH_ARGV0",
            "IFS",
        ] {
            assert!(set_by_shells(own), "{own}");
        }
        for free in [
            "APP_ENV", "__", "lineno", "BASHFUL", "HOME", "PATH", "REGION",
        ] {
            assert!(!set_by_shells(free), "{free}");
        }
    }
}
