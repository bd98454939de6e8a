//! The checks cmd/go adds when a go.mod is the main module's (`modload`'s
//! `ReadModFile`, `loadModFile`, `toReplaceMap`), beyond what `modfile.Parse`
//! (and so `go mod edit`) checks.
//!
//! `tykdeps parse` must accept what `go mod edit` accepts, but `check` must
//! reject a main go.mod that `go build` rejects, so these checks are separate.
//! Checks that depend on the running toolchain (a `go` line newer than it,
//! unknown `godebug` keys) are left to the stage that knows the toolchain.

use std::collections::HashMap;

use super::error::{ParseError, SyntaxError};
use super::{ModFile, ModuleRef};
use crate::span::LineIndex;
use crate::version::goquote::quote;
use crate::version::module::{PathKind, check_import_path};

/// Check `file` (parsed from `text`, read from `file_name`) as a main module's go.mod.
pub fn check_main_module(file_name: &str, text: &str, file: &ModFile) -> Result<(), ParseError> {
    let index = LineIndex::new(text);
    let error_at = |span: crate::span::Span, message: String| {
        let at = index.line_col(span.start);
        SyntaxError {
            file_name: String::new(),
            line: at.line,
            column: at.column,
            span,
            message,
        }
    };
    let Some(module) = &file.module else {
        let message = "missing module declaration. To specify the module path:\n\tgo mod edit -module=example.com/mod";
        let error = SyntaxError {
            file_name: String::new(),
            line: 1,
            column: 1,
            span: crate::span::Span::default(),
            message: message.into(),
        };
        return Err(ParseError::new(file_name, text, vec![error]));
    };
    if module.path == "go" || module.path == "toolchain" {
        let error = error_at(
            module.span,
            format!("invalid module path: {}", quote(&module.path)),
        );
        return Err(ParseError::new(file_name, text, vec![error]));
    }
    if let Err(mut e) = check_import_path(&module.path) {
        e.kind = PathKind::Module;
        return Err(ParseError::new(
            file_name,
            text,
            vec![error_at(module.span, e.to_string())],
        ));
    }
    let mut targets: HashMap<&ModuleRef, &ModuleRef> = HashMap::new();
    for r in &file.replace {
        if let Some(prev) = targets
            .insert(&r.old, &r.new)
            .filter(|prev| **prev != r.new)
        {
            let message = format!(
                "conflicting replacements for {}:\n\t{}\n\t{}",
                display(&r.old),
                display(prev),
                display(&r.new)
            );
            return Err(ParseError::new(
                file_name,
                text,
                vec![error_at(r.span, message)],
            ));
        }
    }
    Ok(())
}

/// `module.Version.String`: `path@version`, or the path alone.
fn display(r: &ModuleRef) -> String {
    match &r.version {
        Some(v) => format!("{}@{v}", r.path),
        None => r.path.clone(),
    }
}
