package main

import (
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/prover"
)

// peakRSS returns the process's peak resident set (VmHWM) in MiB and resets it, so that each
// phase reports its own peak (Linux: writing 5 to /proc/self/clear_refs resets VmHWM).
func peakRSS() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	var kb float64 = -1
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if v, err := strconv.ParseFloat(f[1], 64); err == nil {
				kb = v
			}
		}
	}
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return kb / 1024
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// fullBatch builds a batch of n slots with every slot doing real work: deposits, then transfers
// and withdrawals among them.
func fullBatch(n int) (*batch.Witness, error) {
	st := layout.NewState()
	b := batch.NewBuilder(st, 1, fr.Element{})
	for i := 0; i < n; i++ {
		var err error
		h := byte(i % 4)
		switch {
		case i < 4:
			err = b.Deposit(uint32(10+h), batch.TestOwner(h), batch.TestKey(h).PublicKey, 1_000_000)
		case i%2 == 0:
			err = b.Transfer(uint32(10+h), uint32(10+(h+1)%4), 1_000, batch.TestKey(h))
		default:
			err = b.Withdraw(uint32(10+h), 500, batch.TestKey(h))
		}
		if err != nil {
			return nil, err
		}
	}
	return b.Finish(n)
}

// chain is gnark's raw speed reference: n multiplications x ← x·x + i, no lookups, no
// commitment.
type chain struct {
	X, Y frontend.Variable
	n    int
}

func (c *chain) Define(api frontend.API) error {
	x := c.X
	for i := 0; i < c.n; i++ {
		x = api.Add(api.Mul(x, x), i)
	}
	api.AssertIsEqual(x, c.Y)
	return nil
}

func rawConstraintsPerSecond(n, runs int) (float64, error) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &chain{n: n})
	if err != nil {
		return 0, err
	}
	pk, _, err := groth16.Setup(ccs)
	if err != nil {
		return 0, err
	}
	x := new(big.Int).SetInt64(3)
	y := new(big.Int).Set(x)
	q := ecc.BN254.ScalarField()
	for i := 0; i < n; i++ {
		y.Mul(y, y).Add(y, big.NewInt(int64(i))).Mod(y, q)
	}
	w, err := frontend.NewWitness(&chain{X: x, Y: y, n: n}, q)
	if err != nil {
		return 0, err
	}
	var rates []float64
	for r := 0; r < runs; r++ {
		start := time.Now()
		if _, err := groth16.Prove(ccs, pk, w); err != nil {
			return 0, err
		}
		rates = append(rates, float64(ccs.GetNbConstraints())/time.Since(start).Seconds())
	}
	return median(rates), nil
}

func bench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	shapes := fs.String("shapes", "tiny,devnet", "comma-separated shapes")
	keys := fs.String("keys", "", "key directory (default: a fresh temporary directory, so setup is measured)")
	proofs := fs.Int("proofs", 3, "proofs per shape (the median is reported)")
	_ = fs.Parse(args)
	dir := *keys
	if dir == "" {
		tmp, err := os.MkdirTemp("", "zkprover-bench-keys-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	fmt.Printf("machine: %d logical CPUs (GOMAXPROCS %d), %s, %s/%s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("| shape | slots | constraints | setup s | setup peak MiB | prove s (median of %d) | prove peak MiB | constraints/s | transactions/s |\n", *proofs)
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	var ourRate float64
	var ourConstraints int
	for _, name := range strings.Split(*shapes, ",") {
		shape, err := prover.ShapeByName(name)
		if err != nil {
			return err
		}
		peakRSS()
		start := time.Now()
		p, err := prover.Open(dir, shape, os.Stderr)
		if err != nil {
			return err
		}
		setup := time.Since(start).Seconds()
		setupPeak := peakRSS()
		if _, statErr := os.Stat(filepath.Join(dir, name)); statErr != nil {
			return statErr
		}
		w, err := fullBatch(shape.BatchSize)
		if err != nil {
			return err
		}
		raw := w.Encode()
		var times []float64
		for i := 0; i < *proofs; i++ {
			t0 := time.Now()
			proof, err := p.Prove(raw)
			if err != nil {
				return err
			}
			times = append(times, time.Since(t0).Seconds())
			if err := p.Verify(proof.Raw, proof.PublicInput); err != nil {
				return err
			}
		}
		provePeak := peakRSS()
		m := median(times)
		rate := float64(p.Constraints()) / m
		ourRate, ourConstraints = rate, p.Constraints()
		fmt.Printf("| %s | %d | %d | %.1f | %.0f | %.2f | %.0f | %.0f | %.2f |\n", name, shape.BatchSize, p.Constraints(), setup, setupPeak, m, provePeak, rate, float64(shape.BatchSize)/m)
	}
	raw, err := rawConstraintsPerSecond(ourConstraints, *proofs)
	if err != nil {
		return err
	}
	fmt.Printf("\ngnark raw speed, same machine, same run: a %d-constraint multiplication chain proves at %.0f constraints/s (median of %d); the batch circuit of the last shape at %.0f constraints/s, ratio %.2f\n",
		ourConstraints, raw, *proofs, ourRate, ourRate/raw)
	return nil
}
