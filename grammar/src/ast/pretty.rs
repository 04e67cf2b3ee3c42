//! AST printer (formatter).
//!
//! `Display` for [`Program`] prints canonical Stan: two-space indentation, one statement per
//! line, spaces around binary operators, the user's own parentheses (`ExprKind::Paren`) and
//! otherwise only the parentheses that precedence requires (none, for a parsed program).
//!
//! Long statements are broken the way rustfmt breaks them, by one rule: a statement that fits in
//! `WIDTH` (100) columns, indentation included, stays on one line; otherwise its outermost
//! breakable construct is broken, and each piece that still does not fit is broken the same way
//! (the groups of Wadler's "prettier printer", `Doc`). The breakable constructs:
//!
//! | construct | broken layout |
//! |---|---|
//! | argument, parameter and tuple lists | `(` ends its line; one item a line, one level in; `)` alone |
//! | array and row-vector literals | the same, but numbers and names fill each line |
//! | a chain of one precedence (`a + b - c`) | a break after every operator; the rest one level in |
//! | `c ? a : b` | a break after `?` and after `:`; the rest one level in |
//! | `for (i in lo:hi)` | a break after `:`; `hi` one level in |
//! | `(...)`, `if (...)`, `while (...)`, `for (...)` | hug their contents, indented one level more |
//!
//! Index lists, types and bounds have no breaks of their own, so a line passes 100 columns only
//! where the text between two possible breaks is longer (a long string, a long declaration
//! before its `=`). The source's line breaks inside a statement are not kept: the layout depends
//! on the syntax tree alone, which keeps formatting idempotent.
//!
//! Comments are placed by position: a comment is printed before the first statement (or the
//! closing brace) that starts after it, on its own line, or at the end of the previous line
//! when code preceded it on its source line. Comments inside a statement therefore move to
//! just after that statement. Printing a parsed printout gives the same text again.

use super::*;
use std::fmt::{self, Display, Write as _};

// ---------------------------------------------------------------------------------------------
// Public Display impls

impl Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut p = Printer::new(&self.comments, &self.blank_lines);
        let blocks = [
            (&self.functions, "functions"),
            (&self.data, "data"),
            (&self.transformed_data, "transformed data"),
            (&self.parameters, "parameters"),
            (&self.transformed_parameters, "transformed parameters"),
            (&self.model, "model"),
            (&self.generated_quantities, "generated quantities"),
        ];
        for (block, name) in blocks {
            if let Some(block) = block {
                p.comments_before(block.span.start);
                p.paragraph(block.span.start);
                p.line(&format!("{name} {{"));
                p.stmt_list(&block.stmts, closing_brace(block.span));
                p.line("}");
            }
        }
        p.comments_before(u32::MAX);
        f.write_str(&p.out)
    }
}

impl Display for Stmt {
    /// The statement without comments; multi-line statements use `\n` and two-space indents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut p = Printer::new(&[], &[]);
        p.stmt(self);
        f.write_str(p.out.trim_end_matches('\n'))
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&expr_string(self, 0))
    }
}

impl Display for DeclType {
    /// `array[N] vector<lower=0>[K]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        if !self.array_dims.is_empty() {
            let _ = write!(s, "array[{}] ", expr_list(&self.array_dims));
        }
        match &self.kind {
            TypeKind::Tuple(elems) => {
                let elems: Vec<String> = elems.iter().map(ToString::to_string).collect();
                let _ = write!(s, "tuple({})", elems.join(", "));
            }
            kind => s.push_str(kind.keyword()),
        }
        s.push_str(&constraint_string(&self.constraint));
        if !self.sizes.is_empty() {
            let _ = write!(s, "[{}]", expr_list(&self.sizes));
        }
        f.write_str(&s)
    }
}

impl Display for UnsizedType {
    /// `data array[,] real`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.data_only {
            f.write_str("data ")?;
        }
        f.write_str(&unsized_string(self.array_dims, &self.kind))
    }
}

impl Display for ReturnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReturnType::Void(_) => f.write_str("void"),
            ReturnType::Type(t) => t.fmt(f),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Types

/// An unsized type: `array[,] real`, `tuple(array[] real, int)`. Inside an unsized tuple the
/// elements are `DeclType`s whose `array_dims` only count dimensions.
fn unsized_string(array_dims: usize, kind: &TypeKind) -> String {
    let mut s = String::new();
    if array_dims > 0 {
        let _ = write!(s, "array[{}] ", ",".repeat(array_dims - 1));
    }
    match kind {
        TypeKind::Tuple(elems) => {
            let elems: Vec<String> = elems.iter().map(|e| unsized_string(e.array_dims.len(), &e.kind)).collect();
            let _ = write!(s, "tuple({})", elems.join(", "));
        }
        kind => s.push_str(kind.keyword()),
    }
    s
}

fn constraint_string(c: &Constraint) -> String {
    let mut parts = Vec::new();
    let keys = [("lower", &c.lower), ("upper", &c.upper), ("offset", &c.offset), ("multiplier", &c.multiplier)];
    for (key, value) in keys {
        if let Some(e) = value {
            // Bounds are parsed at the `+ -` level, so anything looser needs parentheses.
            parts.push(format!("{key}={}", expr_string(e, PREC_ADD)));
        }
    }
    if parts.is_empty() { String::new() } else { format!("<{}>", parts.join(", ")) }
}

// ---------------------------------------------------------------------------------------------
// Expressions

const PREC_COND: u8 = 1;
const PREC_ADD: u8 = 6;
const PREC_UNARY: u8 = 9;
const PREC_POW: u8 = 10;
const PREC_POSTFIX: u8 = 11;
const PREC_PRIMARY: u8 = 12;

fn binop_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Or => 2,
        BinOp::And => 3,
        BinOp::Eq | BinOp::Neq => 4,
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 5,
        BinOp::Add | BinOp::Sub => PREC_ADD,
        BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::EltMul | BinOp::EltDiv => 7,
        BinOp::LeftDiv | BinOp::IntDiv => 8,
        BinOp::Pow | BinOp::EltPow => PREC_POW,
    }
}

fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Cond { .. } => PREC_COND,
        ExprKind::Binary { op, .. } => binop_prec(*op),
        ExprKind::Unary { op: UnOp::Transpose, .. } => PREC_POSTFIX,
        ExprKind::Unary { .. } => PREC_UNARY,
        ExprKind::Index { .. } | ExprKind::TupleGet { .. } => PREC_POSTFIX,
        _ => PREC_PRIMARY,
    }
}

/// `e` printed on one line so that it parses back at precedence level `min` or tighter.
fn expr_string(e: &Expr, min: u8) -> String {
    flat(&expr_doc(e, min))
}

fn expr_list(es: &[Expr]) -> String {
    es.iter().map(|e| expr_string(e, 0)).collect::<Vec<_>>().join(", ")
}

/// The layout of `e`, parenthesised where it would not parse back at precedence level `min`.
fn expr_doc(e: &Expr, min: u8) -> Doc {
    if prec(e) < min {
        return Doc::Concat(vec![text("("), expr_doc(e, 0), text(")")]);
    }
    match &e.kind {
        ExprKind::Int(v) => text(v.to_string()),
        ExprKind::Real(v, source) | ExprKind::Imag(v, source) => {
            if source.is_empty() {
                text(format!("{v:?}"))
            } else {
                text(source.as_str())
            }
        }
        ExprKind::Str(source) => text(format!("\"{source}\"")),
        ExprKind::Var(name) => text(name.name.as_str()),
        ExprKind::Unary { op: UnOp::Transpose, operand } => {
            Doc::Concat(vec![expr_doc(operand, PREC_POSTFIX), text("'")])
        }
        ExprKind::Unary { op, operand } => {
            let inner = expr_doc(operand, PREC_UNARY);
            // `- -1`, not `--1` (which reads like C's decrement).
            let space = if flat(&inner).starts_with(['-', '+']) { " " } else { "" };
            Doc::Concat(vec![text(format!("{}{space}", op.symbol())), inner])
        }
        ExprKind::Binary { op, lhs, rhs } => {
            // A left-associative chain of one precedence (`a + b - c`) breaks after every
            // operator or after none, like a list. `^` is right-associative (`a ^ b ^ c` is
            // `a ^ (b ^ c)`), so a power breaks after its own operator only.
            let p = binop_prec(*op);
            let (lhs_min, rhs_min) = if p == PREC_POW { (PREC_POSTFIX, PREC_UNARY) } else { (p, p + 1) };
            let mut links = vec![(*op, rhs)];
            let mut first: &Expr = lhs;
            while p != PREC_POW
                && let ExprKind::Binary { op, lhs, rhs } = &first.kind
                && binop_prec(*op) == p
            {
                links.push((*op, rhs));
                first = lhs;
            }
            let tail = links
                .iter()
                .rev()
                .flat_map(|(op, rhs)| [text(format!(" {}", op.symbol())), space(), expr_doc(rhs, rhs_min)]);
            Doc::Group(vec![expr_doc(first, lhs_min), nest(tail.collect())])
        }
        ExprKind::Cond { cond, then, otherwise } => Doc::Group(vec![
            expr_doc(cond, PREC_COND + 1),
            nest(vec![
                text(" ?"),
                space(),
                expr_doc(then, PREC_COND),
                text(" :"),
                space(),
                expr_doc(otherwise, PREC_COND),
            ]),
        ]),
        ExprKind::Call { name, args, bar } => {
            let items = match args.split_first() {
                Some((first, rest)) if bar.is_some() => {
                    // `f(y | )` is legal and keeps the bar, printed `f(y |)`.
                    let mut items = vec![expr_doc(first, 0), text(" |")];
                    if !rest.is_empty() {
                        items.push(space());
                        items.extend(comma_separated(rest.iter().map(|e| expr_doc(e, 0))));
                    }
                    items
                }
                _ => comma_separated(args.iter().map(|e| expr_doc(e, 0))),
            };
            Doc::Concat(vec![text(name.name.as_str()), delimited("(", items, ")")])
        }
        ExprKind::Index { base, indices } => {
            let indices = indices.iter().map(index_doc);
            let mut parts = vec![expr_doc(base, PREC_POSTFIX), text("[")];
            parts.extend(indices.enumerate().flat_map(|(i, d)| [text(if i > 0 { ", " } else { "" }), d]));
            parts.push(text("]"));
            Doc::Concat(parts)
        }
        ExprKind::ArrayLit(es) => literal_doc("{", es, "}"),
        ExprKind::RowVectorLit(es) => literal_doc("[", es, "]"),
        ExprKind::TupleLit(es) => delimited("(", comma_separated(es.iter().map(|e| expr_doc(e, 0))), ")"),
        ExprKind::TupleGet { base, index } => {
            Doc::Concat(vec![expr_doc(base, PREC_POSTFIX), text(format!(".{index}"))])
        }
        // The user's parentheses hug their contents, whose continuation lines are indented one
        // level more than the expression around them.
        ExprKind::Paren(inner) => Doc::Concat(vec![text("("), nest(vec![expr_doc(inner, 0)]), text(")")]),
    }
}

fn index_doc(index: &Index) -> Doc {
    match index {
        Index::Single(e) => expr_doc(e, 0),
        Index::All(_) => text(":"),
        Index::Range { lo, hi, .. } => {
            // The grammar reads `a ? b : c : d` as the range `(a ? b : c):d`, so no bound
            // needs parentheses.
            Doc::Concat(vec![bound_doc(lo), text(":"), bound_doc(hi)])
        }
    }
}

/// An optional bound of a range or a truncation: nothing when absent.
fn bound_doc(bound: &Option<Expr>) -> Doc {
    bound.as_ref().map_or(text(""), |e| expr_doc(e, 0))
}

/// An array or row-vector literal. Literals whose elements are all numbers or names fill their
/// lines when broken (rustfmt's layout for short array items); others take a line per element.
fn literal_doc(open: &str, es: &[Expr], close: &str) -> Doc {
    let simple = |e: &Expr| match &e.kind {
        ExprKind::Int(_) | ExprKind::Real(..) | ExprKind::Imag(..) | ExprKind::Var(_) => true,
        ExprKind::Unary { op: UnOp::Neg, operand } => {
            matches!(operand.kind, ExprKind::Int(_) | ExprKind::Real(..) | ExprKind::Imag(..))
        }
        _ => false,
    };
    let items = comma_separated(es.iter().map(|e| expr_doc(e, 0)));
    if es.len() > 1 && es.iter().all(simple) {
        delimited(open, vec![Doc::Fill(items)], close)
    } else {
        delimited(open, items, close)
    }
}

// ---------------------------------------------------------------------------------------------
// Layout

/// The width the printer keeps lines within, where a break is possible.
const WIDTH: usize = 100;

/// A layout: text with the places where it may break (Wadler's "prettier printer").
#[derive(Clone)]
enum Doc {
    Text(String),
    /// A line break if its group is broken; otherwise the text it holds (`" "` or `""`).
    Break(&'static str),
    /// On one line if it fits (with what follows up to the next break), else every `Break`
    /// in it, outside inner groups, is a line break.
    Group(Vec<Doc>),
    /// Lines started inside it are indented one level more.
    Nest(Vec<Doc>),
    /// Items and breaks, alternating; a broken fill breaks only before items that do not fit.
    Fill(Vec<Doc>),
    Concat(Vec<Doc>),
}

fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into())
}

/// A break that is a space on one line.
fn space() -> Doc {
    Doc::Break(" ")
}

fn nest(docs: Vec<Doc>) -> Doc {
    Doc::Nest(docs)
}

/// `a, b, c` with a break after each comma.
fn comma_separated(items: impl Iterator<Item = Doc>) -> Vec<Doc> {
    let mut out = Vec::new();
    for item in items {
        if !out.is_empty() {
            out.extend([text(","), space()]);
        }
        out.push(item);
    }
    out
}

/// `open items close` on one line, or `open` ending its line, the items indented one level
/// below it and `close` on its own line.
fn delimited(open: &str, items: Vec<Doc>, close: &str) -> Doc {
    if items.is_empty() {
        return text(format!("{open}{close}"));
    }
    let mut inner = vec![Doc::Break("")];
    inner.extend(items);
    Doc::Group(vec![text(open), nest(inner), Doc::Break(""), text(close)])
}

/// `doc` on one line, however long.
fn flat(doc: &Doc) -> String {
    let mut out = String::new();
    render(&mut out, doc, 0, usize::MAX);
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Flat,
    Broken,
    Fill,
}

/// A part of a layout waiting to be printed: its indent level and the mode of its group.
type Pending<'d> = (usize, Mode, &'d Doc);

/// Appends `doc` to `out`, at the start of a line indented `indent` levels (already written).
fn render(out: &mut String, doc: &Doc, indent: usize, width: usize) {
    let mut col = 2 * indent;
    let mut stack: Vec<Pending> = vec![(indent, Mode::Broken, doc)];
    while let Some((indent, mode, doc)) = stack.pop() {
        match doc {
            Doc::Text(s) => {
                out.push_str(s);
                col += s.chars().count();
            }
            Doc::Break(s) => {
                let newline = match mode {
                    Mode::Flat => false,
                    Mode::Broken => true,
                    Mode::Fill => stack
                        .split_last()
                        .is_some_and(|(&(_, _, next), rest)| !fits(width.saturating_sub(col + s.len()), next, rest)),
                };
                if newline {
                    out.push('\n');
                    out.push_str(&"  ".repeat(indent));
                    col = 2 * indent;
                } else {
                    out.push_str(s);
                    col += s.len();
                }
            }
            Doc::Group(docs) | Doc::Fill(docs) => {
                let mode = if mode == Mode::Flat || fits(width.saturating_sub(col), doc, &stack) {
                    Mode::Flat
                } else if matches!(doc, Doc::Fill(_)) {
                    Mode::Fill
                } else {
                    Mode::Broken
                };
                stack.extend(docs.iter().rev().map(|d| (indent, mode, d)));
            }
            Doc::Nest(docs) => stack.extend(docs.iter().rev().map(|d| (indent + 1, mode, d))),
            Doc::Concat(docs) => stack.extend(docs.iter().rev().map(|d| (indent, mode, d))),
        }
    }
}

/// Whether `doc` on one line, then `rest` up to its next possible line break, takes at most
/// `room` columns. Groups not yet printed count as flat.
fn fits(mut room: usize, doc: &Doc, rest: &[Pending]) -> bool {
    let mut rest = rest.iter().rev();
    let mut todo: Vec<(Mode, &Doc)> = vec![(Mode::Flat, doc)];
    loop {
        let (mode, doc) = match todo.pop() {
            Some(next) => next,
            None => match rest.next() {
                Some(&(_, mode, doc)) => (mode, doc),
                None => return true,
            },
        };
        let used = match doc {
            Doc::Text(s) => s.chars().count(),
            Doc::Break(_) if mode != Mode::Flat => return true,
            Doc::Break(s) => s.len(),
            Doc::Group(docs) | Doc::Fill(docs) => {
                todo.extend(docs.iter().rev().map(|d| (Mode::Flat, d)));
                0
            }
            Doc::Nest(docs) | Doc::Concat(docs) => {
                todo.extend(docs.iter().rev().map(|d| (mode, d)));
                0
            }
        };
        if used > room {
            return false;
        }
        room -= used;
    }
}

// ---------------------------------------------------------------------------------------------
// Statements

/// The position of a block's closing brace, given the block's span.
fn closing_brace(span: Span) -> u32 {
    span.end.saturating_sub(1)
}

struct Printer<'a> {
    out: String,
    indent: usize,
    comments: &'a [Comment],
    next_comment: usize,
    /// Whether the last line ends in a `//` comment, so nothing more can be appended to it.
    line_ends_in_comment: bool,
    blank_lines: &'a [u32],
    /// The source position of the last item printed: a blank line between it and the next
    /// item is kept.
    cursor: u32,
}

impl<'a> Printer<'a> {
    fn new(comments: &'a [Comment], blank_lines: &'a [u32]) -> Printer<'a> {
        Printer {
            out: String::new(),
            indent: 0,
            comments,
            next_comment: 0,
            line_ends_in_comment: false,
            blank_lines,
            cursor: 0,
        }
    }

    /// Before the item that starts at `pos`: one empty line if the source had a blank line
    /// since the last item (never at the start of the output or of a block, never two).
    fn paragraph(&mut self, pos: u32) {
        // `blank_lines` is in source order: the first one after the cursor decides.
        let next = self.blank_lines.partition_point(|&b| b <= self.cursor);
        let blank = self.blank_lines.get(next).is_some_and(|&b| b < pos);
        if blank && !self.out.is_empty() && !self.out.ends_with("{\n") && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        self.cursor = self.cursor.max(pos);
    }

    fn line(&mut self, text: &str) {
        self.lines(&Doc::Text(text.to_string()));
    }

    /// `doc` at the current indent, broken where it would pass [`WIDTH`] columns.
    fn lines(&mut self, doc: &Doc) {
        self.out.push_str(&"  ".repeat(self.indent));
        render(&mut self.out, doc, self.indent, WIDTH);
        self.out.push('\n');
        self.line_ends_in_comment = false;
    }

    /// Prints every not yet printed comment that starts before byte `pos`.
    fn comments_before(&mut self, pos: u32) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= pos {
                break;
            }
            self.next_comment += 1;
            if !comment.trailing {
                self.paragraph(comment.span.start);
            }
            if comment.trailing && self.out.ends_with('\n') && !self.line_ends_in_comment {
                self.out.pop();
                self.out.push(' ');
                self.out.push_str(&comment.text);
                self.out.push('\n');
            } else {
                self.line(&comment.text);
            }
            self.line_ends_in_comment = comment.text.starts_with("//");
        }
    }

    /// The statements of a block, then the comments before its closing brace, indented.
    fn stmt_list(&mut self, stmts: &[Stmt], close: u32) {
        self.indent += 1;
        for stmt in stmts {
            self.comments_before(stmt.span.start);
            self.paragraph(stmt.span.start);
            self.stmt(stmt);
        }
        self.comments_before(close);
        self.indent -= 1;
    }

    /// `head {` ... `}` for a block body, or `head` with the statement indented below it.
    fn with_body(&mut self, head: Doc, body: &Stmt) {
        match &body.kind {
            StmtKind::Block(stmts) => {
                self.lines(&Doc::Concat(vec![head, text(" {")]));
                self.stmt_list(stmts, closing_brace(body.span));
                self.line("}");
            }
            _ => {
                self.lines(&head);
                self.indent += 1;
                self.stmt(body);
                self.indent -= 1;
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        let semi = |doc: Doc| Doc::Concat(vec![doc, text(";")]);
        // `target += e;`, `jacobian += e;`, `return e;`.
        let keyword = |keyword: &str, e: &Expr| semi(Doc::Concat(vec![text(keyword), expr_doc(e, 0)]));
        let call = |name: &str, args: &[Expr]| {
            Doc::Concat(vec![text(name), delimited("(", comma_separated(args.iter().map(|e| expr_doc(e, 0))), ")")])
        };
        match &s.kind {
            StmtKind::Decl(decl) => {
                let mut parts = vec![text(format!("{} {}", decl.ty, decl.name.name))];
                if let Some(init) = &decl.init {
                    parts.extend([text(" = "), expr_doc(init, 0)]);
                }
                self.lines(&semi(Doc::Concat(parts)));
            }
            StmtKind::FunDef(def) => {
                let params = def.params.iter().map(|p| text(format!("{} {}", p.ty, p.name.name)));
                let head = Doc::Concat(vec![
                    text(format!("{} {}", def.return_type, def.name.name)),
                    delimited("(", comma_separated(params), ")"),
                ]);
                match &def.body {
                    None => self.lines(&semi(head)),
                    Some(body) => self.with_body(head, body),
                }
            }
            StmtKind::Assign { lhs, op, rhs } => {
                let op = match op {
                    AssignOp::Assign => "=",
                    AssignOp::Add => "+=",
                    AssignOp::Sub => "-=",
                    AssignOp::Mul => "*=",
                    AssignOp::Div => "/=",
                    AssignOp::EltMul => ".*=",
                    AssignOp::EltDiv => "./=",
                };
                self.lines(&semi(Doc::Concat(vec![expr_doc(lhs, 0), text(format!(" {op} ")), expr_doc(rhs, 0)])));
            }
            StmtKind::Tilde { lhs, dist, args, truncation } => {
                let mut parts = vec![expr_doc(lhs, 0), text(" ~ "), call(&dist.name, args)];
                if let Some(t) = truncation {
                    parts.extend([text(" T["), bound_doc(&t.lower), text(", "), bound_doc(&t.upper), text("]")]);
                }
                self.lines(&semi(Doc::Concat(parts)));
            }
            StmtKind::TargetPlus(e) => self.lines(&keyword("target += ", e)),
            StmtKind::JacobianPlus(e) => self.lines(&keyword("jacobian += ", e)),
            StmtKind::For { var, lo, hi, body } => {
                // The range breaks after its `:`, like an operator.
                let range =
                    vec![Doc::Group(vec![expr_doc(lo, 0), text(":"), nest(vec![Doc::Break(""), expr_doc(hi, 0)])])];
                self.with_body(head_with_condition(&format!("for ({} in ", var.name), range), body);
            }
            StmtKind::ForEach { var, container, body } => {
                let container = vec![expr_doc(container, 0)];
                self.with_body(head_with_condition(&format!("for ({} in ", var.name), container), body);
            }
            StmtKind::While { cond, body } => {
                self.with_body(head_with_condition("while (", vec![expr_doc(cond, 0)]), body);
            }
            StmtKind::If { cond, then, otherwise } => self.if_stmt("", cond, then, otherwise.as_deref()),
            StmtKind::Block(stmts) => {
                self.line("{");
                self.stmt_list(stmts, closing_brace(s.span));
                self.line("}");
            }
            StmtKind::Profile { name, body } => {
                self.line(&format!("profile(\"{name}\") {{"));
                self.stmt_list(body, closing_brace(s.span));
                self.line("}");
            }
            StmtKind::Break => self.line("break;"),
            StmtKind::Continue => self.line("continue;"),
            StmtKind::Return(None) => self.line("return;"),
            StmtKind::Return(Some(e)) => self.lines(&keyword("return ", e)),
            StmtKind::Print(args) => self.lines(&semi(call("print", args))),
            StmtKind::Reject(args) => self.lines(&semi(call("reject", args))),
            StmtKind::FatalError(args) => self.lines(&semi(call("fatal_error", args))),
            StmtKind::Call(e) => self.lines(&semi(expr_doc(e, 0))),
            StmtKind::Empty => self.line(";"),
        }
    }

    /// `if`, with `else if` chains kept flat; `prefix` is `"} else "` or `"else "` inside a chain.
    fn if_stmt(&mut self, prefix: &str, cond: &Expr, then: &Stmt, otherwise: Option<&Stmt>) {
        let head = head_with_condition(&format!("{prefix}if ("), vec![expr_doc(cond, 0)]);
        let then_is_block = matches!(then.kind, StmtKind::Block(_));
        self.with_body(head, then);
        let Some(otherwise) = otherwise else { return };
        // After a block, `else` joins the closing brace: `} else {`.
        let else_prefix = if then_is_block {
            self.out.truncate(self.out.trim_end_matches('\n').len());
            // Drop the `}` line just printed; it is reprinted as part of `} else`.
            let last_line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
            self.out.truncate(last_line_start);
            "} else"
        } else {
            "else"
        };
        match &otherwise.kind {
            StmtKind::If { cond, then, otherwise } => {
                self.if_stmt(&format!("{else_prefix} "), cond, then, otherwise.as_deref());
            }
            _ => self.with_body(text(else_prefix), otherwise),
        }
    }
}

/// `keyword (condition)`. The condition is nested one level more than other expressions, so its
/// continuation lines (two levels in) stand apart from the body below.
fn head_with_condition(open: &str, condition: Vec<Doc>) -> Doc {
    Doc::Concat(vec![text(open), nest(condition), text(")")])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str) -> Expr {
        let ident = Ident { name: name.to_string(), span: Span::default() };
        Expr { kind: ExprKind::Var(ident), span: Span::default() }
    }

    fn bin(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
        Expr { kind: ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span: Span::default() }
    }

    fn neg(e: Expr) -> Expr {
        Expr { kind: ExprKind::Unary { op: UnOp::Neg, operand: Box::new(e) }, span: Span::default() }
    }

    /// Trees built by later passes have no `Paren` nodes; the printer adds what precedence needs.
    #[test]
    fn adds_required_parentheses() {
        let sum = bin(BinOp::Add, var("a"), var("b"));
        assert_eq!(bin(BinOp::Mul, sum.clone(), var("c")).to_string(), "(a + b) * c");
        assert_eq!(bin(BinOp::Sub, var("c"), sum.clone()).to_string(), "c - (a + b)");
        assert_eq!(bin(BinOp::Add, sum, var("c")).to_string(), "a + b + c");
        assert_eq!(bin(BinOp::Pow, neg(var("a")), var("b")).to_string(), "(-a) ^ b");
        assert_eq!(neg(bin(BinOp::Pow, var("a"), var("b"))).to_string(), "-a ^ b");
        let pow = bin(BinOp::Pow, var("a"), var("b"));
        assert_eq!(bin(BinOp::Pow, pow.clone(), var("c")).to_string(), "(a ^ b) ^ c");
        assert_eq!(bin(BinOp::Pow, var("c"), pow).to_string(), "c ^ a ^ b");
        let transpose = Expr {
            kind: ExprKind::Unary { op: UnOp::Transpose, operand: Box::new(neg(var("x"))) },
            span: Span::default(),
        };
        assert_eq!(transpose.to_string(), "(-x)'");
    }

    /// Diagnostics quote expressions with `Display`, which never breaks a line.
    #[test]
    fn expressions_print_on_one_line() {
        let long = (0..40).map(|i| var(&format!("term_{i}"))).reduce(|a, b| bin(BinOp::Add, a, b)).unwrap();
        let printed = long.to_string();
        assert!(printed.len() > 2 * WIDTH && !printed.contains('\n'), "{printed}");
    }

    #[test]
    fn bounds_are_parenthesised_below_addition() {
        let ty = DeclType {
            array_dims: Vec::new(),
            kind: TypeKind::Real,
            constraint: Constraint {
                lower: Some(bin(BinOp::Lt, var("a"), var("b"))),
                upper: Some(bin(BinOp::Add, var("a"), var("b"))),
                ..Constraint::default()
            },
            sizes: Vec::new(),
            span: Span::default(),
        };
        assert_eq!(ty.to_string(), "real<lower=(a < b), upper=a + b>");
    }
}
