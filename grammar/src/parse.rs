//! The entry point [`parse`], the grammar actions that can fail or need more than a line, and
//! the translation of LALRPOP's errors into [`Diagnostic`]s.

// Grammar actions fail with a whole `Diagnostic`; errors are rare and end the parse, so the
// size of the `Err` variant does not matter.
#![allow(clippy::result_large_err)]

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer;
use crate::parser::ProgramParser;
use crate::span::Span;
use crate::token::Tok;
use lalrpop_util::ParseError;

type LalrpopError<'src> = ParseError<usize, Tok<'src>, Diagnostic>;

/// Parses a whole Stan program.
///
/// On failure returns, in source order: every lexical diagnostic; then, unless a lexical
/// error dropped text, the syntax errors. The parser resumes at the next statement after a
/// syntax error inside a block, so independent mistakes are reported together; errors that
/// look like consequences of an earlier one are left out.
pub fn parse(source: &str) -> Result<Program, Vec<Diagnostic>> {
    let lexed = lexer::lex(source);
    let mut diagnostics = lexed.diagnostics;
    if lexed.fatal {
        return Err(diagnostics);
    }
    let boundaries: Vec<usize> = lexed
        .tokens
        .iter()
        .filter(|(_, tok, _)| matches!(tok, Tok::Semi | Tok::LBrace | Tok::RBrace))
        .map(|&(start, _, _)| start)
        .collect();
    let tokens = lexed.tokens.into_iter().map(Ok::<_, Diagnostic>);
    let mut recovered = Vec::new();
    let result = ProgramParser::new().parse(&mut recovered, tokens);
    let mut errors: Vec<LalrpopError<'_>> = recovered.into_iter().map(|r| r.error).collect();
    let program = match result {
        Ok(program) => Some(program),
        Err(err) => {
            errors.push(err);
            None
        }
    };
    diagnostics.extend(without_cascades(errors, &boundaries).into_iter().map(|err| syntax_error(err, source)));
    match program {
        Some(mut program) if !diagnostics.iter().any(Diagnostic::is_error) => {
            program.comments = lexed.comments;
            Ok(program)
        }
        _ => Err(diagnostics),
    }
}

/// Drops syntax errors that are probably consequences of an earlier one: error recovery
/// skips tokens up to the next statement, and when the first error was a misplaced block
/// (or the skipped tokens held a `}`), what follows no longer lines up with the source's
/// structure. Recovery can also resume in the middle of the broken statement (at `mu` in
/// `2 * * mu;`), so an error with no `;`, `{` or `}` between it and the previous one is left
/// out too. The first error is always kept.
fn without_cascades<'src>(errors: Vec<LalrpopError<'src>>, boundaries: &[usize]) -> Vec<LalrpopError<'src>> {
    let mut kept: Vec<LalrpopError<'src>> = Vec::new();
    for err in errors {
        if let Some(previous) = kept.last() {
            let (from, to) = (error_start(previous), error_start(&err));
            // A boundary at either end counts: an error at a `;` itself (`y = ;`) is a
            // statement of its own. A grammar action's error can point back before the
            // previous error; it is kept.
            let same_statement = from == to || (from < to && !boundaries.iter().any(|b| (from..=to).contains(b)));
            if same_statement {
                continue;
            }
            let structural = match &err {
                ParseError::UnrecognizedEof { .. } => true,
                ParseError::UnrecognizedToken { token: (_, tok, _), .. }
                | ParseError::ExtraToken { token: (_, tok, _) } => is_block_header(tok) || *tok == Tok::RBrace,
                _ => false,
            };
            if structural {
                break;
            }
        }
        let stop = matches!(
            &err,
            ParseError::UnrecognizedToken { token: (_, tok, _), .. } | ParseError::ExtraToken { token: (_, tok, _) }
                if is_block_header(tok)
        );
        kept.push(err);
        if stop {
            break;
        }
    }
    kept
}

/// Where an error is reported, for ordering errors against statement boundaries.
fn error_start(err: &LalrpopError<'_>) -> usize {
    match err {
        ParseError::User { error } => error.span.start as usize,
        ParseError::UnrecognizedToken { token: (start, _, _), .. }
        | ParseError::ExtraToken { token: (start, _, _) } => *start,
        ParseError::UnrecognizedEof { location, .. } | ParseError::InvalidToken { location } => *location,
    }
}

/// Wraps a diagnostic from a grammar action as a LALRPOP error.
pub(crate) fn user<'src>(error: Diagnostic) -> LalrpopError<'src> {
    ParseError::User { error }
}

// ---------------------------------------------------------------------------------------------
// Literals

/// The largest integer literal Stan accepts: its `int` is 32 bits.
const MAX_INT: i64 = i32::MAX as i64;

pub(crate) fn int_lit(text: &str, span: Span) -> Result<Expr, Diagnostic> {
    match text.parse::<i64>() {
        Ok(value) if value <= MAX_INT => Ok(Expr { kind: ExprKind::Int(value), span }),
        _ => Err(Diagnostic::error("E0007", span, format!("integer literal `{text}` is too large"))
            .with_label("does not fit in 32 bits")
            .with_hint(format!("Stan integers are at most {MAX_INT}; write `{text}.0` for a real number"))),
    }
}

pub(crate) fn real_lit(text: &str, span: Span) -> Expr {
    // The lexer's patterns only produce text that `f64` parses; a huge exponent gives infinity.
    let value = text.parse::<f64>().unwrap_or(f64::NAN);
    Expr { kind: ExprKind::Real(value, text.to_string()), span }
}

pub(crate) fn imag_lit(text: &str, span: Span) -> Expr {
    let value = text.trim_end_matches('i').parse::<f64>().unwrap_or(f64::NAN);
    Expr { kind: ExprKind::Imag(value, text.to_string()), span }
}

/// The contents of a string literal token, without its quotes.
pub(crate) fn unquote(text: &str) -> String {
    text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text).to_string()
}

// ---------------------------------------------------------------------------------------------
// Expressions

pub(crate) fn binary(op: BinOp, lhs: Expr, rhs: Expr, span: Span) -> Expr {
    Expr { kind: ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span }
}

pub(crate) fn call(name: Ident, args: Vec<Expr>, bar: Option<Span>, span: Span) -> Result<Expr, Diagnostic> {
    if name.name == "get_lp" {
        return Err(Diagnostic::error("E0014", name.span, "`get_lp()` was removed from Stan")
            .with_label("removed function")
            .with_hint("use `target()`"));
    }
    Ok(Expr { kind: ExprKind::Call { name, args, bar }, span })
}

/// `base.N`, where `text` is the `.N` token.
pub(crate) fn tuple_get(base: Expr, text: &str, span: Span) -> Result<Expr, Diagnostic> {
    let index_span = Span::new(span.end as usize - text.len(), span.end as usize);
    match text[1..].parse::<usize>() {
        Ok(index) if index >= 1 => Ok(Expr { kind: ExprKind::TupleGet { base: Box::new(base), index }, span }),
        Ok(_) => Err(Diagnostic::error("E0017", index_span, "tuple elements are numbered from 1")
            .with_label("there is no element 0")),
        Err(_) => Err(Diagnostic::error("E0017", index_span, format!("tuple index `{}` is too large", &text[1..]))
            .with_label("no tuple has this many elements")),
    }
}

/// `M'[1]`: Stan's grammar indexes before it transposes, so the transposed value must be
/// parenthesised to be indexed.
pub(crate) fn index_after_transpose(transposed: Span, index: Span) -> Diagnostic {
    Diagnostic::error("E0018", index, "a transposed expression cannot be indexed directly")
        .with_label("indexes the transpose")
        .with_secondary(transposed, "transposed here")
        .with_hint("put the transpose in parentheses, as in `(M')[1]`, or index first: `M[:, 1]'`")
}

/// Whether `e` can be assigned to: a variable, possibly indexed or projected.
/// The left side of a tuple unpacking `(a, (b, c[i])) = ...`: lvalues, possibly nested.
fn is_pattern(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::TupleLit(items) => items.iter().all(is_pattern),
        _ => is_lvalue(e),
    }
}

fn is_lvalue(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Var(_) => true,
        ExprKind::Index { base, .. } | ExprKind::TupleGet { base, .. } => is_lvalue(base),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Statements

/// The head of a loop, whose body is parsed separately (see the dangling-`else` rules).
pub(crate) enum LoopHead {
    While(Expr),
    For(Ident, Expr, Expr),
    ForEach(Ident, Expr),
}

impl LoopHead {
    pub(crate) fn build(self, body: Stmt, span: Span) -> Stmt {
        let body = Box::new(body);
        let kind = match self {
            LoopHead::While(cond) => StmtKind::While { cond, body },
            LoopHead::For(var, lo, hi) => StmtKind::For { var, lo, hi, body },
            LoopHead::ForEach(var, container) => StmtKind::ForEach { var, container, body },
        };
        Stmt { kind, span }
    }
}

pub(crate) fn if_stmt(cond: Expr, then: Stmt, otherwise: Option<Stmt>, span: Span) -> Stmt {
    Stmt { kind: StmtKind::If { cond, then: Box::new(then), otherwise: otherwise.map(Box::new) }, span }
}

pub(crate) fn assign(lhs: Expr, op: AssignOp, rhs: Expr, span: Span) -> Result<Stmt, Diagnostic> {
    if let ExprKind::Var(name) = &lhs.kind
        && name.name == "jacobian"
        && op == AssignOp::Add
    {
        return Ok(Stmt { kind: StmtKind::JacobianPlus(rhs), span });
    }
    if let ExprKind::TupleLit(items) = &lhs.kind
        && items.iter().all(is_pattern)
    {
        if op != AssignOp::Assign {
            return Err(Diagnostic::error("E0013", lhs.span, "a tuple can only be unpacked with `=`")
                .with_label("unpacked here")
                .with_hint("unpack with `=` first, then update the variables one by one"));
        }
        return Ok(Stmt { kind: StmtKind::Assign { lhs, op, rhs }, span });
    }
    if !is_lvalue(&lhs) {
        return Err(Diagnostic::error("E0013", lhs.span, "cannot assign to this expression")
            .with_label("not a variable")
            .with_hint(
                "the left side of an assignment must be a variable, possibly indexed, such as `x` or `x[i, j]`",
            ));
    }
    Ok(Stmt { kind: StmtKind::Assign { lhs, op, rhs }, span })
}

/// An expression followed by `;`: only a function call is a statement.
pub(crate) fn expr_stmt(e: Expr, span: Span) -> Result<Stmt, Diagnostic> {
    match &e.kind {
        ExprKind::Call { name, .. } if name.name == "increment_log_prob" => {
            Err(Diagnostic::error("E0005", name.span, "`increment_log_prob` was removed from Stan")
                .with_label("removed statement")
                .with_hint("use `target += ...;`"))
        }
        ExprKind::Call { .. } => Ok(Stmt { kind: StmtKind::Call(e), span }),
        ExprKind::Binary { op: BinOp::Eq, .. } => Err(expression_statement(&e).with_hint("did you mean `=`?")),
        _ => Err(expression_statement(&e)),
    }
}

fn expression_statement(e: &Expr) -> Diagnostic {
    Diagnostic::error("E0010", e.span, "an expression cannot be used as a statement")
        .with_label("this value is not used")
}

/// `data` and `parameters` declare variables that are read from outside; they cannot be
/// given values in the program.
pub(crate) fn check_no_initial_values(stmts: &[Stmt], kind: BlockKind) -> Result<(), Diagnostic> {
    let block = match kind {
        BlockKind::Data => "data",
        _ => "parameters",
    };
    for stmt in stmts {
        if let StmtKind::Decl(VarDecl { name, init: Some(init), .. }) = &stmt.kind {
            return Err(Diagnostic::error(
                "E0015",
                init.span,
                format!("variables in the `{block}` block cannot be given a value"),
            )
            .with_label(format!("initial value for `{}`", name.name))
            .with_hint(format!("remove `= ...`, or declare `{}` in a `transformed {block}` block", name.name)));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Types and declarations

/// A key inside `<...>` of a declared type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConstraintKey {
    Lower,
    Upper,
    Offset,
    Multiplier,
}

impl ConstraintKey {
    fn name(self) -> &'static str {
        match self {
            ConstraintKey::Lower => "lower",
            ConstraintKey::Upper => "upper",
            ConstraintKey::Offset => "offset",
            ConstraintKey::Multiplier => "multiplier",
        }
    }
}

/// How many sizes a type keyword takes: `(fewest, most)`.
fn size_count(kind: &TypeKind) -> (usize, usize) {
    match kind {
        TypeKind::Int | TypeKind::Real | TypeKind::Complex | TypeKind::Tuple(_) => (0, 0),
        TypeKind::Vector
        | TypeKind::RowVector
        | TypeKind::ComplexVector
        | TypeKind::ComplexRowVector
        | TypeKind::Simplex
        | TypeKind::Ordered
        | TypeKind::PositiveOrdered
        | TypeKind::UnitVector
        | TypeKind::SumToZeroVector
        | TypeKind::CholeskyFactorCorr
        | TypeKind::CorrMatrix
        | TypeKind::CovMatrix => (1, 1),
        TypeKind::CholeskyFactorCov => (1, 2),
        TypeKind::Matrix
        | TypeKind::ComplexMatrix
        | TypeKind::SumToZeroMatrix
        | TypeKind::ColumnStochasticMatrix
        | TypeKind::RowStochasticMatrix => (2, 2),
    }
}

/// An example of the sizes a type takes, for hints.
fn size_example(kind: &TypeKind) -> &'static str {
    match size_count(kind) {
        (0, _) => "",
        (1, 1) => "[N]",
        (1, _) => "[M] or [M, N]",
        _ => "[M, N]",
    }
}

type Constraints = (Vec<(ConstraintKey, Expr, Span)>, Span);

/// A type keyword with its optional `<...>` and `[...]`, checked for the number of sizes and
/// for which constraints the type admits.
pub(crate) fn sized_type(
    kind: TypeKind,
    constraints: Option<Constraints>,
    sizes: Option<(Vec<Expr>, Span)>,
    span: Span,
) -> Result<DeclType, Diagnostic> {
    let keyword = TypeKind::keyword(&kind);
    let (fewest, most) = size_count(&kind);
    let (sizes, sizes_span) = match sizes {
        Some((sizes, sizes_span)) => (sizes, sizes_span),
        None => (Vec::new(), span),
    };
    if sizes.len() < fewest || sizes.len() > most {
        let message = match (fewest, most) {
            (0, 0) => format!("type `{keyword}` takes no size"),
            (1, 1) => format!("type `{keyword}` takes one size, found {}", sizes.len()),
            (1, _) => format!("type `{keyword}` takes one or two sizes, found {}", sizes.len()),
            _ => format!("type `{keyword}` takes two sizes, found {}", sizes.len()),
        };
        let diag = Diagnostic::error("E0009", sizes_span, message);
        return Err(if fewest == 0 {
            diag.with_label("unexpected size").with_hint(format!("for an array, write `array[N] {keyword}`"))
        } else {
            diag.with_label("wrong number of sizes").with_hint(format!("write `{keyword}{}`", size_example(&kind)))
        });
    }

    let mut constraint = Constraint::default();
    if let Some((items, constraint_span)) = constraints {
        let bounds_ok =
            matches!(kind, TypeKind::Int | TypeKind::Real | TypeKind::Vector | TypeKind::RowVector | TypeKind::Matrix);
        let affine_ok = matches!(kind, TypeKind::Real | TypeKind::Vector | TypeKind::RowVector | TypeKind::Matrix);
        if !bounds_ok {
            return Err(Diagnostic::error(
                "E0008",
                constraint_span,
                format!("type `{keyword}` cannot have `<...>` constraints"),
            )
            .with_label("constraint not allowed here")
            .with_hint("only `int`, `real`, `vector`, `row_vector` and `matrix` take bounds"));
        }
        let mut has_bounds = false;
        let mut has_affine = false;
        for (key, expr, key_span) in items {
            let slot = match key {
                ConstraintKey::Lower => &mut constraint.lower,
                ConstraintKey::Upper => &mut constraint.upper,
                ConstraintKey::Offset => &mut constraint.offset,
                ConstraintKey::Multiplier => &mut constraint.multiplier,
            };
            if slot.is_some() {
                return Err(Diagnostic::error("E0008", key_span, format!("`{}` is given twice", key.name()))
                    .with_label("repeated key"));
            }
            *slot = Some(expr);
            match key {
                ConstraintKey::Lower | ConstraintKey::Upper => has_bounds = true,
                ConstraintKey::Offset | ConstraintKey::Multiplier => {
                    has_affine = true;
                    if !affine_ok {
                        return Err(Diagnostic::error(
                            "E0008",
                            key_span,
                            format!("type `{keyword}` cannot have an `{}`", key.name()),
                        )
                        .with_label("not allowed for this type")
                        .with_hint("`offset` and `multiplier` apply to `real`, `vector`, `row_vector` and `matrix`"));
                    }
                }
            }
            if has_bounds && has_affine {
                return Err(Diagnostic::error(
                    "E0008",
                    constraint_span,
                    "a type cannot have both bounds and an offset or multiplier",
                )
                .with_label("conflicting constraints")
                .with_hint("use either `<lower=..., upper=...>` or `<offset=..., multiplier=...>`"));
            }
        }
    }
    Ok(DeclType { array_dims: Vec::new(), kind, constraint, sizes, span })
}

pub(crate) fn sized_tuple(elems: Vec<DeclType>, span: Span) -> Result<DeclType, Diagnostic> {
    if elems.len() < 2 {
        return Err(one_element_tuple(span));
    }
    Ok(DeclType {
        array_dims: Vec::new(),
        kind: TypeKind::Tuple(elems),
        constraint: Constraint::default(),
        sizes: Vec::new(),
        span,
    })
}

fn one_element_tuple(span: Span) -> Diagnostic {
    Diagnostic::error("E0016", span, "a tuple type needs at least two elements").with_label("one element")
}

/// A type keyword in a function signature: constrained types are not allowed there.
pub(crate) fn unsized_kind(kind: TypeKind, span: Span) -> Result<TypeKind, Diagnostic> {
    if !kind.is_constrained() {
        return Ok(kind);
    }
    let plain = kind.plain().keyword();
    Err(Diagnostic::error(
        "E0016",
        span,
        format!("constrained type `{}` cannot appear in a function signature", TypeKind::keyword(&kind)),
    )
    .with_label("constrained type")
    .with_hint(format!("use `{plain}`")))
}

/// `tuple(...)` in a function signature. [`TypeKind::Tuple`] holds [`DeclType`]s, so each
/// element is stored as a `DeclType` without sizes whose `array_dims` holds one placeholder
/// expression (`ExprKind::Int(0)`) per array dimension: only its length is meaningful.
pub(crate) fn unsized_tuple(elems: Vec<UnsizedType>, span: Span) -> Result<TypeKind, Diagnostic> {
    if elems.len() < 2 {
        return Err(one_element_tuple(span));
    }
    let elems = elems
        .into_iter()
        .map(|t| DeclType {
            array_dims: vec![Expr { kind: ExprKind::Int(0), span: t.span }; t.array_dims],
            kind: t.kind,
            constraint: Constraint::default(),
            sizes: Vec::new(),
            span: t.span,
        })
        .collect();
    Ok(TypeKind::Tuple(elems))
}

/// One statement per declared name; they share the type and the span of the declaration.
pub(crate) fn decls(ty: DeclType, vars: Vec<(Ident, Option<Expr>)>, span: Span) -> Vec<Stmt> {
    vars.into_iter()
        .map(|(name, init)| Stmt { kind: StmtKind::Decl(VarDecl { ty: ty.clone(), name, init }), span })
        .collect()
}

/// The removed declaration syntax `real x[N];`, with the modern spelling as a hint.
pub(crate) fn old_array_decl(ty: DeclType, name: Ident, dims: Vec<Expr>, span: Span) -> Diagnostic {
    let mut modern = ty;
    let mut all_dims = dims;
    all_dims.append(&mut modern.array_dims);
    modern.array_dims = all_dims;
    Diagnostic::error("E0006", span, "this array declaration syntax was removed from Stan")
        .with_label("old array syntax")
        .with_hint(format!("write `{modern} {};`", name.name))
}

/// The removed unsized array syntax `real[]`.
pub(crate) fn old_unsized_array(kind: TypeKind, dims: usize, span: Span) -> Diagnostic {
    let modern = UnsizedType { array_dims: dims, kind, data_only: false, span };
    Diagnostic::error("E0006", span, "this array type syntax was removed from Stan")
        .with_label("old array syntax")
        .with_hint(format!("write `{modern}`"))
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

/// Turns a LALRPOP error into a diagnostic with a readable list of what was expected.
fn syntax_error(err: LalrpopError<'_>, source: &str) -> Diagnostic {
    match err {
        ParseError::User { error } => error,
        ParseError::UnrecognizedToken { token: (start, tok, end), expected }
            if expected.iter().any(|e| e == "\";\"")
                && !expected.iter().any(|e| e == "\"for\"")
                && !expected.iter().any(|e| e == "\"}\"")
                && tok != Tok::Arrow
                && source[..start].trim_end_matches([' ', '\t', '\r']).ends_with('\n') =>
        {
            missing_semicolon(&tok, Span::new(start, end), source)
        }
        ParseError::UnrecognizedToken { token: (start, tok, end), expected } => {
            unexpected_token(&tok, Span::new(start, end), Some(&expected))
        }
        ParseError::ExtraToken { token: (start, tok, end) } => unexpected_token(&tok, Span::new(start, end), None),
        ParseError::UnrecognizedEof { expected, .. } => {
            let span = Span::new(source.len(), source.len());
            Diagnostic::error("E0002", span, format!("expected {}, found end of file", describe_expected(&expected)))
                .with_label("the file ends here")
        }
        ParseError::InvalidToken { location } => {
            Diagnostic::error("E0002", Span::new(location, location), "invalid token").with_label("here")
        }
    }
}

/// A statement that ends without `;`: like rustc, point just after the statement, where the
/// semicolon belongs, and name what came instead.
fn missing_semicolon(tok: &Tok<'_>, found: Span, source: &str) -> Diagnostic {
    let before = source[..found.start as usize].trim_end();
    let end = before.len();
    let start = before.char_indices().next_back().map_or(0, |(i, _)| i);
    Diagnostic::error("E0002", Span::new(start, end), format!("expected `;`, found {}", tok.describe()))
        .with_label("expected `;` after this")
        .with_secondary(found, "unexpected token")
        .with_hint("end the statement with `;`")
}

fn is_block_header(tok: &Tok<'_>) -> bool {
    matches!(
        tok,
        Tok::Functions
            | Tok::Data
            | Tok::TransformedData
            | Tok::Parameters
            | Tok::TransformedParameters
            | Tok::Model
            | Tok::GeneratedQuantities
    )
}

const BLOCK_HEADERS: [&str; 7] = [
    "\"functions\"",
    "\"data\"",
    "\"transformed data\"",
    "\"parameters\"",
    "\"transformed parameters\"",
    "\"model\"",
    "\"generated quantities\"",
];

fn unexpected_token(tok: &Tok<'_>, span: Span, expected: Option<&[String]>) -> Diagnostic {
    if *tok == Tok::Arrow {
        return Diagnostic::error("E0004", span, "the `<-` assignment operator was removed from Stan")
            .with_label("old assignment")
            .with_hint("use `=` for assignment (write `< -` to compare with a negative number)");
    }
    let at_top_level = expected.is_none_or(|exp| exp.iter().all(|e| BLOCK_HEADERS.contains(&e.as_str())));
    if is_block_header(tok) && at_top_level {
        return Diagnostic::error("E0012", span, format!("the `{tok}` block is out of place"))
            .with_label("block out of order or repeated")
            .with_hint(
                "blocks appear at most once, in the order functions, data, transformed data, parameters, \
                 transformed parameters, model, generated quantities",
            );
    }
    let what = tok.describe();
    let comparison = matches!(
        tok,
        Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge | Tok::EqEq | Tok::NotEq | Tok::AndAnd | Tok::OrOr | Tok::Question
    );
    if comparison && expected.is_some_and(|exp| exp.iter().any(|e| e == "\">\"")) {
        return Diagnostic::error("E0002", span, format!("expected `>` or `,`, found {what}"))
            .with_label(format!("unexpected {what}"))
            .with_hint(
                "a bound inside `<...>` cannot contain comparisons or logical operators; wrap it in parentheses",
            );
    }
    let message = match expected {
        Some(expected) => format!("expected {}, found {what}", describe_expected(expected)),
        None => format!("unexpected {what} after the end of the program"),
    };
    Diagnostic::error("E0002", span, message).with_label(format!("unexpected {what}"))
}

/// Terminals that start an expression (besides names, which [`is_name`] covers).
const EXPR_START: [&str; 12] = [
    "IntLit",
    "RealLit",
    "DotInt",
    "ImagLit",
    "\"(\"",
    "\"[\"",
    "\"{\"",
    "\"-\"",
    "\"+\"",
    "\"!\"",
    "\"target\"",
    "StrLit",
];

/// Terminals that only continue an expression: binary and postfix operators, and `(` after a
/// name (a call).
const CONTINUATIONS: [&str; 25] = [
    "\"+\"", "\"-\"", "\"*\"", "\"/\"", "\"%\"", "\"%/%\"", "\"\\\\\"", "\"^\"", "\".^\"", "\".*\"", "\"./\"", "\"'\"",
    "\"?\"", "\"||\"", "\"&&\"", "\"==\"", "\"!=\"", "\"<\"", "\"<=\"", "\">\"", "\">=\"", "\"[\"", "DotInt", "\"(\"",
    "\"|\"",
];

/// Keywords that start a statement.
const STMT_START: [&str; 12] = [
    "\"for\"",
    "\"while\"",
    "\"if\"",
    "\"break\"",
    "\"continue\"",
    "\"return\"",
    "\"print\"",
    "\"reject\"",
    "\"fatal_error\"",
    "\"profile\"",
    "\";\"",
    "\"{\"",
];

fn is_type_start(e: &str) -> bool {
    let word = e.trim_matches('"');
    e.starts_with('"') && (TYPE_KEYWORDS.contains(&word) || word == "array" || word == "tuple")
}

/// Renders LALRPOP's list of expected terminals as a short English list, collapsing families
/// of tokens ("an expression", "a statement", "a type") and dropping operators when something
/// else could also have come.
fn describe_expected(expected: &[String]) -> String {
    let has = |name: &str| expected.iter().any(|e| e == name);
    let mut rest: Vec<&str> = expected.iter().map(String::as_str).collect();
    let mut categories: Vec<&str> = Vec::new();

    if has("\"for\"") {
        categories.push("a statement");
        if has("\"real\"") {
            categories.push("a declaration");
        }
        rest.retain(|e| !STMT_START.contains(e) && !EXPR_START.contains(e) && !is_type_start(e) && !is_name(e));
    } else {
        if has("\"real\"") {
            if has("\"}\"") {
                // Inside `data { ... }` or `parameters { ... }`; `;` is the empty declaration.
                categories.push("a declaration");
                rest.retain(|e| *e != "\";\"");
            } else {
                categories.push("a type");
            }
            rest.retain(|e| !is_type_start(e));
        }
        if has("IntLit") {
            categories.push("an expression");
            rest.retain(|e| !EXPR_START.contains(e) && !is_name(e));
        } else if has("Ident") {
            categories.push("an identifier");
            rest.retain(|e| !is_name(e));
        }
    }
    if has("\"*\"") {
        // After a complete expression: an operator could always follow, so only mention
        // operators when nothing else could.
        let before = rest.len();
        rest.retain(|e| !CONTINUATIONS.contains(e));
        if rest.is_empty() && before > 0 {
            categories.push("an operator");
        }
    }
    if has("\"model\"") {
        rest.retain(|e| !BLOCK_HEADERS.contains(e));
        categories.push("a program block");
    }
    // `;` reads best first ("expected `;` or ..."), then the families, then closing tokens.
    rest.sort_by_key(|e| match *e {
        "\")\"" | "\"]\"" | "\"}\"" | "\">\"" => 0,
        _ => 1,
    });
    let mut words: Vec<String> = Vec::new();
    if rest.contains(&"\";\"") {
        words.push("`;`".to_string());
        rest.retain(|e| *e != "\";\"");
    }
    words.extend(categories.iter().map(|c| c.to_string()));
    words.extend(rest.iter().map(|e| terminal_name(e)));
    words.dedup();
    join_or(&words)
}

fn is_name(e: &str) -> bool {
    matches!(e, "Ident" | "\"lower\"" | "\"upper\"" | "\"offset\"" | "\"multiplier\"" | "\"T\"")
}

/// Every type keyword, as written.
pub(crate) const TYPE_KEYWORDS: [&str; 21] = [
    "int",
    "real",
    "complex",
    "vector",
    "row_vector",
    "matrix",
    "complex_vector",
    "complex_row_vector",
    "complex_matrix",
    "simplex",
    "ordered",
    "positive_ordered",
    "unit_vector",
    "sum_to_zero_vector",
    "sum_to_zero_matrix",
    "cholesky_factor_corr",
    "cholesky_factor_cov",
    "corr_matrix",
    "cov_matrix",
    "column_stochastic_matrix",
    "row_stochastic_matrix",
];

/// How one terminal of the grammar is named in a message.
fn terminal_name(terminal: &str) -> String {
    match terminal {
        "Ident" => "an identifier".to_string(),
        "IntLit" => "an integer".to_string(),
        "RealLit" | "DotInt" => "a number".to_string(),
        "ImagLit" => "an imaginary number".to_string(),
        "StrLit" => "a string".to_string(),
        quoted => {
            // Terminals are written as Rust string literals in the grammar: `"\";\""`.
            let inner = quoted.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(quoted);
            format!("`{}`", inner.replace("\\\\", "\\"))
        }
    }
}

/// "a", "a or b", "a, b or c"; long lists are cut after five items.
fn join_or(words: &[String]) -> String {
    const MAX: usize = 5;
    match words {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        _ if words.len() > MAX => format!("{}, …", words[..MAX].join(", ")),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
