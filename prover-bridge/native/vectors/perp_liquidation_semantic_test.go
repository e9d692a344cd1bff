package vectors

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPerpLiquidationBoundaryCases reads the checked-in perp-liquidation-rules.json (its bytes are
// pinned by TestVectorsUpToDate) and checks that the named boundary cases the Java test relies on
// are there with the decisions docs/perp-circuit.md §11 states: at maintenance and one quantum
// above refused, one quantum below accepted; a fee at its bound accepted, one above refused;
// deleveraging at value 0 refused, at −1 accepted; both bankruptcy-price clamps reached.
func TestPerpLiquidationBoundaryCases(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, FilePerpLiquidation))
	if err != nil {
		t.Fatal(err)
	}
	var f liqFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	byName := map[string]liqCase{}
	for _, c := range f.Cases {
		byName[c.Name] = c
	}
	want := []struct {
		prefix   string
		accepted bool
		broken   []string
	}{
		{"liquidation: equity exactly at maintenance", false, []string{"not-liquidatable"}},
		{"liquidation: one quantum above maintenance", false, []string{"not-liquidatable"}},
		{"liquidation: one quantum below maintenance", true, []string{}},
		{"liquidation: fee at its bound (1% of the notional)", true, []string{}},
		{"liquidation: fee one above its bound", false, []string{"liquidation-fee"}},
		{"liquidation: fee at the equity left after the fill", true, []string{}},
		{"liquidation: fee one above the equity left after the fill", false, []string{"liquidation-fee"}},
		{"liquidation: the fill flips the position", false, []string{"position-shrinks"}},
		{"liquidation: the fill grows the position", false, []string{"position-shrinks"}},
		{"takeover: one above the bankruptcy price", false, []string{"bankruptcy-price"}},
		{"deleverage: value 0", false, []string{"not-bankrupt"}},
		{"deleverage: value −1", true, []string{}},
		{"deleverage: the deleverager's position grows", false, []string{"deleverager-shrinks"}},
	}
	for _, w := range want {
		n := 0
		for name, c := range byName {
			if !strings.HasPrefix(name, w.prefix+",") {
				continue
			}
			n++
			if c.Accepted != w.accepted || !reflect.DeepEqual(c.Broken, w.broken) {
				t.Errorf("%s: accepted %v, broken %v", name, c.Accepted, c.Broken)
			}
		}
		if n != 2 {
			t.Errorf("%q: %d cases, want 2 (one position, and with others)", w.prefix, n)
		}
	}
	if c := byName["deleverage: bankruptcy price clamped to 2^31 − 1"]; c.Bankruptcy != "2147483647" || !c.Accepted {
		t.Errorf("upper clamp: %+v", c)
	}
	if c := byName["deleverage: a short's bankruptcy price clamped to 1"]; c.Bankruptcy != "1" || !c.Accepted {
		t.Errorf("lower clamp: %+v", c)
	}
}
