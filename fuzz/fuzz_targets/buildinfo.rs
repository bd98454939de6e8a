//! Fuzz the modinfo parser and Go quoting: never panic, and whatever parses must
//! print (as `go version -m` would) to text that parses and prints back unchanged.
//! (Printing is lossy exactly where Go's is: a replaced module's sum is dropped.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use tykdeps_resolver::buildinfo::parse_modinfo;
use tykdeps_resolver::version::goquote as quote;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = parse_modinfo("go1.26.8", data) {
        let printed = info.modinfo_text();
        let again =
            parse_modinfo("go1.26.8", printed.as_bytes()).expect("printed build info parses");
        assert_eq!(again.modinfo_text(), printed);
        let _ = info.go_version_m("fuzz");
    }
    if let Some(value) = quote::unquote(data) {
        if let Ok(text) = std::str::from_utf8(&value) {
            assert_eq!(
                quote::unquote(quote::quote(text).as_bytes()).as_deref(),
                Some(text.as_bytes())
            );
        }
    }
});
