//! RFC 3986 percent-encoding as Alibaba's signature defines it (`A-Z a-z 0-9 - _ . ~` kept,
//! every other byte as upper-case `%XY`). Its own module because signing, redaction and REST
//! paths all need it, and none of them should depend on another for it.

/// `true` for the bytes RFC 3986 leaves unencoded: `A-Z a-z 0-9 - _ . ~`.
static UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b'~';
        i += 1;
    }
    t
};

/// `%XY` for every byte value, upper-case hex: entry `b` is `ESCAPES[3 * b..3 * b + 3]`.
pub(crate) static ESCAPES: [u8; 768] = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut t = [0u8; 768];
    let mut i = 0;
    while i < 256 {
        t[3 * i] = b'%';
        t[3 * i + 1] = HEX[i >> 4];
        t[3 * i + 2] = HEX[i & 0xF];
        i += 1;
    }
    t
};

/// [`ESCAPES`] as text (it is ASCII).
const ESCAPES_STR: &str = match std::str::from_utf8(&ESCAPES) {
    Ok(s) => s,
    Err(_) => panic!("the escape table is ASCII"),
};

/// Appends the RFC 3986 percent-encoding of `s` to `out`.
#[inline]
pub fn percent_encode_into(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[b as usize] {
            continue;
        }
        // A non-empty `run_start..i` holds only ASCII bytes, so both ends are char boundaries.
        if run_start < i {
            out.push_str(&s[run_start..i]);
        }
        let j = 3 * b as usize;
        out.push_str(&ESCAPES_STR[j..j + 3]);
        run_start = i + 1;
    }
    if run_start < bytes.len() {
        out.push_str(&s[run_start..]);
    }
}

/// The RFC 3986 percent-encoding of `s` as the signature algorithm defines it.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    percent_encode_into(s, &mut out);
    out
}

/// Whether all 8 bytes are unreserved (one branch for the common case of a plain run).
#[inline]
fn unreserved8(chunk: &[u8; 8]) -> bool {
    chunk
        .iter()
        .fold(true, |all, &b| all & UNRESERVED[b as usize])
}

/// The hot-path encoder: appends `src` to `out` with every reserved byte `b` replaced by
/// `escapes[width * b..width * (b + 1)]`. Runs of unreserved bytes are found 8 at a time and
/// copied whole.
///
/// Returns whether any byte was escaped.
#[inline]
pub(crate) fn encode_with(src: &[u8], out: &mut Vec<u8>, escapes: &[u8], width: usize) -> bool {
    let n = src.len();
    let (mut run, mut i) = (0, 0);
    while i < n {
        while let Some(chunk) = src.get(i..i + 8).and_then(|c| <&[u8; 8]>::try_from(c).ok()) {
            if !unreserved8(chunk) {
                break;
            }
            i += 8;
        }
        while i < n && UNRESERVED[src[i] as usize] {
            i += 1;
        }
        if i < n {
            out.extend_from_slice(&src[run..i]);
            let k = width * src[i] as usize;
            out.extend_from_slice(&escapes[k..k + width]);
            i += 1;
            run = i;
        }
    }
    out.extend_from_slice(&src[run..]);
    run > 0
}

/// Appends already encoded text to the string-to-sign, encoding it once more: only `%`
/// needs it there (as `%25`), every other byte of encoded text is unreserved.
#[inline]
pub(crate) fn encode_encoded(span: &[u8], out: &mut Vec<u8>) {
    let mut last = 0;
    for (i, &b) in span.iter().enumerate() {
        if b == b'%' {
            out.extend_from_slice(&span[last..i]);
            out.extend_from_slice(b"%25");
            last = i + 1;
        }
    }
    out.extend_from_slice(&span[last..]);
}
