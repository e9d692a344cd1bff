// Command vectorgen writes zkperp's golden test vectors.
//
//	cd prover-bridge/native
//	go run ./cmd/vectorgen            # writes ../../test-vectors
//	go run ./cmd/vectorgen -out DIR   # writes DIR
//	go run ./cmd/vectorgen -check     # only reports drift, exit status 1 if any
//
// The output is deterministic: running it twice produces identical bytes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/zkperp/zkperp/prover-bridge/native/vectors"
)

func main() {
	out := flag.String("out", "", "output directory (default: ../../test-vectors relative to the module directory)")
	check := flag.Bool("check", false, "compare with the files in the output directory instead of writing")
	flag.Parse()
	if err := run(*out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "vectorgen:", err)
		os.Exit(1)
	}
}

func run(out string, check bool) error {
	if out == "" {
		d, err := vectors.DefaultDir()
		if err != nil {
			return err
		}
		out = d
	}
	files, err := vectors.Generate()
	if err != nil {
		return err
	}
	if check {
		problems, err := vectors.Diff(out, files)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return fmt.Errorf("vectors out of date:\n  %s\n%s", strings.Join(problems, "\n  "), vectors.RegenerateHint)
		}
		fmt.Printf("%s is up to date (%d files)\n", out, len(files))
		return nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, name := range vectors.SortedNames(files) {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes)\n", path, len(files[name]))
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, ok := files[e.Name()]; !ok && strings.HasSuffix(e.Name(), ".json") {
			fmt.Printf("warning: %s is not produced by the generator; delete it if it is stale\n", filepath.Join(out, e.Name()))
		}
	}
	return nil
}
