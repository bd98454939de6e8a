//! End-to-end tests of the `tykdeps` binary.

#[path = "../support/mod.rs"]
mod support;

mod action_run;
mod action_yml;
mod audit_config;
mod audit_corpus;
mod audit_matrix;
mod audit_memo;
mod audit_source;
mod binary_lab;
mod bot_config;
mod cache_command;
mod comment;
mod comment_gfm;
mod comment_post;
mod deadline;
mod docs_links;
mod dry_run_diff;
mod faulty_proxy;
mod gateway_resolve;
mod graph_errors;
mod graph_oracle;
mod graph_real;
mod hostile_inputs;
mod inspect;
mod lab;
mod metadata_cache;
mod parse;
mod pin;
mod pre_commit;
mod private_lab;
mod report_paths;
mod setup_lab;
mod snapshot;
mod summary_cache;
mod upgrade_lab;
