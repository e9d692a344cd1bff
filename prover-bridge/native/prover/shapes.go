package prover

import (
	"fmt"
	"sort"
	"strings"
)

// Shape is a circuit size fixed at setup: every batch proven with its keys has exactly BatchSize
// slots (padded with no-ops).
type Shape struct {
	Name      string
	BatchSize int
}

// Shapes are the circuit shapes zkperp sets up: "tiny" for tests and CI, "devnet" for the devnet.
var Shapes = map[string]Shape{
	"tiny":   {Name: "tiny", BatchSize: 2},
	"devnet": {Name: "devnet", BatchSize: 8},
}

// ShapeByName returns a known shape or an error listing the known ones.
func ShapeByName(name string) (Shape, error) {
	if s, ok := Shapes[name]; ok {
		return s, nil
	}
	names := make([]string, 0, len(Shapes))
	for n := range Shapes {
		names = append(names, n)
	}
	sort.Strings(names)
	return Shape{}, fmt.Errorf("prover: unknown circuit shape %q (known: %s)", name, strings.Join(names, ", "))
}
