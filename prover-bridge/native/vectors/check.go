package vectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ModulePath is this Go module's path (used to find the module directory).
const ModulePath = "github.com/zkperp/zkperp/prover-bridge/native"

// RegenerateHint is appended to every drift report.
const RegenerateHint = "run: go run ./cmd/vectorgen (in prover-bridge/native) and commit test-vectors/"

// ModuleDir finds the directory of this module's go.mod by walking up from the working directory.
func ModuleDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module "+ModulePath+"\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.mod of %s not found above the working directory", ModulePath)
		}
		dir = parent
	}
}

// DefaultDir returns the checked-in vector directory: $ZKPERP_TEST_VECTORS if set, else
// ../../test-vectors relative to the module directory (the repository's test-vectors/).
func DefaultDir() (string, error) {
	if d := os.Getenv("ZKPERP_TEST_VECTORS"); d != "" {
		return d, nil
	}
	mod, err := ModuleDir()
	if err != nil {
		return "", err
	}
	return filepath.Clean(filepath.Join(mod, "..", "..", "test-vectors")), nil
}

// SortedNames returns the file names of a generated set in sorted order.
func SortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Diff compares the vector files in dir with the generated set. It returns one human-readable
// problem per file that is missing, differs (with the first differing line and JSON path), or is a
// .json file the generator does not produce. No problems means dir is up to date.
func Diff(dir string, generated map[string][]byte) ([]string, error) {
	var problems []string
	for _, name := range SortedNames(generated) {
		path := filepath.Join(dir, name)
		have, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			problems = append(problems, fmt.Sprintf("%s: missing", path))
			continue
		}
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(have, generated[name]) {
			problems = append(problems, fmt.Sprintf("%s: %s", path, describeDifference(have, generated[name])))
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") {
			if _, ok := generated[e.Name()]; !ok {
				problems = append(problems, fmt.Sprintf("%s: not produced by the generator (stale or hand-written)", filepath.Join(dir, e.Name())))
			}
		}
	}
	return problems, nil
}

// describeDifference names the first differing line of two files and, when both parse as JSON,
// the JSON path of the first differing token.
func describeDifference(have, want []byte) string {
	i := 0
	for i < len(have) && i < len(want) && have[i] == want[i] {
		i++
	}
	line := 1 + bytes.Count(have[:i], []byte("\n"))
	msg := fmt.Sprintf("differs from the generator at line %d", line)
	if p := firstJSONDifference(have, want); p != "" {
		msg += ", JSON path " + p
	}
	msg += fmt.Sprintf(": checked-in %q, generated %q", lineAt(have, line), lineAt(want, line))
	return msg
}

func lineAt(b []byte, n int) string {
	lines := bytes.Split(b, []byte("\n"))
	if n-1 < len(lines) {
		return strings.TrimSpace(string(lines[n-1]))
	}
	return "<end of file>"
}

type jsonFrame struct {
	object    bool
	key       string
	index     int
	expectKey bool
}

func jsonPath(stack []jsonFrame) string {
	var sb strings.Builder
	sb.WriteString("$")
	for _, f := range stack {
		if f.object {
			sb.WriteString("." + f.key)
		} else {
			fmt.Fprintf(&sb, "[%d]", f.index)
		}
	}
	return sb.String()
}

// firstJSONDifference walks both documents token by token and returns the path of the first
// token that differs ("" if the token streams are identical, e.g. only whitespace differs).
func firstJSONDifference(a, b []byte) string {
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	var stack []jsonFrame
	for {
		ta, ea := da.Token()
		tb, eb := db.Token()
		if ea == io.EOF && eb == io.EOF {
			return ""
		}
		if ea != nil || eb != nil {
			return jsonPath(stack) + " (document structure differs)"
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if ka, isKey := ta.(string); isKey && top != nil && top.object && top.expectKey {
			top.key, top.expectKey = ka, false
			if kb, ok := tb.(string); !ok || kb != ka {
				return jsonPath(stack) + fmt.Sprintf(" (key %q vs %v)", ka, tb)
			}
			continue
		}
		if fmt.Sprintf("%T %v", ta, ta) != fmt.Sprintf("%T %v", tb, tb) {
			return jsonPath(stack)
		}
		if d, ok := ta.(json.Delim); ok {
			switch d {
			case '{':
				stack = append(stack, jsonFrame{object: true, expectKey: true})
				continue
			case '[':
				stack = append(stack, jsonFrame{})
				continue
			default: // '}' or ']' closes the current container
				stack = stack[:len(stack)-1]
			}
		}
		// A value (scalar or closed container) is complete.
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
			if top.object {
				top.expectKey = true
			} else {
				top.index++
			}
		}
	}
}
