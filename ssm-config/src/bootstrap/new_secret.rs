//! [`NewSecret`]: one secret a [`Bootstrap`](super::Bootstrap) creates.

use crate::placeholder::placeholder;

/// One secret to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSecret {
    /// The secret's name.
    pub name: String,
    /// The JSON keys fields read from it; none when a field reads it whole.
    pub keys: Vec<String>,
    /// The field that reads each of `keys`, in the same order.
    pub key_fields: Vec<String>,
    /// The fields that read it.
    pub fields: Vec<String>,
}

impl NewSecret {
    /// The placeholder secret: a JSON object of its keys, or one text.
    pub fn placeholder(&self) -> String {
        match self.keys.is_empty() {
            true => placeholder(&self.fields.join(",")),
            false => {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .keys
                    .iter()
                    .zip(&self.key_fields)
                    .map(|(key, field)| (key.clone(), placeholder(field).into()))
                    .collect();
                serde_json::Value::Object(object).to_string()
            }
        }
    }
}
