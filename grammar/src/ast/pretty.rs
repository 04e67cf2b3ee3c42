//! AST printer (formatter).
//!
//! `Display` for [`Program`] prints canonical Stan: two-space indentation, one statement per
//! line, spaces around binary operators, the user's own parentheses (`ExprKind::Paren`) and
//! otherwise only the parentheses that precedence requires (none, for a parsed program).
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

/// `e` printed so that it parses back at precedence level `min` or tighter.
fn expr_string(e: &Expr, min: u8) -> String {
    let mut s = String::new();
    write_expr(&mut s, e, min);
    s
}

fn expr_list(es: &[Expr]) -> String {
    es.iter().map(|e| expr_string(e, 0)).collect::<Vec<_>>().join(", ")
}

fn write_expr(s: &mut String, e: &Expr, min: u8) {
    if prec(e) < min {
        s.push('(');
        write_expr(s, e, 0);
        s.push(')');
        return;
    }
    match &e.kind {
        ExprKind::Int(v) => {
            let _ = write!(s, "{v}");
        }
        ExprKind::Real(v, text) | ExprKind::Imag(v, text) => {
            if text.is_empty() {
                let _ = write!(s, "{v:?}");
            } else {
                s.push_str(text);
            }
        }
        ExprKind::Str(text) => {
            let _ = write!(s, "\"{text}\"");
        }
        ExprKind::Var(name) => s.push_str(&name.name),
        ExprKind::Unary { op: UnOp::Transpose, operand } => {
            write_expr(s, operand, PREC_POSTFIX);
            s.push('\'');
        }
        ExprKind::Unary { op, operand } => {
            s.push_str(op.symbol());
            let inner = expr_string(operand, PREC_UNARY);
            // `- -1`, not `--1` (which reads like C's decrement).
            if inner.starts_with(['-', '+']) {
                s.push(' ');
            }
            s.push_str(&inner);
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let p = binop_prec(*op);
            let (lhs_min, rhs_min) = if p == PREC_POW { (PREC_POSTFIX, PREC_UNARY) } else { (p, p + 1) };
            write_expr(s, lhs, lhs_min);
            let _ = write!(s, " {} ", op.symbol());
            write_expr(s, rhs, rhs_min);
        }
        ExprKind::Cond { cond, then, otherwise } => {
            write_expr(s, cond, PREC_COND + 1);
            s.push_str(" ? ");
            write_expr(s, then, PREC_COND);
            s.push_str(" : ");
            write_expr(s, otherwise, PREC_COND);
        }
        ExprKind::Call { name, args, bar } => {
            s.push_str(&name.name);
            s.push('(');
            match args.split_first() {
                Some((first, rest)) if bar.is_some() => {
                    write_expr(s, first, 0);
                    s.push_str(" | ");
                    s.push_str(&expr_list(rest));
                    // `f(y | )` is legal and keeps the bar; drop the space before `)`.
                    if rest.is_empty() {
                        s.pop();
                    }
                }
                _ => s.push_str(&expr_list(args)),
            }
            s.push(')');
        }
        ExprKind::Index { base, indices } => {
            write_expr(s, base, PREC_POSTFIX);
            s.push('[');
            for (i, index) in indices.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write_index(s, index);
            }
            s.push(']');
        }
        ExprKind::ArrayLit(es) => {
            let _ = write!(s, "{{{}}}", expr_list(es));
        }
        ExprKind::RowVectorLit(es) => {
            let _ = write!(s, "[{}]", expr_list(es));
        }
        ExprKind::TupleLit(es) => {
            let _ = write!(s, "({})", expr_list(es));
        }
        ExprKind::TupleGet { base, index } => {
            write_expr(s, base, PREC_POSTFIX);
            let _ = write!(s, ".{index}");
        }
        ExprKind::Paren(inner) => {
            s.push('(');
            write_expr(s, inner, 0);
            s.push(')');
        }
    }
}

fn write_index(s: &mut String, index: &Index) {
    match index {
        Index::Single(e) => write_expr(s, e, 0),
        Index::All(_) => s.push(':'),
        Index::Range { lo, hi, .. } => {
            // The grammar reads `a ? b : c : d` as the range `(a ? b : c):d`, so no bound
            // needs parentheses.
            if let Some(lo) = lo {
                write_expr(s, lo, 0);
            }
            s.push(':');
            if let Some(hi) = hi {
                write_expr(s, hi, 0);
            }
        }
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
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
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
    fn with_body(&mut self, head: &str, body: &Stmt) {
        match &body.kind {
            StmtKind::Block(stmts) => {
                self.line(&format!("{head} {{"));
                self.stmt_list(stmts, closing_brace(body.span));
                self.line("}");
            }
            _ => {
                self.line(head);
                self.indent += 1;
                self.stmt(body);
                self.indent -= 1;
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Decl(decl) => {
                let init = decl.init.as_ref().map_or(String::new(), |e| format!(" = {e}"));
                self.line(&format!("{} {}{init};", decl.ty, decl.name.name));
            }
            StmtKind::FunDef(def) => {
                let params: Vec<String> = def.params.iter().map(|p| format!("{} {}", p.ty, p.name.name)).collect();
                let head = format!("{} {}({})", def.return_type, def.name.name, params.join(", "));
                match &def.body {
                    None => self.line(&format!("{head};")),
                    Some(body) => self.with_body(&head, body),
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
                self.line(&format!("{lhs} {op} {rhs};"));
            }
            StmtKind::Tilde { lhs, dist, args, truncation } => {
                let mut text = format!("{lhs} ~ {}({})", dist.name, expr_list(args));
                if let Some(t) = truncation {
                    let bound = |b: &Option<Expr>| b.as_ref().map_or(String::new(), ToString::to_string);
                    let _ = write!(text, " T[{}, {}]", bound(&t.lower), bound(&t.upper));
                }
                text.push(';');
                self.line(&text);
            }
            StmtKind::TargetPlus(e) => self.line(&format!("target += {e};")),
            StmtKind::JacobianPlus(e) => self.line(&format!("jacobian += {e};")),
            StmtKind::For { var, lo, hi, body } => {
                self.with_body(&format!("for ({} in {lo}:{hi})", var.name), body);
            }
            StmtKind::ForEach { var, container, body } => {
                self.with_body(&format!("for ({} in {container})", var.name), body);
            }
            StmtKind::While { cond, body } => self.with_body(&format!("while ({cond})"), body),
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
            StmtKind::Return(Some(e)) => self.line(&format!("return {e};")),
            StmtKind::Print(args) => self.line(&format!("print({});", expr_list(args))),
            StmtKind::Reject(args) => self.line(&format!("reject({});", expr_list(args))),
            StmtKind::FatalError(args) => self.line(&format!("fatal_error({});", expr_list(args))),
            StmtKind::Call(e) => self.line(&format!("{e};")),
            StmtKind::Empty => self.line(";"),
        }
    }

    /// `if`, with `else if` chains kept flat; `prefix` is `"} else "` or `"else "` inside a chain.
    fn if_stmt(&mut self, prefix: &str, cond: &Expr, then: &Stmt, otherwise: Option<&Stmt>) {
        let head = format!("{prefix}if ({cond})");
        let then_is_block = matches!(then.kind, StmtKind::Block(_));
        self.with_body(&head, then);
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
            _ => self.with_body(else_prefix, otherwise),
        }
    }
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
