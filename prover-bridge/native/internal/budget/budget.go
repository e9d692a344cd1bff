// Package budget compares measured constraint counts with a checked-in constraints.csv, the guard
// behind each package's TestConstraintBudget.
package budget

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Check compares got (name → constraints) with the csv at path (header "what,constraints", one
// quoted name and count per line): a count that grows fails, one that shrinks asks for the file to
// be updated, a name missing on either side fails. The counts are logged (go test -v), and on a
// failure the file's would-be content too.
func Check(t *testing.T, path string, got map[string]int) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n")[1:] {
		i := strings.LastIndex(line, ",")
		n, err := strconv.Atoi(line[i+1:])
		if err != nil {
			t.Fatal(err)
		}
		want[strings.Trim(line[:i], "\"")] = n
	}
	names := make([]string, 0, len(got))
	for k := range got {
		names = append(names, k)
	}
	sort.Strings(names)
	var csv strings.Builder
	csv.WriteString("what,constraints\n")
	for _, k := range names {
		t.Logf("%8d  %s", got[k], k)
		fmt.Fprintf(&csv, "%q,%d\n", k, got[k])
		switch w, ok := want[k]; {
		case !ok:
			t.Errorf("%s has no line %q", path, k)
		case got[k] > w:
			t.Errorf("%s: %d constraints, more than the %d checked in", k, got[k], w)
		case got[k] < w:
			t.Errorf("%s: %d constraints, fewer than the %d checked in: update %s", k, got[k], w, path)
		}
	}
	if len(want) != len(got) {
		t.Errorf("%s has %d lines, the test measures %d", path, len(want), len(got))
	}
	if t.Failed() {
		t.Logf("current counts:\n%s", csv.String())
	}
}
