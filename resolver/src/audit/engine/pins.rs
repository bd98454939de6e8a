//! Pins proven before they are offered: the plugin's graph resolved again
//! with every pin of the audit applied, and each pin saying whether that
//! gives the gateway's versions (else `fix` leaves it alone).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::link::SideBuild;
use super::setup::Setup;
use crate::audit::Finding;
use crate::gomod;
use crate::graph::{MainModule, ModMode};
use crate::source::ModuleSource;

impl Setup<'_> {
    /// Resolve the plugin's build again with every pin of `findings` applied,
    /// and say in each pin whether it gives the gateway's versions.
    pub(super) async fn prove_pins(
        &self,
        plugin: &MainModule,
        findings: &mut [Finding],
        gateway: &SideBuild,
        source: &Arc<dyn ModuleSource>,
    ) {
        let edits: Vec<gomod::Edit> = findings
            .iter()
            .filter(|f| f.rule.is_version_conflict())
            .flat_map(|f| f.suggestions.iter())
            .filter(|s| s.kind == "pin-version")
            .flat_map(|s| s.edits.iter().cloned())
            .collect();
        if edits.is_empty() {
            return;
        }
        let verdict = self
            .pinned_selection(plugin, &edits, source)
            .await
            .map(|selected| {
                findings
                    .iter()
                    .filter(|f| f.rule.is_version_conflict())
                    .filter_map(|f| {
                        let module = f.module.as_deref()?;
                        let want = gateway.build.modules.get(module)?;
                        let got = selected.get(module).map_or("none", String::as_str);
                        (got != want.version).then(|| format!("{module} would still be {got}"))
                    })
                    .collect::<Vec<_>>()
            });
        let proven = matches!(&verdict, Ok(left) if left.is_empty());
        let note = match verdict {
            Ok(left) if left.is_empty() => "; proven by resolving again: with every pin of this audit applied, the plugin's graph selects the gateway's version of each of these modules".to_owned(),
            Ok(left) => format!("; not enough alone: with every pin applied, {}, raised by another requirement (see why), so `tykdeps fix` leaves this to you", left.join(", ")),
            Err(e) => format!("; not proven: resolving the pinned go.mod failed ({e}), so `tykdeps fix` leaves this to you"),
        };
        for s in findings
            .iter_mut()
            .filter(|f| f.rule.is_version_conflict())
            .flat_map(|f| f.suggestions.iter_mut())
            .filter(|s| s.kind == "pin-version")
        {
            s.description.push_str(&note);
            if !proven {
                s.edits.clear();
            }
        }
    }

    /// The versions the plugin's graph selects with `edits` applied to its
    /// go.mod. The graph's selection, not the go.mod's own lines: once it
    /// selects the pinned versions, so does the loader, since the roots then
    /// agree with every requirement.
    pub(super) async fn pinned_selection(
        &self,
        plugin: &MainModule,
        edits: &[gomod::Edit],
        source: &Arc<dyn ModuleSource>,
    ) -> Result<BTreeMap<String, String>, String> {
        let name = Path::new(&plugin.dir).join("go.mod").display().to_string();
        let bytes = self
            .host
            .files()
            .read(Path::new(&name))
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
        let edited = gomod::apply(&name, &text, edits).map_err(|e| e.to_string())?;
        let go_mod =
            gomod::parse_mod(&name, &edited, gomod::Mode::Strict).map_err(|e| e.to_string())?;
        let mut inputs = self.plugin_inputs.clone();
        if let Some(main) = inputs.mains.iter_mut().find(|m| m.path == plugin.path) {
            main.go_mod = go_mod.clone();
        }
        if let ModMode::Readonly { .. } = inputs.mode {
            inputs.mode = ModMode::Mod;
        }
        let graph = self
            .resolve(&inputs, source)
            .await
            .map_err(|e| e.to_string())?;
        Ok(graph
            .build_list()
            .iter()
            .map(|m| (m.path.clone(), m.version.clone()))
            .collect())
    }
}
