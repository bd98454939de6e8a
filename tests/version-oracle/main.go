// Command version-oracle answers questions about Go module versions and
// paths with golang.org/x/mod itself, so that tykdeps' Rust port can be
// checked against the real thing (tests/resolver/version_oracle.rs).
//
// It reads one JSON object of input lists on stdin and writes a JSON array of
// answers {"fn", "in", "out"} on stdout. Results that can fail are written
// "ok <value>" or "err <message>".
//
// cmd/go's gover package is internal; go/version (public since Go 1.22) is a
// thin wrapper over the same internal/gover code, taking "go1.21" where gover
// takes "1.21" and cutting a "-suffix" first. The Rust side only sends Go
// versions without "-", for which go/version.X("go"+v) is exactly gover.X(v).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"go/version"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

type request struct {
	Versions     []string    `json:"versions"`
	Pairs        [][2]string `json:"pairs"`
	Paths        []string    `json:"paths"`
	PathMajors   [][2]string `json:"path_majors"`
	Globs        [][2]string `json:"globs"`
	Gover        []string    `json:"gover"`
	GoverPairs   [][2]string `json:"gover_pairs"`
	PseudoBuilds [][4]string `json:"pseudo_builds"`
}

type answer struct {
	Fn  string   `json:"fn"`
	In  []string `json:"in"`
	Out string   `json:"out"`
}

type answers []answer

func (a *answers) add(fn, out string, in ...string) {
	*a = append(*a, answer{Fn: fn, In: in, Out: out})
}

func result(value string, err error) string {
	if err != nil {
		return "err " + err.Error()
	}
	return "ok " + value
}

func errOnly(err error) string {
	return result("", err)
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "version-oracle: reading the request:", err)
		os.Exit(2)
	}
	var out answers
	for _, v := range req.Versions {
		versionAnswers(&out, v)
	}
	for _, p := range req.Pairs {
		out.add("semver.Compare", fmt.Sprint(semver.Compare(p[0], p[1])), p[0], p[1])
	}
	for _, p := range req.Paths {
		pathAnswers(&out, p)
	}
	for _, p := range req.PathMajors {
		out.add("module.CheckPathMajor", errOnly(module.CheckPathMajor(p[0], p[1])), p[0], p[1])
		out.add("module.PathMajorPrefix", pathMajorPrefix(p[1]), p[1])
	}
	for _, g := range req.Globs {
		out.add("module.MatchPrefixPatterns", fmt.Sprint(module.MatchPrefixPatterns(g[0], g[1])), g[0], g[1])
	}
	for _, v := range req.Gover {
		out.add("gover.IsValid", fmt.Sprint(version.IsValid("go"+v)), v)
		out.add("gover.Lang", strings.TrimPrefix(version.Lang("go"+v), "go"), v)
	}
	for _, p := range req.GoverPairs {
		out.add("gover.Compare", fmt.Sprint(version.Compare("go"+p[0], "go"+p[1])), p[0], p[1])
	}
	for _, b := range req.PseudoBuilds {
		pseudoBuild(&out, b)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "version-oracle: writing the answers:", err)
		os.Exit(2)
	}
}

func versionAnswers(out *answers, v string) {
	out.add("semver.IsValid", fmt.Sprint(semver.IsValid(v)), v)
	out.add("semver.Canonical", semver.Canonical(v), v)
	out.add("semver.Prerelease", semver.Prerelease(v), v)
	out.add("semver.Build", semver.Build(v), v)
	out.add("semver.Major", semver.Major(v), v)
	out.add("semver.MajorMinor", semver.MajorMinor(v), v)
	out.add("module.CanonicalVersion", module.CanonicalVersion(v), v)
	out.add("module.IsPseudoVersion", fmt.Sprint(module.IsPseudoVersion(v)), v)
	out.add("module.IsZeroPseudoVersion", fmt.Sprint(module.IsZeroPseudoVersion(v)), v)
	out.add("module.PseudoVersionBase", result(module.PseudoVersionBase(v)), v)
	t, err := module.PseudoVersionTime(v)
	out.add("module.PseudoVersionTime", result(t.Format(time.RFC3339), err), v)
	out.add("module.PseudoVersionRev", result(module.PseudoVersionRev(v)), v)
	out.add("module.EscapeVersion", result(module.EscapeVersion(v)), v)
	out.add("module.UnescapeVersion", result(module.UnescapeVersion(v)), v)
}

func pathAnswers(out *answers, p string) {
	out.add("module.CheckPath", errOnly(module.CheckPath(p)), p)
	out.add("module.CheckImportPath", errOnly(module.CheckImportPath(p)), p)
	out.add("module.CheckFilePath", errOnly(module.CheckFilePath(p)), p)
	prefix, major, ok := module.SplitPathVersion(p)
	out.add("module.SplitPathVersion", fmt.Sprintf("%s|%s|%v", prefix, major, ok), p)
	out.add("module.EscapePath", result(module.EscapePath(p)), p)
	out.add("module.UnescapePath", result(module.UnescapePath(p)), p)
}

// pseudoBuild answers PseudoVersion(major, older, time, rev), with the time
// given in the pseudo-version layout, and ZeroPseudoVersion(major).
func pseudoBuild(out *answers, b [4]string) {
	major, older, stamp, rev := b[0], b[1], b[2], b[3]
	t, err := time.Parse(module.PseudoVersionTimestampFormat, stamp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "version-oracle: pseudo-version time:", err)
		os.Exit(2)
	}
	out.add("module.PseudoVersion", module.PseudoVersion(major, older, t, rev), major, older, stamp, rev)
	out.add("module.ZeroPseudoVersion", module.ZeroPseudoVersion(major), major)
}

// pathMajorPrefix is module.PathMajorPrefix, with its panic on a malformed
// suffix reported as "panic".
func pathMajorPrefix(pathMajor string) (prefix string) {
	defer func() {
		if recover() != nil {
			prefix = "panic"
		}
	}()
	return module.PathMajorPrefix(pathMajor)
}
