//! CmdStan JSON data: every accepted form and every error message.

use runtime::data::{DataSpec, ElemType, Shape, Values, parse_data_file};

/// Reads variable `declaration` (e.g. `array[,] vector y`, sizes left out) from `json` and
/// prints the dimensions and flat values, or the error.
fn check(json: &str, declaration: &str) -> String {
    read(json, &spec(declaration))
}

/// What reading `spec` from `json` gives (dimensions and flat values), or the error.
fn read(json: &str, spec: &DataSpec) -> String {
    let file = match parse_data_file(json) {
        Ok(file) => file,
        Err(err) => return err.to_string(),
    };
    match file.get(spec) {
        Ok(value) => {
            let values = match value.values {
                Values::Int(ints) => format!("int {ints:?}"),
                Values::Real(reals) => format!("real {reals:?}"),
            };
            format!("dims {:?}\n{values}", value.dims)
        }
        Err(err) => err.to_string(),
    }
}

fn spec(declaration: &str) -> DataSpec {
    let (array_rank, rest) = match declaration.strip_prefix("array[") {
        Some(rest) => {
            let close = rest.find(']').unwrap();
            (rest[..close].matches(',').count() + 1, rest[close + 1..].trim())
        }
        None => (0, declaration),
    };
    let (ty, name) = rest.split_once(' ').unwrap();
    // `complex_vector.im z`: the imaginary part of a complex variable.
    if let Some((complex, part)) = ty.split_once('.') {
        let elem = if part == "re" { ElemType::RealPart } else { ElemType::ImagPart };
        let shape = match complex {
            "complex" => Shape::Scalar,
            "complex_vector" => Shape::Vector,
            "complex_row_vector" => Shape::RowVector,
            _ => Shape::Matrix,
        };
        return DataSpec { name: name.to_string(), elem, array_rank, shape, tuple_path: Vec::new() };
    }
    let (elem, shape) = match ty {
        "int" => (ElemType::Int, Shape::Scalar),
        "real" => (ElemType::Real, Shape::Scalar),
        "vector" => (ElemType::Real, Shape::Vector),
        "row_vector" => (ElemType::Real, Shape::RowVector),
        "matrix" => (ElemType::Real, Shape::Matrix),
        other => panic!("unknown type {other}"),
    };
    DataSpec { name: name.to_string(), elem, array_rank, shape, tuple_path: Vec::new() }
}

#[test]
fn scalars() {
    insta::assert_snapshot!(check(r#"{"N": 3}"#, "int N"), @r#"
dims []
int [3]
"#);
    insta::assert_snapshot!(check(r#"{"x": 3}"#, "real x"), @r#"
dims []
real [3.0]
"#);
    insta::assert_snapshot!(check(r#"{"x": -1.5e-3}"#, "real x"), @r#"
dims []
real [-0.0015]
"#);
}

/// What Python's `json.dump` writes for non-finite floats: bare words, not JSON, read as CmdStan
/// reads them; inside a string they stay text.
#[test]
fn bare_non_finite_words() {
    insta::assert_snapshot!(check(r#"{"y": [1, NaN, Infinity, -Infinity]}"#, "vector y"), @"
    dims [4]
    real [1.0, NaN, inf, -inf]
    ");
    insta::assert_snapshot!(check(r#"{"y": NaN}"#, "real y"), @"
    dims []
    real [NaN]
    ");
    insta::assert_snapshot!(check(r#"{"s": "NaN Infinity", "y": [Infinity]}"#, "vector y"), @"
    dims [1]
    real [inf]
    ");
    insta::assert_snapshot!(check(r#"{"y": [NaNa]}"#, "vector y"), @"invalid JSON in the data file at line 1, column 13: expected `,` or `]`");
    insta::assert_snapshot!(check(r#"{"N": NaN}"#, "int N"), @r#"data variable `N`: expected an int, found the string "NaN""#);
}

/// An int written as a real is refused even when it is integral, with the spelling to use.
#[test]
fn reals_for_ints() {
    insta::assert_snapshot!(check(r#"{"N": 150.0}"#, "int N"), @"data variable `N`: expected an int, found the real 150.0 (write it as the integer 150)");
    insta::assert_snapshot!(check(r#"{"n": [1, 2.5]}"#, "array[] int n"), @"data variable `n`: expected an int at n[2], found the real 2.5");
    insta::assert_snapshot!(check(r#"{"n": [1, 2e3]}"#, "array[] int n"), @"data variable `n`: expected an int at n[2], found the real 2000.0 (write it as the integer 2000)");
}

#[test]
fn special_real_values_as_strings() {
    insta::assert_snapshot!(
        check(r#"{"y": ["inf", "+inf", "-inf", "Infinity", "-Infinity", "NaN", 1]}"#, "vector y"),
        @r#"
dims [7]
real [inf, inf, -inf, inf, -inf, NaN, 1.0]
"#
    );
    insta::assert_snapshot!(check(r#"{"x": "one"}"#, "real x"), @r#"
data variable `x`: expected a real, found the string "one"
"#);
    insta::assert_snapshot!(check(r#"{"N": "inf"}"#, "int N"), @r#"
data variable `N`: expected an int, found the string "inf"
"#);
}

#[test]
fn arrays_and_vectors_are_flattened_row_major() {
    insta::assert_snapshot!(check(r#"{"y": [[1, 2, 3], [4, 5, 6]]}"#, "array[,] int y"), @r#"
dims [2, 3]
int [1, 2, 3, 4, 5, 6]
"#);
    insta::assert_snapshot!(check(r#"{"v": [[1, 2], [3, 4], [5, 6]]}"#, "array[] vector v"), @r#"
dims [3, 2]
real [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
"#);
    insta::assert_snapshot!(check(r#"{"r": [0.5, 1]}"#, "row_vector r"), @r#"
dims [2]
real [0.5, 1.0]
"#);
}

#[test]
fn matrices_are_transposed_to_column_major() {
    // matrix[2, 3]: JSON gives rows; Stan stores columns.
    insta::assert_snapshot!(check(r#"{"X": [[1, 2, 3], [4, 5, 6]]}"#, "matrix X"), @r#"
dims [2, 3]
real [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]
"#);
    insta::assert_snapshot!(
        check(r#"{"Xs": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]}"#, "array[] matrix Xs"),
        @r#"
dims [2, 2, 2]
real [1.0, 3.0, 2.0, 4.0, 5.0, 7.0, 6.0, 8.0]
"#
    );
}

#[test]
fn empty_arrays_have_zero_sizes() {
    insta::assert_snapshot!(check(r#"{"y": []}"#, "array[] real y"), @r#"
dims [0]
real []
"#);
    insta::assert_snapshot!(check(r#"{"X": []}"#, "matrix X"), @r#"
dims [0, 0]
real []
"#);
    insta::assert_snapshot!(check(r#"{"X": [[], []]}"#, "matrix X"), @r#"
dims [2, 0]
real []
"#);
    insta::assert_snapshot!(check(r#"{"y": [[], [1]]}"#, "array[,] int y"), @"data variable `y`: ragged array: element 2 has 1 entry, element 1 has 0");
    insta::assert_snapshot!(check(r#"{"y": [[], []]}"#, "array[,] int y"), @r#"
dims [2, 0]
int []
"#);
}

#[test]
fn missing_variable() {
    insta::assert_snapshot!(check(r#"{"M": 3}"#, "int N"), @"data variable `N`: missing from the data file (the model declares `int N` in the data block)");
    insta::assert_snapshot!(check(r#"{}"#, "array[,] vector y"), @"data variable `y`: missing from the data file (the model declares `array[,] vector y` in the data block)");
}

#[test]
fn wrong_number_of_dimensions() {
    insta::assert_snapshot!(check(r#"{"y": 3.5}"#, "array[] real y"), @"data variable `y`: expected an array of 1 dimension of reals, found a number");
    insta::assert_snapshot!(check(r#"{"N": [3]}"#, "int N"), @"data variable `N`: expected an int, found an array of 1 dimension");
    insta::assert_snapshot!(check(r#"{"X": [1, 2, 3]}"#, "matrix X"), @"data variable `X`: expected an array of 2 dimensions of reals, found an array of 1 dimension");
    insta::assert_snapshot!(check(r#"{"y": {"a": 1}}"#, "vector y"), @"data variable `y`: expected an array of 1 dimension of reals, found an object");
    insta::assert_snapshot!(check(r#"{"y": [1, [2]]}"#, "vector y"), @"data variable `y`: expected a real at y[2], found an array of 1 dimension");
    insta::assert_snapshot!(check(r#"{"y": [[1, 2], 3]}"#, "array[,] real y"), @"data variable `y`: expected an array at y[2], found a number");
}

#[test]
fn wrong_element_type() {
    insta::assert_snapshot!(check(r#"{"K": 2.5}"#, "int K"), @"data variable `K`: expected an int, found the real 2.5");
    insta::assert_snapshot!(check(r#"{"y": [1, 2, 2.5]}"#, "array[] int y"), @"data variable `y`: expected an int at y[3], found the real 2.5");
    insta::assert_snapshot!(check(r#"{"K": 3000000000}"#, "int K"), @"data variable `K`: expected an int, found 3000000000 (outside the range of Stan's 32-bit int)");
    insta::assert_snapshot!(check(r#"{"y": [1, null]}"#, "vector y"), @"data variable `y`: expected a real at y[2], found null");
    insta::assert_snapshot!(check(r#"{"b": true}"#, "real b"), @"data variable `b`: expected a real, found the boolean true");
    insta::assert_snapshot!(check(r#"{"X": [[1, 2], [3, "x"]]}"#, "matrix X"), @r#"
data variable `X`: expected a real at X[2,2], found the string "x"
"#);
}

#[test]
fn ragged_arrays() {
    insta::assert_snapshot!(
        check(r#"{"y": [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, 3, 4]]}"#, "array[,] real y"),
        @"data variable `y`: ragged array: element 3 has 4 entries, element 1 has 5"
    );
    insta::assert_snapshot!(check(r#"{"X": [[1, 2], [3]]}"#, "matrix X"), @"data variable `X`: ragged matrix: row 2 has 1 entry, row 1 has 2");
    insta::assert_snapshot!(
        check(r#"{"y": [[[1], [2]], [[3], [4, 5]]]}"#, "array[,,] int y"),
        @"data variable `y`: ragged array at y[2]: element 2 has 2 entries, element 1 has 1"
    );
}

#[test]
fn invalid_json_gives_line_and_column() {
    insta::assert_snapshot!(check("{\n  \"N\": 3,\n  \"y\": [1, 2\n}", "int N"), @"invalid JSON in the data file at line 4, column 1: expected `,` or `]`");
    insta::assert_snapshot!(check("[1, 2]", "int N"), @r#"
the data file must hold a JSON object ({"name": value, ...}) at the top level, found an array of 1 dimension
"#);
    insta::assert_snapshot!(check("", "int N"), @"data variable `N`: missing from the data file (the model declares `int N` in the data block)");
    insta::assert_snapshot!(check(r#"{"N": 1,}"#, "int N"), @"invalid JSON in the data file at line 1, column 9: trailing comma");
}

#[test]
fn unused_keys_are_ignored_and_an_empty_file_has_nothing() {
    insta::assert_snapshot!(check(r#"{"N": 2, "unused": [1, "x", {}]}"#, "int N"), @r#"
dims []
int [2]
"#);
    let err = runtime::data::DataFile::empty().get(&spec("real sigma")).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"data variable `sigma`: missing from the data file (the model declares `real sigma` in the data block)");
}

/// A complex variable is read as two parts, each from CmdStan's `[re, im]` pairs.
#[test]
fn complex_parts() {
    insta::assert_snapshot!(check(r#"{"z": [1.5, -2]}"#, "complex.re z"), @"
    dims []
    real [1.5]
    ");
    insta::assert_snapshot!(check(r#"{"z": [1.5, -2]}"#, "complex.im z"), @"
    dims []
    real [-2.0]
    ");
    let m = r#"{"m": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]}"#;
    insta::assert_snapshot!(check(m, "complex_matrix.re m"), @"
    dims [2, 2]
    real [1.0, 5.0, 3.0, 7.0]
    ");
    insta::assert_snapshot!(check(m, "complex_matrix.im m"), @"
    dims [2, 2]
    real [2.0, 6.0, 4.0, 8.0]
    ");
    insta::assert_snapshot!(check(r#"{"a": [[[1, 0]], [[0, 1]]]}"#, "array[2] complex_vector.im a"), @"
    dims [2, 1]
    real [0.0, 1.0]
    ");
    insta::assert_snapshot!(check(r#"{"z": 3}"#, "complex.re z"), @"data variable `z`: expected a complex number (a pair [re, im]), found a number");
    insta::assert_snapshot!(check(r#"{"v": [[1, 2], [3]]}"#, "complex_vector.re v"), @"data variable `v`: expected a complex number [re, im] at v[2], found an array of 1 dimension");
    insta::assert_snapshot!(check(r#"{"v": [[1, 2], [3, "x"]]}"#, "complex_vector.im v"), @r#"data variable `v`: expected a real as the imaginary part at v[2], found the string "x""#);
    insta::assert_snapshot!(check(r#"{"v": [1, 2]}"#, "complex_vector.re v"), @"data variable `v`: expected an array of 1 dimension of complex numbers (pairs [re, im]), found an array of 1 dimension");
}

/// A component of a tuple variable: `spec` read through `path` (see `DataSpec::tuple_path`).
fn component(json: &str, declaration: &str, path: &[(usize, usize)]) -> String {
    read(json, &DataSpec { tuple_path: path.to_vec(), ..spec(declaration) })
}

/// A tuple is CmdStan's object `{"1": …, "2": …}`; each component is read on its own, an
/// array of tuples as the array of each component, through nested tuples too.
#[test]
fn tuple_components() {
    let pair = r#"{"t": {"1": 3, "2": [0.5, 1.5]}}"#;
    insta::assert_snapshot!(component(pair, "int t", &[(0, 1)]), @"
    dims []
    int [3]
    ");
    insta::assert_snapshot!(component(pair, "vector t", &[(0, 2)]), @"
    dims [2]
    real [0.5, 1.5]
    ");
    let array = r#"{"a": [{"1": 1, "2": {"1": [1, 2], "2": 0.5}}, {"1": 2, "2": {"1": [3, 4], "2": -1}}]}"#;
    insta::assert_snapshot!(component(array, "array[1] int a", &[(1, 1)]), @"
    dims [2]
    int [1, 2]
    ");
    insta::assert_snapshot!(component(array, "array[,] int a", &[(1, 2), (0, 1)]), @"
    dims [2, 2]
    int [1, 2, 3, 4]
    ");
    insta::assert_snapshot!(component(array, "array[1] real a", &[(1, 2), (0, 2)]), @"
    dims [2]
    real [0.5, -1.0]
    ");
    insta::assert_snapshot!(component(r#"{"a": []}"#, "array[1] vector a", &[(1, 2)]), @"
    dims [0, 0]
    real []
    ");
    insta::assert_snapshot!(component(r#"{"t": [1, 2]}"#, "int t", &[(0, 1)]), @r#"data variable `t.1`: expected a tuple (an object with the keys "1", "2", …), found an array of 1 dimension"#);
    insta::assert_snapshot!(component(r#"{"t": {"1": 1}}"#, "int t", &[(0, 2)]), @r#"data variable `t.2`: the tuple has no element "2""#);
    insta::assert_snapshot!(component(r#"{"a": {"1": 1}}"#, "array[1] int a", &[(1, 1)]), @"data variable `a.1`: expected an array of tuples, found an object");
    insta::assert_snapshot!(component(r#"{"t": {"1": 1.5}}"#, "int t", &[(0, 1)]), @"data variable `t.1`: expected an int, found the real 1.5");
}
