package budget

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
)

// Count compiles c to R1CS over BN254's scalar field and returns its number of constraints; a
// compile error fails t. Call it from the test's goroutine.
func Count(t testing.TB, c frontend.Circuit) int {
	t.Helper()
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		t.Fatal(err)
	}
	return cs.GetNbConstraints()
}
