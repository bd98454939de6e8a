//! Property: for any go.mod text the parser accepts, printing its syntax tree
//! and parsing the result gives the same tree (positions aside) and the same
//! meaning. `fix` relies on this to rewrite files without losing anything.

use proptest::prelude::*;
use tykdeps_resolver::gomod::syntax::{Comment, Comments, FileSyntax, Line, Position, Stmt};
use tykdeps_resolver::gomod::{self, Mode};

/// Forget positions and blanks around comment text, which formatting
/// legitimately changes (x/mod's `Format` trims comments too), and where a
/// one-line block's suffix comment hangs.
fn strip(mut file: FileSyntax) -> FileSyntax {
    fn comment(c: &mut Comment) {
        c.start = Position::default();
        c.token = c.token.trim().to_owned();
    }
    fn comments(c: &mut Comments) {
        c.before
            .iter_mut()
            .chain(c.suffix.iter_mut())
            .for_each(comment);
    }
    fn line(l: &mut Line) {
        comments(&mut l.comments);
        l.start = Position::default();
        l.end = Position::default();
    }
    file.before.iter_mut().for_each(comment);
    for stmt in &mut file.stmts {
        match stmt {
            Stmt::Comments(c) => {
                comments(&mut c.comments);
                c.start = Position::default();
            }
            Stmt::Line(l) => line(l),
            Stmt::Block(b) => {
                // A block's own suffix comment (`module ( ) // c`, all on
                // one line) is printed after its `)`, where parsing gives
                // it to the `)`: x/mod's printer and parser do the same.
                let suffix = std::mem::take(&mut b.comments.suffix);
                b.rparen.comments.suffix.extend(suffix);
                comments(&mut b.comments);
                comments(&mut b.lparen.comments);
                comments(&mut b.rparen.comments);
                b.start = Position::default();
                b.lparen.pos = Position::default();
                b.rparen.pos = Position::default();
                b.lines.iter_mut().for_each(line);
            }
        }
    }
    file
}

fn token() -> impl Strategy<Value = String> {
    const TOKENS: &[&str] = &[
        "example.com/a",
        "example.com/b/v2",
        "gopkg.in/yaml.v2",
        "gopkg.in/x.v0",
        "example.com/c/v1",
        "v1.0.0",
        "v2.1.0",
        "v1.2",
        "v1",
        "v2.0.0+incompatible",
        "v1.0.0+meta",
        "v1.0.0-pre",
        "v0.0.0-20200101000000-abcdefabcdef",
        "latest",
        "=>",
        "./dir",
        "../d",
        "/abs",
        "C:/x",
        ".\\w",
        "[",
        "]",
        ",",
        "(",
        ")",
        "{",
        "}",
        "\"quoted path\"",
        "\"\\t\"",
        "\"\\x41\"",
        "\"\\q\"",
        "`raw`",
        "a'b",
        "1.21",
        "1.21.0",
        "1.21rc1",
        "1.21.0-x",
        "go1.22.0",
        "default",
        "key=value",
        "a=b=c",
        "x@v1.0.0",
        "\u{e9}t\u{e9}",
        "\u{a0}",
        "\u{feff}",
        "\u{7f}",
        "\"v1.0.0\"",
        ".",
        "..",
    ];
    prop_oneof![
        prop::sample::select(TOKENS).prop_map(str::to_owned),
        "[a-z]{1,6}"
    ]
}

fn verb() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("module"),
        Just("go"),
        Just("toolchain"),
        Just("godebug"),
        Just("require"),
        Just("exclude"),
        Just("replace"),
        Just("retract"),
        Just("tool"),
        Just("ignore"),
    ]
}

fn comment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" // indirect".to_owned()),
        "[ a-zA-Z:;]{0,12}".prop_map(|c| format!(" //{c}"))
    ]
}

fn entry() -> impl Strategy<Value = String> {
    (prop::collection::vec(token(), 1..5), comment())
        .prop_map(|(t, c)| format!("{}{c}", t.join(" ")))
}

fn stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        (verb(), entry()).prop_map(|(v, e)| format!("{v} {e}\n")),
        (
            verb(),
            comment(),
            prop::collection::vec(
                prop_oneof![entry(), Just(String::new()), Just("// note".to_owned())],
                0..4
            )
        )
            .prop_map(|(v, c, lines)| format!("{v} ({c}\n\t{}\n)\n", lines.join("\n\t"))),
        Just("\n".to_owned()),
        Just("// Deprecated: gone\n".to_owned()),
        "[ a-zA-Z:]{0,12}".prop_map(|c| format!("//{c}\n")),
    ]
}

/// go.mod-like text: mostly well-formed directives and blocks, with enough
/// bad tokens that many files are rejected.
pub(crate) fn go_mod_text() -> impl Strategy<Value = String> {
    prop::collection::vec(stmt(), 0..12).prop_map(|stmts| stmts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn format_then_parse_gives_the_same_tree(text in go_mod_text()) {
        for mode in [Mode::Strict, Mode::Lax] {
            let Ok(first) = gomod::parse_mod("go.mod", &text, mode) else { continue };
            let printed = gomod::format(&first.syntax);
            let second = gomod::parse_mod("go.mod", &printed, mode).expect("formatted text parses");
            prop_assert_eq!(strip(second.syntax.clone()), strip(first.syntax.clone()), "printed:\n{}", printed);
            prop_assert_eq!(gomod::mod_json(&second), gomod::mod_json(&first));
        }
    }
}
