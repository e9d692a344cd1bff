// Package vectorfile is test support: it reads a golden-vector file of test-vectors/ (the
// directory vectors.DefaultDir names) into a test's own struct.
package vectorfile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/vectors"
)

// Read decodes the vector file name (one of the vectors.File… names) as JSON into v; a missing
// directory or file or malformed JSON fails t. Call it from the test's goroutine.
func Read(t testing.TB, name string, v any) {
	t.Helper()
	dir, err := vectors.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
