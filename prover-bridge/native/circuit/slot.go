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
// the new ones, the slot's public-data chunk and whether it consumed a priority operation.
func (g *gadgets) slot(s *Slot, root, priority frontend.Variable) (frontend.Variable, frontend.Variable, []uints.U8, frontend.Variable) {
	api := g.api
	// Type flags: three bits b0, b1, b2; b2 excludes b0 and b1, which constrains Type to 0…4.
	tb := api.ToBinary(s.Type, 3)
	isForced := tb[2]
	api.AssertIsEqual(api.Mul(isForced, api.Add(tb[0], tb[1])), 0)
	isTransfer := api.Mul(tb[0], tb[1])
	isDeposit := api.Sub(tb[0], isTransfer)
	isWithdrawal := api.Sub(tb[1], isTransfer)
	isNoop := api.Sub(1, api.Add(tb[0], tb[1], isForced), api.Neg(isTransfer))
	signed := api.Add(isWithdrawal, isTransfer)
	mustExist := api.Add(signed, isForced)

	bitsA := api.ToBinary(s.AccountA, layout.AccountsDepth)
	bitsB := api.ToBinary(s.AccountB, layout.AccountsDepth)

	// ---- update A ----
	a := &s.A.Before
	api.AssertIsBoolean(a.Exists)
	api.AssertIsEqual(api.Mul(mustExist, api.Sub(1, a.Exists)), 0) // signed or forced ⇒ the account exists
	oldLeafA := api.Mul(a.Exists, g.accountHash(a.PublicKeyX, a.PublicKeyY, a.L1Owner, a.Nonce, a.Collateral, a.PositionsRoot, a.FillsRoot))

	// A deposit into an existing account must match its owner and key.
	depositExisting := api.Mul(isDeposit, a.Exists)
	api.AssertIsEqual(api.Mul(depositExisting, api.Sub(a.L1Owner, s.L1Owner)), 0)
	api.AssertIsEqual(api.Mul(depositExisting, api.Sub(a.PublicKeyX, s.PubKeyX)), 0)
	api.AssertIsEqual(api.Mul(depositExisting, api.Sub(a.PublicKeyY, s.PubKeyY)), 0)
	// A forced withdrawal names the account's owner (the L1 requester).
	api.AssertIsEqual(api.Mul(isForced, api.Sub(a.L1Owner, s.L1Owner)), 0)

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

	// Forced withdrawal: paid = amount if amount ≤ collateral, else 0 (the request is refused but
	// consumed). The hint's flag is pinned by one range check either way: coverable ⇒
	// collateral − amount ∈ [0, 2^64); not ⇒ amount − collateral − 1 ∈ [0, 2^64). Both operands
	// are below 2^63 in absolute value, so the wrong flag always leaves the range.
	flag, err := api.Compiler().NewHint(CoverableHint, 1, oldColl, s.Amount)
	if err != nil {
		panic(err)
	}
	coverable := flag[0]
	api.AssertIsBoolean(coverable)
	diff := api.Sub(oldColl, s.Amount)
	g.rc.Check(api.Add(api.Mul(coverable, diff), api.Mul(api.Sub(1, coverable), api.Sub(api.Neg(diff), 1))), 64)
	paid := api.Add(api.Mul(signed, s.Amount), api.Mul(isForced, coverable, s.Amount))

	// Balance rule.
	newColl := api.Sub(api.Add(oldColl, api.Mul(isDeposit, s.Amount)), paid)
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

	// Priority operations: each deposit and each forced withdrawal extends the rolling hash.
	depositHash := g.hash(tagDeposit, s.AccountA, s.L1Owner, s.PubKeyX, s.PubKeyY, s.Amount)
	forcedHash := g.hash(tagForced, s.AccountA, s.L1Owner, s.Amount)
	opHash := api.Add(api.Mul(isDeposit, depositHash), api.Mul(isForced, forcedHash))
	extended := g.perm.Compress(priority, opHash)
	isPriority := api.Add(isDeposit, isForced)
	priority = api.Add(priority, api.Mul(isPriority, api.Sub(extended, priority)))

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
	// The chunk carries what moved: the amount, or for a forced withdrawal what was paid.
	moved := api.Add(api.Mul(api.Sub(1, isForced), s.Amount), api.Mul(isForced, paid))
	chunk = append(chunk, g.bytesBE(moved, 8)...)
	chunk = append(chunk, g.bytesBE(api.Mul(api.Add(isDeposit, isWithdrawal, isForced), owner), 20)...)
	return rootAfterB, priority, chunk, isPriority
}
