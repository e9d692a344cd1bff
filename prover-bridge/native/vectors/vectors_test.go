package vectors

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestVectorsUpToDate regenerates every vector file in memory and compares it byte for byte with
// the checked-in copy in test-vectors/.
func TestVectorsUpToDate(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("vector directory: %v\n%s", err, RegenerateHint)
	}
	problems, err := Diff(dir, generated(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Fatalf("checked-in test vectors are out of date:\n  %s\n%s", strings.Join(problems, "\n  "), RegenerateHint)
	}
}

func writeAll(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAlteredVectorIsCaught shows that the comparison used by TestVectorsUpToDate notices a
// single flipped hex digit, a missing file and an extra .json file.
func TestAlteredVectorIsCaught(t *testing.T) {
	files := generated(t)
	dir := t.TempDir()
	writeAll(t, dir, files)
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("not a vector\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if problems, err := Diff(dir, files); err != nil || len(problems) != 0 {
		t.Fatalf("fresh copy reported as different: %v %v", problems, err)
	}

	// Flip one hex digit of the first Poseidon2 compression output.
	orig := files[FilePoseidon2]
	re := regexp.MustCompile(`"output": "0x([0-9a-f])`)
	var altered []byte
	var line int
	inCompress := false
	lines := bytes.SplitAfter(orig, []byte("\n"))
	for i, l := range lines {
		if bytes.Contains(l, []byte(`"compress": [`)) {
			inCompress = true
		}
		if inCompress && altered == nil {
			if m := re.FindSubmatchIndex(l); m != nil {
				c := l[m[2]]
				flipped := byte('0')
				if c == '0' {
					flipped = '1'
				}
				nl := append([]byte(nil), l...)
				nl[m[2]] = flipped
				altered = bytes.Join(append(append(append([][]byte{}, lines[:i]...), nl), lines[i+1:]...), nil)
				line = i + 1
			}
		}
	}
	if altered == nil {
		t.Fatal("no compress output found to alter")
	}
	if err := os.WriteFile(filepath.Join(dir, FilePoseidon2), altered, 0o644); err != nil {
		t.Fatal(err)
	}
	problems, err := Diff(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 {
		t.Fatalf("want exactly one problem, got %q", problems)
	}
	p := problems[0]
	for _, want := range []string{FilePoseidon2, "line " + strconv.Itoa(line) + ",", "$.compress[0].output"} {
		if !strings.Contains(p, want) {
			t.Errorf("problem %q does not mention %q", p, want)
		}
	}
	t.Logf("altered vector reported as: %s", p)

	// A missing file and an extra .json file are reported too.
	if err := os.Remove(filepath.Join(dir, FileField)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "extra.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	problems, err = Diff(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(problems, "\n")
	if len(problems) != 3 || !strings.Contains(joined, FileField+": missing") || !strings.Contains(joined, "extra.json: not produced") {
		t.Fatalf("missing/extra files not reported: %q", problems)
	}
}

func TestJSONPathOfFirstDifference(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{`{"a":1,"b":[1,2,{"c":"x"}]}`, `{"a":1,"b":[1,2,{"c":"y"}]}`, "$.b[2].c"},
		{`{"a":[[1],[2,3]]}`, `{"a":[[1],[2,4]]}`, "$.a[1][1]"},
		{`{"a":1,"b":2}`, `{"a":1,"c":2}`, `$.b (key "b" vs c)`},
		{`{"a":[1,2]}`, `{"a":[1,2,3]}`, "$.a[2]"},
		{`{"a":1}`, "{\n  \"a\": 1\n}", ""},
	}
	for _, c := range cases {
		if got := firstJSONDifference([]byte(c.a), []byte(c.b)); got != c.want {
			t.Errorf("firstJSONDifference(%s, %s) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	again, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	files := generated(t)
	if len(again) != len(files) {
		t.Fatal("different file sets")
	}
	for name, b := range files {
		if !bytes.Equal(b, again[name]) {
			t.Errorf("%s differs between two runs", name)
		}
		if strings.HasSuffix(name, ".bin") {
			continue // binary witnesses: byte equality above is the whole contract
		}
		if !bytes.HasSuffix(b, []byte("}\n")) || bytes.HasSuffix(b, []byte("\n\n")) {
			t.Errorf("%s does not end with exactly one newline", name)
		}
		if !bytes.HasPrefix(b, []byte("{\n  \"generator\": {\n    \"program\": \""+Program+"\"")) {
			t.Errorf("%s does not start with the generator object", name)
		}
	}
}

// TestGeneratorVersionsMatchGoMod: the versions written into every file are the ones go.mod pins.
func TestGeneratorVersionsMatchGoMod(t *testing.T) {
	mod, err := ModuleDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(mod, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []string{"github.com/consensys/gnark-crypto " + GnarkCryptoVersion, "github.com/consensys/gnark " + GnarkVersion} {
		if !regexp.MustCompile(`(?m)^\s*(require\s+)?` + regexp.QuoteMeta(req) + `\s*$`).Match(b) {
			t.Errorf("go.mod does not require %s", req)
		}
	}
}
