//! `print(…)`: Stan's output of values, as `stan_print` formats them. Each piece of a
//! statement's output is a `Stmt::Print` of a site (its text, then a real or an int, or
//! nothing); the text of the last piece ends in a newline. Containers print in brackets,
//! elements separated by commas (`[1,2,3]`; a matrix row by row, `[[1,2],[3,4]]`); complex
//! numbers as `(re,im)`, tuples as `(a,b)`; reals with six significant digits, as a C++ stream
//! prints them by default. `reject` and `fatal_error` format their message the same way.

use grammar::ast;
use grammar::span::Span;

use runtime::compiled::MESSAGE_FROM_PRINTS;

use super::{Lowerer, Mode, Val};
use crate::ir::{Atom, Core, Elem, ErrorKind, ErrorSite, Expr, Prim, Stmt, Ty};

/// The text waiting to be printed before the next value.
struct Pending {
    text: String,
    span: Span,
}

impl Lowerer<'_> {
    /// Lowers `print(args)`. Only the functions that run the program's statements for their
    /// result print (load: transformed data; the log densities: transformed parameters and
    /// model; write_array: those and generated quantities); elsewhere the arguments are only
    /// checked.
    pub(crate) fn print(&mut self, args: &[ast::Expr], span: Span) {
        let prints = matches!(self.mode, Mode::Load | Mode::WriteArray | Mode::LogDensity { locate: false, .. });
        let mut pending = self.print_args(args, prints, span);
        if prints {
            pending.text.push('\n');
            self.flush(&mut pending);
        }
    }

    /// Lowers `reject(args)` and `fatal_error(args)`: the arguments printed as `print` prints
    /// them, without the newline, in every function, then an error whose message is those
    /// pieces (`runtime::compiled::MESSAGE_FROM_PRINTS`).
    pub(crate) fn reject(&mut self, args: &[ast::Expr], kind: ErrorKind, span: Span) {
        let mut pending = self.print_args(args, true, span);
        self.flush(&mut pending);
        self.check(Atom::Int(0), kind, MESSAGE_FROM_PRINTS.to_string(), span, Vec::new());
    }

    /// Lowers the arguments of a `print` or `reject`, printing them when `prints`; returns the
    /// text still waiting to be printed.
    fn print_args(&mut self, args: &[ast::Expr], prints: bool, span: Span) -> Pending {
        let mut pending = Pending { text: String::new(), span };
        for a in args {
            match &a.kind {
                ast::ExprKind::Str(text) => pending.text.push_str(text),
                _ => {
                    let v = self.expr(a);
                    if prints {
                        self.print_value(v, &[], &mut pending);
                    }
                }
            }
        }
        pending
    }

    /// Prints the part of `v` at the leading array indices `at`.
    fn print_value(&mut self, v: Val, at: &[Atom], pending: &mut Pending) {
        let array_rank = v.ty.array_rank as usize;
        if at.len() < array_rank {
            let n = self.size(v, at.len());
            return self.print_list(n, pending, |l, i, pending| {
                let at: Vec<Atom> = at.iter().copied().chain([i]).collect();
                l.print_value(v, &at, pending);
            });
        }
        if v.ty.is_tuple() {
            pending.text.push('(');
            for (k, c) in self.components_of(v).into_iter().enumerate() {
                if k > 0 {
                    pending.text.push(',');
                }
                self.print_value(c, at, pending);
            }
            pending.text.push(')');
            return;
        }
        match v.ty.core {
            Core::Scalar => self.print_element(v, at, pending),
            Core::Vector | Core::RowVector => {
                let n = self.size(v, array_rank);
                self.print_list(n, pending, |l, i, pending| {
                    let at: Vec<Atom> = at.iter().copied().chain([i]).collect();
                    l.print_element(v, &at, pending);
                });
            }
            Core::Matrix => {
                let (rows, cols) = (self.size(v, array_rank), self.size(v, array_rank + 1));
                self.print_list(rows, pending, |l, i, pending| {
                    l.print_list(cols, pending, |l, j, pending| {
                        let at: Vec<Atom> = at.iter().copied().chain([i, j]).collect();
                        l.print_element(v, &at, pending);
                    });
                });
            }
        }
    }

    /// `[` item(1) `,` … `,` item(n) `]`, the items printed by `item` inside a loop.
    fn print_list(&mut self, n: Atom, pending: &mut Pending, item: impl FnOnce(&mut Self, Atom, &mut Pending)) {
        pending.text.push('[');
        self.flush(pending);
        let span = pending.span;
        self.for_loop(Atom::Int(1), n, |l, i| {
            let later = l.prim(Prim::IGt, &[i, Atom::Int(1)]);
            l.if_(later, |l| l.flush(&mut Pending { text: ",".into(), span }), |_| {});
            item(l, i, pending);
            l.flush(pending);
        });
        pending.text.push(']');
    }

    /// One element of `v` (all of its indices in `at`, or none for a scalar).
    fn print_element(&mut self, v: Val, at: &[Atom], pending: &mut Pending) {
        if v.ty.is_complex() {
            let z = self.load_z(v, at);
            pending.text.push('(');
            self.print_scalar(z.re, ErrorKind::PrintReal, pending);
            pending.text.push(',');
            self.print_scalar(z.im, ErrorKind::PrintReal, pending);
            pending.text.push(')');
            return;
        }
        let kind = if v.ty.elem == Elem::Int { ErrorKind::PrintInt } else { ErrorKind::PrintReal };
        let x = match (at.is_empty(), v.atom) {
            (true, a) => a,
            (false, Atom::Var(base)) => {
                let ty = Ty { elem: v.ty.elem, array_rank: 0, core: Core::Scalar };
                self.let_(ty, Expr::Load { base, indices: at.to_vec() })
            }
            // A value that failed to check, reported already.
            (false, a) => a,
        };
        self.print_scalar(x, kind, pending);
    }

    fn print_scalar(&mut self, x: Atom, kind: ErrorKind, pending: &mut Pending) {
        let site = self.print_site(kind, std::mem::take(&mut pending.text), pending.span);
        self.emit(Stmt::Print { site, value: Some(x) });
    }

    /// Emits the pending text, if any.
    fn flush(&mut self, pending: &mut Pending) {
        if !pending.text.is_empty() {
            let site = self.print_site(ErrorKind::PrintText, std::mem::take(&mut pending.text), pending.span);
            self.emit(Stmt::Print { site, value: None });
        }
    }

    fn print_site(&mut self, kind: ErrorKind, message: String, span: Span) -> u32 {
        self.f.errors.push(ErrorSite { kind, message, span: (span.start, span.end), needs: Vec::new() });
        (self.f.errors.len() - 1) as u32
    }

    /// The size of dimension `d` of `v` (of its first leaf, for a tuple: every component has
    /// the tuple's array dimensions).
    fn size(&mut self, v: Val, d: usize) -> Atom {
        if v.ty.is_tuple() {
            let first = self.components_of(v)[0];
            return self.size(first, d);
        }
        self.dim(v.atom, d)
    }
}
