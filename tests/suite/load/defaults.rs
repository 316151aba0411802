//! A default written as text goes through the field's conversion on every
//! load: one that cannot convert fails each load, not only the first one
//! where the parameter happens to be missing. (Defaults of standard scalar
//! types are checked at compile time: `tests/compile-fail/ui/default_does_not_convert.rs`.)

use std::str::FromStr;

use ssm_config::{MemorySource, SsmConfig};

#[derive(Debug, PartialEq)]
enum Colour {
    Red,
    Blue,
}

impl FromStr for Colour {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "red" => Ok(Colour::Red),
            "blue" => Ok(Colour::Blue),
            other => Err(format!("unknown colour `{other}`")),
        }
    }
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/defaults")]
struct Broken {
    #[allow(dead_code)] // never loads
    #[ssm(default = "purple")]
    colour: Colour,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/defaults")]
struct Sound {
    #[ssm(default = "blue")]
    colour: Colour,
}

#[tokio::test]
async fn a_default_that_does_not_convert_fails_every_load() {
    let source = MemorySource::new();
    let missing = Broken::fetch(source.clone()).await.unwrap_err().to_string();
    assert!(
        missing.contains("field `colour`: the value from the default is not a valid `Colour`: unknown colour `purple`"),
        "{missing}"
    );
    source.put("/defaults/colour", "red");
    let present = Broken::fetch(source.clone()).await.unwrap_err().to_string();
    assert_eq!(present, missing, "present or not, the default is wrong");
}

#[tokio::test]
async fn a_default_that_converts_is_used_only_when_missing() {
    let source = MemorySource::new();
    assert_eq!(
        Sound::fetch(source.clone()).await.unwrap().colour,
        Colour::Blue
    );
    source.put("/defaults/colour", "red");
    assert_eq!(
        Sound::fetch(source.clone()).await.unwrap().colour,
        Colour::Red
    );
}
