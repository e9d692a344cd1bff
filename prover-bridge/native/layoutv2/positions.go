package layoutv2

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// Bit widths and offsets of a packed position entry.
const (
	MarketBits   = 6   // market id < 64
	SizeBits     = 56  // size + 2^55
	SnapshotBits = 64  // fundingSnapshot + 2^63
	EntryBits    = 126 // MarketBits + SizeBits + SnapshotBits

	// MaxAbsSize is the largest |size| an entry can hold: |size| ≤ 2^55 − 1, so a non-empty entry's
	// size field (size + 2^55) is never 0 and never 2^56.
	MaxAbsSize = int64(1)<<55 - 1
	// MaxMarket is the largest market id an entry can hold.
	MaxMarket = 1<<MarketBits - 1
)

var (
	sizeOffset     = new(big.Int).Lsh(big.NewInt(1), 55)
	snapshotOffset = new(big.Int).Lsh(big.NewInt(1), 63)
	entryMask      = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), EntryBits), big.NewInt(1))
)

// PositionEntry is one entry of an account's position list. An entry with Size 0 is empty: its
// Market and FundingSnapshot are not stored (it packs to 0).
type PositionEntry struct {
	Market          uint8 // market id, < 64
	Size            int64 // signed size in synthetic quanta, |size| ≤ 2^55 − 1; 0 = empty
	FundingSnapshot int64 // the market's funding index when funding was last settled on it
}

// Empty reports whether the entry holds no position (size 0).
func (e PositionEntry) Empty() bool { return e.Size == 0 }

// check returns an error wrapping ErrPositionOutOfRange if a non-empty entry does not fit.
func (e PositionEntry) check() error {
	if e.Size == 0 {
		return nil
	}
	if e.Market > MaxMarket {
		return fmt.Errorf("%w: market %d > %d", ErrPositionOutOfRange, e.Market, MaxMarket)
	}
	if e.Size > MaxAbsSize || e.Size < -MaxAbsSize {
		return fmt.Errorf("%w: |size| %d > 2^55 − 1", ErrPositionOutOfRange, e.Size)
	}
	return nil
}

// PackEntry returns the 126-bit value of an entry: 0 for an empty entry (size 0, whatever its
// market and snapshot), else market + (size + 2^55)·2^6 + (fundingSnapshot + 2^63)·2^62.
func PackEntry(e PositionEntry) (*big.Int, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	if e.Size == 0 {
		return new(big.Int), nil
	}
	v := new(big.Int).Add(big.NewInt(e.FundingSnapshot), snapshotOffset)
	v.Lsh(v, SizeBits)
	v.Add(v, new(big.Int).Add(big.NewInt(e.Size), sizeOffset))
	v.Lsh(v, MarketBits)
	v.Add(v, big.NewInt(int64(e.Market)))
	return v, nil
}

// UnpackEntry inverts [PackEntry]. It refuses (ErrNonCanonicalEntry) a value of 2^126 or more, a
// non-zero value whose size field is 0 or 2^55 (size −2^55 or an empty entry not stored as 0), so
// exactly the values PackEntry produces are accepted.
func UnpackEntry(v *big.Int) (PositionEntry, error) {
	if v.Sign() < 0 || v.BitLen() > EntryBits {
		return PositionEntry{}, fmt.Errorf("%w: entry value has more than %d bits", ErrNonCanonicalEntry, EntryBits)
	}
	if v.Sign() == 0 {
		return PositionEntry{}, nil
	}
	market := new(big.Int).And(v, big.NewInt(MaxMarket)).Uint64()
	sizeField := new(big.Int).Rsh(v, MarketBits)
	sizeField.And(sizeField, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), SizeBits), big.NewInt(1)))
	snapField := new(big.Int).Rsh(v, MarketBits+SizeBits)
	size := new(big.Int).Sub(sizeField, sizeOffset).Int64()
	if size == 0 || size < -MaxAbsSize {
		return PositionEntry{}, fmt.Errorf("%w: size field %s", ErrNonCanonicalEntry, sizeField)
	}
	snap := new(big.Int).Sub(snapField, snapshotOffset).Int64()
	return PositionEntry{Market: uint8(market), Size: size, FundingSnapshot: snap}, nil
}

// Positions is an account's fixed list of MaxPositions entries.
type Positions [MaxPositions]PositionEntry

// Check returns an error if an entry is out of range (ErrPositionOutOfRange) or two non-empty
// entries hold the same market (ErrDuplicateMarket).
func (p *Positions) Check() error {
	var seen [MaxMarket + 1]bool
	for i, e := range p {
		if err := e.check(); err != nil {
			return fmt.Errorf("entry %d: %w", i, err)
		}
		if e.Empty() {
			continue
		}
		if seen[e.Market] {
			return fmt.Errorf("%w: market %d", ErrDuplicateMarket, e.Market)
		}
		seen[e.Market] = true
	}
	return nil
}

// Find returns the index of the non-empty entry holding market, or −1.
func (p *Positions) Find(market uint8) int {
	for i, e := range p {
		if !e.Empty() && e.Market == market {
			return i
		}
	}
	return -1
}

// Set returns the list with the position in market set to (size, fundingSnapshot), by the rule
// every writer of the list follows (docs/state-layout.md §9.4): an entry holding the market is
// updated in place, and emptied (stored as 0) when size is 0; a position in a new market takes the
// lowest-index empty entry; no other entry moves. It returns ErrTooManyPositions when the market
// is new and all 8 entries are taken, ErrPositionOutOfRange for a value that does not fit; p is
// not changed.
func (p Positions) Set(market uint8, size, fundingSnapshot int64) (Positions, error) {
	e := PositionEntry{Market: market, Size: size, FundingSnapshot: fundingSnapshot}
	if size == 0 {
		e = PositionEntry{}
	}
	if err := e.check(); err != nil {
		return p, err
	}
	if market > MaxMarket {
		return p, fmt.Errorf("%w: market %d > %d", ErrPositionOutOfRange, market, MaxMarket)
	}
	if i := p.Find(market); i >= 0 {
		p[i] = e
		return p, nil
	}
	if size == 0 {
		return p, nil
	}
	for i := range p {
		if p[i].Empty() {
			p[i] = e
			return p, nil
		}
	}
	return p, fmt.Errorf("%w: market %d", ErrTooManyPositions, market)
}

// Pack returns q1 … q4: q_k = entry_{2k−2} + entry_{2k−1}·2^126 (entries numbered from 0), each
// below 2^252 < r. It checks the list first ([Positions.Check]).
func (p *Positions) Pack() ([PositionElements]fr.Element, error) {
	var out [PositionElements]fr.Element
	if err := p.Check(); err != nil {
		return out, err
	}
	for k := 0; k < PositionElements; k++ {
		lo, _ := PackEntry(p[2*k])
		hi, _ := PackEntry(p[2*k+1])
		v := new(big.Int).Lsh(hi, EntryBits)
		v.Add(v, lo)
		out[k].SetBigInt(v)
	}
	return out, nil
}

// UnpackPositions inverts [Positions.Pack]: every element below 2^252, each half a canonical
// entry ([UnpackEntry]) and no market held twice.
func UnpackPositions(q [PositionElements]fr.Element) (Positions, error) {
	var p Positions
	for k := range q {
		var v big.Int
		q[k].BigInt(&v)
		if v.BitLen() > 2*EntryBits {
			return p, fmt.Errorf("%w: element %d has more than %d bits", ErrNonCanonicalEntry, k, 2*EntryBits)
		}
		lo := new(big.Int).And(&v, entryMask)
		hi := new(big.Int).Rsh(&v, EntryBits)
		var err error
		if p[2*k], err = UnpackEntry(lo); err != nil {
			return p, fmt.Errorf("entry %d: %w", 2*k, err)
		}
		if p[2*k+1], err = UnpackEntry(hi); err != nil {
			return p, fmt.Errorf("entry %d: %w", 2*k+1, err)
		}
	}
	if err := p.Check(); err != nil {
		return p, err
	}
	return p, nil
}
