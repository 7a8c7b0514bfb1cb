//! The server's token-file reader, and nothing else: serde_json::from_str into structs
//! declared exactly as the server declares them. Reads records `[u32 LE length][bytes]`
//! on stdin and prints one JSON line per record with the verdict under each kind.
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// influxdb3/src/commands/create/token.rs, verbatim (Serialize attributes kept; they do
/// not change reading).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct AdminTokenFile {
    /// The raw token string
    pub token: String,
    /// The token name
    pub name: String,
    /// Optional expiry timestamp in milliseconds
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry_millis: Option<i64>,
}

/// The Enterprise loader is closed source. Declared from the documented format (SPEC 2.1)
/// with the admin struct's conventions: optional fields are Option (null = absent),
/// required ones plain. See README "Decisions where the server could not be read".
#[derive(Debug, Deserialize)]
pub(crate) struct PermissionTokensFile {
    pub create_databases: Option<Vec<String>>,
    pub tokens: Vec<PermissionToken>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PermissionToken {
    pub token: String,
    pub name: String,
    pub expiry_millis: Option<i64>,
    pub permissions: Vec<String>,
}

#[derive(Serialize)]
struct AdminOut {
    token: String,
    name: String,
    /// A string: i64 does not fit a JavaScript number.
    expiry: Option<String>,
}

#[derive(Serialize)]
struct TokenOut {
    token: String,
    name: String,
    expiry: Option<String>,
    permissions: Vec<String>,
}

#[derive(Serialize)]
struct PermissionOut {
    create_databases: Option<Vec<String>>,
    tokens: Vec<TokenOut>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Verdict<T> {
    Load { load: T },
    Refuse { refuse: String },
}

#[derive(Serialize)]
struct Answer {
    admin: Verdict<AdminOut>,
    permission: Verdict<PermissionOut>,
}

fn verdict<T, O>(text: Result<&str, String>, f: impl Fn(T) -> O) -> Verdict<O>
where
    T: for<'a> Deserialize<'a>,
{
    match text {
        // tokio::fs::read_to_string refuses invalid UTF-8 before serde sees anything.
        Err(e) => Verdict::Refuse { refuse: e },
        Ok(s) => match serde_json::from_str::<T>(s) {
            Ok(v) => Verdict::Load { load: f(v) },
            Err(e) => Verdict::Refuse { refuse: e.to_string() },
        },
    }
}

fn main() {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).unwrap();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut i = 0;
    while i < input.len() {
        let len = u32::from_le_bytes(input[i..i + 4].try_into().unwrap()) as usize;
        let bytes = &input[i + 4..i + 4 + len];
        i += 4 + len;
        let text = std::str::from_utf8(bytes).map_err(|_| "stream did not contain valid UTF-8".to_string());
        let answer = Answer {
            admin: verdict(text.clone(), |a: AdminTokenFile| AdminOut {
                token: a.token,
                name: a.name,
                expiry: a.expiry_millis.map(|e| e.to_string()),
            }),
            permission: verdict(text, |p: PermissionTokensFile| PermissionOut {
                create_databases: p.create_databases,
                tokens: p
                    .tokens
                    .into_iter()
                    .map(|t| TokenOut {
                        token: t.token,
                        name: t.name,
                        expiry: t.expiry_millis.map(|e| e.to_string()),
                        permissions: t.permissions,
                    })
                    .collect(),
            }),
        };
        serde_json::to_writer(&mut out, &answer).unwrap();
        out.write_all(b"\n").unwrap();
    }
}
