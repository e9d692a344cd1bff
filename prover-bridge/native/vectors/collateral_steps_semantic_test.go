package vectors

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCollateralStepsPublicDataAndCoverage reads the checked-in collateral-steps.json (its bytes are
// pinned by TestVectorsUpToDate) and checks what the Java test relies on: every accepted step's
// public data has the layout docs/batch-format.md gives, read back field by field from the step
// (type code, 3-byte ids, 8-byte amounts, the 20-byte owner; a forced withdrawal pays its amount or
// 0, and paying 0 leaves the root unchanged); every rule and the error is met by some refusal; the
// margin scenario's boundary pairs are refused one quantum above and accepted at the free
// collateral.
func TestCollateralStepsPublicDataAndCoverage(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, FileCollateralSteps))
	if err != nil {
		t.Fatal(err)
	}
	var f collateralStepsFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	codes := map[string]byte{"deposit": 1, "withdrawal": 2, "transfer": 3, "forced-withdrawal": 4}
	lengths := map[string]int{"deposit": 1, "withdrawal": 32, "transfer": 15, "forced-withdrawal": 32}
	met := map[string]bool{}
	accepted := map[string]int{}
	zeroPaid := 0
	dec := func(s string) uint64 {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, sc := range f.Scenarios {
		root := sc.Initial.Root
		for _, s := range sc.Steps {
			note := sc.Name + ": " + s.Note
			if s.Root == "" {
				for _, r := range s.Rules {
					met[r] = true
				}
				if s.Error != "" {
					met[s.Error] = true
				}
				if len(s.Rules) == 0 && s.Error == "" {
					t.Errorf("%s: neither accepted nor refused", note)
				}
				continue
			}
			accepted[s.Type]++
			pd, err := hex.DecodeString(strings.TrimPrefix(s.PublicData, "0x"))
			if err != nil || len(pd) != lengths[s.Type] || pd[0] != codes[s.Type] {
				t.Errorf("%s: public data %s", note, s.PublicData)
				continue
			}
			id3 := func(b []byte) uint64 { return uint64(b[0])<<16 | uint64(b[1])<<8 | uint64(b[2]) }
			switch s.Type {
			case "withdrawal", "forced-withdrawal":
				amount := binary.BigEndian.Uint64(pd[4:12])
				if id3(pd[1:4]) != dec(s.Account) || "0x"+hex.EncodeToString(pd[12:]) != s.L1Owner {
					t.Errorf("%s: public data %s names another account or owner", note, s.PublicData)
				}
				switch {
				case amount == dec(s.Amount) && (s.Type == "withdrawal" || s.Root != root):
				case s.Type == "forced-withdrawal" && amount == 0 && s.Root == root:
					zeroPaid++
				default:
					t.Errorf("%s: pays %d of %s (root changed: %v)", note, amount, s.Amount, s.Root != root)
				}
			case "transfer":
				if id3(pd[1:4]) != dec(s.Account) || id3(pd[4:7]) != dec(s.Receiver) || binary.BigEndian.Uint64(pd[7:]) != dec(s.Amount) {
					t.Errorf("%s: public data %s", note, s.PublicData)
				}
			}
			if (s.Type == "deposit" || s.Type == "forced-withdrawal") != (s.PriorityOp != "") {
				t.Errorf("%s: priority operation %q", note, s.PriorityOp)
			}
			root = s.Root
		}
	}
	for _, r := range append(append([]string{}, f.Rules...), f.Errors...) {
		if !met[r] {
			t.Errorf("no refusal for %q", r)
		}
	}
	for ty := range codes {
		if accepted[ty] < 3 {
			t.Errorf("%s: %d accepted", ty, accepted[ty])
		}
	}
	if zeroPaid < 3 {
		t.Errorf("%d forced withdrawals paying 0", zeroPaid)
	}
	for _, sc := range f.Scenarios {
		if sc.Name != "margin" {
			continue
		}
		pairs := 0
		for i, s := range sc.Steps {
			if !strings.Contains(s.Note, "one quantum above") || i+1 == len(sc.Steps) {
				continue
			}
			next := sc.Steps[i+1]
			above, exact := dec(s.Amount), dec(next.Amount)
			if above != exact+1 || !strings.Contains(next.Note, "exactly") || next.Root == "" {
				t.Errorf("%s / %s: %d then %d", s.Note, next.Note, above, exact)
			}
			if s.Type != "forced-withdrawal" && (len(s.Rules) != 1 || s.Rules[0] != "free collateral") {
				t.Errorf("%s: %v", s.Note, s.Rules)
			}
			pairs++
		}
		if pairs != 3 {
			t.Errorf("margin: %d boundary pairs, want 3", pairs)
		}
	}
}
