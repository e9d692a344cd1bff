package vectors

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// The checks below rebuild rollup-v3-batches.json's commitments from the header fields by their
// byte offsets in docs/batch-format.md ("Format v3", "Commitment and public input"), the
// operation hashes from their fields and the genesis root from the account proofs, without
// package batchv3 or batch, so that the generator's use of Seal cannot confirm itself.

func addressElement(t *testing.T, s string) fr.Element {
	b := hexb(t, s)
	if len(b) != 20 {
		t.Fatalf("%q is not a 20-byte address", s)
	}
	var e fr.Element
	e.SetBigInt(new(big.Int).SetBytes(b))
	return e
}

func TestRollupV3VectorsRecomputeByHand(t *testing.T) {
	var v rollupV3File
	load(t, FileRollupV3, &v)
	if v.HeaderSize != 148 || v.RecordSize != 35 {
		t.Fatalf("header %d, record %d bytes", v.HeaderSize, v.RecordSize)
	}
	steps := v.Shape.Trades + v.Shape.Deposits + v.Shape.Withdrawals + v.Shape.Transfers + v.Shape.ForcedWithdrawals +
		v.Shape.OracleTicks + v.Shape.FundingTicks

	// genesis: every account proven to the root
	g := v.Genesis
	for _, a := range g.Accounts {
		leaf := accountHashByHand(t, a.Account)
		accounts := layout.RootFromProof(u64(t, a.AccountID), leaf, frs(t, a.AccountSiblings))
		if layout.Hash(layout.Tag("zkperp/state/v2"), accounts, fe(t, g.MarketsRoot), fe(t, g.GlobalLeaf)) != fe(t, g.Root) {
			t.Fatalf("genesis account %s does not lead to the genesis root", a.AccountID)
		}
		if u64(t, a.AccountID) >= u64(t, g.FirstAccountID) {
			t.Fatalf("genesis account %s at or above the first account id", a.AccountID)
		}
	}

	prevRoot, prevP, prevNumber, prevTime := fe(t, g.Root), fr.Element{}, uint64(0), uint64(0)
	credits := 0
	for _, b := range v.Batches {
		h := b.Header
		if fe(t, h.OldRoot) != prevRoot || fe(t, h.PriorityBefore) != prevP || u64(t, h.BatchNumber) != prevNumber+1 ||
			u64(t, h.BatchTime) < prevTime {
			t.Fatalf("%s does not continue the previous batch", b.Name)
		}
		// the commitment, field by field at its offsets
		c, records := hexb(t, b.Commitment), hexb(t, b.Records)
		if len(records) != steps*v.RecordSize || len(c) != v.HeaderSize+len(records) {
			t.Fatalf("%s: %d record bytes, commitment %d bytes", b.Name, len(records), len(c))
		}
		be32 := func(e fr.Element) []byte { x := e.Bytes(); return x[:] }
		want := [][]byte{be32(fe(t, h.OldRoot)), be32(fe(t, h.NewRoot)), binary.BigEndian.AppendUint64(nil, u64(t, h.BatchNumber)),
			binary.BigEndian.AppendUint64(nil, u64(t, h.BatchTime)), be32(fe(t, h.PriorityBefore)), be32(fe(t, h.PriorityAfter)),
			binary.BigEndian.AppendUint32(nil, uint32(u64(t, h.PriorityCount))), records}
		if !bytes.Equal(c, bytes.Join(want, nil)) {
			t.Fatalf("%s: commitment is not header ‖ records", b.Name)
		}
		d := sha256.Sum256(c)
		d[0] &= 0x1f
		var pi fr.Element
		pi.SetBytes(d[:])
		if pi != fe(t, b.PublicInput) {
			t.Fatalf("%s: public input is not SHA-256(commitment) with three bits cleared", b.Name)
		}
		// the operations: hashes from their fields, the chain from the priority hash before
		p := fe(t, h.PriorityBefore)
		for _, op := range b.PriorityOps {
			var oh fr.Element
			switch op.Type {
			case "deposit":
				oh = layout.Hash(layout.Tag("zkperp/deposit/v1"), feU64(u64(t, op.Account)), addressElement(t, op.Owner),
					fe(t, op.PublicKeyX), fe(t, op.PublicKeyY), feU64(u64(t, op.Amount)))
			case "forced-withdrawal":
				oh = layout.Hash(layout.Tag("zkperp/forced-withdrawal/v1"), feU64(u64(t, op.Account)), addressElement(t, op.Owner),
					feU64(u64(t, op.Amount)))
			default:
				t.Fatalf("%s: operation type %q", b.Name, op.Type)
			}
			if oh != fe(t, op.Hash) {
				t.Fatalf("%s: %s hash of account %s", b.Name, op.Type, op.Account)
			}
			p = layout.Compress(p, oh)
			if p != fe(t, op.ChainAfter) {
				t.Fatalf("%s: chain after the %s of account %s", b.Name, op.Type, op.Account)
			}
		}
		if p != fe(t, h.PriorityAfter) || u64(t, h.PriorityCount) != uint64(len(b.PriorityOps)) {
			t.Fatalf("%s: priority hash after / count", b.Name)
		}
		// the credits are the type 2 and 4 records, in order
		k := 0
		for o := 0; o < len(records); o += v.RecordSize {
			r := records[o : o+v.RecordSize]
			if r[0] != 2 && r[0] != 4 {
				continue
			}
			if k >= len(b.Credits) {
				t.Fatalf("%s: more paying records than credits", b.Name)
			}
			cr := b.Credits[k]
			account := uint64(r[1])<<16 | uint64(r[2])<<8 | uint64(r[3])
			if account != u64(t, cr.Account) || binary.BigEndian.Uint64(r[4:12]) != u64(t, cr.Amount) ||
				!bytes.Equal(r[12:32], hexb(t, cr.Owner)) || !bytes.Equal(r[32:], make([]byte, v.RecordSize-32)) {
				t.Fatalf("%s: record at %d is not credit %d %+v", b.Name, o, k, cr)
			}
			k++
		}
		if k != len(b.Credits) {
			t.Fatalf("%s: %d paying records, %d credits", b.Name, k, len(b.Credits))
		}
		credits += k
		prevRoot, prevP, prevNumber, prevTime = fe(t, h.NewRoot), p, u64(t, h.BatchNumber), u64(t, h.BatchTime)
	}
	if len(v.Batches) != 2 || credits != 5 {
		t.Fatalf("%d batches, %d credits", len(v.Batches), credits)
	}
}
