//! Text given at run time (a prefix, an env prefix) that a load refuses is
//! shown escaped in the error: a newline cannot forge a line of a log, and
//! a control or bidirectional character cannot hide what the name is.

use ssm_config::live::RefreshPolicy;
use ssm_config::{MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{HT_ENV}/orders")]
#[allow(dead_code)] // only its errors are read
struct Orders {
    db_host: String,
}

/// Whether every line of `text` is the error's own: its first line, or
/// one of its problems.
fn lines_are_the_errors_own(text: &str) -> bool {
    text.lines()
        .enumerate()
        .all(|(at, line)| at == 0 || line.starts_with("  - "))
}

fn no_hidden_characters(text: &str) -> bool {
    !text
        .chars()
        .any(|c| (c.is_control() && c != '\n') || ('\u{2028}'..='\u{202e}').contains(&c))
}

/// An error's text, checked to hold no line and no character that is not
/// its own.
fn shown_safely(error: &ssm_config::Error) -> String {
    let text = error.to_string();
    assert!(lines_are_the_errors_own(&text), "{text}");
    assert!(no_hidden_characters(&text), "{text:?}");
    text
}

#[tokio::test]
async fn a_refused_prefix_is_shown_escaped() {
    let cases = [
        ("/x\nFORGED: all good", "/x\\nFORGED: all good"),
        ("/x\r\u{1b}[2Kok", "/x\\r\\u{1b}[2Kok"),
        ("/x\u{202e}gpj.exe", "/x\\u{202e}gpj.exe"),
        ("/x\u{2028}FORGED", "/x\\u{2028}FORGED"),
    ];
    for (prefix, shown) in cases {
        let error = Orders::loader()
            .source(MemorySource::new())
            .prefix(prefix)
            .var("HT_ENV", "prod")
            .fetch()
            .await
            .unwrap_err();
        let text = shown_safely(&error);
        assert!(text.contains(shown), "{text}");
    }
}

#[tokio::test]
async fn a_refused_env_prefix_is_shown_escaped() {
    let error = Orders::loader()
        .source(MemorySource::new())
        .var("HT_ENV", "prod")
        .env_prefix("APP\nFORGED: all good\n")
        .fetch()
        .await
        .unwrap_err();
    let text = shown_safely(&error);
    assert!(text.contains("APP\\nFORGED"), "{text}");
}

#[tokio::test]
async fn an_unset_variable_in_a_hostile_prefix_is_shown_escaped() {
    let error = Orders::loader()
        .source(MemorySource::new())
        .prefix("/{HT_NEVER_SET}\nFORGED: all good")
        .fetch()
        .await
        .unwrap_err();
    shown_safely(&error);
}

#[tokio::test]
async fn a_hostile_variable_name_in_a_prefix_is_shown_escaped() {
    let error = Orders::loader()
        .source(MemorySource::new())
        .prefix("/{a\nFAKE: INFO all good}\u{1b}[2J")
        .fetch()
        .await
        .unwrap_err();
    shown_safely(&error);
}

#[tokio::test]
async fn a_hostile_watched_name_is_shown_escaped() {
    let source = MemorySource::new();
    source.put("/prod/orders/db_host", "db");
    let error = match Orders::loader()
        .source(source)
        .var("HT_ENV", "prod")
        .refresh(RefreshPolicy::new().watch("/a\nFAKE: ok\u{1b}[2J"))
        .load()
        .await
    {
        Ok(_) => panic!("a watched name SSM would refuse fails the load"),
        Err(error) => error,
    };
    shown_safely(&error);
}

/// A very long refused prefix is cut in the middle, as every name in a
/// message is.
#[tokio::test]
async fn a_huge_refused_prefix_is_cut_in_the_message() {
    let prefix = format!("/x{}$", "y".repeat(100_000));
    let error = Orders::loader()
        .source(MemorySource::new())
        .prefix(prefix)
        .var("HT_ENV", "prod")
        .fetch()
        .await
        .unwrap_err();
    assert!(
        error.to_string().len() < 2_000,
        "{} bytes",
        error.to_string().len()
    );
}

/// The plan listing takes the loader's prefix as it is given: a newline
/// in it never makes a line of its own.
#[test]
fn the_plan_listing_shows_a_hostile_prefix_escaped() {
    let plan = Orders::loader()
        .prefix("/x\nFORGED  row\u{1b}[2J")
        .var("HT_ENV", "prod")
        .plan();
    let table = plan.to_string();
    assert_eq!(table.lines().count(), 2, "{table}");
    assert!(no_hidden_characters(&table), "{table:?}");
    for parameter in plan.iter() {
        assert!(no_hidden_characters(&parameter.to_string()), "{parameter}");
    }
}

/// A local file's path and its keys may come from run time too: shown
/// escaped, in the error and in a value's origin.
#[tokio::test]
async fn a_hostile_file_path_and_key_are_shown_escaped() {
    use ssm_config::source::FileSource;
    let error = Orders::loader()
        .source(FileSource::new(
            "/nonexistent/q\u{202e}x\n\u{1b}[31mFAKE/missing.toml",
        ))
        .var("HT_ENV", "prod")
        .fetch()
        .await
        .unwrap_err();
    shown_safely(&error);

    let file = crate::support::scratch::TempFile::new(
        "hostile-key.toml",
        "[parameters]\n\"/m/k\\u202e\\n\\u001b[31m\" = \"x\"\n",
    );
    let error = Orders::loader()
        .source(FileSource::new(&file.path))
        .var("HT_ENV", "prod")
        .fetch()
        .await
        .unwrap_err();
    shown_safely(&error);
}

/// A value that does not convert is quoted (when it is no secret), but a
/// huge one is cut, so one value cannot make a message of any size.
#[tokio::test]
async fn a_huge_value_that_does_not_convert_is_cut_in_the_message() {
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/ht")]
    #[allow(dead_code)] // only its errors are read
    struct Port {
        port: u32,
    }
    let source = MemorySource::new();
    source.put("/ht/port", &"9".repeat(100_000));
    let error = Port::loader().source(source).fetch().await.unwrap_err();
    let text = error.to_string();
    assert!(text.len() < 1_000, "{} bytes", text.len());
    assert!(text.contains("100000 characters"), "{text}");
}
