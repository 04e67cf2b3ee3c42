//! Tokens (logos).
//!
//! The token enum is also the terminal type of the LALRPOP grammar (see `parser.lalrpop`).
//! Comments are tokens too, so the lexer can hand them to the formatter; the lexer wrapper in
//! [`crate::lexer`] removes them before the parser sees the stream.
//!
//! Soft keywords: `lower`, `upper`, `offset`, `multiplier` and `T` get their own tokens, but
//! the grammar accepts them wherever an identifier is expected, so `real lower;` and
//! `int<lower=2> T;` keep working. `jacobian` is an ordinary identifier; the grammar turns
//! `jacobian += e;` into [`crate::ast::StmtKind::JacobianPlus`].

use logos::{Lexer, Logos};
use std::fmt;

/// Why a piece of source text is not a token.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LexError {
    /// A character that starts no token.
    #[default]
    Unexpected,
    /// `/*` without a closing `*/`.
    UnterminatedComment,
    /// `"` without a closing `"` on the same line.
    UnterminatedString,
}

#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(error = LexError)]
#[logos(skip r"[ \t\r\n\f\u{FEFF}]+")]
pub enum Tok<'src> {
    // -- Block headers. The two-word headers are single tokens (as in stanc3), so
    // `transformed` alone stays an ordinary identifier.
    #[token("functions")]
    Functions,
    #[token("data")]
    Data,
    #[regex(r"transformed[ \t\r\n]+data")]
    TransformedData,
    #[token("parameters")]
    Parameters,
    #[regex(r"transformed[ \t\r\n]+parameters")]
    TransformedParameters,
    #[token("model")]
    Model,
    #[regex(r"generated[ \t\r\n]+quantities")]
    GeneratedQuantities,

    // -- Type keywords.
    #[token("int")]
    Int,
    #[token("real")]
    Real,
    #[token("complex")]
    Complex,
    #[token("vector")]
    Vector,
    #[token("row_vector")]
    RowVector,
    #[token("matrix")]
    Matrix,
    #[token("complex_vector")]
    ComplexVector,
    #[token("complex_row_vector")]
    ComplexRowVector,
    #[token("complex_matrix")]
    ComplexMatrix,
    #[token("simplex")]
    Simplex,
    #[token("ordered")]
    Ordered,
    #[token("positive_ordered")]
    PositiveOrdered,
    #[token("unit_vector")]
    UnitVector,
    #[token("sum_to_zero_vector")]
    SumToZeroVector,
    #[token("sum_to_zero_matrix")]
    SumToZeroMatrix,
    #[token("cholesky_factor_corr")]
    CholeskyFactorCorr,
    #[token("cholesky_factor_cov")]
    CholeskyFactorCov,
    #[token("corr_matrix")]
    CorrMatrix,
    #[token("cov_matrix")]
    CovMatrix,
    #[token("column_stochastic_matrix")]
    ColumnStochasticMatrix,
    #[token("row_stochastic_matrix")]
    RowStochasticMatrix,
    #[token("array")]
    Array,
    #[token("tuple")]
    Tuple,
    #[token("void")]
    Void,

    // -- Soft keywords (also accepted as identifiers by the grammar).
    #[token("lower")]
    Lower,
    #[token("upper")]
    Upper,
    #[token("offset")]
    Offset,
    #[token("multiplier")]
    Multiplier,
    #[token("T", priority = 5)]
    Truncate,

    // -- Statement keywords.
    #[token("for")]
    For,
    #[token("in")]
    In,
    #[token("while")]
    While,
    #[token("if")]
    If,
    #[token("else")]
    Else,
    #[token("break")]
    Break,
    #[token("continue")]
    Continue,
    #[token("return")]
    Return,
    #[token("print")]
    Print,
    #[token("reject")]
    Reject,
    #[token("fatal_error")]
    FatalError,
    #[token("target")]
    Target,
    #[token("profile")]
    Profile,

    // -- Literals and names. Number tokens keep their text; the parser converts them so that
    // an out-of-range literal becomes a diagnostic with the literal's span.
    #[regex(r"[a-zA-Z][a-zA-Z0-9_]*")]
    Ident(&'src str),
    #[regex(r"[0-9]+")]
    IntLit(&'src str),
    #[regex(r"[0-9]+\.[0-9]*([eE][+-]?[0-9]+)?")]
    #[regex(r"\.[0-9]+[eE][+-]?[0-9]+")]
    #[regex(r"[0-9]+[eE][+-]?[0-9]+")]
    RealLit(&'src str),
    /// `.5`: a real literal at the start of an expression, a tuple projection (`x.1`) after
    /// one. The grammar decides which.
    #[regex(r"\.[0-9]+")]
    DotInt(&'src str),
    #[regex(r"([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?i")]
    ImagLit(&'src str),
    /// The string literal including its quotes.
    #[regex(r#""[^"\n]*""#)]
    StrLit(&'src str),
    #[regex(r#""[^"\n]*"#, unterminated_string, allow_greedy = true)]
    UnterminatedStr,

    // -- Comments, collected by the lexer wrapper and never shown to the parser.
    #[regex(r"//[^\n]*", allow_greedy = true)]
    LineComment(&'src str),
    #[token("/*", block_comment)]
    BlockComment(&'src str),
    /// A `#` comment (removed syntax). `#include` lands here too.
    #[regex(r"#[^\n]*", allow_greedy = true)]
    HashComment(&'src str),

    // -- Operators and punctuation.
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("%/%")]
    IntDiv,
    #[token("\\")]
    Backslash,
    #[token("^")]
    Hat,
    #[token(".^")]
    DotHat,
    #[token(".*")]
    DotStar,
    #[token("./")]
    DotSlash,
    #[token("'")]
    Quote,
    #[token("!")]
    Bang,
    #[token("?")]
    Question,
    #[token(":")]
    Colon,
    #[token("||")]
    OrOr,
    #[token("&&")]
    AndAnd,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("=")]
    Assign,
    #[token("+=")]
    PlusAssign,
    #[token("-=")]
    MinusAssign,
    #[token("*=")]
    StarAssign,
    #[token("/=")]
    SlashAssign,
    #[token(".*=")]
    DotStarAssign,
    #[token("./=")]
    DotSlashAssign,
    #[token("~")]
    Tilde,
    #[token("|")]
    Bar,
    /// The removed assignment arrow; lexed only so the parser can explain it.
    #[token("<-")]
    Arrow,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
}

/// Scans a `/* ... */` comment after its opening `/*`, returning the whole comment text.
fn block_comment<'src>(lex: &mut Lexer<'src, Tok<'src>>) -> Result<&'src str, LexError> {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(end) => {
            lex.bump(end + 2);
            Ok(lex.slice())
        }
        None => {
            lex.bump(rest.len());
            Err(LexError::UnterminatedComment)
        }
    }
}

/// A string literal that reaches the end of its line without a closing quote.
fn unterminated_string<'src>(_: &mut Lexer<'src, Tok<'src>>) -> Result<(), LexError> {
    Err(LexError::UnterminatedString)
}

impl Tok<'_> {
    /// How the token is shown in a diagnostic: literal text in backticks, or a description
    /// for tokens that carry text.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("identifier `{name}`"),
            Tok::IntLit(text) | Tok::RealLit(text) | Tok::DotInt(text) | Tok::ImagLit(text) => {
                format!("number `{text}`")
            }
            Tok::StrLit(text) => format!("string {text}"),
            Tok::LineComment(_) | Tok::BlockComment(_) | Tok::HashComment(_) => "a comment".to_string(),
            Tok::UnterminatedStr => "an unterminated string".to_string(),
            other => {
                let text = other.to_string();
                if text.chars().all(|c| c.is_ascii_alphabetic() || c == '_' || c == ' ') {
                    format!("keyword `{text}`")
                } else {
                    format!("`{text}`")
                }
            }
        }
    }
}

impl fmt::Display for Tok<'_> {
    /// The source spelling of the token (canonical spacing for the two-word block headers).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Tok::Functions => "functions",
            Tok::Data => "data",
            Tok::TransformedData => "transformed data",
            Tok::Parameters => "parameters",
            Tok::TransformedParameters => "transformed parameters",
            Tok::Model => "model",
            Tok::GeneratedQuantities => "generated quantities",
            Tok::Int => "int",
            Tok::Real => "real",
            Tok::Complex => "complex",
            Tok::Vector => "vector",
            Tok::RowVector => "row_vector",
            Tok::Matrix => "matrix",
            Tok::ComplexVector => "complex_vector",
            Tok::ComplexRowVector => "complex_row_vector",
            Tok::ComplexMatrix => "complex_matrix",
            Tok::Simplex => "simplex",
            Tok::Ordered => "ordered",
            Tok::PositiveOrdered => "positive_ordered",
            Tok::UnitVector => "unit_vector",
            Tok::SumToZeroVector => "sum_to_zero_vector",
            Tok::SumToZeroMatrix => "sum_to_zero_matrix",
            Tok::CholeskyFactorCorr => "cholesky_factor_corr",
            Tok::CholeskyFactorCov => "cholesky_factor_cov",
            Tok::CorrMatrix => "corr_matrix",
            Tok::CovMatrix => "cov_matrix",
            Tok::ColumnStochasticMatrix => "column_stochastic_matrix",
            Tok::RowStochasticMatrix => "row_stochastic_matrix",
            Tok::Array => "array",
            Tok::Tuple => "tuple",
            Tok::Void => "void",
            Tok::Lower => "lower",
            Tok::Upper => "upper",
            Tok::Offset => "offset",
            Tok::Multiplier => "multiplier",
            Tok::Truncate => "T",
            Tok::For => "for",
            Tok::In => "in",
            Tok::While => "while",
            Tok::If => "if",
            Tok::Else => "else",
            Tok::Break => "break",
            Tok::Continue => "continue",
            Tok::Return => "return",
            Tok::Print => "print",
            Tok::Reject => "reject",
            Tok::FatalError => "fatal_error",
            Tok::Target => "target",
            Tok::Profile => "profile",
            Tok::Ident(s)
            | Tok::IntLit(s)
            | Tok::RealLit(s)
            | Tok::DotInt(s)
            | Tok::ImagLit(s)
            | Tok::StrLit(s)
            | Tok::LineComment(s)
            | Tok::BlockComment(s)
            | Tok::HashComment(s) => s,
            Tok::UnterminatedStr => "\"",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::Percent => "%",
            Tok::IntDiv => "%/%",
            Tok::Backslash => "\\",
            Tok::Hat => "^",
            Tok::DotHat => ".^",
            Tok::DotStar => ".*",
            Tok::DotSlash => "./",
            Tok::Quote => "'",
            Tok::Bang => "!",
            Tok::Question => "?",
            Tok::Colon => ":",
            Tok::OrOr => "||",
            Tok::AndAnd => "&&",
            Tok::EqEq => "==",
            Tok::NotEq => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Assign => "=",
            Tok::PlusAssign => "+=",
            Tok::MinusAssign => "-=",
            Tok::StarAssign => "*=",
            Tok::SlashAssign => "/=",
            Tok::DotStarAssign => ".*=",
            Tok::DotSlashAssign => "./=",
            Tok::Tilde => "~",
            Tok::Bar => "|",
            Tok::Arrow => "<-",
            Tok::Comma => ",",
            Tok::Semi => ";",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
        };
        f.write_str(s)
    }
}
