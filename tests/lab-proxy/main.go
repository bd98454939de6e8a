// Command lab-proxy turns the load lab's module source trees into a GOPROXY
// directory that the go command reads through a file:// URL.
//
// Usage: lab-proxy MODULES_DIR PROXY_DIR
//
// Every directory below MODULES_DIR named "<last element>@<version>" is one
// module version; its path is the directory's path relative to MODULES_DIR up
// to the "@". A module without go.mod (pseudo-versions, +incompatible) gets
// the go.mod the go command synthesizes for it: "module <path>".
package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

// released is the time of every tagged version; pseudo-versions carry their own.
var released = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: lab-proxy MODULES_DIR PROXY_DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "lab-proxy:", err)
		os.Exit(1)
	}
}

func run(modules, proxy string) error {
	found, err := findModules(modules)
	if err != nil {
		return err
	}
	versions := map[string][]string{}
	for dir, mv := range found {
		if err := publish(proxy, dir, mv); err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		versions[mv.Path] = append(versions[mv.Path], mv.Version)
	}
	for p, vs := range versions {
		if err := writeList(proxy, p, vs); err != nil {
			return err
		}
	}
	return nil
}

// findModules maps each module source directory to the version it holds.
func findModules(root string) (map[string]module.Version, error) {
	found := map[string]module.Version{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || !strings.Contains(d.Name(), "@") {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		modPath, version, _ := strings.Cut(filepath.ToSlash(rel), "@")
		mv := module.Version{Path: modPath, Version: version}
		if err := module.Check(mv.Path, mv.Version); err != nil {
			return err
		}
		found[p] = mv
		return filepath.SkipDir
	})
	return found, err
}

// publish writes the .info, .mod and .zip of one module version.
func publish(proxy, dir string, mv module.Version) error {
	base, err := versionDir(proxy, mv.Path)
	if err != nil {
		return err
	}
	file, err := module.EscapeVersion(mv.Version)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return err
	}
	info, err := json.Marshal(map[string]any{"Version": mv.Version, "Time": versionTime(mv.Version)})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(base, file+".info"), info, 0o644); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if os.IsNotExist(err) {
		gomod, err = []byte("module "+mv.Path+"\n"), nil
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(base, file+".mod"), gomod, 0o644); err != nil {
		return err
	}
	out, err := os.Create(filepath.Join(base, file+".zip"))
	if err != nil {
		return err
	}
	defer out.Close()
	return zip.CreateFromDir(out, mv, dir)
}

// versionTime is the commit time a pseudo-version names, or the lab's release time.
func versionTime(v string) time.Time {
	if module.IsPseudoVersion(v) {
		if t, err := module.PseudoVersionTime(v); err == nil {
			return t
		}
	}
	return released
}

func writeList(proxy, modPath string, versions []string) error {
	base, err := versionDir(proxy, modPath)
	if err != nil {
		return err
	}
	sort.Strings(versions)
	var tagged []string
	for _, v := range versions {
		// A proxy lists tagged versions only; pseudo-versions are fetched by name.
		if !module.IsPseudoVersion(v) {
			tagged = append(tagged, v)
		}
	}
	list := ""
	for _, v := range tagged {
		list += v + "\n"
	}
	return os.WriteFile(filepath.Join(base, "list"), []byte(list), 0o644)
}

func versionDir(proxy, modPath string) (string, error) {
	escaped, err := module.EscapePath(modPath)
	if err != nil {
		return "", err
	}
	return filepath.Join(proxy, filepath.FromSlash(path.Join(escaped, "@v"))), nil
}
