//! A content-stream lexer that lends its operands out of the stream instead of
//! building objects.
//!
//! `lopdf::content::Content::decode_iter` allocates an `Operation` (a `String`
//! operator, a `Vec<Object>` of operands, a `Vec` per array and per string) for
//! every operator and tries each object type in turn for every operand; on the
//! resume corpus that was a third of the whole parse. Here an operation's operands
//! go into two buffers reused from one operation to the next, numbers are read in
//! place and strings borrow the stream unless they hold escapes.
//!
//! The grammar is lopdf's, so text comes out the same: numbers as lopdf reads them
//! (`0.00-41` is one number, as in pdf.js and Poppler), `#xx` escapes in names, the
//! escapes and nested parentheses of literal strings, inline images skipped, and a
//! token that fits nothing ends the stream (the text before it stays).

use std::borrow::Cow;
use std::ops::Range;

/// Deepest nesting of arrays and dictionaries, and of parentheses in a string
/// (lopdf's limits).
const MAX_NESTING: usize = 100;
const MAX_STRING_PARENS: usize = 100;
/// Most operands and array elements one operation may carry: a real `TJ` holds a
/// few hundred; a stream of millions of numbers and no operator is not text.
const MAX_OPERANDS: usize = 1 << 16;

/// One operand of an operation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand<'a> {
    Number(f32),
    Name(Cow<'a, [u8]>),
    String(Cow<'a, [u8]>),
    /// An array: its first-level elements are `Operands::elements[range]`
    /// (nested arrays and dictionaries there are `Other`).
    Array(Range<usize>),
    Bool(bool),
    /// `null`, a dictionary, a reference, or something nested deeper.
    Other,
}

impl Operand<'_> {
    pub fn number(&self) -> Option<f32> {
        match self {
            Self::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn name(&self) -> Option<&[u8]> {
        match self {
            Self::Name(n) => Some(n),
            _ => None,
        }
    }
}

/// The operands of the current operation.
#[derive(Debug, Default)]
pub(crate) struct Operands<'a> {
    pub list: Vec<Operand<'a>>,
    pub elements: Vec<Operand<'a>>,
}

impl<'a> Operands<'a> {
    pub fn get(&self, i: usize) -> Option<&Operand<'a>> {
        self.list.get(i)
    }

    pub fn array(&self, range: &Range<usize>) -> &[Operand<'a>] {
        self.elements.get(range.clone()).unwrap_or(&[])
    }
}

/// The stream could not be read on from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Damaged;

/// A number as written: lopdf keeps integers and reals apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    Integer(i64),
    Real(f32),
}

/// The tokens of PDF syntax, for content streams (`next_operation`) and for the
/// objects of the file (`crate::load`).
pub(crate) struct Lexer<'a> {
    input: &'a [u8],
    pub pos: usize,
}

pub(crate) fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub(crate) fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !is_delimiter(c)
}

fn is_operator_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'*' | b'\'' | b'"')
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        Self { input, pos: 0 }
    }

    pub fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// All of the input.
    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    /// The input from `start` to the current position.
    pub fn since(&self, start: usize) -> &'a [u8] {
        self.input.get(start..self.pos).unwrap_or(&[])
    }

    pub fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or(&[])
    }

    /// White space and comments.
    pub fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if is_whitespace(c) {
                self.pos += 1;
            } else if c == b'%' {
                while self.peek().is_some_and(|c| c != b'\r' && c != b'\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next operation: its operator, with its operands in `operands` (cleared
    /// first). `None` at the end of the stream.
    pub fn next_operation(
        &mut self,
        operands: &mut Operands<'a>,
    ) -> Option<Result<&'a [u8], Damaged>> {
        operands.list.clear();
        operands.elements.clear();
        loop {
            self.skip_space();
            let c = self.peek()?;
            if is_operator_char(c) && !c.is_ascii_digit() {
                let start = self.pos;
                while self.peek().is_some_and(is_operator_char) {
                    self.pos += 1;
                }
                let word = self.input.get(start..self.pos).unwrap_or(&[]);
                match word {
                    b"true" => operands.list.push(Operand::Bool(true)),
                    b"false" => operands.list.push(Operand::Bool(false)),
                    b"null" => operands.list.push(Operand::Other),
                    b"BI" => {
                        return Some(self.inline_image().map(|()| word));
                    }
                    _ => return Some(Ok(word)),
                }
            } else {
                if operands.list.len() + operands.elements.len() >= MAX_OPERANDS {
                    return Some(Err(Damaged));
                }
                match self.operand(operands, 0) {
                    Ok(Some(operand)) => operands.list.push(operand),
                    Ok(None) | Err(Damaged) => return Some(Err(Damaged)),
                }
            }
        }
    }

    /// One object at `depth` levels of nesting; `None` at a closing delimiter.
    fn operand(
        &mut self,
        operands: &mut Operands<'a>,
        depth: usize,
    ) -> Result<Option<Operand<'a>>, Damaged> {
        let c = self.peek().ok_or(Damaged)?;
        match c {
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number().map(|n| Some(Operand::Number(n))),
            b'/' => {
                self.pos += 1;
                Ok(Some(Operand::Name(self.name())))
            }
            b'(' => self.literal_string().map(|s| Some(Operand::String(s))),
            b'<' if self.input.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.skip_nested(depth + 1, b">>")?;
                Ok(Some(Operand::Other))
            }
            b'<' => self.hex_string().map(|s| Some(Operand::String(s))),
            b'[' => {
                self.pos += 1;
                if depth + 1 > MAX_NESTING {
                    return Err(Damaged);
                }
                if depth > 0 {
                    self.skip_nested(depth + 1, b"]")?;
                    return Ok(Some(Operand::Other));
                }
                let start = operands.elements.len();
                loop {
                    self.skip_space();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        break;
                    }
                    if operands.list.len() + operands.elements.len() >= MAX_OPERANDS {
                        return Err(Damaged);
                    }
                    match self.element(operands, depth + 1)? {
                        // lopdf reads `n g R` in an array as one reference.
                        Some(Operand::Other)
                            if self.input.get(self.pos - 1) == Some(&b'R')
                                && operands.elements.len() >= start + 2
                                && operands.elements[operands.elements.len() - 2..]
                                    .iter()
                                    .all(|e| matches!(e, Operand::Number(_))) =>
                        {
                            operands.elements.truncate(operands.elements.len() - 2);
                            operands.elements.push(Operand::Other);
                        }
                        Some(e) => operands.elements.push(e),
                        None => return Err(Damaged),
                    }
                }
                Ok(Some(Operand::Array(start..operands.elements.len())))
            }
            _ => Err(Damaged),
        }
    }

    /// An element of an array: an operand, or `true`, `false`, `null` (and, as lopdf
    /// reads arrays, an `n g R` reference, which stays `Other`).
    fn element(
        &mut self,
        operands: &mut Operands<'a>,
        depth: usize,
    ) -> Result<Option<Operand<'a>>, Damaged> {
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.pos;
                while self.peek().is_some_and(is_regular) {
                    self.pos += 1;
                }
                match self.input.get(start..self.pos) {
                    Some(b"true") => Ok(Some(Operand::Bool(true))),
                    Some(b"false") => Ok(Some(Operand::Bool(false))),
                    Some(b"null" | b"R") => Ok(Some(Operand::Other)),
                    _ => Err(Damaged),
                }
            }
            _ => self.operand(operands, depth),
        }
    }

    /// Skip the rest of a nested array or dictionary up to `close`, checking what
    /// it holds (a damaged one ends the stream as it would in lopdf).
    fn skip_nested(&mut self, depth: usize, close: &[u8]) -> Result<(), Damaged> {
        if depth > MAX_NESTING {
            return Err(Damaged);
        }
        let mut scratch = Operands::default();
        loop {
            self.skip_space();
            if self.rest().starts_with(close) {
                self.pos += close.len();
                return Ok(());
            }
            // The scratch buffers only ever hold one nested level's elements.
            scratch.list.clear();
            scratch.elements.clear();
            match self.element(&mut scratch, depth)? {
                Some(_) => {}
                None => return Err(Damaged),
            }
        }
    }

    fn number(&mut self) -> Result<f32, Damaged> {
        Ok(match self.number_token()? {
            Number::Integer(i) => i as f32,
            Number::Real(r) => r,
        })
    }

    /// A number as lopdf reads it: an integer, or a real with a `.`, whose
    /// fraction may hold stray minus signs that are ignored.
    pub fn number_token(&mut self) -> Result<Number, Damaged> {
        let start = self.pos;
        let bytes = self.input;
        let mut i = start;
        let negative = match bytes.get(i) {
            Some(b'+') => {
                i += 1;
                false
            }
            Some(b'-') => {
                i += 1;
                true
            }
            _ => false,
        };
        let int_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let int_digits = i - int_start;
        if bytes.get(i) == Some(&b'.') {
            let frac_start = i + 1;
            let mut j = frac_start;
            while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            if int_digits > 0 || j > frac_start {
                // `digit1 . digit0` or `. digit1`, then any digits and minus signs.
                while bytes
                    .get(j)
                    .is_some_and(|c| *c == b'-' || c.is_ascii_digit())
                {
                    j += 1;
                }
                self.pos = j;
                let text = bytes.get(start..j).ok_or(Damaged)?;
                return parse_real(text).map(Number::Real).ok_or(Damaged);
            }
        }
        if int_digits == 0 {
            return Err(Damaged);
        }
        self.pos = i;
        let digits = bytes.get(int_start..i).ok_or(Damaged)?;
        let magnitude = digits.iter().try_fold(0u64, |v, d| {
            v.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        });
        let value = magnitude.and_then(|m| {
            if negative {
                0i64.checked_sub_unsigned(m)
            } else {
                i64::try_from(m).ok()
            }
        });
        value.map(Number::Integer).ok_or(Damaged)
    }

    /// A name after its `/`, with `#xx` escapes decoded.
    pub fn name(&mut self) -> Cow<'a, [u8]> {
        let start = self.pos;
        while self.peek().is_some_and(|c| is_regular(c) && c != b'#') {
            self.pos += 1;
        }
        if self.peek() != Some(b'#') {
            return Cow::Borrowed(self.input.get(start..self.pos).unwrap_or(&[]));
        }
        let mut out = self.input.get(start..self.pos).unwrap_or(&[]).to_vec();
        loop {
            match self.peek() {
                Some(b'#') => {
                    let hex = self
                        .input
                        .get(self.pos + 1..self.pos + 3)
                        .and_then(|h| Some(hex_value(h[0])? << 4 | hex_value(h[1])?));
                    // Any other `#` ends the name.
                    let Some(byte) = hex else { break };
                    out.push(byte);
                    self.pos += 3;
                }
                Some(c) if is_regular(c) => {
                    out.push(c);
                    self.pos += 1;
                }
                _ => break,
            }
        }
        Cow::Owned(out)
    }

    /// A literal string from its `(`: borrowed when it holds no escapes and no line
    /// ends (which read as `\n`).
    pub fn literal_string(&mut self) -> Result<Cow<'a, [u8]>, Damaged> {
        let start = self.pos + 1;
        let mut i = start;
        let mut depth = 0usize;
        // The common case: no backslash, no CR, balanced parentheses.
        while let Some(&c) = self.input.get(i) {
            match c {
                b'\\' | b'\r' => break,
                b'(' => depth += 1,
                b')' if depth == 0 => {
                    self.pos = i + 1;
                    return Ok(Cow::Borrowed(self.input.get(start..i).unwrap_or(&[])));
                }
                b')' => depth -= 1,
                _ => {}
            }
            if depth > MAX_STRING_PARENS {
                return Err(Damaged);
            }
            i += 1;
        }
        self.pos = start;
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            let c = self.peek().ok_or(Damaged)?;
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    if depth > MAX_STRING_PARENS {
                        return Err(Damaged);
                    }
                    out.push(c);
                }
                b')' if depth == 0 => return Ok(Cow::Owned(out)),
                b')' => {
                    depth -= 1;
                    out.push(c);
                }
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                b'\\' => {
                    let e = self.peek().ok_or(Damaged)?;
                    self.pos += 1;
                    match e {
                        b'0'..=b'7' => {
                            let mut v = u16::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u16::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            // Overflow is ignored, as the spec asks.
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(b'\x08'),
                        b'f' => out.push(b'\x0C'),
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    /// A hexadecimal string from its `<`; an odd last digit is padded with 0.
    pub fn hex_string(&mut self) -> Result<Cow<'a, [u8]>, Damaged> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let c = self.peek().ok_or(Damaged)?;
            self.pos += 1;
            if c == b'>' {
                if let Some(h) = high {
                    out.push(h << 4);
                }
                return Ok(Cow::Owned(out));
            }
            if is_whitespace(c) {
                continue;
            }
            let v = hex_value(c).ok_or(Damaged)?;
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
    }

    /// From after `BI` to after `EI`: the image's dictionary, `ID`, its data. Data
    /// without a filter has a known length; otherwise the end is the first `EI`
    /// between white space.
    fn inline_image(&mut self) -> Result<(), Damaged> {
        let mut scratch = Operands::default();
        let mut width = None;
        let mut height = None;
        let mut bpc = None;
        let mut mask = false;
        let mut colors = None;
        let mut filtered = false;
        loop {
            self.skip_space();
            if self.rest().starts_with(b"ID")
                && self.input.get(self.pos + 2).is_none_or(|c| !is_regular(*c))
            {
                self.pos += 2;
                break;
            }
            if self.peek() != Some(b'/') {
                return Err(Damaged);
            }
            self.pos += 1;
            let key = self.name();
            self.skip_space();
            scratch.list.clear();
            scratch.elements.clear();
            let value = self.element(&mut scratch, 0)?.ok_or(Damaged)?;
            let size = value.number().filter(|n| *n >= 0.0).map(|n| n as usize);
            match &*key {
                b"W" | b"Width" => width = size,
                b"H" | b"Height" => height = size,
                b"BPC" | b"BitsPerComponent" => bpc = size,
                b"IM" | b"ImageMask" => mask = value == Operand::Bool(true),
                b"F" | b"Filter" => filtered = true,
                b"CS" | b"ColorSpace" => {
                    let name = match &value {
                        Operand::Array(r) => scratch.array(r).first().and_then(Operand::name),
                        other => other.name(),
                    };
                    colors = match name {
                        Some(b"Indexed" | b"I") if matches!(value, Operand::Array(_)) => Some(1),
                        Some(b"DeviceGray" | b"G" | b"Gray") => Some(1),
                        Some(b"DeviceRGB" | b"RGB") => Some(3),
                        Some(b"DeviceRGBA" | b"RGBA" | b"DeviceCMYK" | b"CMYK") => Some(4),
                        _ => None,
                    }
                }
                _ => {}
            }
        }
        // The one white-space character after ID (CR LF counts as one).
        if self.rest().starts_with(b"\r\n") {
            self.pos += 2;
        } else if self.peek().is_some_and(is_whitespace) {
            self.pos += 1;
        }
        let colors = if mask { Some(1) } else { colors };
        let bpc = if mask { bpc.or(Some(1)) } else { bpc };
        let length = match (filtered, width, height, bpc, colors) {
            (false, Some(w), Some(h), Some(b), Some(c)) => b
                .checked_mul(c)
                .and_then(|bits| w.checked_mul(bits))
                .and_then(|row| row.div_ceil(8).checked_mul(h)),
            _ => None,
        };
        if let Some(length) = length {
            let end = self.pos.saturating_add(length);
            if end <= self.input.len() {
                let saved = self.pos;
                self.pos = end;
                self.skip_space();
                if self.rest().starts_with(b"EI")
                    && self.input.get(self.pos + 2).is_none_or(|c| !is_regular(*c))
                {
                    self.pos += 2;
                    return Ok(());
                }
                self.pos = saved;
            }
        }
        let data = self.rest();
        let at = data
            .windows(3)
            .enumerate()
            .find(|(i, w)| {
                is_whitespace(w[0])
                    && w[1..] == *b"EI"
                    && data.get(i + 3).is_none_or(|c| is_whitespace(*c))
            })
            .map(|(i, _)| i)
            .ok_or(Damaged)?;
        self.pos += at + 3;
        Ok(())
    }
}

fn parse_real(text: &[u8]) -> Option<f32> {
    let (sign, rest) = text.split_at_checked(1)?;
    if rest.contains(&b'-') {
        let mut digits: Vec<u8> = sign.to_vec();
        digits.extend(rest.iter().filter(|c| **c != b'-'));
        std::str::from_utf8(&digits).ok()?.parse().ok()
    } else {
        std::str::from_utf8(text).ok()?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation of `stream` as its operator and operands, in lopdf's terms.
    fn lex(stream: &[u8]) -> Vec<Result<(String, Vec<String>), Damaged>> {
        let mut lexer = Lexer::new(stream);
        let mut operands = Operands::default();
        let mut out = Vec::new();
        while let Some(next) = lexer.next_operation(&mut operands) {
            let Ok(op) = next else {
                out.push(Err(Damaged));
                break;
            };
            let show = |o: &Operand| match o {
                Operand::Number(n) => format!("{n}"),
                Operand::Name(n) => format!("/{}", String::from_utf8_lossy(n)),
                Operand::String(s) => format!("({})", String::from_utf8_lossy(s)),
                Operand::Array(_) => "[]".into(),
                Operand::Bool(b) => format!("{b}"),
                Operand::Other => "?".into(),
            };
            let mut shown: Vec<String> = Vec::new();
            for o in &operands.list {
                match o {
                    Operand::Array(r) => {
                        let items: Vec<String> = operands.array(r).iter().map(show).collect();
                        shown.push(format!("[{}]", items.join(" ")));
                    }
                    o => shown.push(show(o)),
                }
            }
            out.push(Ok((String::from_utf8_lossy(op).into_owned(), shown)));
        }
        out
    }

    fn ok(op: &str, operands: &[&str]) -> Result<(String, Vec<String>), Damaged> {
        Ok((
            op.to_owned(),
            operands.iter().map(|s| (*s).to_owned()).collect(),
        ))
    }

    #[test]
    fn operators_and_operands() {
        assert_eq!(
            lex(b"q 1 0 0 1 72 720 cm BT /F1 12 Tf [(A) -120 (B)] TJ ET Q"),
            vec![
                ok("q", &[]),
                ok("cm", &["1", "0", "0", "1", "72", "720"]),
                ok("BT", &[]),
                ok("Tf", &["/F1", "12"]),
                ok("TJ", &["[(A) -120 (B)]"]),
                ok("ET", &[]),
                ok("Q", &[]),
            ]
        );
        // No white space is needed around delimiters; ' and " are operators (and
        // `'1` would be one operator, as in lopdf).
        assert_eq!(
            lex(b"BT/F2 9.5 Tf(x)' 1 2(y)\"[(a)5]TJ ET"),
            vec![
                ok("BT", &[]),
                ok("Tf", &["/F2", "9.5"]),
                ok("'", &["(x)"]),
                ok("\"", &["1", "2", "(y)"]),
                ok("TJ", &["[(a) 5]"]),
                ok("ET", &[]),
            ]
        );
    }

    #[test]
    fn numbers_as_lopdf_reads_them() {
        assert_eq!(
            lex(b"-.5 +3 5. 0.00-41 -0 12 d0"),
            vec![ok("d0", &["-0.5", "3", "5", "0.0041", "0", "12"])]
        );
        // A number runs into the operator after it.
        assert_eq!(lex(b"3Tc"), vec![ok("Tc", &["3"])]);
        assert_eq!(lex(b"- Tc"), vec![Err(Damaged)]);
        assert_eq!(lex(b"99999999999999999999 Tc"), vec![Err(Damaged)]);
    }

    #[test]
    fn strings_names_and_escapes() {
        assert_eq!(
            lex(b"(a\\(b\\)c\\\\ \\101\\0612 (x) \\q) Tj <48 65 6c6C6f2> Tj /A#20B Do /C#zz Do"),
            vec![
                ok("Tj", &["(a(b)c\\ A12 (x) q)"]),
                ok("Tj", &["(Hello )"]),
                ok("Do", &["/A B"]),
                // A `#` without two hex digits ends the name, and fits no token.
                Err(Damaged),
            ]
        );
        assert_eq!(
            lex(b"(line\r\nnext\\\r\njoined\rend) Tj"),
            vec![ok("Tj", &["(line\nnextjoined\nend)"])]
        );
    }

    #[test]
    fn comments_dictionaries_and_nesting() {
        assert_eq!(
            lex(b"% leading comment\n/P <</MCID 0 /A [1 [2] <</B (x)>>]>> BDC\n(t) Tj EMC % tail"),
            vec![ok("BDC", &["/P", "?"]), ok("Tj", &["(t)"]), ok("EMC", &[])]
        );
        assert_eq!(
            lex(b"[(a) [(nested)] true 1 0 R 5] TJ"),
            vec![ok("TJ", &["[(a) ? true ? 5]"])]
        );
        let deep = [vec![b'['; 150], b"] TJ".to_vec()].concat();
        assert_eq!(lex(&deep), vec![Err(Damaged)]);
        let parens = [
            b"(".to_vec(),
            vec![b'('; 150],
            vec![b')'; 151],
            b" Tj".to_vec(),
        ]
        .concat();
        assert_eq!(lex(&parens), vec![Err(Damaged)]);
    }

    #[test]
    fn a_damaged_token_ends_the_stream() {
        assert_eq!(
            lex(b"(kept) Tj ) (lost) Tj"),
            vec![ok("Tj", &["(kept)"]), Err(Damaged)]
        );
        assert_eq!(lex(b"(unterminated Tj"), vec![Err(Damaged)]);
        assert_eq!(lex(b"<4G> Tj"), vec![Err(Damaged)]);
        assert_eq!(lex(b"1 2 {"), vec![Err(Damaged)]);
    }

    #[test]
    fn inline_images_are_skipped() {
        // Unfiltered: the data's length is known, even where it holds " EI ".
        assert_eq!(
            lex(b"BI /W 4 /H 1 /BPC 8 /CS /G ID  EI EI (after) Tj"),
            vec![ok("BI", &[]), ok("Tj", &["(after)"])]
        );
        // Filtered: up to the first EI between white space.
        assert_eq!(
            lex(b"BI /W 4 /H 1 /BPC 8 /CS /RGB /F /AHx ID 0a1b EIx\n EI\n0 0 m"),
            vec![ok("BI", &[]), ok("m", &["0", "0"])]
        );
        assert_eq!(lex(b"BI /W 4 ID no end"), vec![Err(Damaged)]);
    }

    #[test]
    fn a_flood_of_operands_is_cut_off() {
        let flood = b"1 ".repeat(MAX_OPERANDS + 1);
        assert_eq!(lex(&flood), vec![Err(Damaged)]);
    }
}
