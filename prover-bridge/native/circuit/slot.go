package circuit

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	poseidon2hash "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/math/uints"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// slot applies one transaction slot to the running accounts root and priority hash and returns
// the new ones, the slot's public-data chunk and its deposit flag.
func (g *gadgets) slot(s *Slot, root, priority frontend.Variable) (frontend.Variable, frontend.Variable, []uints.U8, frontend.Variable) {
	api := g.api
	// Type flags: two bits b0, b1 (this also constrains Type to 0…3).
	tb := api.ToBinary(s.Type, 2)
	isTransfer := api.Mul(tb[0], tb[1])
	isDeposit := api.Sub(tb[0], isTransfer)
	isWithdrawal := api.Sub(tb[1], isTransfer)
	isNoop := api.Sub(1, api.Add(tb[0], tb[1]), api.Neg(isTransfer))
	signed := api.Add(isWithdrawal, isTransfer)

	bitsA := api.ToBinary(s.AccountA, layout.AccountsDepth)
	bitsB := api.ToBinary(s.AccountB, layout.AccountsDepth)

	// ---- update A ----
	a := &s.A.Before
	api.AssertIsBoolean(a.Exists)
	api.AssertIsEqual(api.Mul(signed, api.Sub(1, a.Exists)), 0) // signed ⇒ the account exists
	oldLeafA := api.Mul(a.Exists, g.accountHash(a.PublicKeyX, a.PublicKeyY, a.L1Owner, a.Nonce, a.Collateral, a.PositionsRoot, a.FillsRoot))

	// A deposit into an existing account must match its owner and key.
	depositExisting := api.Mul(isDeposit, a.Exists)
	api.AssertIsEqual(api.Mul(depositExisting, api.Sub(a.L1Owner, s.L1Owner)), 0)
	api.AssertIsEqual(api.Mul(depositExisting, api.Sub(a.PublicKeyX, s.PubKeyX)), 0)
	api.AssertIsEqual(api.Mul(depositExisting, api.Sub(a.PublicKeyY, s.PubKeyY)), 0)

	// Base fields: the account's own, or a new account's (key and owner from the deposit).
	sel := func(old, fresh frontend.Variable) frontend.Variable {
		return api.Add(fresh, api.Mul(a.Exists, api.Sub(old, fresh)))
	}
	pkX := sel(a.PublicKeyX, s.PubKeyX)
	pkY := sel(a.PublicKeyY, s.PubKeyY)
	owner := sel(a.L1Owner, s.L1Owner)
	positions := sel(a.PositionsRoot, emptyPositions)
	fills := sel(a.FillsRoot, emptyFills)
	oldNonce := api.Mul(a.Exists, a.Nonce)
	oldColl := api.Mul(a.Exists, a.Collateral)

	// Nonce rule: a signed transaction uses the account's nonce, which then grows by one.
	api.AssertIsEqual(api.Mul(signed, api.Sub(s.Nonce, a.Nonce)), 0)
	newNonce := api.Add(oldNonce, signed)
	g.rc.Check(newNonce, 64)

	// Balance rule.
	newColl := api.Sub(api.Add(oldColl, api.Mul(isDeposit, s.Amount)), api.Mul(signed, s.Amount))
	// Debits: new collateral in [0, 2^64) — given |old| < 2^63 and amount < 2^63 that is [0, 2^63),
	// never negative. Otherwise: new + 2^63 in [0, 2^64), a valid int64.
	g.rc.Check(api.Add(newColl, api.Mul(api.Sub(1, signed), two63)), 64)

	keepA := api.Sub(api.Add(a.Exists, isDeposit), depositExisting) // exists or is being created
	newLeafA := api.Mul(keepA, g.accountHash(pkX, pkY, owner, newNonce, newColl, positions, fills))
	oldRootA, rootAfterA := g.merkleUpdate(bitsA, s.A.Siblings[:], oldLeafA, newLeafA)
	api.AssertIsEqual(oldRootA, root)

	// Signature over H(TAG, A, X, amount, nonce): X = receiver (transfer) or owner (withdrawal).
	tag := api.Add(api.Mul(isWithdrawal, tagWithdrawal), api.Mul(isTransfer, tagTransfer))
	x := api.Add(api.Mul(isTransfer, s.AccountB), api.Mul(isWithdrawal, a.L1Owner))
	msg := g.hash(tag, s.AccountA, x, s.Amount, s.Nonce)
	// Unsigned slots verify the trivial signature (R = identity, S = 0) under the identity key.
	ident := func(v frontend.Variable) frontend.Variable { return api.Add(1, api.Mul(signed, api.Sub(v, 1))) }
	key := eddsa.PublicKey{A: twistededwards.Point{X: api.Mul(signed, a.PublicKeyX), Y: ident(a.PublicKeyY)}}
	sig := eddsa.Signature{R: twistededwards.Point{X: api.Mul(signed, s.SigRX), Y: ident(s.SigRY)}, S: api.Mul(signed, s.SigS)}
	g.curve.AssertIsOnCurve(key.A)
	g.curve.AssertIsOnCurve(sig.R)
	h, err := poseidon2hash.New(api)
	if err != nil {
		panic(err)
	}
	if err := eddsa.Verify(g.curve, sig, msg, key, h); err != nil {
		panic(err)
	}

	// Priority operations: each deposit extends the rolling hash.
	depositHash := g.hash(tagDeposit, s.AccountA, s.L1Owner, s.PubKeyX, s.PubKeyY, s.Amount)
	extended := g.perm.Compress(priority, depositHash)
	priority = api.Add(priority, api.Mul(isDeposit, api.Sub(extended, priority)))

	// ---- update B ----
	b := &s.B.Before
	api.AssertIsBoolean(b.Exists)
	api.AssertIsEqual(api.Mul(isTransfer, api.Sub(1, b.Exists)), 0) // the receiver exists
	oldLeafB := api.Mul(b.Exists, g.accountHash(b.PublicKeyX, b.PublicKeyY, b.L1Owner, b.Nonce, b.Collateral, b.PositionsRoot, b.FillsRoot))
	newCollB := api.Mul(b.Exists, api.Add(b.Collateral, api.Mul(isTransfer, s.Amount)))
	g.rc.Check(api.Add(newCollB, two63), 64)
	newLeafB := api.Mul(b.Exists, g.accountHash(b.PublicKeyX, b.PublicKeyY, b.L1Owner, b.Nonce, newCollB, b.PositionsRoot, b.FillsRoot))
	oldRootB, rootAfterB := g.merkleUpdate(bitsB, s.B.Siblings[:], oldLeafB, newLeafB)
	api.AssertIsEqual(oldRootB, rootAfterA)

	// ---- public data chunk: type ‖ A ‖ B ‖ amount ‖ address ----
	chunk := make([]uints.U8, 0, 37)
	chunk = append(chunk, g.bytes.ValueOf(s.Type))
	chunk = append(chunk, g.bytesBE(api.Mul(api.Sub(1, isNoop), s.AccountA), 4)...)
	chunk = append(chunk, g.bytesBE(api.Mul(isTransfer, s.AccountB), 4)...)
	amount := g.bytesBE(s.Amount, 8)
	g.rc.Check(g.bytes.Value(amount[0]), 7) // amount < 2^63
	chunk = append(chunk, amount...)
	chunk = append(chunk, g.bytesBE(api.Mul(api.Add(isDeposit, isWithdrawal), owner), 20)...)
	return rootAfterB, priority, chunk, isDeposit
}
