//! The IR: a typed, A-normal-form program over the unconstrained parameter vector.
//!
//! Every operand of an operation is an [`Atom`] (a variable or a constant), so each primitive
//! application is one `Let` and gets one adjoint rule. Containers are flat buffers with a
//! runtime shape: array dimensions row-major (outermost first), then the core (a contiguous
//! vector, or a column-major matrix).
//!
//! Invariant: a `Let` variable is assigned exactly once per execution of its block; mutable
//! state lives only in variables introduced by `Decl`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub mod pretty;
pub mod verify;

/// Index of a variable in [`Function::vars`].
pub type VarId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Elem {
    Int,
    Real,
    /// Stan's complex numbers, only in the types of lowering's values: lowering splits every
    /// complex value into its real and imaginary parts, two real IR values of the same shape
    /// (`sema::complex`), so no IR variable has this element type (`verify` checks it).
    Complex,
    /// Stan's tuples (their component types, interned by [`Elem::tuple`]), only in the types of
    /// lowering's values: a tuple value is its components, each an ordinary value
    /// (`sema::tuples`), so no IR variable has this element type either (`verify` checks it).
    /// An array of tuples is the tuple of the arrays of each component.
    Tuple(&'static [Ty]),
}

impl Elem {
    /// The element type of tuples of these component types. Each distinct list is stored once
    /// for the life of the process, so the element type stays `Copy` and compares by value.
    pub fn tuple(components: &[Ty]) -> Elem {
        static TABLE: std::sync::Mutex<Vec<&'static [Ty]>> = std::sync::Mutex::new(Vec::new());
        let mut table = TABLE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = table.iter().find(|t| **t == components) {
            return Elem::Tuple(known);
        }
        let stored: &'static [Ty] = Box::leak(components.to_vec().into_boxed_slice());
        table.push(stored);
        Elem::Tuple(stored)
    }
}

/// The innermost shape of a value: what remains after all array indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Core {
    Scalar,
    Vector,
    RowVector,
    Matrix,
}

impl Core {
    pub fn rank(self) -> usize {
        match self {
            Core::Scalar => 0,
            Core::Vector | Core::RowVector => 1,
            Core::Matrix => 2,
        }
    }
}

/// A Stan type without sizes: `array[,] vector` is `{ Real, 2, Vector }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ty {
    pub elem: Elem,
    pub array_rank: u8,
    pub core: Core,
}

impl Ty {
    pub const INT: Ty = Ty { elem: Elem::Int, array_rank: 0, core: Core::Scalar };
    pub const REAL: Ty = Ty { elem: Elem::Real, array_rank: 0, core: Core::Scalar };
    pub const VECTOR: Ty = Ty { elem: Elem::Real, array_rank: 0, core: Core::Vector };
    pub const ROW_VECTOR: Ty = Ty { elem: Elem::Real, array_rank: 0, core: Core::RowVector };
    pub const MATRIX: Ty = Ty { elem: Elem::Real, array_rank: 0, core: Core::Matrix };
    /// The type of an expression that failed to check (already reported): every later check
    /// accepts it silently, so one mistake gives one diagnostic.
    pub const ERROR: Ty = Ty { elem: Elem::Real, array_rank: u8::MAX, core: Core::Scalar };

    pub fn array(elem: Elem, array_rank: u8) -> Ty {
        Ty { elem, array_rank, core: Core::Scalar }
    }

    /// Total number of runtime dimensions.
    pub fn rank(self) -> usize {
        self.array_rank as usize + self.core.rank()
    }

    pub fn is_scalar(self) -> bool {
        self.rank() == 0
    }

    pub fn is_real(self) -> bool {
        self.elem == Elem::Real
    }

    pub fn is_complex(self) -> bool {
        self.elem == Elem::Complex && self != Ty::ERROR
    }

    pub fn is_tuple(self) -> bool {
        matches!(self.elem, Elem::Tuple(_))
    }

    /// The types of a tuple's components as lowering holds them: each inside the arrays of the
    /// tuple (an array of tuples is the tuple of the arrays of each component).
    pub fn components(self) -> Vec<Ty> {
        let Elem::Tuple(cs) = self.elem else { return Vec::new() };
        cs.iter().map(|c| Ty { array_rank: c.array_rank + self.array_rank, ..*c }).collect()
    }

    /// The type of either part of a complex value: the same shape, real (any other type is
    /// its own).
    pub fn part(self) -> Ty {
        if self.elem == Elem::Complex { Ty { elem: Elem::Real, ..self } } else { self }
    }

    /// The complex type of the same shape.
    pub fn complex(self) -> Ty {
        Ty { elem: Elem::Complex, ..self }
    }

    /// The type after `n` leading indices have been applied.
    pub fn indexed(self, n: usize) -> Ty {
        let ar = self.array_rank as usize;
        if n <= ar {
            return Ty { array_rank: (ar - n) as u8, ..self };
        }
        let core = match (self.core, n - ar) {
            (Core::Matrix, 1) => Core::RowVector,
            _ => Core::Scalar,
        };
        Ty { array_rank: 0, core, ..self }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Atom {
    Var(VarId),
    Real(f64),
    Int(i64),
}

impl Atom {
    pub fn var(self) -> Option<VarId> {
        match self {
            Atom::Var(v) => Some(v),
            _ => None,
        }
    }
}

/// Primitive operations: the machine-level operations codegen emits inline, the container
/// kernels, and `Call`, a call of a scalar function of `stdlib::scalar`'s table (which declares
/// everything about it: implementation, runtime symbol, partial derivatives).
///
/// Everything the compiler knows about a core primitive is an exhaustive `match` over this
/// enum: its result type and kind here, its adjoint in `ad/rules.rs` (what the reverse sweep
/// reads is derived from that rule), its code in `codegen/translate.rs`, its folding in `opt`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prim {
    // Real scalar arithmetic, inline.
    Add,
    Sub,
    Mul,
    Div,
    Neg,
    Sqrt,
    Fabs,
    Fmin,
    Fmax,
    /// `floor` and `ceil` on reals (zero derivative).
    Floor,
    Ceil,
    /// The value of its operand, held constant by differentiation: neither it nor what it is
    /// computed from gets an adjoint through it. For a quantity the result does not depend on
    /// mathematically, such as the shift of log_sum_exp's `max + log Σ exp(x − max)`, whose
    /// derivative is exactly zero, so its loop needs no reverse.
    Detach,
    /// `select(c, a, b)`: a where the int c is nonzero, else b; both are computed, no branch.
    /// Its adjoint goes to the chosen operand only, so a guard may make the other operand safe
    /// (`log(select(n == 0, 1, x))`) without a branch in the loop.
    Select,
    /// A scalar function of the table (`log`, `lgamma`, `inc_beta`, ...), called by symbol.
    Call(Fun),
    // Real comparisons, producing an int 0/1.
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    // Int arithmetic and logic.
    IAdd,
    ISub,
    IMul,
    IDiv,
    IMod,
    INeg,
    ILt,
    ILe,
    IGt,
    IGe,
    IEq,
    INe,
    And,
    Or,
    Not,
    IMin,
    IMax,
    /// int → real promotion.
    ToReal,
    /// real → int, toward zero (`to_int`; lowering checks the range first).
    ToInt,
    /// `is_nan`, `is_inf` → int.
    IsNan,
    IsInf,
    // Container kernels (native, with vector-level adjoint rules).
    /// matrix[m,n] * vector[n] → vector[m]
    MatVec,
    /// row_vector[m] * matrix[m,n] → row_vector[n]
    VecMat,
    /// matrix[m,k] * matrix[k,n] → matrix[m,n]
    MatMul,
    /// cholesky_decompose(matrix) → lower-triangular matrix
    Cholesky,
    /// mdivide_left_tri_low(L, v): L⁻¹ v for lower-triangular L
    TriSolveVec,
    /// inverse(matrix) → matrix (LU)
    Inverse,
    /// determinant(matrix) → real
    Determinant,
    /// log |det A| → real
    LogDeterminant,
    /// eigenvalues_sym(matrix) → vector, ascending
    EigenvaluesSym,
    /// eigenvectors_sym(matrix) → matrix, columns in the eigenvalues' order
    EigenvectorsSym,
    /// singular_values(matrix) → vector, descending
    SingularValues,
    /// matrix_exp(matrix) → matrix
    MatrixExp,
}

pub use stdlib::scalar::Fun;

impl From<Fun> for Prim {
    fn from(f: Fun) -> Prim {
        Prim::Call(f)
    }
}

/// What a primitive is, for the passes that move or merge computations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrimKind {
    /// A pure function of scalar operands: it may be merged with an equal one (CSE) and moved
    /// out of a loop whose iterations do not change its operands (LICM).
    Scalar,
    /// A container kernel: it allocates its result, so it is neither merged nor moved.
    Kernel,
}

/// The primitives whose result is an int (comparisons, int arithmetic and logic, `to_int`,
/// `is_nan`, `is_inf`), as a pattern: they carry no derivative, and the matches that say so
/// stay exhaustive.
macro_rules! int_valued {
    () => {
        $crate::ir::Prim::Lt
            | $crate::ir::Prim::Le
            | $crate::ir::Prim::Gt
            | $crate::ir::Prim::Ge
            | $crate::ir::Prim::Eq
            | $crate::ir::Prim::Ne
            | $crate::ir::Prim::IAdd
            | $crate::ir::Prim::ISub
            | $crate::ir::Prim::IMul
            | $crate::ir::Prim::IDiv
            | $crate::ir::Prim::IMod
            | $crate::ir::Prim::INeg
            | $crate::ir::Prim::ILt
            | $crate::ir::Prim::ILe
            | $crate::ir::Prim::IGt
            | $crate::ir::Prim::IGe
            | $crate::ir::Prim::IEq
            | $crate::ir::Prim::INe
            | $crate::ir::Prim::And
            | $crate::ir::Prim::Or
            | $crate::ir::Prim::Not
            | $crate::ir::Prim::IMin
            | $crate::ir::Prim::IMax
            | $crate::ir::Prim::IsNan
            | $crate::ir::Prim::IsInf
            | $crate::ir::Prim::ToInt
    };
}
pub(crate) use int_valued;

impl Prim {
    pub fn result_ty(self) -> Ty {
        use Prim::*;
        match self {
            Add | Sub | Mul | Div | Neg | Sqrt | Fabs | Fmin | Fmax | Floor | Ceil | Detach | Select | Call(_)
            | ToReal => Ty::REAL,
            int_valued!() => Ty::INT,
            Determinant | LogDeterminant => Ty::REAL,
            MatVec | TriSolveVec | EigenvaluesSym | SingularValues => Ty::VECTOR,
            VecMat => Ty::ROW_VECTOR,
            MatMul | Cholesky | Inverse | EigenvectorsSym | MatrixExp => Ty::MATRIX,
        }
    }

    /// The number of operands.
    pub fn arity(self) -> usize {
        use Prim::*;
        match self {
            Call(f) => f.arity(),
            Neg | Sqrt | Fabs | Floor | Ceil | Detach | INeg | Not | ToReal | ToInt | IsNan | IsInf | Cholesky
            | Inverse | Determinant | LogDeterminant | EigenvaluesSym | EigenvectorsSym | SingularValues
            | MatrixExp => 1,
            Select => 3,
            Add | Sub | Mul | Div | Fmin | Fmax | Lt | Le | Gt | Ge | Eq | Ne | IAdd | ISub | IMul | IDiv | IMod
            | ILt | ILe | IGt | IGe | IEq | INe | And | Or | IMin | IMax | MatVec | VecMat | MatMul | TriSolveVec => 2,
        }
    }

    pub fn kind(self) -> PrimKind {
        use Prim::*;
        match self {
            Add | Sub | Mul | Div | Neg | Sqrt | Fabs | Fmin | Fmax | Floor | Ceil | Detach | Select | Call(_)
            | ToReal | Lt | Le | Gt | Ge | Eq | Ne | IAdd | ISub | IMul | IDiv | IMod | INeg | ILt | ILe | IGt
            | IGe | IEq | INe | And | Or | Not | IMin | IMax | IsNan | IsInf | ToInt => PrimKind::Scalar,
            MatVec | VecMat | MatMul | Cholesky | TriSolveVec | Inverse | Determinant | LogDeterminant
            | EigenvaluesSym | EigenvectorsSym | SingularValues | MatrixExp => PrimKind::Kernel,
        }
    }
}

/// Things an `Expr` can compute.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Atom(Atom),
    Prim(Prim, Vec<Atom>),
    /// An element (all indices given, result scalar) or a sub-container (fewer indices: a
    /// copy of the contiguous slab, e.g. row `a[i]` of an array of vectors).
    Load {
        base: VarId,
        indices: Vec<Atom>,
    },
    /// The size of dimension `dim` (0-based) of a container.
    Dim {
        base: VarId,
        dim: u8,
    },
    /// A new container of the given type and sizes, every element zero.
    Alloc {
        ty: Ty,
        dims: Vec<Atom>,
    },
    /// The elements of `base` from flat position `offset` (0-based) on, seen as a container of
    /// the let's type with sizes `dims`: no copy. Unconstrained parameters are views of theta.
    View {
        base: VarId,
        offset: Atom,
        dims: Vec<Atom>,
    },
    /// A draw from a distribution (`*_rng`): it changes the random stream, so no pass may
    /// remove, merge or move it.
    Random(RngDist, Vec<Atom>),
}

pub use runtime::abi::RngDist;

/// Where an error raised by compiled code comes from and what it says; compiled code passes
/// only the index into [`Function::errors`] and up to two numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorSite {
    pub kind: ErrorKind,
    pub message: String,
    /// Byte span in the model source, for the location in the message.
    pub span: (u32, u32),
    /// For a term of the `locate` entry point: each data variable the statement reads, with
    /// what needs it finite (`normal needs a finite variate`). Empty for other sites.
    pub needs: Vec<(String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Domain,
    Index,
    Fatal,
    /// Bad data (wrong size or violated constraint), reported at load time.
    Data,
    /// Not an error: a piece of a `print` statement's output (see [`Stmt::Print`]), its text
    /// followed by a real value, an int value, or nothing.
    PrintReal,
    PrintInt,
    PrintText,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Let {
        var: VarId,
        expr: Expr,
    },
    /// A mutable variable: a scalar set to NaN (real) or Stan's unset int, `i32::MIN` (int), or a container of
    /// the given sizes filled with NaN.
    Decl {
        var: VarId,
        dims: Vec<Atom>,
    },
    /// `var[indices] = value` (element store; no indices for a scalar).
    Assign {
        var: VarId,
        indices: Vec<Atom>,
        value: Atom,
    },
    /// `var[indices] += value`: adjoint accumulation (element or scalar).
    Accum {
        var: VarId,
        indices: Vec<Atom>,
        value: Atom,
    },
    /// Copy a whole container `src` into the mutable container `dst` (sizes must match).
    Copy {
        dst: VarId,
        src: VarId,
    },
    /// `dst[...] += src[...]` elementwise over whole containers (adjoint of a copy).
    AccumAll {
        dst: VarId,
        src: VarId,
    },
    /// A side-effecting kernel call used by adjoint rules (accumulates into its first operand).
    Kernel {
        kernel: Kernel,
        args: Vec<Atom>,
    },
    TargetAdd(Atom),
    /// `for (var in lo:hi) body`, inclusive bounds; iterates backwards when `reverse`.
    For {
        var: VarId,
        lo: Atom,
        hi: Atom,
        reverse: bool,
        body: Vec<Stmt>,
    },
    If {
        cond: Atom,
        then: Vec<Stmt>,
        otherwise: Vec<Stmt>,
    },
    /// Leave the innermost loop / go on with its next iteration. Only in functions that are not
    /// differentiated (sema refuses them where the log density is computed).
    Break,
    Continue,
    /// `while (cond) body`: `cond_block` computes `cond` before every iteration.
    While {
        cond_block: Vec<Stmt>,
        cond: Atom,
        body: Vec<Stmt>,
    },
    /// Raise error `site` unless `cond` is nonzero; `values` go into the message.
    Check {
        cond: Atom,
        site: u32,
        values: Vec<Atom>,
    },
    /// A piece of a `print` statement's output: the text of site `site` (in
    /// [`Function::errors`], kind `Print*`), then `value` when the site's kind has one. A site
    /// whose text ends in a newline ends the statement's line. Printing is an effect: passes
    /// neither move, merge nor drop it.
    Print {
        site: u32,
        value: Option<Atom>,
    },
    /// `out[pos] = value` in the output array of `write_array` / `sizes`.
    Output {
        pos: Atom,
        value: Atom,
    },
    /// Save a value for the reverse sweep / take it back (LIFO).
    Push(Atom),
    Pop(VarId),
    /// Store a transformed-data container or scalar into its persistent slot (load function).
    Store {
        slot: u32,
        var: VarId,
    },
}

impl Expr {
    /// Calls `f` for every variable the expression reads (a container's base counts).
    pub fn for_each_read(&self, mut f: impl FnMut(VarId)) {
        let atoms = |atoms: &[Atom], f: &mut dyn FnMut(VarId)| atoms.iter().filter_map(|a| a.var()).for_each(f);
        match self {
            Expr::Atom(a) => atoms(std::slice::from_ref(a), &mut f),
            Expr::Prim(_, args) | Expr::Random(_, args) => atoms(args, &mut f),
            Expr::Load { base, indices } => {
                f(*base);
                atoms(indices, &mut f);
            }
            Expr::Dim { base, .. } => f(*base),
            Expr::Alloc { dims, .. } => atoms(dims, &mut f),
            Expr::View { base, offset, dims } => {
                f(*base);
                atoms(std::slice::from_ref(offset), &mut f);
                atoms(dims, &mut f);
            }
        }
    }
}

impl Stmt {
    /// Calls `f` for every variable the statement itself reads: a loop's bounds and an if's
    /// condition count, the statements nested in them do not. A scalar assignment does not
    /// read its target; an element store reads its container (the pointer) and indices.
    pub fn for_each_read(&self, mut f: impl FnMut(VarId)) {
        let atoms = |atoms: &[Atom], f: &mut dyn FnMut(VarId)| atoms.iter().filter_map(|a| a.var()).for_each(f);
        match self {
            Stmt::Let { expr, .. } => expr.for_each_read(f),
            Stmt::Decl { dims, .. } => atoms(dims, &mut f),
            Stmt::Assign { var, indices, value } => {
                if !indices.is_empty() {
                    f(*var);
                }
                atoms(indices, &mut f);
                atoms(std::slice::from_ref(value), &mut f);
            }
            Stmt::Accum { var, indices, value } => {
                f(*var);
                atoms(indices, &mut f);
                atoms(std::slice::from_ref(value), &mut f);
            }
            Stmt::Copy { dst, src } | Stmt::AccumAll { dst, src } => {
                f(*dst);
                f(*src);
            }
            Stmt::Kernel { args, .. } => atoms(args, &mut f),
            Stmt::TargetAdd(a) | Stmt::Push(a) => atoms(std::slice::from_ref(a), &mut f),
            Stmt::For { lo, hi, .. } => atoms(&[*lo, *hi], &mut f),
            Stmt::If { cond, .. } | Stmt::While { cond, .. } => atoms(std::slice::from_ref(cond), &mut f),
            Stmt::Check { cond, values, .. } => {
                atoms(std::slice::from_ref(cond), &mut f);
                atoms(values, &mut f);
            }
            Stmt::Output { pos, value } => atoms(&[*pos, *value], &mut f),
            Stmt::Print { value, .. } => atoms(value.as_slice(), &mut f),
            Stmt::Store { var, .. } => f(*var),
            Stmt::Pop(_) | Stmt::Break | Stmt::Continue => {}
        }
    }

    /// Whether this statement can end the loop it is in early (a `break` or `continue`, nested
    /// or not).
    pub fn leaves_loop(&self) -> bool {
        matches!(self, Stmt::Break | Stmt::Continue) || self.blocks().iter().any(|b| b.iter().any(Stmt::leaves_loop))
    }

    /// The statement blocks nested directly in this one.
    pub fn blocks(&self) -> Vec<&[Stmt]> {
        match self {
            Stmt::For { body, .. } => vec![body],
            Stmt::If { then, otherwise, .. } => vec![then, otherwise],
            Stmt::While { cond_block, body, .. } => vec![cond_block, body],
            _ => vec![],
        }
    }
}

/// In-place kernels for adjoint rules; the first operand is the accumulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kernel {
    /// acc += Aᵀ g
    AccMatTVec,
    /// acc += g xᵀ (outer product into a matrix)
    AccOuter,
    /// acc += A Bᵀ
    AccMatMulBt,
    /// acc += Aᵀ B
    AccMatTMul,
    /// acc += v A ᵀ for VecMat: acc(row_vector) += A g
    AccMatVec,
    /// Cholesky adjoint: acc(A) += chol_adjoint(L, adj_L)
    AccCholesky,
    /// Adjoint of x = L⁻¹ v: operands (acc_v, acc_L, L, x, g); acc_v += w = L⁻ᵀ g and
    /// acc_L −= lower(w xᵀ). Either accumulator may be the constant 0 (not active).
    AccTriSolveVec,
    /// Adjoint of C = A⁻¹: operands (acc, C, G); acc −= Cᵀ G Cᵀ.
    AccInverse,
    /// Operands (acc, A, s), s a real: acc += s A⁻ᵀ (adjoint of ln |det A|, and of det A with
    /// s = adj · det A).
    AccInverseT,
    /// Adjoint of the symmetric eigenvalues / eigenvectors of A: operands (acc, A, g).
    AccEigenvaluesSym,
    AccEigenvectorsSym,
    /// Adjoint of the singular values of A: operands (acc, A, g); acc += U diag(g) Vᵀ.
    AccSingularValues,
    /// Adjoint of exp(A): operands (acc, A, G).
    AccMatrixExp,
    /// Sets every element of a container to zero.
    Zero,
    /// Saves every element of a container on the tape / restores them (LIFO).
    PushAll,
    PopAll,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    /// A function input: `theta` (the unconstrained vector) or an output buffer.
    Input,
    /// Data or transformed data, read from its slot.
    Slot(u32),
    Let,
    Mutable,
    /// A container filled once, element by element, by the loop that builds it (an
    /// elementwise result, a slice) and read-only afterwards: its stores need no tape.
    Built,
    LoopIndex,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VarInfo {
    /// The user's name when there is one; temporaries print as `%N`.
    pub name: Option<String>,
    pub ty: Ty,
    pub kind: VarKind,
}

/// One compiled entry point.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: String,
    pub vars: Vec<VarInfo>,
    /// Inputs in ABI order (for `log_density`: theta).
    pub params: Vec<VarId>,
    pub body: Vec<Stmt>,
    pub errors: Vec<ErrorSite>,
    /// For a gradient function: the adjoint of each input, written to the gradient buffer.
    pub gradient_of: Option<(VarId, VarId)>,
}

impl Function {
    pub fn new(name: &str) -> Function {
        Function {
            name: name.to_string(),
            vars: Vec::new(),
            params: Vec::new(),
            body: Vec::new(),
            errors: Vec::new(),
            gradient_of: None,
        }
    }

    pub fn new_var(&mut self, name: Option<String>, ty: Ty, kind: VarKind) -> VarId {
        self.vars.push(VarInfo { name, ty, kind });
        (self.vars.len() - 1) as VarId
    }

    pub fn ty(&self, var: VarId) -> Ty {
        self.vars[var as usize].ty
    }

    pub fn atom_ty(&self, atom: Atom) -> Ty {
        match atom {
            Atom::Var(v) => self.ty(v),
            Atom::Real(_) => Ty::REAL,
            Atom::Int(_) => Ty::INT,
        }
    }

    /// The containers whose sizes are constants: declared by one `Decl` with constant sizes
    /// (`vector[3] sigma`), and no view's base (so no other name writes into them). Their
    /// `dim`s fold, and an element at constant indices within those sizes can be read wherever
    /// the container exists.
    pub fn fixed_sizes(&self) -> HashMap<VarId, Vec<i64>> {
        fn walk(stmts: &[Stmt], decls: &mut HashMap<VarId, Option<Vec<i64>>>, viewed: &mut HashSet<VarId>) {
            for s in stmts {
                match s {
                    Stmt::Decl { var, dims } if !dims.is_empty() => {
                        let sizes: Option<Vec<i64>> =
                            dims.iter().map(|d| if let Atom::Int(n) = d { Some(*n) } else { None }).collect();
                        // A declaration of other or unknown sizes disqualifies the container.
                        let entry = decls.entry(*var).or_insert(sizes.clone());
                        if *entry != sizes {
                            *entry = None;
                        }
                    }
                    Stmt::Let { expr: Expr::View { base, .. }, .. } => {
                        viewed.insert(*base);
                    }
                    _ => {}
                }
                for block in s.blocks() {
                    walk(block, decls, viewed);
                }
            }
        }
        let mut decls = HashMap::default();
        let mut viewed = HashSet::default();
        walk(&self.body, &mut decls, &mut viewed);
        decls.into_iter().filter_map(|(v, sizes)| sizes.filter(|_| !viewed.contains(&v)).map(|s| (v, s))).collect()
    }
}

/// Every function of one model.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    /// Validates data and computes transformed data into the slots (runs once, at load).
    pub load: Function,
    /// Writes the sizes the outputs need (unconstrained dimension, then each output's dims).
    pub sizes: Function,
    /// Log density of the unconstrained parameters, every constant kept.
    pub log_density: Function,
    /// Log density without the constant terms of `~` statements (what the fit differentiates).
    pub log_density_propto: Function,
    /// Constrained parameters, transformed parameters and generated quantities.
    pub write_array: Function,
}
