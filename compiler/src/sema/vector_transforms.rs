//! Stan's constraining transforms of whole vectors and matrices, one piece of code each, shared
//! by parameters (reading theta, adding the log-Jacobian), `unconstrain` (init files), the
//! checks of declared variables, and Stan 2.37's `<t>_constrain`, `<t>_jacobian` and
//! `<t>_unconstrain` functions (reading a flat view of their argument).
//!
//! - `sum_to_zero_vector[K]`: z = V y, V's column i being (1, …, 1, −i, 0, …)ᵀ / √(i(i+1))
//!   (i ones): Stan's isometric log ratio ("pivot coordinates"), linear and isometric onto the
//!   zero-sum subspace, so no Jacobian term. `sum_to_zero_matrix[N, M]`: the same along the
//!   columns, then along the rows, with Stan's order of the elements (the first of each
//!   transformed vector last).
//! - `simplex` by stick-breaking (vppl's parameters, Stan up to 2.36) or by the inverse
//!   isometric log ratio, softmax(sum_to_zero(y)) (Stan 2.37), log|J| = Σ log x + ½ log K.
//! - `unit_vector[K]`: x / ‖x‖ of K free values, log-Jacobian term −½ xᵀx.
//! - `column_stochastic_matrix` / `row_stochastic_matrix`: each column / row a simplex.
//!
//! The free values of a matrix transform are a matrix in column-major order, as Stan reads
//! them: a row of a row-stochastic matrix has its free values N apart.

use grammar::Span;
use grammar::ast::{self, TypeKind};

use crate::ir::{Atom, Core, ErrorKind, Expr, Fun, Prim, Stmt, Ty, VarId};
use crate::sema::matrix_transforms::MatrixKind;
use crate::sema::{Lowerer, Mode, Val};

/// Which map of free values onto a simplex.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum SimplexMap {
    /// Stan's stick-breaking transform (to Stan 2.36), which vppl's parameters use.
    StickBreaking,
    /// Stan 2.37's inverse isometric log ratio, softmax(sum_to_zero_constrain(y)).
    Ilr,
}

/// A constraining transform of a vector or a matrix.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Transform {
    Ordered,
    PositiveOrdered,
    Simplex(SimplexMap),
    SumToZero,
    SumToZeroMatrix,
    UnitVector,
    StochasticColumn(SimplexMap),
    StochasticRow(SimplexMap),
    CholeskyCorr,
    Matrix(MatrixKind),
}

impl Transform {
    /// The transform of a declared type (parameters use stick-breaking for simplexes).
    pub(crate) fn of_decl(kind: &TypeKind) -> Option<Transform> {
        let sb = SimplexMap::StickBreaking;
        Some(match kind {
            TypeKind::Ordered => Transform::Ordered,
            TypeKind::PositiveOrdered => Transform::PositiveOrdered,
            TypeKind::Simplex => Transform::Simplex(sb),
            TypeKind::SumToZeroVector => Transform::SumToZero,
            TypeKind::SumToZeroMatrix => Transform::SumToZeroMatrix,
            TypeKind::UnitVector => Transform::UnitVector,
            TypeKind::ColumnStochasticMatrix => Transform::StochasticColumn(sb),
            TypeKind::RowStochasticMatrix => Transform::StochasticRow(sb),
            TypeKind::CholeskyFactorCorr => Transform::CholeskyCorr,
            TypeKind::CovMatrix => Transform::Matrix(MatrixKind::Cov),
            TypeKind::CorrMatrix => Transform::Matrix(MatrixKind::Corr),
            TypeKind::CholeskyFactorCov => Transform::Matrix(MatrixKind::CholeskyCov),
            _ => return None,
        })
    }

    /// The transform of a Stan 2.37 transform function's name (`simplex` in `simplex_constrain`),
    /// given whether its constrained value is a matrix (`sum_to_zero` has both).
    pub(crate) fn of_function(name: &str, matrix: bool) -> Option<Transform> {
        let ilr = SimplexMap::Ilr;
        Some(match name {
            "ordered" => Transform::Ordered,
            "positive_ordered" => Transform::PositiveOrdered,
            "simplex" => Transform::Simplex(ilr),
            "sum_to_zero" if matrix => Transform::SumToZeroMatrix,
            "sum_to_zero" => Transform::SumToZero,
            "unit_vectors" => Transform::UnitVector,
            "stochastic_column" => Transform::StochasticColumn(ilr),
            "stochastic_row" => Transform::StochasticRow(ilr),
            "cholesky_factor_corr" => Transform::CholeskyCorr,
            "cov_matrix" => Transform::Matrix(MatrixKind::Cov),
            "corr_matrix" => Transform::Matrix(MatrixKind::Corr),
            "cholesky_factor_cov" => Transform::Matrix(MatrixKind::CholeskyCov),
            _ => return None,
        })
    }

    /// 1 for a vector, 2 for a matrix.
    pub(crate) fn core_rank(self) -> usize {
        match self {
            Transform::Ordered
            | Transform::PositiveOrdered
            | Transform::Simplex(_)
            | Transform::SumToZero
            | Transform::UnitVector => 1,
            _ => 2,
        }
    }

    /// Whether a declared variable of this type (data, transformed data, transformed
    /// parameters, generated quantities) is checked against it. The covariance, correlation
    /// and Cholesky factor types are not yet.
    pub(crate) fn checked_when_declared(self) -> bool {
        !matches!(self, Transform::CholeskyCorr | Transform::Matrix(_))
    }

    /// Whether the free values are a matrix too (else a vector).
    pub(crate) fn free_is_matrix(self) -> bool {
        matches!(self, Transform::SumToZeroMatrix | Transform::StochasticColumn(_) | Transform::StochasticRow(_))
    }

    /// The type's keyword, for messages.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Transform::Ordered => "ordered",
            Transform::PositiveOrdered => "positive_ordered",
            Transform::Simplex(_) => "simplex",
            Transform::SumToZero => "sum_to_zero_vector",
            Transform::SumToZeroMatrix => "sum_to_zero_matrix",
            Transform::UnitVector => "unit_vector",
            Transform::StochasticColumn(_) => "column_stochastic_matrix",
            Transform::StochasticRow(_) => "row_stochastic_matrix",
            Transform::CholeskyCorr => "cholesky_factor_corr",
            Transform::Matrix(MatrixKind::Cov) => "cov_matrix",
            Transform::Matrix(MatrixKind::Corr) => "corr_matrix",
            Transform::Matrix(MatrixKind::CholeskyCov) => "cholesky_factor_cov",
        }
    }
}

/// Where an inverse transform writes the unconstrained values of one constrained value.
#[derive(Clone)]
pub(crate) enum Sink {
    /// The output buffer of `unconstrain`, at 0-based positions.
    Output,
    /// Element `idx` of a container of free vectors (or column-major free matrices of `rows`
    /// rows), whose values start after 0-based position `base`.
    Var { var: VarId, idx: Vec<Atom>, base: Atom, rows: Option<Atom> },
}

/// Whom a failed constraint check names.
#[derive(Clone, Copy)]
pub(crate) enum Who<'d> {
    /// A parameter's value from an init file.
    Init(&'d ast::VarDecl),
    /// A declared variable of another block (`"data variable"`, …).
    Declared(&'d ast::VarDecl, &'d str),
    /// The argument of a transform function.
    Call(&'d str, Span),
}

/// Whom a failed check names, and the array indices of the value checked (an element of an
/// array is named by them, then by its own indices).
#[derive(Clone)]
pub(crate) struct Subject<'d> {
    pub who: Who<'d>,
    pub at: Vec<Atom>,
}

impl<'d> Subject<'d> {
    pub(crate) fn new(who: Who<'d>) -> Self {
        Subject { who, at: vec![] }
    }

    /// Where the value is declared or the call made.
    pub(crate) fn span(&self) -> Span {
        match self.who {
            Who::Init(d) | Who::Declared(d, _) => d.name.span,
            Who::Call(_, span) => span,
        }
    }
}

/// Reads the free value at 1-based position `j` of a block.
pub(crate) type Read<'r, 'l> = &'r mut dyn FnMut(&mut Lowerer<'l>, Atom) -> Atom;
/// Writes the value of 1-based position `j` of a block.
pub(crate) type Write<'r, 'l> = &'r mut dyn FnMut(&mut Lowerer<'l>, Atom, Atom);

/// Stan's tolerance of constraint checks on given values (`CONSTRAINT_TOLERANCE`).
const TOLERANCE: f64 = 1e-8;

impl<'l> Lowerer<'l> {
    /// The number of free values of one constrained value of sizes `core`.
    pub(crate) fn free_count(&mut self, t: Transform, core: &[Atom]) -> Atom {
        let minus_one = |l: &mut Self, a: Atom| l.prim(Prim::ISub, &[a, Atom::Int(1)]);
        match t {
            Transform::Ordered | Transform::PositiveOrdered | Transform::UnitVector => core[0],
            Transform::Simplex(_) | Transform::SumToZero => minus_one(self, core[0]),
            Transform::SumToZeroMatrix => {
                let (a, b) = (minus_one(self, core[0]), minus_one(self, core[1]));
                self.product(&[a, b])
            }
            Transform::StochasticColumn(_) => {
                let a = minus_one(self, core[0]);
                self.product(&[a, core[1]])
            }
            Transform::StochasticRow(_) => {
                let b = minus_one(self, core[1]);
                self.product(&[core[0], b])
            }
            Transform::CholeskyCorr => self.matrix_free_count(MatrixKind::Corr, core[0], core[1]),
            Transform::Matrix(kind) => self.matrix_free_count(kind, core[0], core[1]),
        }
    }

    /// The sizes a constrained value must have at least (Stan's: a simplex or a stochastic
    /// matrix needs an element to sum to one, the transforms that take one free value less
    /// than they give need one, a unit vector needs a direction), checked at run time.
    pub(crate) fn check_least_sizes(&mut self, t: Transform, core: &[Atom], span: Span) {
        let least: &[usize] = match t {
            Transform::Simplex(_) | Transform::SumToZero | Transform::UnitVector => &[0],
            Transform::SumToZeroMatrix => &[0, 1],
            Transform::StochasticColumn(_) => &[0],
            Transform::StochasticRow(_) => &[1],
            _ => &[],
        };
        for &d in least {
            let k = core[d];
            if !matches!(k, Atom::Int(n) if n >= 1) {
                let ok = self.prim(Prim::IGe, &[k, Atom::Int(1)]);
                let message = format!("a {} has size {{}}, and it needs at least one element", t.keyword());
                self.check(ok, ErrorKind::Fatal, message, span, vec![k]);
            }
        }
    }

    /// Runs `body` for each constrained value of a container of sizes `dims` (array dimensions,
    /// then the `core_rank` sizes of one value), with the 0-based position before its `per`
    /// free values (after `offset`), its array indices and its 0-based number in memory order.
    pub(crate) fn for_each_block(
        &mut self,
        offset: Atom,
        dims: &[Atom],
        core_rank: usize,
        per: Atom,
        body: &mut dyn FnMut(&mut Self, Atom, &[Atom], Atom),
    ) {
        let array_dims = &dims[..dims.len() - core_rank];
        // Row-major strides of the array dimensions, in values.
        let mut strides = vec![Atom::Int(1); array_dims.len()];
        let mut stride = Atom::Int(1);
        for d in (0..array_dims.len()).rev() {
            strides[d] = stride;
            stride = self.product(&[stride, array_dims[d]]);
        }
        let mut each = |l: &mut Self, idx: &[Atom]| {
            let mut linear = Atom::Int(0);
            for (i, s) in idx.iter().zip(&strides) {
                let i0 = l.prim(Prim::ISub, &[*i, Atom::Int(1)]);
                let t = l.prim(Prim::IMul, &[i0, *s]);
                linear = l.prim(Prim::IAdd, &[linear, t]);
            }
            let skip = l.prim(Prim::IMul, &[linear, per]);
            let base = l.prim(Prim::IAdd, &[offset, skip]);
            body(l, base, idx, linear);
        };
        if array_dims.is_empty() {
            each(self, &[]);
        } else {
            self.for_each_index(array_dims, Core::Scalar, &mut each);
        }
    }

    /// Constrains every value of a container of sizes `dims`: the free values follow 0-based
    /// position `offset` of the flat vector `src` (theta, or a function's argument), the
    /// constrained ones go to `out`; adds the log-Jacobian when `jacobian`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn constrain_all(
        &mut self,
        t: Transform,
        src: VarId,
        offset: Atom,
        out: VarId,
        dims: &[Atom],
        jacobian: bool,
        span: Span,
    ) {
        let core = dims[dims.len() - t.core_rank()..].to_vec();
        let per = self.free_count(t, &core);
        self.for_each_block(offset, dims, t.core_rank(), per, &mut |l, base, idx, _| {
            l.constrain_one(t, src, base, out, idx, &core, jacobian, span);
        });
    }

    /// One constrained value: free values `src[base + j]`, constrained elements `out[idx.., …]`.
    #[allow(clippy::too_many_arguments)]
    fn constrain_one(
        &mut self,
        t: Transform,
        src: VarId,
        base: Atom,
        out: VarId,
        idx: &[Atom],
        core: &[Atom],
        jacobian: bool,
        span: Span,
    ) {
        // The free value at 1-based position `stride (c − 1) + j·step + first` of the block.
        let at = |l: &mut Self, pos: Atom| {
            let p = l.prim(Prim::IAdd, &[base, pos]);
            l.let_(Ty::REAL, Expr::Load { base: src, indices: vec![p] })
        };
        let put = |l: &mut Self, mut indices: Vec<Atom>, value: Atom| {
            let mut full = idx.to_vec();
            full.append(&mut indices);
            l.emit(Stmt::Assign { var: out, indices: full, value });
        };
        let k = core[0];
        let km1 = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
        match t {
            Transform::Ordered | Transform::PositiveOrdered => {
                let positive = t == Transform::PositiveOrdered;
                self.ordered_core(k, &mut |l, j| at(l, j), &mut |l, j, v| put(l, vec![j], v), positive, jacobian);
            }
            Transform::Simplex(map) => {
                self.simplex_core(map, km1, &mut |l, j| at(l, j), &mut |l, j, v| put(l, vec![j], v), jacobian);
            }
            Transform::SumToZero => {
                self.sum_to_zero_core(km1, &mut |l, j| at(l, j), &mut |l, j, v| put(l, vec![j], v));
            }
            Transform::UnitVector => {
                self.unit_vector_core(k, &mut |l, j| at(l, j), &mut |l, j, v| put(l, vec![j], v), jacobian, span);
            }
            Transform::SumToZeroMatrix => {
                // Along the columns into an N × (M − 1) matrix, then along its rows.
                let (n, m) = (core[0], core[1]);
                let mm1 = self.prim(Prim::ISub, &[m, Atom::Int(1)]);
                let half = self.build(Ty::MATRIX, vec![n, mm1]);
                let Atom::Var(half) = half else { unreachable!("build returns a variable") };
                self.for_loop(Atom::Int(1), mm1, |l, c| {
                    let before = l.prim(Prim::ISub, &[c, Atom::Int(1)]);
                    let before = l.prim(Prim::IMul, &[before, km1]);
                    l.sum_to_zero_core(
                        km1,
                        &mut |l, j| {
                            let p = l.prim(Prim::IAdd, &[before, j]);
                            at(l, p)
                        },
                        &mut |l, j, v| {
                            let r = l.stan_order(j, n);
                            l.emit(Stmt::Assign { var: half, indices: vec![r, c], value: v });
                        },
                    );
                });
                self.for_loop(Atom::Int(1), n, |l, r| {
                    l.sum_to_zero_core(
                        mm1,
                        &mut |l, j| l.let_(Ty::REAL, Expr::Load { base: half, indices: vec![r, j] }),
                        &mut |l, j, v| {
                            let c = l.stan_order(j, m);
                            put(l, vec![r, c], v);
                        },
                    );
                });
            }
            Transform::StochasticColumn(map) => {
                // Column c's N − 1 free values follow the (c − 1)(N − 1) of the columns before.
                self.for_loop(Atom::Int(1), core[1], |l, c| {
                    let before = l.prim(Prim::ISub, &[c, Atom::Int(1)]);
                    let before = l.prim(Prim::IMul, &[before, km1]);
                    l.simplex_core(
                        map,
                        km1,
                        &mut |l, j| {
                            let p = l.prim(Prim::IAdd, &[before, j]);
                            at(l, p)
                        },
                        &mut |l, j, v| put(l, vec![j, c], v),
                        jacobian,
                    );
                });
            }
            Transform::StochasticRow(map) => {
                // Row r's M − 1 free values are those of row r of the N × (M − 1) free matrix.
                let mm1 = self.prim(Prim::ISub, &[core[1], Atom::Int(1)]);
                self.for_loop(Atom::Int(1), k, |l, r| {
                    l.simplex_core(
                        map,
                        mm1,
                        &mut |l, j| {
                            let jm1 = l.prim(Prim::ISub, &[j, Atom::Int(1)]);
                            let p = l.prim(Prim::IMul, &[jm1, k]);
                            let p = l.prim(Prim::IAdd, &[p, r]);
                            at(l, p)
                        },
                        &mut |l, j, v| put(l, vec![r, j], v),
                        jacobian,
                    );
                });
            }
            Transform::CholeskyCorr => self.constrain_cholesky_corr(src, base, out, idx, k, jacobian),
            Transform::Matrix(kind) => self.constrain_matrix(kind, src, base, out, idx, core[0], core[1], jacobian),
        }
    }

    /// Stan's order of a transformed vector of `k` in a sum-to-zero matrix: its first element
    /// last, the others one place earlier.
    fn stan_order(&mut self, j: Atom, k: Atom) -> Atom {
        let first = self.prim(Prim::IEq, &[j, Atom::Int(1)]);
        let earlier = self.prim(Prim::ISub, &[j, Atom::Int(1)]);
        // j = 1 → k, else j − 1: (j − 1) + k·[j = 1].
        let extra = self.prim(Prim::IMul, &[first, k]);
        self.prim(Prim::IAdd, &[earlier, extra])
    }

    /// Checks every value of a container (`value`, of sizes `dims`) and writes its free values
    /// to `sink` (the output after `offset`, or a container of free values).
    pub(crate) fn free_all(
        &mut self,
        t: Transform,
        value: VarId,
        offset: Atom,
        dims: &[Atom],
        out: Option<VarId>,
        subject: &Subject<'_>,
    ) {
        let core = dims[dims.len() - t.core_rank()..].to_vec();
        let per = self.free_count(t, &core);
        let rows = if t.free_is_matrix() {
            let r = match t {
                Transform::StochasticRow(_) => core[0],
                _ => self.prim(Prim::ISub, &[core[0], Atom::Int(1)]),
            };
            Some(r)
        } else {
            None
        };
        self.for_each_block(offset, dims, t.core_rank(), per, &mut |l, base, idx, linear| {
            let elem = l.element_view(value, idx, linear, &core);
            let sink = match out {
                None => Sink::Output,
                Some(var) => Sink::Var { var, idx: idx.to_vec(), base, rows },
            };
            let subject = Subject { at: idx.to_vec(), ..subject.clone() };
            l.check_one(t, elem, &core, &subject);
            l.free_one(t, elem, base, &core, &sink, subject.span());
        });
    }

    /// Checks every value of a declared container against its type's constraint.
    pub(crate) fn check_all(&mut self, t: Transform, value: VarId, dims: &[Atom], subject: &Subject<'_>) {
        let core = dims[dims.len() - t.core_rank()..].to_vec();
        self.for_each_block(Atom::Int(0), dims, t.core_rank(), Atom::Int(0), &mut |l, _, idx, linear| {
            let elem = l.element_view(value, idx, linear, &core);
            let subject = Subject { at: idx.to_vec(), ..subject.clone() };
            l.check_one(t, elem, &core, &subject);
        });
    }

    /// The value at array indices `idx` (number `linear` in memory) of `value`, whose values
    /// have sizes `core`: `value` itself when it is not an array.
    fn element_view(&mut self, value: VarId, idx: &[Atom], linear: Atom, core: &[Atom]) -> VarId {
        if idx.is_empty() {
            return value;
        }
        let size = self.product(core);
        let offset = self.prim(Prim::IMul, &[linear, size]);
        let ty = if core.len() == 1 { Ty::VECTOR } else { Ty::MATRIX };
        let view = self.let_(ty, Expr::View { base: value, offset, dims: core.to_vec() });
        view.var().expect("a view is a variable")
    }

    /// Writes free value `value` at 0-based position `pos` (of the output; within a block of a
    /// container of free values, counted from the block's base).
    pub(crate) fn put(&mut self, sink: &Sink, pos: Atom, value: Atom) {
        match sink {
            Sink::Output => self.emit(Stmt::Output { pos, value }),
            Sink::Var { var, idx, base, rows } => {
                let j0 = self.prim(Prim::ISub, &[pos, *base]);
                let mut indices = idx.clone();
                match rows {
                    None => indices.push(self.prim(Prim::IAdd, &[j0, Atom::Int(1)])),
                    Some(r) => {
                        let row = self.prim(Prim::IMod, &[j0, *r]);
                        indices.push(self.prim(Prim::IAdd, &[row, Atom::Int(1)]));
                        let col = self.prim(Prim::IDiv, &[j0, *r]);
                        indices.push(self.prim(Prim::IAdd, &[col, Atom::Int(1)]));
                    }
                }
                self.emit(Stmt::Assign { var: *var, indices, value });
            }
        }
    }

    /// Raises "`who` = y violates rule" unless `ok`: `who` names the subject and the element
    /// at `idx` (up to two indices shown), `{}` in `rule` are filled with `values`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn violation(
        &mut self,
        subject: &Subject<'_>,
        ok: Atom,
        idx: &[Atom],
        y: Option<Atom>,
        rule: &str,
        values: Vec<Atom>,
    ) {
        let idx = [subject.at.as_slice(), idx].concat();
        let (position, mut all) = super::transforms::element_label(&idx);
        let (who, kind, span) = match subject.who {
            Who::Init(d) => (format!("init value `{}{position}`", d.name.name), ErrorKind::Data, d.name.span),
            Who::Declared(d, what) => {
                let kind = if self.mode == Mode::Load { ErrorKind::Data } else { ErrorKind::Domain };
                (format!("{what} `{}{position}`", d.name.name), kind, d.name.span)
            }
            Who::Call(name, span) if idx.is_empty() => (format!("{name}: the argument"), ErrorKind::Domain, span),
            Who::Call(name, span) => (format!("{name}: the argument's element{position}"), ErrorKind::Domain, span),
        };
        let equals = if let Some(y) = y {
            all.push(y);
            " = {}"
        } else {
            ""
        };
        all.extend(values);
        let message = format!("{who}{equals} violates {rule}");
        self.check(ok, kind, message, span, all);
    }

    /// Raises `rule` (its `{}` filled with the values, then `value`) unless `value` is `target`
    /// within Stan's tolerance.
    pub(crate) fn check_close(
        &mut self,
        subject: &Subject<'_>,
        value: Atom,
        target: f64,
        rule: &str,
        values: Vec<Atom>,
    ) {
        let deviation = self.prim(Prim::Sub, &[value, Atom::Real(target)]);
        let deviation = self.prim(Prim::Fabs, &[deviation]);
        let ok = self.prim(Prim::Le, &[deviation, Atom::Real(TOLERANCE)]);
        let mut values = values;
        values.push(value);
        self.violation(subject, ok, &[], None, rule, values);
    }

    /// Σ_{j=1..k} f(j).
    fn sum_of(&mut self, k: Atom, f: &mut dyn FnMut(&mut Self, Atom) -> Atom) -> Atom {
        self.reduce_range(Atom::Int(1), k, f)
    }

    /// Checks that `elem` (one value, of sizes `core`) satisfies the constraint of `t`.
    pub(crate) fn check_one(&mut self, t: Transform, elem: VarId, core: &[Atom], subject: &Subject<'_>) {
        let load = |l: &mut Self, indices: Vec<Atom>| l.let_(Ty::REAL, Expr::Load { base: elem, indices });
        let k = core[0];
        match t {
            Transform::Ordered | Transform::PositiveOrdered => {
                let positive = t == Transform::PositiveOrdered;
                let kind = t.keyword();
                if positive {
                    self.if_nonempty(k, |l| {
                        let y1 = load(l, vec![Atom::Int(1)]);
                        let ok = l.prim(Prim::Gt, &[y1, Atom::Real(0.0)]);
                        l.violation(
                            subject,
                            ok,
                            &[Atom::Int(1)],
                            Some(y1),
                            "positive_ordered: it must be positive",
                            vec![],
                        );
                    });
                }
                self.for_loop(Atom::Int(2), k, |l, j| {
                    let jm1 = l.prim(Prim::ISub, &[j, Atom::Int(1)]);
                    let y = load(l, vec![j]);
                    let prev = load(l, vec![jm1]);
                    let ok = l.prim(Prim::Gt, &[y, prev]);
                    let rule = format!("{kind}: it must be greater than the element before it, {{}}");
                    l.violation(subject, ok, &[j], Some(y), &rule, vec![prev]);
                });
            }
            Transform::Simplex(_) => self.check_simplex(subject, k, &mut |l, j| load(l, vec![j]), &|j| vec![j], None),
            Transform::StochasticColumn(_) => {
                self.for_loop(Atom::Int(1), core[1], |l, c| {
                    let read = &mut |l: &mut Self, j| load(l, vec![j, c]);
                    l.check_simplex(subject, k, read, &|j| vec![j, c], Some(("column_stochastic_matrix: column", c)));
                });
            }
            Transform::StochasticRow(_) => {
                self.for_loop(Atom::Int(1), k, |l, r| {
                    let read = &mut |l: &mut Self, j| load(l, vec![r, j]);
                    l.check_simplex(subject, core[1], read, &|j| vec![r, j], Some(("row_stochastic_matrix: row", r)));
                });
            }
            Transform::SumToZero => {
                let s = self.sum_of(k, &mut |l, j| load(l, vec![j]));
                self.check_close(subject, s, 0.0, "sum_to_zero_vector: its elements sum to {}, not 0", vec![]);
            }
            Transform::SumToZeroMatrix => {
                let m = core[1];
                self.for_loop(Atom::Int(1), m, |l, c| {
                    let s = l.sum_of(k, &mut |l, j| load(l, vec![j, c]));
                    l.check_close(subject, s, 0.0, "sum_to_zero_matrix: column {} sums to {}, not 0", vec![c]);
                });
                self.for_loop(Atom::Int(1), k, |l, r| {
                    let s = l.sum_of(m, &mut |l, j| load(l, vec![r, j]));
                    l.check_close(subject, s, 0.0, "sum_to_zero_matrix: row {} sums to {}, not 0", vec![r]);
                });
            }
            Transform::UnitVector => {
                let s = self.sum_of(k, &mut |l, j| {
                    let y = load(l, vec![j]);
                    l.prim(Prim::Mul, &[y, y])
                });
                self.check_close(subject, s, 1.0, "unit_vector: its squared length is {}, not 1", vec![]);
            }
            Transform::CholeskyCorr => self.check_cholesky_corr(subject, elem, k),
            Transform::Matrix(kind) => self.check_matrix(kind, subject, elem, core[1]),
        }
    }

    /// A simplex of `k` elements (`read(j)`, named by the indices `label(j)`): each
    /// non-negative, their sum 1. `line` names the column or row of a stochastic matrix.
    fn check_simplex(
        &mut self,
        subject: &Subject<'_>,
        k: Atom,
        read: Read<'_, 'l>,
        label: &dyn Fn(Atom) -> Vec<Atom>,
        line: Option<(&str, Atom)>,
    ) {
        let s = self.sum_of(k, &mut |l, j| {
            let y = read(l, j);
            let ok = l.prim(Prim::Ge, &[y, Atom::Real(0.0)]);
            let rule = line.map_or("simplex".to_string(), |(what, _)| what.split(':').next().unwrap_or("").to_string());
            l.violation(subject, ok, &label(j), Some(y), &format!("{rule}: it must be >= 0"), vec![]);
            y
        });
        match line {
            None => self.check_close(subject, s, 1.0, "simplex: its elements sum to {}, not 1", vec![]),
            Some((what, i)) => self.check_close(subject, s, 1.0, &format!("{what} {{}} sums to {{}}, not 1"), vec![i]),
        }
    }

    /// Writes the free values of the checked value `elem` (sizes `core`) to `sink`, after
    /// 0-based position `base`.
    fn free_one(&mut self, t: Transform, elem: VarId, base: Atom, core: &[Atom], sink: &Sink, span: Span) {
        let load = |l: &mut Self, indices: Vec<Atom>| l.let_(Ty::REAL, Expr::Load { base: elem, indices });
        // Free value j of the block (1-based) at 0-based position base + j − 1.
        let put = |l: &mut Self, j: Atom, v: Atom| {
            let p = l.prim(Prim::IAdd, &[base, j]);
            let p = l.prim(Prim::ISub, &[p, Atom::Int(1)]);
            l.put(sink, p, v);
        };
        let k = core[0];
        match t {
            Transform::Ordered | Transform::PositiveOrdered => {
                let positive = t == Transform::PositiveOrdered;
                self.free_ordered_core(k, &mut |l, j| load(l, vec![j]), &mut |l, j, v| put(l, j, v), positive);
            }
            Transform::Simplex(map) => {
                self.simplex_free_core(map, k, &mut |l, j| load(l, vec![j]), &mut |l, j, v| put(l, j, v));
            }
            Transform::SumToZero => {
                self.sum_to_zero_free_core(k, &mut |l, j| load(l, vec![j]), &mut |l, j, v| put(l, j, v));
            }
            Transform::UnitVector => self.for_loop(Atom::Int(1), k, |l, j| {
                let y = load(l, vec![j]);
                put(l, j, y);
            }),
            Transform::SumToZeroMatrix => {
                // Along the rows of Z into an N × (M − 1) matrix, then along its columns.
                let (n, m) = (core[0], core[1]);
                let (nm1, mm1) = (self.prim(Prim::ISub, &[n, Atom::Int(1)]), self.prim(Prim::ISub, &[m, Atom::Int(1)]));
                let half = self.build(Ty::MATRIX, vec![n, mm1]);
                let Atom::Var(half) = half else { unreachable!("build returns a variable") };
                self.for_loop(Atom::Int(1), n, |l, r| {
                    l.sum_to_zero_free_core(
                        m,
                        &mut |l, j| {
                            let c = l.stan_order(j, m);
                            load(l, vec![r, c])
                        },
                        &mut |l, j, v| l.emit(Stmt::Assign { var: half, indices: vec![r, j], value: v }),
                    );
                });
                self.for_loop(Atom::Int(1), mm1, |l, c| {
                    let before = l.prim(Prim::ISub, &[c, Atom::Int(1)]);
                    let before = l.prim(Prim::IMul, &[before, nm1]);
                    l.sum_to_zero_free_core(
                        n,
                        &mut |l, j| {
                            let r = l.stan_order(j, n);
                            l.let_(Ty::REAL, Expr::Load { base: half, indices: vec![r, c] })
                        },
                        &mut |l, j, v| {
                            let p = l.prim(Prim::IAdd, &[before, j]);
                            put(l, p, v);
                        },
                    );
                });
            }
            Transform::StochasticColumn(map) => {
                let km1 = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
                self.for_loop(Atom::Int(1), core[1], |l, c| {
                    let before = l.prim(Prim::ISub, &[c, Atom::Int(1)]);
                    let before = l.prim(Prim::IMul, &[before, km1]);
                    l.simplex_free_core(map, k, &mut |l, j| load(l, vec![j, c]), &mut |l, j, v| {
                        let p = l.prim(Prim::IAdd, &[before, j]);
                        put(l, p, v);
                    });
                });
            }
            Transform::StochasticRow(map) => {
                self.for_loop(Atom::Int(1), k, |l, r| {
                    l.simplex_free_core(map, core[1], &mut |l, j| load(l, vec![r, j]), &mut |l, j, v| {
                        let jm1 = l.prim(Prim::ISub, &[j, Atom::Int(1)]);
                        let p = l.prim(Prim::IMul, &[jm1, k]);
                        let p = l.prim(Prim::IAdd, &[p, r]);
                        put(l, p, v);
                    });
                });
            }
            Transform::CholeskyCorr => self.free_cholesky_corr(elem, base, k, sink),
            Transform::Matrix(kind) => self.free_matrix(kind, elem, base, core[0], core[1], sink, span),
        }
    }

    /// `for (i in hi:lo) body(i)`, from `hi` down.
    pub(crate) fn for_loop_rev(&mut self, lo: Atom, hi: Atom, body: impl FnOnce(&mut Self, Atom)) {
        let var = self.f.new_var(Some("i".into()), Ty::INT, crate::ir::VarKind::LoopIndex);
        self.open();
        body(self, Atom::Var(var));
        let body = self.close();
        self.emit(Stmt::For { var, lo, hi, reverse: true, body });
    }

    /// The sum-to-zero transform of `n` free values into n + 1 values z = V y. From the last
    /// free value back, with S the sum of the w_i = y_i / √(i(i+1)) after i:
    /// z_{i+1} = S − i w_i, and z_1 is the sum of them all. Linear and isometric onto the
    /// zero-sum subspace: no Jacobian term.
    pub(crate) fn sum_to_zero_core(&mut self, n: Atom, read: Read<'_, 'l>, write: Write<'_, 'l>) {
        let sum = self.mutable(Ty::REAL, Atom::Real(0.0));
        self.for_loop_rev(Atom::Int(1), n, |l, i| {
            let y = read(l, i);
            let root = l.root_of_pair(i);
            let w = l.prim(Prim::Div, &[y, root]);
            let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)));
            let ir = l.prim(Prim::ToReal, &[i]);
            let iw = l.prim(Prim::Mul, &[ir, w]);
            let z = l.prim(Prim::Sub, &[s, iw]);
            let next = l.prim(Prim::IAdd, &[i, Atom::Int(1)]);
            write(l, next, z);
            let s = l.prim(Prim::Add, &[s, w]);
            l.emit(Stmt::Assign { var: sum, indices: vec![], value: s });
        });
        let s = self.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)));
        write(self, Atom::Int(1), s);
    }

    /// √(i(i+1)) of an int i.
    fn root_of_pair(&mut self, i: Atom) -> Atom {
        let ir = self.prim(Prim::ToReal, &[i]);
        let ip1 = self.prim(Prim::Add, &[ir, Atom::Real(1.0)]);
        let p = self.prim(Prim::Mul, &[ir, ip1]);
        self.prim(Prim::Sqrt, &[p])
    }

    /// The inverse, Vᵀz, of `k` values: y_i = (Σ_{j ≤ i} z_j − i z_{i+1}) / √(i(i+1)), i < k
    /// (on logarithms, the isometric log ratio of Stan's `simplex_free`).
    pub(crate) fn sum_to_zero_free_core(&mut self, k: Atom, read: Read<'_, 'l>, write: Write<'_, 'l>) {
        let sum = self.mutable(Ty::REAL, Atom::Real(0.0));
        let km1 = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
        self.for_loop(Atom::Int(1), km1, |l, i| {
            let z = read(l, i);
            let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)));
            let s = l.prim(Prim::Add, &[s, z]);
            l.emit(Stmt::Assign { var: sum, indices: vec![], value: s });
            let ip1 = l.prim(Prim::IAdd, &[i, Atom::Int(1)]);
            let next = read(l, ip1);
            let ir = l.prim(Prim::ToReal, &[i]);
            let t = l.prim(Prim::Mul, &[ir, next]);
            let d = l.prim(Prim::Sub, &[s, t]);
            let root = l.root_of_pair(i);
            let y = l.prim(Prim::Div, &[d, root]);
            write(l, i, y);
        });
    }

    /// A simplex of n + 1 elements from `n` free values.
    pub(crate) fn simplex_core(
        &mut self,
        map: SimplexMap,
        n: Atom,
        read: Read<'_, 'l>,
        write: Write<'_, 'l>,
        jacobian: bool,
    ) {
        match map {
            SimplexMap::StickBreaking => self.stick_breaking(n, read, write, jacobian),
            SimplexMap::Ilr => {
                // x = softmax(z), z = sum_to_zero(y); log|J| = Σ log x + ½ log K, and
                // Σ log x = Σ z − K lse(z) = −K lse(z).
                let k = self.prim(Prim::IAdd, &[n, Atom::Int(1)]);
                let z = self.build(Ty::VECTOR, vec![k]);
                let Atom::Var(zv) = z else { unreachable!("build returns a variable") };
                self.sum_to_zero_core(n, read, &mut |l, j, v| {
                    l.emit(Stmt::Assign { var: zv, indices: vec![j], value: v });
                });
                let lse = self.log_sum_exp_all(Val { atom: z, ty: Ty::VECTOR, data: false });
                self.for_loop(Atom::Int(1), k, |l, j| {
                    let zj = l.let_(Ty::REAL, Expr::Load { base: zv, indices: vec![j] });
                    let d = l.prim(Prim::Sub, &[zj, lse]);
                    let x = l.prim(Fun::Exp, &[d]);
                    write(l, j, x);
                });
                if jacobian {
                    let kr = self.prim(Prim::ToReal, &[k]);
                    let a = self.prim(Prim::Mul, &[kr, lse]);
                    let lk = self.prim(Fun::Log, &[kr]);
                    let b = self.prim(Prim::Mul, &[Atom::Real(0.5), lk]);
                    let lj = self.prim(Prim::Sub, &[b, a]);
                    self.emit(Stmt::TargetAdd(lj));
                }
            }
        }
    }

    /// The free values of a checked simplex of `k` elements.
    fn simplex_free_core(&mut self, map: SimplexMap, k: Atom, read: Read<'_, 'l>, write: Write<'_, 'l>) {
        match map {
            SimplexMap::StickBreaking => self.stick_breaking_free(k, read, write),
            SimplexMap::Ilr => self.sum_to_zero_free_core(
                k,
                &mut |l, j| {
                    let x = read(l, j);
                    l.prim(Fun::Log, &[x])
                },
                write,
            ),
        }
    }

    /// Stan's stick-breaking transform: for j ≤ N = n, z = inv_logit(y_j − log(N − j + 1)),
    /// x_j = s·z, s ← s − x_j (s starts at 1), x_K = s; log|J| = Σ log s + log z + log(1 − z).
    fn stick_breaking(&mut self, n: Atom, read: Read<'_, 'l>, write: Write<'_, 'l>, jacobian: bool) {
        let stick = self.mutable(Ty::REAL, Atom::Real(1.0));
        self.for_loop(Atom::Int(1), n, |l, j| {
            let x = read(l, j);
            let log_remaining = l.log_remaining(n, j);
            let adj = l.prim(Prim::Sub, &[x, log_remaining]);
            let z = l.prim(Fun::InvLogit, &[adj]);
            let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(stick)));
            let y = l.prim(Prim::Mul, &[s, z]);
            if jacobian {
                let ls = l.prim(Fun::Log, &[s]);
                let lz = l.prim(Fun::LogInvLogit, &[adj]);
                let l1mz = l.prim(Fun::Log1mInvLogit, &[adj]);
                let t = l.prim(Prim::Add, &[ls, lz]);
                let t = l.prim(Prim::Add, &[t, l1mz]);
                l.emit(Stmt::TargetAdd(t));
            }
            write(l, j, y);
            let rest = l.prim(Prim::Sub, &[s, y]);
            l.emit(Stmt::Assign { var: stick, indices: vec![], value: rest });
        });
        let last = self.let_(Ty::REAL, Expr::Atom(Atom::Var(stick)));
        let k = self.prim(Prim::IAdd, &[n, Atom::Int(1)]);
        write(self, k, last);
    }

    /// log(N − j + 1) as a real.
    fn log_remaining(&mut self, n: Atom, j: Atom) -> Atom {
        let remaining = self.prim(Prim::ISub, &[n, j]);
        let remaining = self.prim(Prim::IAdd, &[remaining, Atom::Int(1)]);
        let remaining = self.prim(Prim::ToReal, &[remaining]);
        self.prim(Fun::Log, &[remaining])
    }

    /// The inverse of [`Self::stick_breaking`] (Stan's former `simplex_free`). From the last
    /// element back, with S the sum of the elements after x_j:
    /// y_j = logit(x_j / (x_j + S)) + log(N − j + 1) = log x_j − log S + log(N − j + 1).
    fn stick_breaking_free(&mut self, k: Atom, read: Read<'_, 'l>, write: Write<'_, 'l>) {
        let last = read(self, k);
        let rest = self.mutable(Ty::REAL, last);
        let n = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
        self.for_loop_rev(Atom::Int(1), n, |l, j| {
            let y = read(l, j);
            let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(rest)));
            let log_y = l.prim(Fun::Log, &[y]);
            let log_s = l.prim(Fun::Log, &[s]);
            let log_remaining = l.log_remaining(n, j);
            let x = l.prim(Prim::Sub, &[log_y, log_s]);
            let x = l.prim(Prim::Add, &[x, log_remaining]);
            write(l, j, x);
            let s = l.prim(Prim::Add, &[s, y]);
            l.emit(Stmt::Assign { var: rest, indices: vec![], value: s });
        });
    }

    /// x / ‖x‖ of `k` free values; log-Jacobian term −½ xᵀx. A zero (or non-finite) length is
    /// an error, as in Stan.
    fn unit_vector_core(&mut self, k: Atom, read: Read<'_, 'l>, write: Write<'_, 'l>, jacobian: bool, span: Span) {
        let ss = self.sum_of(k, &mut |l, j| {
            let x = read(l, j);
            l.prim(Prim::Mul, &[x, x])
        });
        let positive = self.prim(Prim::Gt, &[ss, Atom::Real(0.0)]);
        let finite = self.is_finite(ss);
        let ok = self.prim(Prim::And, &[positive, finite]);
        let message = "unit_vector: the free values' squared length is {}; it must be positive and finite";
        self.check(ok, ErrorKind::Domain, message.to_string(), span, vec![ss]);
        if jacobian {
            let lj = self.prim(Prim::Mul, &[Atom::Real(-0.5), ss]);
            self.emit(Stmt::TargetAdd(lj));
        }
        let norm = self.prim(Prim::Sqrt, &[ss]);
        self.for_loop(Atom::Int(1), k, |l, j| {
            let x = read(l, j);
            let y = l.prim(Prim::Div, &[x, norm]);
            write(l, j, y);
        });
    }

    /// `ordered[K]`: y1 = x1, yk = y(k−1) + exp(xk); `positive_ordered`: y1 = exp(x1).
    /// log|J| = the sum of the exponentiated free values.
    fn ordered_core(&mut self, k: Atom, read: Read<'_, 'l>, write: Write<'_, 'l>, positive: bool, jacobian: bool) {
        // The previous element, kept in a mutable (an empty vector writes nothing).
        let prev = self.mutable(Ty::REAL, Atom::Real(0.0));
        self.if_nonempty(k, |l| {
            let x1 = read(l, Atom::Int(1));
            let y1 = if positive {
                if jacobian {
                    l.emit(Stmt::TargetAdd(x1));
                }
                l.prim(Fun::Exp, &[x1])
            } else {
                x1
            };
            write(l, Atom::Int(1), y1);
            l.emit(Stmt::Assign { var: prev, indices: vec![], value: y1 });
        });
        self.for_loop(Atom::Int(2), k, |l, j| {
            let xk = read(l, j);
            let p = l.let_(Ty::REAL, Expr::Atom(Atom::Var(prev)));
            let e = l.prim(Fun::Exp, &[xk]);
            let y = l.prim(Prim::Add, &[p, e]);
            if jacobian {
                l.emit(Stmt::TargetAdd(xk));
            }
            write(l, j, y);
            l.emit(Stmt::Assign { var: prev, indices: vec![], value: y });
        });
    }

    /// The inverse of [`Self::ordered_core`] on a checked value: x1 = y1 (or log y1),
    /// xk = log(yk − y(k−1)).
    fn free_ordered_core(&mut self, k: Atom, read: Read<'_, 'l>, write: Write<'_, 'l>, positive: bool) {
        self.if_nonempty(k, |l| {
            let y1 = read(l, Atom::Int(1));
            let x1 = if positive { l.prim(Fun::Log, &[y1]) } else { y1 };
            write(l, Atom::Int(1), x1);
        });
        self.for_loop(Atom::Int(2), k, |l, j| {
            let jm1 = l.prim(Prim::ISub, &[j, Atom::Int(1)]);
            let y = read(l, j);
            let prev = read(l, jm1);
            let diff = l.prim(Prim::Sub, &[y, prev]);
            let x = l.prim(Fun::Log, &[diff]);
            write(l, j, x);
        });
    }
}
