package gadget

import (
	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/rangecheck"
)

// oneGadget compiles one gadget alone with its own range checker.
type oneGadget struct {
	In   [40]frontend.Variable
	List [8]Entry
	f    func(l *Layout, c *oneGadget) frontend.Variable
}

func (c *oneGadget) Define(api frontend.API) error {
	l, err := New(api, rangecheck.New(api))
	if err != nil {
		return err
	}
	api.AssertIsDifferent(c.f(l, c), 0)
	return nil
}

func budgetLines(t testing.TB) map[string]int {
	gadgets := map[string]func(l *Layout, c *oneGadget) frontend.Variable{
		"account leaf v2 (identity hash + list packing + leaf)": func(l *Layout, c *oneGadget) frontend.Variable {
			id := l.IdentityHash(Identity{c.In[0], c.In[1], c.In[2], c.In[3]})
			return l.AccountLeaf(id, c.In[4], c.In[5], c.In[6], c.List)
		},
		"account leaf v2 from a known identity hash (list packing + leaf)": func(l *Layout, c *oneGadget) frontend.Variable {
			return l.AccountLeaf(c.In[0], c.In[4], c.In[5], c.In[6], c.List)
		},
		"fill leaf v2": func(l *Layout, c *oneGadget) frontend.Variable {
			return l.FillLeaf(c.In[0], c.In[1])
		},
		"market leaf v2 (with the risk hash)": func(l *Layout, c *oneGadget) frontend.Variable {
			var r MarketRisk
			copy(r[:], c.In[6:18])
			return l.MarketLeaf(c.In[0], c.In[1], c.In[2], c.In[3], c.In[4], l.MarketRiskHash(r))
		},
		"global leaf v2 (signer root of 16 slots + fee tiers)": func(l *Layout, c *oneGadget) frontend.Variable {
			var keys [16][2]frontend.Variable
			for i := range keys {
				keys[i] = [2]frontend.Variable{c.In[2*i%40], c.In[(2*i+1)%40]}
			}
			var rates [16]frontend.Variable
			copy(rates[:], c.In[20:36])
			return l.GlobalLeaf(c.In[36], l.OracleSignersRoot(keys), c.In[37], l.FeeTiersHash(rates))
		},
	}
	out := map[string]int{}
	for name, f := range gadgets {
		cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &oneGadget{f: f})
		if err != nil {
			t.Fatal(err)
		}
		out[name] = cs.GetNbConstraints()
	}
	return out
}

// TestConstraintBudget compares each gadget's count with constraints.csv: a count that grows
// fails (update the file deliberately, with the reason); one that shrinks asks for the update.
func TestConstraintBudget(t *testing.T) {
	budget.Check(t, "constraints.csv", budgetLines(t))
}
