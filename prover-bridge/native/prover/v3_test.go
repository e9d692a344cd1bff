package prover

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

var testDomain = messages.Domain{ChainID: 31337, Rollup: [20]byte{0x9f, 0xe4, 0x67, 0x36, 0x67, 0x9d, 0x2d, 0x9a, 0x65, 0xf0,
	0x99, 0x2f, 0x22, 0x72, 0xde, 0x9f, 0x3c, 0x7f, 0xa6, 0xe0}}

var (
	v3TinyOnce sync.Once
	v3Tiny     *Prover
	v3TinyErr  error
)

// v3TinyProver is OpenForCheck's prover of v3-tiny for testDomain (compiled once for the tests):
// no keys, Check needs none.
func v3TinyProver(t *testing.T) *Prover {
	t.Helper()
	v3TinyOnce.Do(func() { v3Tiny, v3TinyErr = OpenForCheck(Shapes["v3-tiny"], testDomain, nil) })
	if v3TinyErr != nil {
		t.Fatal(v3TinyErr)
	}
	return v3Tiny
}

func goldenV3(t *testing.T) []byte {
	t.Helper()
	g, err := batchv3.GoldenBatch(Shapes["v3-tiny"].V3, testDomain)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := batchv3.Encode(g.Sealed.Witness)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestV3ShapesAreBuildable: every format v3 shape passes batchv3's check with BatchSize = S, and
// the golden batch has exactly v3-tiny's witness size.
func TestV3ShapesAreBuildable(t *testing.T) {
	for name, s := range Shapes {
		if err := s.check(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if s.Name != name {
			t.Errorf("shape %s is named %s", name, s.Name)
		}
	}
	if n := len(goldenV3(t)); n != Shapes["v3-tiny"].WitnessSize() {
		t.Fatalf("golden witness %d bytes, v3-tiny %d", n, Shapes["v3-tiny"].WitnessSize())
	}
}

// TestOpenNeedsTheRightKindOfShape: a format v3 shape is refused by Open (it needs a domain), a
// format v2 shape by OpenV3, before anything is compiled or written.
func TestOpenNeedsTheRightKindOfShape(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir, Shapes["v3-tiny"], nil); err == nil || !strings.Contains(err.Error(), "OpenV3") {
		t.Fatalf("Open of a v3 shape: %v", err)
	}
	if _, err := OpenV3(dir, Shapes["tiny"], testDomain, nil); err == nil || !strings.Contains(err.Error(), "not v3") {
		t.Fatalf("OpenV3 of a v2 shape: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the key directory was written: %v", entries)
	}
}

// TestV3CheckSolvesTheGoldenBatchAndRefusesBrokenOnes: the compiled v3-tiny circuit accepts the
// golden batch; a changed record byte (decodes, so the public input is recomputed over it) is an
// *UnsatisfiableError at batch level; a bad magic and a short witness are *batchv3.FormatError
// with their offsets, as the JNI bridge maps them.
func TestV3CheckSolvesTheGoldenBatchAndRefusesBrokenOnes(t *testing.T) {
	p := v3TinyProver(t)
	raw := goldenV3(t)
	if err := p.Check(raw); err != nil {
		t.Fatalf("golden batch refused: %v", err)
	}
	shape := Shapes["v3-tiny"].V3
	tradeByte := batchv3.EncodedHeaderSize(shape) + 2*32*(shape.Steps()+1) + 2*shape.RecordSize() + 10 // step 2 is a trade
	bad := append([]byte(nil), raw...)
	bad[tradeByte] ^= 1
	var ue *UnsatisfiableError
	if err := p.Check(bad); !errors.As(err, &ue) || ue.TxIndex != -1 {
		t.Fatalf("changed trade record: %v", err)
	}
	var fe *batchv3.FormatError
	magic := append([]byte(nil), raw...)
	magic[0] ^= 1
	if err := p.Check(magic); !errors.As(err, &fe) || fe.Offset != 0 {
		t.Fatalf("bad magic: %v", err)
	}
	if err := p.Check(raw[:len(raw)-1]); !errors.As(err, &fe) {
		t.Fatalf("short witness: %v", err)
	}
}

// TestV3KeysBelongToTheDomain: the key directory's name holds the chain id and the rollup
// address; a manifest of another domain or another v3 shape is refused with a *KeyMismatchError
// naming the difference, and a v2 manifest never fits a v3 circuit.
func TestV3KeysBelongToTheDomain(t *testing.T) {
	p := v3TinyProver(t)
	want, err := expectedManifest(p.shape, testDomain, p.ccs)
	if err != nil {
		t.Fatal(err)
	}
	name := KeyDirName(p.shape, testDomain, want.ConstraintSystem)
	if name != "v3-tiny-31337-9fe46736679d2d9a65f0992f2272de9f3c7fa6e0-"+want.ConstraintSystem[:12] {
		t.Fatalf("key directory %s", name)
	}
	if want.ChainID != 31337 || want.Rollup != "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0" || want.V3 == nil || *want.V3 != p.shape.V3 {
		t.Fatalf("manifest does not name the domain and shape: %+v", want)
	}
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		change func(*Manifest)
		want   string
	}{
		{"other chain", func(m *Manifest) { m.ChainID = 1 }, "chain id"},
		{"other rollup", func(m *Manifest) { m.Rollup = "0x" + strings.Repeat("00", 20) }, "rollup address"},
		{"other shape", func(m *Manifest) { s := *m.V3; s.K = 4; m.V3 = &s }, "v3 shape"},
		{"a v2 manifest", func(m *Manifest) { m.V3, m.ChainID, m.Rollup = nil, 0, "" }, "v3 shape"},
	} {
		bad := want
		c.change(&bad)
		js, _ := json.Marshal(bad)
		if err := os.WriteFile(filepath.Join(dir, manifestFile), js, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, _, err := loadKeys(dir, want)
		var km *KeyMismatchError
		if !errors.As(err, &km) || !strings.Contains(km.Error(), c.want) {
			t.Errorf("%s: got %v, want a KeyMismatchError about %q", c.name, err, c.want)
		}
	}
}

// TestOpenForCheckCompilesWithoutKeys: a prover opened for checking solves the golden batch and
// refuses to prove, verify or export a verifier with ErrCheckOnly; a v3 shape needs a domain.
func TestOpenForCheckCompilesWithoutKeys(t *testing.T) {
	if _, err := OpenForCheck(Shapes["v3-tiny"], messages.Domain{}, nil); err == nil {
		t.Fatal("a v3 shape opened for checking without a domain")
	}
	p := v3TinyProver(t)
	raw := goldenV3(t)
	if err := p.Check(raw); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Prove(raw); !errors.Is(err, ErrCheckOnly) {
		t.Fatalf("Prove: %v", err)
	}
	if err := p.Verify(nil, [32]byte{}); !errors.Is(err, ErrCheckOnly) {
		t.Fatalf("Verify: %v", err)
	}
	if _, err := p.SolidityVerifier(); !errors.Is(err, ErrCheckOnly) {
		t.Fatalf("SolidityVerifier: %v", err)
	}
}
