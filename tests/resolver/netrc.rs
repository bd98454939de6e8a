//! `.netrc` reading with the go command's quirks (cmd/go `auth.parseNetrc`,
//! `loadCredential`): pairs per line, complete entries only, first entry wins,
//! `default` ends the file only as a line's unpaired last token, and lookup by
//! `host[:port]/path` prefixes over https only.

use tykdeps_resolver::source::netrc::{Credential, Netrc};

fn login(netrc: &Netrc, url: &str) -> Option<String> {
    netrc
        .for_url(url)
        .map(|c: &Credential| format!("{}:{}", c.login, c.password))
}

#[test]
fn entries_as_go_keeps_them() {
    let netrc = Netrc::parse(
        "machine a.example login u password p\n\
         machine a.example login v password q\n\
         machine nopass.example login u\n\
         default login x password y\n\
         machine b.example\nlogin bu\npassword bp\n\
         macdef init\nmachine hidden.example login h password h\n\n\
         machine c.example:8443 login cu password cp account ignored\n\
         machine c.example/team login tu password tp\n\
         default\n\
         machine after.example login u password p\n",
    );
    assert_eq!(
        login(&netrc, "https://a.example/mod"),
        Some("u:p".into()),
        "first entry wins"
    );
    assert_eq!(
        login(&netrc, "https://nopass.example/"),
        None,
        "entries need a password"
    );
    assert_eq!(
        login(&netrc, "https://b.example"),
        Some("bu:bp".into()),
        "an entry spans lines"
    );
    assert_eq!(
        login(&netrc, "https://hidden.example/x"),
        None,
        "macdef bodies are skipped"
    );
    assert_eq!(
        login(&netrc, "https://c.example:8443/x"),
        Some("cu:cp".into())
    );
    assert_eq!(
        login(&netrc, "https://c.example/x"),
        None,
        "the port is part of the machine"
    );
    assert_eq!(
        login(&netrc, "https://c.example/team/x/"),
        Some("tu:tp".into()),
        "longest path prefix"
    );
    assert_eq!(
        login(&netrc, "https://after.example/"),
        None,
        "a lone default ends the file"
    );
    assert_eq!(
        login(&netrc, "http://a.example/mod"),
        None,
        "never over http"
    );
}
