//! Quoting: a new value is written plain when YAML reads it back as the same
//! text, otherwise double-quoted.

use serde_json::Value;

/// A YAML scalar for `value`: plain when YAML reads it back as the same text
/// in both block and flow context, otherwise double-quoted.
pub fn scalar(value: &str) -> String {
    if plain_is_safe(value) {
        value.to_string()
    } else {
        double_quoted(value)
    }
}

fn plain_is_safe(value: &str) -> bool {
    let simple = !value.is_empty()
        && value.trim() == value
        && !value.chars().any(|c| c.is_control() || c == '#')
        && !value.starts_with([
            '\'', '"', '`', '@', '%', '&', '*', '!', '|', '>', '-', '?', ':',
        ]);
    if !simple {
        return false;
    }
    let want = Value::String(value.to_string());
    let block = serde_saphyr::from_str::<Value>(&format!("k: {value}\n"));
    let flow = serde_saphyr::from_str::<Value>(&format!("k: [{value}, x]\n"));
    matches!(block, Ok(Value::Object(m)) if m.get("k") == Some(&want))
        && matches!(flow, Ok(Value::Object(m)) if m.get("k") == Some(&Value::Array(vec![want.clone(), Value::String("x".into())])))
}

fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
