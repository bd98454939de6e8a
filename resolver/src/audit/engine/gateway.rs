//! Where the gateway's source comes from: a checkout, a published
//! `module@version` fetched through the sources, a Tyk release or commit the
//! host resolves to one, or a built binary's build info.

use std::path::Path;
use std::sync::Arc;

use super::setup::GatewaySource;
use super::{AuditError, GatewaySpec, Host, Request};
use crate::audit::{Identity, gateway_binary};
use crate::buildinfo::predict::Binary;
use crate::gomod;
use crate::graph::MainModule;
use crate::graph::discover;
use crate::snapshot::Snapshot;
use crate::source::ModuleSource;

/// The gateway `spec` names; `None` for [`GatewaySpec::Required`], which
/// the main modules answer.
pub(super) async fn gateway_from_spec(
    spec: &GatewaySpec,
    request: &Request,
    host: &dyn Host,
    source: &Arc<dyn ModuleSource>,
) -> Result<Option<GatewaySource>, AuditError> {
    let gateway = match spec {
        GatewaySpec::Required => return Ok(None),
        GatewaySpec::Binary { path, binary } => gateway_binary(path, binary)?,
        GatewaySpec::Published { module, version } => {
            remote_gateway(module, version, source).await?
        }
        GatewaySpec::Reference { given, reference } => {
            let module = request.gateway_module.as_str();
            let resolved = host
                .resolve_gateway(
                    given,
                    reference,
                    module,
                    &request.gateway_repo,
                    source.as_ref(),
                )
                .await?;
            let mut gateway = remote_gateway(module, &resolved.version, source).await?;
            gateway.identity = resolved.identity;
            gateway
        }
        GatewaySpec::Snapshot(file) => {
            let snapshot = file.read(host.files())?;
            snapshot_gateway(file.path(), &snapshot)?
        }
        GatewaySpec::Dir(dir) => {
            let main = discover::main_module(dir, host.files())?;
            GatewaySource {
                identity: host.checkout(dir, &main.path),
                main,
                version: None,
                binary: None,
                from_build_info: false,
                recorded_sum: None,
            }
        }
    };
    Ok(Some(gateway))
}

/// The gateway as its binary (at the absolute `path`) records it.
fn gateway_binary(path: &Path, binary: &Binary) -> Result<GatewaySource, AuditError> {
    let Some(info) = &binary.facts.build_info else {
        return Err(AuditError::Usage(format!(
            "{}: no Go build info, so its modules are unknown; audit the built plugin with --plugin-so instead",
            binary.name
        )));
    };
    let name = format!("{} (build info)", binary.name);
    let go_mod = gomod::parse_mod(&name, &gateway_binary::go_mod_text(info), gomod::Mode::Lax)
        .map_err(discover::InputError::from)?;
    let real = path.display().to_string();
    Ok(GatewaySource {
        main: MainModule {
            path: info.main.path.clone(),
            dir: real.clone(),
            go_mod,
        },
        version: Some(info.main.version.clone()).filter(|v| !v.is_empty() && v != "(devel)"),
        binary: Some(gateway_binary::build(info, &binary.facts.hashes, &real)),
        from_build_info: true,
        identity: Identity::of_binary(info),
        recorded_sum: None,
    })
}

/// The published gateway `module@version`: its go.mod through the sources;
/// its directory is where the module cache would extract it.
pub(super) async fn remote_gateway(
    module: &str,
    version: &str,
    source: &Arc<dyn ModuleSource>,
) -> Result<GatewaySource, AuditError> {
    let bytes = source
        .go_mod(module, version)
        .await
        .map_err(AuditError::GatewayGoMod)?;
    let name = format!("{module}@{version}/go.mod");
    let text = String::from_utf8_lossy(&bytes);
    let go_mod =
        gomod::parse_mod(&name, &text, gomod::Mode::Strict).map_err(discover::InputError::from)?;
    Ok(GatewaySource {
        main: MainModule {
            path: module.to_owned(),
            dir: format!("{module}@{version}"),
            go_mod,
        },
        version: Some(version.to_owned()),
        binary: None,
        from_build_info: false,
        identity: Identity::default(),
        recorded_sum: None,
    })
}

/// Where a snapshot's gateway is said to be: its main module's directory in
/// the reports and in the assumed workspace (there are no files there).
pub(super) fn snapshot_dir(path: &Path) -> String {
    path.display().to_string()
}

/// The gateway a snapshot (read from the absolute `path`) holds: its go.mod,
/// and its build as recorded, which replaces the reconstructed one.
fn snapshot_gateway(path: &Path, snapshot: &Snapshot) -> Result<GatewaySource, AuditError> {
    let name = format!("{} (go_mod)", path.display());
    // Its replaces apply in a workspace: read as a main module's go.mod.
    let go_mod = gomod::parse_mod(&name, &snapshot.go_mod, gomod::Mode::Strict)
        .map_err(discover::InputError::from)?;
    let dir = snapshot_dir(path);
    let facts = &snapshot.gateway;
    let sum_name = format!("{} (go_sum)", path.display());
    let recorded_sum = if snapshot.go_sum.is_empty() {
        None
    } else {
        let sum =
            gomod::parse_sum(&sum_name, &snapshot.go_sum).map_err(discover::InputError::from)?;
        Some((sum, sum_name))
    };
    Ok(GatewaySource {
        recorded_sum,
        binary: Some(snapshot.build.build(&dir)),
        from_build_info: snapshot.gateway.made_from == "binary",
        main: MainModule {
            path: facts.module.clone(),
            dir,
            go_mod,
        },
        version: facts.version.clone(),
        identity: Identity {
            commit: facts.commit.clone(),
            commit_time: facts.commit_time.clone(),
            pseudo_version: facts.pseudo_version.clone(),
            modified: None,
        },
    })
}
