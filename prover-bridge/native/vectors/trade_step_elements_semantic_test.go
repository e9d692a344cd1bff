package vectors

import (
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend/schema"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// tradeStepFromElements assigns a bound trade step of shape (n, k) from the file's elements in
// schema order (as batchv3.Decode does), with the given roots.
func tradeStepFromElements(t *testing.T, n, k int, elements []string, oldRoot, newRoot string) *perpstep.TradeStep {
	t.Helper()
	c := perpstep.NewTradeStepBound(n, k, perpstep.Separator(tradeStepDomain))
	i := 0
	_, err := schema.Walk(ecc.BN254.ScalarField(), &c.TradeTransition, tVariableLeaf, func(_ schema.LeafInfo, v reflect.Value) error {
		e := fe(t, elements[i])
		v.Set(reflect.ValueOf(e.BigInt(new(big.Int))))
		i++
		return nil
	})
	if err != nil || i != len(elements) {
		t.Fatalf("shape (%d, %d): %d of %d elements assigned: %v", n, k, i, len(elements), err)
	}
	o, nw := fe(t, oldRoot), fe(t, newRoot)
	c.OldRoot, c.NewRoot = o.BigInt(new(big.Int)), nw.BigInt(new(big.Int))
	return c
}

// The file's elements are a satisfying witness: the first encoding of each scenario's first and
// last trade, assigned to perpstep.NewTradeStepBound(N, K) with the roots before and after from
// the file, solves on gnark's test engine; with Trade.Buyer.FeeOut one more, or with the root
// after of another trade, it does not. Every shape's names are those of a freshly allocated step.
func TestTradeStepElementsSolveTheStep(t *testing.T) {
	var f tradeElementsFile
	load(t, FileTradeStepElements, &f)
	names := map[[2]int][]string{}
	for _, s := range f.Shapes {
		var fresh []string
		_, err := schema.Walk(ecc.BN254.ScalarField(), &perpstep.NewTradeStepBound(s.N, s.K, nil).TradeTransition, tVariableLeaf,
			func(l schema.LeafInfo, _ reflect.Value) error {
				fresh = append(fresh, strings.ReplaceAll(l.FullName(), "_", "."))
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fresh, s.Names) {
			t.Fatalf("shape (%d, %d): the names are not a fresh step's leaves", s.N, s.K)
		}
		names[[2]int{s.N, s.K}] = s.Names
	}
	solved := 0
	for _, sc := range f.Scenarios {
		old := sc.Initial.Root
		for j, c := range sc.Trades {
			if j == 0 || j == len(sc.Trades)-1 {
				e := c.Encodings[0]
				circuit := perpstep.NewTradeStepBound(e.N, e.K, perpstep.Separator(tradeStepDomain))
				w := tradeStepFromElements(t, e.N, e.K, e.Elements, old, c.Root)
				if err := test.IsSolved(circuit, w, ecc.BN254.ScalarField()); err != nil {
					t.Fatalf("%s: %s (N = %d, K = %d): %v", sc.Name, c.Note, e.N, e.K, err)
				}
				solved++
				if j == 0 {
					bad := append([]string(nil), e.Elements...)
					fee := indexOf(names[[2]int{e.N, e.K}], "Trade.Buyer.FeeOut")
					x, one := fe(t, bad[fee]), fr.One()
					x.Add(&x, &one)
					bad[fee] = hexFr(x)
					w = tradeStepFromElements(t, e.N, e.K, bad, old, c.Root)
					if test.IsSolved(circuit, w, ecc.BN254.ScalarField()) == nil {
						t.Fatalf("%s: a fee of one more solves", sc.Name)
					}
					other := sc.Trades[len(sc.Trades)-1].Root
					w = tradeStepFromElements(t, e.N, e.K, e.Elements, old, other)
					if len(sc.Trades) > 1 && test.IsSolved(circuit, w, ecc.BN254.ScalarField()) == nil {
						t.Fatalf("%s: another trade's root after solves", sc.Name)
					}
				}
			}
			old = c.Root
		}
	}
	if solved != 7 {
		t.Fatalf("%d encodings solved, want 7", solved)
	}
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	panic(name)
}
