//! Lexer: wraps the logos token enum, producing `(start, token, end)` triples for the LALRPOP
//! parser, the program's comments for the formatter, and lexical diagnostics.

use crate::ast::Comment;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::token::{LexError, Tok};
use logos::Logos;

/// A token with its byte range, in the shape LALRPOP's external-lexer interface expects.
pub type Spanned<'src> = (usize, Tok<'src>, usize);

/// The result of lexing a whole file.
#[derive(Debug, Default)]
pub struct Lexed<'src> {
    /// Tokens for the parser, without comments.
    pub tokens: Vec<Spanned<'src>>,
    /// `//` and `/* */` comments in source order.
    pub comments: Vec<Comment>,
    /// Lexical diagnostics in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Byte offsets of the lines that hold only whitespace, outside comments.
    pub blank_lines: Vec<u32>,
    /// Whether a diagnostic dropped text from the token stream. When it did, parse errors
    /// after it are likely consequences of it, so the caller should not parse.
    pub fatal: bool,
}

/// The start of every line of `source` that holds only whitespace and is not inside a block
/// comment.
fn blank_lines(source: &str, comments: &[Comment]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut start = 0usize;
    // Comments are in source order, as are lines: one pass over both.
    let mut next_comment = 0;
    for line in source.split_inclusive('\n') {
        while comments.get(next_comment).is_some_and(|c| c.span.end as usize <= start) {
            next_comment += 1;
        }
        let inside_comment = comments.get(next_comment).is_some_and(|c| (c.span.start as usize) < start);
        if line.trim().is_empty() && !inside_comment && line.ends_with('\n') {
            out.push(start as u32);
        }
        start += line.len();
    }
    out
}

/// Splits `source` into tokens and comments. Never panics; unknown characters become `E0001`
/// diagnostics and are skipped.
pub fn lex(source: &str) -> Lexed<'_> {
    let mut out = Lexed::default();
    let mut lexer = Tok::lexer(source);
    // The end of the last reported bad character, so a multi-byte character is reported once.
    let mut error_end = 0usize;
    while let Some(result) = lexer.next() {
        let range = lexer.span();
        let span = Span::new(range.start, range.end);
        match result {
            Ok(Tok::LineComment(text)) | Ok(Tok::BlockComment(text)) => {
                out.comments.push(Comment {
                    text: text.trim_end().to_string(),
                    span,
                    trailing: has_code_before(source, range.start),
                });
            }
            Ok(Tok::HashComment(text)) => {
                out.diagnostics.push(hash_comment(text, span));
                // The comment is still kept, as a `//` comment, so the formatter can fix it.
                out.comments.push(Comment {
                    text: format!("//{}", text.trim_end().trim_start_matches('#')),
                    span,
                    trailing: has_code_before(source, range.start),
                });
            }
            // `<-` is `<` then `-` (`mu <-1` compares with -1, as in stanc); its removed use as
            // an assignment is recognised by the parser (see `parse::old_arrow`).
            Ok(Tok::Arrow) => {
                out.tokens.push((range.start, Tok::Lt, range.start + 1));
                out.tokens.push((range.start + 1, Tok::Minus, range.end));
            }
            Ok(tok) => out.tokens.push((range.start, tok, range.end)),
            Err(LexError::UnterminatedComment) => {
                out.fatal = true;
                out.diagnostics.push(
                    Diagnostic::error("E0001", Span::new(range.start, range.start + 2), "unterminated block comment")
                        .with_label("this `/*` has no matching `*/`"),
                );
            }
            Err(LexError::UnterminatedString) => {
                out.fatal = true;
                out.diagnostics.push(
                    Diagnostic::error("E0001", span, "unterminated string literal")
                        .with_label("this string has no closing `\"` on its line"),
                );
            }
            Err(LexError::Unexpected) => {
                if range.start < error_end {
                    continue;
                }
                out.fatal = true;
                if let Some(diag) = dot_dot_after_token(source, range.start, out.tokens.last()) {
                    error_end = diag.span.end as usize;
                    out.diagnostics.push(diag);
                    continue;
                }
                // Logos works on bytes; report the whole character that starts here.
                let ch = source.get(range.start..).and_then(|rest| rest.chars().next());
                let (message, end) = match ch {
                    Some(ch) => (format!("unexpected character `{}`", ch.escape_debug()), range.start + ch.len_utf8()),
                    None => ("unexpected character".to_string(), range.end),
                };
                error_end = end;
                let mut diag = Diagnostic::error("E0001", Span::new(range.start, end), message)
                    .with_label("not part of any Stan token");
                if ch == Some('_') {
                    diag = diag.with_hint("identifiers must start with a letter");
                }
                out.diagnostics.push(diag);
            }
        }
    }
    malformed_numbers(source, &mut out);
    out.blank_lines = blank_lines(source, &out.comments);
    out
}

/// Number-like token sequences that are mistakes: `1e` or `2.5e-` (an exponent without digits,
/// lexed as a number then the identifier `e`) and `1..5` (a range written as in Rust or
/// Ruby, lexed as `1.` then `.5`).
///
/// `1e` becomes one real literal token with an `E0020` diagnostic, so parsing goes on and
/// independent mistakes are still reported; `1..5` is `E0019` and ends the parse, like a
/// stray character.
fn malformed_numbers<'src>(source: &'src str, out: &mut Lexed<'src>) {
    let tokens = std::mem::take(&mut out.tokens);
    let mut found = false;
    let mut i = 0;
    while i < tokens.len() {
        let (start, ref tok, end) = tokens[i];
        let adjacent = |j: usize| tokens.get(j).filter(|(s, _, _)| *s == tokens[j - 1].2);
        let mantissa = match tok {
            Tok::IntLit(_) | Tok::DotInt(_) => true,
            Tok::RealLit(text) => !text.contains(['e', 'E']),
            _ => false,
        };
        if mantissa && let Some((_, Tok::Ident("e" | "E"), e_end)) = adjacent(i + 1) {
            let mut last = i + 1;
            let mut bad_end = *e_end;
            if let Some((_, Tok::Plus | Tok::Minus, sign_end)) = adjacent(i + 2) {
                last = i + 2;
                bad_end = *sign_end;
            }
            out.diagnostics.push(missing_exponent(
                &source[start..bad_end],
                &source[start..end],
                Span::new(start, bad_end),
            ));
            out.tokens.push((start, Tok::RealLit(&source[start..bad_end]), bad_end));
            found = true;
            i = last + 1;
            continue;
        }
        if let Tok::RealLit(text) = tok
            && text.ends_with('.')
            && let Some((_, Tok::DotInt(hi), _)) = adjacent(i + 1)
        {
            out.fatal = true;
            found = true;
            out.diagnostics.push(dot_dot(Some(&text[..text.len() - 1]), Some(&hi[1..]), Span::new(end - 1, end + 1)));
        }
        out.tokens.push(tokens[i].clone());
        i += 1;
    }
    if found {
        out.diagnostics.sort_by_key(|d| d.span.start);
    }
}

fn missing_exponent(text: &str, mantissa: &str, span: Span) -> Diagnostic {
    Diagnostic::error("E0020", span, "the exponent of this number has no digits")
        .with_label(format!("`{text}` needs digits after the `e`"))
        .with_hint(format!(
            "give the exponent digits, as in `{mantissa}e3` or `{mantissa}e-3`, or drop the `e`: `{mantissa}`"
        ))
}

/// `..` used as a range; `lo` and `hi` are the bounds' text when they are simple.
fn dot_dot(lo: Option<&str>, hi: Option<&str>, span: Span) -> Diagnostic {
    let example = match (lo, hi) {
        (Some(lo), Some(hi)) if !lo.is_empty() && !hi.is_empty() => format!("`{lo}:{hi}`"),
        _ => "`1:N`".to_string(),
    };
    Diagnostic::error("E0019", span, "`..` is not a range operator in Stan")
        .with_label("range written with `..`")
        .with_hint(format!("ranges are written with a colon: {example}"))
}

/// A stray `.` that is part of `..` (`1..N` lexes as `1.` then `.`; `1 .. N` as `1` then two
/// stray dots). `previous` is the last token before the `.` at `offset`.
fn dot_dot_after_token(source: &str, offset: usize, previous: Option<&Spanned<'_>>) -> Option<Diagnostic> {
    let rest = &source[offset..];
    if !rest.starts_with('.') {
        return None;
    }
    let word = |text: &str| -> Option<String> {
        let w: String = text.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        (!w.is_empty()).then_some(w)
    };
    let (span, lo) = match previous {
        Some(&(_, Tok::RealLit(text), end)) if end == offset && text.ends_with('.') => {
            (Span::new(offset - 1, offset + 1), Some(text[..text.len() - 1].to_string()))
        }
        _ if rest.starts_with("..") => {
            let lo = match previous {
                Some((_, Tok::IntLit(text) | Tok::Ident(text), _)) => Some(text.to_string()),
                _ => None,
            };
            (Span::new(offset, offset + 2), lo)
        }
        _ => return None,
    };
    let hi = word(source[span.end as usize..].trim_start());
    Some(dot_dot(lo.as_deref(), hi.as_deref(), span))
}

/// Whether anything other than whitespace precedes `offset` on its line.
fn has_code_before(source: &str, offset: usize) -> bool {
    let line_start = source[..offset].rfind('\n').map_or(0, |nl| nl + 1);
    !source[line_start..offset].trim().is_empty()
}

fn hash_comment(text: &str, span: Span) -> Diagnostic {
    if text.starts_with("#include") {
        Diagnostic::error("E0011", span, "`#include` is not supported")
            .with_label("include directive")
            .with_hint("paste the included functions into the `functions` block")
    } else {
        Diagnostic::error("E0003", span, "`#` comments were removed from Stan")
            .with_label("`#` comment")
            .with_hint("use `//` for comments")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<String> {
        lex(src).tokens.iter().map(|(_, t, _)| format!("{t:?}")).collect()
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("1 1. .5 1e-3 2E+5 2i 1.5i 3.e2"),
            [
                "IntLit(\"1\")",
                "RealLit(\"1.\")",
                "DotInt(\".5\")",
                "RealLit(\"1e-3\")",
                "RealLit(\"2E+5\")",
                "ImagLit(\"2i\")",
                "ImagLit(\"1.5i\")",
                "RealLit(\"3.e2\")",
            ]
        );
    }

    #[test]
    fn operators_and_tuple_projection() {
        assert_eq!(
            kinds("x.1 .* ./ .^ %/% \\ <- <= .*= ./="),
            [
                "Ident(\"x\")",
                "DotInt(\".1\")",
                "DotStar",
                "DotSlash",
                "DotHat",
                "IntDiv",
                "Backslash",
                "Lt",
                "Minus",
                "Le",
                "DotStarAssign",
                "DotSlashAssign",
            ]
        );
    }

    #[test]
    fn block_headers_and_soft_keywords() {
        assert_eq!(
            kinds("transformed  data transformed\nparameters generated quantities transformed lower T Tx"),
            [
                "TransformedData",
                "TransformedParameters",
                "GeneratedQuantities",
                "Ident(\"transformed\")",
                "Lower",
                "Truncate",
                "Ident(\"Tx\")",
            ]
        );
    }

    #[test]
    fn comments_are_collected() {
        let lexed = lex("x // one\n/* two\n three */ y # three");
        assert_eq!(lexed.tokens.len(), 2);
        let texts: Vec<_> = lexed.comments.iter().map(|c| (c.text.as_str(), c.trailing)).collect();
        assert_eq!(texts, [("// one", true), ("/* two\n three */", false), ("// three", true)]);
        assert_eq!(lexed.diagnostics.len(), 1);
        assert_eq!(lexed.diagnostics[0].code, "E0003");
        assert!(!lexed.fatal);
    }

    #[test]
    fn byte_order_mark_is_whitespace() {
        let lexed = lex("\u{FEFF}model {}");
        assert!(lexed.diagnostics.is_empty());
        assert_eq!(lexed.tokens.len(), 3);
    }

    #[test]
    fn malformed_numbers() {
        let lexed = lex("1e) 2.5E- 3e5 2exp");
        assert_eq!(kinds("1e) 2.5E- 3e5 2exp")[..3], ["RealLit(\"1e\")", "RParen", "RealLit(\"2.5E-\")"]);
        let codes: Vec<_> = lexed.diagnostics.iter().map(|d| (d.code, d.span)).collect();
        assert_eq!(codes, [("E0020", Span::new(0, 2)), ("E0020", Span::new(4, 9))]);
        assert!(!lexed.fatal);

        for src in ["1..5", "1..N", "1 .. N"] {
            let lexed = lex(src);
            assert_eq!(lexed.diagnostics.len(), 1, "{src}");
            assert_eq!(lexed.diagnostics[0].code, "E0019");
            assert!(lexed.fatal);
        }
    }

    #[test]
    fn bad_characters() {
        let lexed = lex("x @ é \"abc");
        let messages: Vec<_> = lexed.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["unexpected character `@`", "unexpected character `é`", "unterminated string literal"]);
        assert!(lexed.fatal);
        assert_eq!(lexed.diagnostics[1].span, Span::new(4, 6));
    }
}
