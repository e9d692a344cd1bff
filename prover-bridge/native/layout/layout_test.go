package layout

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

func randElement(rng *rand.Rand) fr.Element {
	var b [32]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	var e fr.Element
	e.SetBytes(b[:]) // reduced mod r: fine for test inputs
	return e
}

func TestTags(t *testing.T) {
	limit := new(big.Int).Lsh(big.NewInt(1), 248)
	tags := map[string]fr.Element{
		TagAccountString: TagAccount, TagPositionString: TagPosition, TagFillString: TagFill,
		TagMarketString: TagMarket, TagMarketRiskString: TagMarketRisk,
		TagGlobalString: TagGlobal, TagStateString: TagState,
	}
	seen := map[fr.Element]bool{}
	for s, tag := range tags {
		want := new(big.Int).SetBytes([]byte(s))
		var got big.Int
		tag.BigInt(&got)
		if got.Cmp(want) != 0 {
			t.Errorf("tag %q = %s, want %s", s, got.String(), want.String())
		}
		if got.Cmp(limit) >= 0 {
			t.Errorf("tag %q not below 2^248", s)
		}
		if seen[tag] {
			t.Errorf("duplicate tag %q", s)
		}
		seen[tag] = true
	}
}

func TestI64Embedding(t *testing.T) {
	r := fr.Modulus()
	cases := []int64{0, 1, -1, 2, -2, 7, -7, 1 << 32, -(1 << 32), math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	for _, x := range cases {
		e := I64(x)
		var got big.Int
		e.BigInt(&got)
		want := big.NewInt(x)
		want.Mod(want, r)
		if got.Cmp(want) != 0 {
			t.Errorf("I64(%d) = %s, want %s", x, got.String(), want.String())
		}
		back, err := ToI64(e)
		if err != nil || back != x {
			t.Errorf("ToI64(I64(%d)) = %d, %v", x, back, err)
		}
	}
	var minusOne fr.Element
	minusOne.SetOne().Neg(&minusOne)
	if e := I64(-1); !e.Equal(&minusOne) {
		t.Errorf("I64(-1) != r-1")
	}
	// Just outside the accepted ranges: 2^63 and r - 2^63 - 1.
	var big63 fr.Element
	big63.SetBigInt(new(big.Int).Lsh(big.NewInt(1), 63))
	if _, err := ToI64(big63); !errors.Is(err, ErrNotI64) {
		t.Errorf("ToI64(2^63): want ErrNotI64, got %v", err)
	}
	var below fr.Element
	below.SetBigInt(new(big.Int).Sub(new(big.Int).Sub(r, new(big.Int).Lsh(big.NewInt(1), 63)), big.NewInt(1)))
	if _, err := ToI64(below); !errors.Is(err, ErrNotI64) {
		t.Errorf("ToI64(r-2^63-1): want ErrNotI64, got %v", err)
	}
	var half fr.Element
	half.SetBigInt(new(big.Int).Rsh(r, 1))
	if _, err := ToI64(half); !errors.Is(err, ErrNotI64) {
		t.Errorf("ToI64((r-1)/2): want ErrNotI64, got %v", err)
	}
}

func TestParseElement(t *testing.T) {
	r := fr.Modulus()
	enc := func(v *big.Int) []byte {
		b := make([]byte, 32)
		return v.FillBytes(b)
	}
	rMinus1 := new(big.Int).Sub(r, big.NewInt(1))
	if e, err := ParseElement(enc(rMinus1)); err != nil {
		t.Fatalf("r-1 rejected: %v", err)
	} else {
		var got big.Int
		if e.BigInt(&got).Cmp(rMinus1) != 0 {
			t.Errorf("r-1 decoded to %s", got.String())
		}
	}
	allOnes := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	for _, v := range []*big.Int{r, new(big.Int).Add(r, big.NewInt(1)), allOnes} {
		if _, err := ParseElement(enc(v)); !errors.Is(err, ErrNonCanonical) {
			t.Errorf("ParseElement(%s): want ErrNonCanonical, got %v", v.String(), err)
		}
	}
	for _, n := range []int{0, 31, 33} {
		if _, err := ParseElement(make([]byte, n)); !errors.Is(err, ErrWrongLength) {
			t.Errorf("ParseElement(%d bytes): want ErrWrongLength, got %v", n, err)
		}
	}
	var a [20]byte
	for i := range a {
		a[i] = 0xff
	}
	got := Address(a)
	var gotInt big.Int
	got.BigInt(&gotInt)
	if gotInt.Cmp(new(big.Int).SetBytes(a[:])) != 0 {
		t.Errorf("Address(ff…ff) = %s", gotInt.String())
	}
}

func TestCompressMatchesGnarkCryptoBytesAPI(t *testing.T) {
	perm := poseidon2.NewDefaultPermutation()
	rng := rand.New(rand.NewPCG(1, 2))
	var minusOne fr.Element
	minusOne.SetOne().Neg(&minusOne)
	inputs := [][2]fr.Element{{}, {U64(1), U64(2)}, {minusOne, minusOne}}
	for range 50 {
		inputs = append(inputs, [2]fr.Element{randElement(rng), randElement(rng)})
	}
	for _, in := range inputs {
		l, r := in[0].Bytes(), in[1].Bytes()
		want, err := perm.Compress(l[:], r[:])
		if err != nil {
			t.Fatal(err)
		}
		got := Compress(in[0], in[1])
		gotBytes := got.Bytes()
		if string(gotBytes[:]) != string(want) {
			t.Fatalf("Compress(%s, %s) differs from gnark-crypto", in[0].String(), in[1].String())
		}
	}
}

func TestHashIsMerkleDamgardFold(t *testing.T) {
	if h := Hash(); !h.IsZero() {
		t.Errorf("Hash() = %s, want 0", h.String())
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 1; n <= 9; n++ {
		xs := make([]fr.Element, n)
		for i := range xs {
			xs[i] = randElement(rng)
		}
		var acc fr.Element
		for _, x := range xs {
			acc = Compress(acc, x)
		}
		if got := Hash(xs...); !got.Equal(&acc) {
			t.Errorf("Hash of %d elements differs from the Compress fold", n)
		}
	}
}

func TestEmptyRoots(t *testing.T) {
	if z := EmptyRoot(0); !z.IsZero() {
		t.Fatal("Z0 must be 0")
	}
	for h := 1; h <= MaxDepth; h++ {
		prev := EmptyRoot(h - 1)
		want := Compress(prev, prev)
		if got := EmptyRoot(h); !got.Equal(&want) {
			t.Fatalf("Z%d wrong", h)
		}
	}
	for _, d := range []int{AccountsDepth, PositionsDepth, FillsDepth, MarketsDepth} {
		tr := NewSparseTree(d)
		want := EmptyRoot(d)
		if got := tr.Root(); !got.Equal(&want) {
			t.Errorf("empty tree of depth %d: root != Z%d", d, d)
		}
	}
}

// naiveRoot recomputes the root of a full tree from all its 2^D leaves, level by level.
func naiveRoot(leaves []fr.Element) fr.Element {
	level := append([]fr.Element(nil), leaves...)
	for len(level) > 1 {
		next := make([]fr.Element, len(level)/2)
		for i := range next {
			next[i] = Compress(level[2*i], level[2*i+1])
		}
		level = next
	}
	return level[0]
}

func TestSparseTreeAgainstNaiveRecomputation(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for depth := 1; depth <= 6; depth++ {
		size := 1 << depth
		leaves := make([]fr.Element, size)
		tr := NewSparseTree(depth)
		for step := range 3 * size {
			i := uint64(rng.IntN(size))
			var leaf fr.Element
			if step%4 != 3 { // every fourth update empties a slot
				leaf = randElement(rng)
			}
			leaves[i] = leaf
			if err := tr.Update(i, leaf); err != nil {
				t.Fatal(err)
			}
			want := naiveRoot(leaves)
			if got := tr.Root(); !got.Equal(&want) {
				t.Fatalf("depth %d step %d: root differs from naive recomputation", depth, step)
			}
		}
		root := tr.Root()
		for i := range uint64(size) {
			p, err := tr.Proof(i)
			if err != nil {
				t.Fatal(err)
			}
			if len(p) != depth {
				t.Fatalf("proof length %d, want %d", len(p), depth)
			}
			if !VerifyProof(i, leaves[i], p, root) {
				t.Fatalf("depth %d: proof of leaf %d does not verify", depth, i)
			}
			wrong := leaves[i]
			one := U64(1)
			wrong.Add(&wrong, &one)
			if VerifyProof(i, wrong, p, root) {
				t.Fatalf("depth %d: proof of leaf %d verifies a wrong leaf", depth, i)
			}
			if depth > 1 && VerifyProof(i^1, leaves[i], p, root) && !leaves[i].Equal(&leaves[i^1]) {
				t.Fatalf("depth %d: proof of leaf %d verifies at index %d", depth, i, i^1)
			}
			got, _ := tr.Leaf(i)
			if !got.Equal(&leaves[i]) {
				t.Fatalf("Leaf(%d) wrong", i)
			}
		}
		if VerifyProof(uint64(size), leaves[0], make([]fr.Element, depth), root) {
			t.Fatal("out-of-range index verified")
		}
		if err := tr.Update(uint64(size), fr.Element{}); !errors.Is(err, ErrIndexOutOfRange) {
			t.Fatalf("out-of-range update: %v", err)
		}
	}
}

func TestSparseTreeStaysSparse(t *testing.T) {
	tr := NewSparseTree(AccountsDepth)
	for _, i := range []uint64{0, 1, 1<<AccountsDepth - 1, 12345} {
		if err := tr.Update(i, U64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if got := tr.NonEmptyLeaves(); len(got) != 4 || got[0] != 0 || got[3] != 1<<AccountsDepth-1 {
		t.Fatalf("NonEmptyLeaves = %v", got)
	}
	clone := tr.Clone()
	for _, i := range []uint64{0, 1, 1<<AccountsDepth - 1, 12345} {
		if err := tr.Update(i, fr.Element{}); err != nil {
			t.Fatal(err)
		}
	}
	if len(tr.nodes) != 0 {
		t.Fatalf("%d nodes left after emptying every leaf", len(tr.nodes))
	}
	want := EmptyRoot(AccountsDepth)
	if got := tr.Root(); !got.Equal(&want) {
		t.Fatal("root of emptied tree != Z24")
	}
	if got := clone.Root(); got.Equal(&want) {
		t.Fatal("clone shares state with the original")
	}
}

func TestStateComposition(t *testing.T) {
	s := NewState()
	genesis := GenesisRoot()
	if got := s.Root(); !got.Equal(&genesis) {
		t.Fatal("new state root != genesis root")
	}
	g0 := Global{}
	wantGenesis := Hash(TagState, EmptyRoot(24), EmptyRoot(6), Hash(TagGlobal, fr.Element{}, fr.Element{}))
	g0Leaf, sLeaf := g0.Hash(), s.GlobalLeaf()
	if !genesis.Equal(&wantGenesis) || !g0Leaf.Equal(&sLeaf) {
		t.Fatal("genesis root composition")
	}

	if err := s.SetPosition(5, 3, Position{Size: 1}); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("position on missing account: %v", err)
	}
	if err := s.SetFill(5, Fill{OrderNonce: 1}); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("fill on missing account: %v", err)
	}

	fields := AccountFields{PublicKeyX: U64(11), PublicKeyY: U64(12), L1Owner: [20]byte{19: 0xaa}, Nonce: 4, Collateral: -9}
	if err := s.SetAccount(5, fields); err != nil {
		t.Fatal(err)
	}
	// Independent composition with separate trees.
	positions, fills, accounts, markets := NewSparseTree(6), NewSparseTree(16), NewSparseTree(24), NewSparseTree(6)
	accountLeaf := func() fr.Element {
		return Hash(TagAccount, fields.PublicKeyX, fields.PublicKeyY, Address(fields.L1Owner),
			U64(fields.Nonce), I64(fields.Collateral), positions.Root(), fills.Root())
	}
	check := func(what string) {
		t.Helper()
		_ = accounts.Update(5, accountLeaf())
		gl := s.global.Hash()
		want := Hash(TagState, accounts.Root(), markets.Root(), gl)
		if got := s.Root(); !got.Equal(&want) {
			t.Fatalf("%s: state root differs from independent composition", what)
		}
	}
	check("create account")

	if err := s.SetPosition(5, 3, Position{Size: -7, FundingIndexSnapshot: 12}); err != nil {
		t.Fatal(err)
	}
	_ = positions.Update(3, Hash(TagPosition, I64(-7), I64(12)))
	check("set position")

	if err := s.SetFill(5, Fill{OrderNonce: 70000, FilledAmount: 3}); err != nil {
		t.Fatal(err)
	}
	_ = fills.Update(70000-65536, Hash(TagFill, U64(70000), U64(3)))
	check("set fill")

	fields.Nonce = 5 // updating the account keeps its subtrees
	if err := s.SetAccount(5, fields); err != nil {
		t.Fatal(err)
	}
	check("update account")

	m := Market{OraclePrice: 1 << 32, OracleTimestamp: 1700000000, FundingIndex: -3, FundingTimestamp: 1700000000, OpenInterest: 10,
		Risk: MarketRisk{InitialMarginPpm: 1, MaintenanceMarginPpm: 2, BaselinePositionSize: 3, IncrementalPositionSize: 4, IncrementalInitialMarginPpm: 5, MaxPositionSize: 6, OpenInterestCap: 7}}
	if err := s.SetMarket(3, m); err != nil {
		t.Fatal(err)
	}
	riskHash := Hash(TagMarketRisk, U64(1), U64(2), U64(3), U64(4), U64(5), U64(6), U64(7))
	_ = markets.Update(3, Hash(TagMarket, U64(1<<32), U64(1700000000), I64(-3), U64(1700000000), U64(10), riskHash))
	check("set market")

	s.SetGlobal(Global{InsuranceFund: 100, FeeBalance: -1})
	check("set global")

	if err := s.SetPosition(5, 3, Position{Size: 0, FundingIndexSnapshot: 99}); err != nil {
		t.Fatal(err)
	}
	_ = positions.Update(3, fr.Element{})
	check("remove position")
	if _, ok := s.Position(5, 3); ok {
		t.Fatal("removed position still reported")
	}

	// Every proof verifies and chains up to the state root.
	ap, err := s.AccountProof(5)
	if err != nil || !ap.Verify() {
		t.Fatalf("account proof: %v", err)
	}
	acct, _ := s.Account(5)
	if leaf := acct.Hash(); !leaf.Equal(&ap.Leaf) {
		t.Fatal("account proof leaf != account hash")
	}
	pp, err := s.PositionProof(5, 3)
	if err != nil || !pp.Verify() || !pp.Leaf.IsZero() || !pp.Root.Equal(&acct.PositionsRoot) {
		t.Fatalf("position proof: %v", err)
	}
	fp, err := s.FillProof(5, FillSlot(70000))
	if err != nil || !fp.Verify() || !fp.Root.Equal(&acct.FillsRoot) {
		t.Fatalf("fill proof: %v", err)
	}
	mp, err := s.MarketProof(3)
	mr := s.MarketsRoot()
	if err != nil || !mp.Verify() || !mp.Root.Equal(&mr) {
		t.Fatalf("market proof: %v", err)
	}
	ep, err := s.AccountProof(6)
	if err != nil || !ep.Verify() || !ep.Leaf.IsZero() {
		t.Fatalf("empty account proof: %v", err)
	}
	if _, err := s.PositionProof(6, 0); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("position proof of missing account: %v", err)
	}
	if err := s.SetAccount(1<<24, fields); !errors.Is(err, ErrIndexOutOfRange) {
		t.Fatalf("account 2^24: %v", err)
	}
	if err := s.SetMarket(64, m); !errors.Is(err, ErrIndexOutOfRange) {
		t.Fatalf("market 64: %v", err)
	}
}
