// Command packages-oracle answers, with go/build and go/build/constraint,
// the questions tykdeps' package scanner answers, so tests can compare.
//
//	packages-oracle expr < lines        each line "tag,tag<TAB>constraint line": true, false or error
//	packages-oracle dir GOOS GOARCH CGO TAGS MINOR DIR
//	                                    each built file of DIR: "name<TAB>package<TAB>imports"
package main

import (
	"bufio"
	"fmt"
	"go/build"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	switch os.Args[1] {
	case "expr":
		exprs()
	case "dir":
		dir(os.Args[2:])
	}
}

func exprs() {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		tags, line, _ := strings.Cut(in.Text(), "\t")
		set := map[string]bool{}
		for _, t := range strings.Split(tags, ",") {
			set[t] = true
		}
		x, err := constraint.Parse(line)
		if err != nil {
			fmt.Println("error")
			continue
		}
		fmt.Println(x.Eval(func(tag string) bool { return set[tag] }))
	}
}

func dir(args []string) {
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH = args[0], args[1]
	ctxt.CgoEnabled = args[2] == "1"
	if args[3] != "" {
		ctxt.BuildTags = strings.Split(args[3], ",")
	}
	minor, _ := strconv.Atoi(args[4])
	ctxt.ReleaseTags = nil
	for i := 1; i <= minor; i++ {
		ctxt.ReleaseTags = append(ctxt.ReleaseTags, fmt.Sprintf("go1.%d", i))
	}
	pkg, err := ctxt.ImportDir(args[5], 0)
	if err != nil {
		if _, ok := err.(*build.NoGoError); !ok {
			fmt.Println("error:", err)
			return
		}
	}
	files := append(append([]string{}, pkg.GoFiles...), pkg.CgoFiles...)
	sort.Strings(files)
	for _, name := range files {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(args[5], name), nil, parser.ImportsOnly)
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		var imports []string
		for _, spec := range f.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			imports = append(imports, path)
		}
		fmt.Printf("%s\t%s\t%s\n", name, f.Name.Name, strings.Join(imports, ","))
	}
}
