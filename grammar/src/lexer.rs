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
    /// Whether a diagnostic dropped text from the token stream. When it did, parse errors
    /// after it are likely consequences of it, so the caller should not parse.
    pub fatal: bool,
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
    out
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
                "Arrow",
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
    fn bad_characters() {
        let lexed = lex("x @ é \"abc");
        let messages: Vec<_> = lexed.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["unexpected character `@`", "unexpected character `é`", "unterminated string literal"]);
        assert!(lexed.fatal);
        assert_eq!(lexed.diagnostics[1].span, Span::new(4, 6));
    }
}
