// Differential oracle for src/domain/duration.ts: feeds each input to the real
// humantime crate (`humantime::Duration::from_str`) and prints its answer.
//
// stdin:  one JSON string literal per line (the input to parse).
// stdout: one JSON object per line, in the same order:
//   {"secs":"<u64>","nanos":<u32>}   accepted
//   {"error":"<Display of the error>"} rejected with an Err
//   {"panic":"<panic message>"}        the crate panicked (it has such inputs)
//
// No serde here on purpose: humantime has no dependencies and this must build
// with a bare `rustc`, so the tiny JSON subset we need is done by hand.

use std::io::{self, BufWriter, Read, Write};
use std::panic;
use std::str::FromStr;

fn decode_json_string(line: &str) -> Result<String, String> {
    let s = line.trim_end_matches('\r');
    let body = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .ok_or_else(|| format!("not a JSON string literal: {:?}", s))?;
    let mut out = String::with_capacity(body.len());
    let mut it = body.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hi = read_hex4(&mut it)?;
                if (0xD800..0xDC00).contains(&hi) {
                    if it.next() != Some('\\') || it.next() != Some('u') {
                        return Err("lone high surrogate".into());
                    }
                    let lo = read_hex4(&mut it)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err("bad low surrogate".into());
                    }
                    let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    out.push(char::from_u32(cp).ok_or("bad code point")?);
                } else {
                    out.push(char::from_u32(hi).ok_or("lone low surrogate")?);
                }
            }
            other => return Err(format!("bad escape {:?}", other)),
        }
    }
    Ok(out)
}

fn read_hex4(it: &mut std::str::Chars) -> Result<u32, String> {
    let mut v = 0u32;
    for _ in 0..4 {
        let d = it.next().and_then(|c| c.to_digit(16)).ok_or("bad \\u escape")?;
        v = v * 16 + d;
    }
    Ok(v)
}

fn encode_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn main() {
    // Panics are expected answers for a few inputs; keep stderr quiet about them.
    panic::set_hook(Box::new(|_| {}));

    let mut input = String::new();
    io::stdin().read_to_string(&mut input).expect("stdin is not UTF-8");
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (i, line) in input.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let s = match decode_json_string(line) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("line {}: {}", i + 1, e);
                std::process::exit(2);
            }
        };
        let result = panic::catch_unwind(|| humantime::Duration::from_str(&s));
        let answer = match result {
            Ok(Ok(d)) => format!("{{\"secs\":\"{}\",\"nanos\":{}}}", d.as_secs(), d.subsec_nanos()),
            Ok(Err(e)) => format!("{{\"error\":{}}}", encode_json_string(&e.to_string())),
            Err(p) => {
                let msg = p
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".to_string());
                format!("{{\"panic\":{}}}", encode_json_string(&msg))
            }
        };
        writeln!(out, "{}", answer).expect("write stdout");
    }
}
