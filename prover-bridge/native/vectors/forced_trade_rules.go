package vectors

import (
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// FileForcedTradeRules holds forced-trade decisions of the Go reference the forced-trade step
// circuit is tested against (forcedtrade/reference.Apply, docs/perp-circuit.md §12.3): per case
// the two accounts, the request, A's fill slot, whether B's signature verifies (a real signature
// by B's key, or by another key, or of another message), the reason the reference decides and,
// when executed, both accounts and the market's open interest after. Read by the sequencer's
// ForcedTradeRulesVectorsTest, which feeds each to the engine's forced-trade decision.
const FileForcedTradeRules = "forced-trade-rules.json"

// Account ids of every case: A requests the trade on L1, B signed it.
const (
	ftAccountA = 5
	ftAccountB = 9
	// ftUnlisted is a market id below 2^6 that has no market leaf.
	ftUnlisted = 12
)

type ftParty struct {
	Collateral string         `json:"collateral"`
	Positions  []perpPosition `json:"positions"`
}

type ftRequest struct {
	Market int    `json:"market"`
	ABuys  bool   `json:"aBuys"`
	Size   string `json:"size"`
	Amount string `json:"amount"`
	Nonce  string `json:"nonce"`
}

type ftReason struct {
	Name string `json:"name"`
	Code int    `json:"code"`
}

type ftAfter struct {
	AccountA     ftParty `json:"accountA"`
	AccountB     ftParty `json:"accountB"`
	OpenInterest string  `json:"openInterest"`
}

type ftCase struct {
	Name     string    `json:"name"`
	AccountA ftParty   `json:"accountA"`
	AccountB ftParty   `json:"accountB"`
	Request  ftRequest `json:"request"`
	// OpenInterest is the trade market's open interest before (the file's markets give the others')
	OpenInterest   string   `json:"openInterest"`
	FillSlotNonce  string   `json:"fillSlotNonce"` // A's fill slot nonce mod 2^12 holds this nonce (0: empty)
	SignatureValid bool     `json:"signatureValid"`
	Reason         ftReason `json:"reason"`
	After          *ftAfter `json:"after,omitempty"` // executed only
}

type ftFile struct {
	Generator   Generator      `json:"generator"`
	Description string         `json:"description"`
	AccountA    int            `json:"accountA"`
	AccountB    int            `json:"accountB"`
	Markets     []liqMarketOut `json:"markets"`
	Cases       []ftCase       `json:"cases"`
}

// ftHolder is an account of a case: collateral and its 8 list entries.
type ftHolder struct {
	collateral int64
	list       layoutv2.Positions
}

// ftHold is a holder with the positions p in entries 0, 1, … (market, size; the snapshot 2·10^9
// below the market's funding index for an even market, 10^9 above for an odd one, so funding is
// pending on each).
func ftHold(collateral int64, p ...[2]int64) ftHolder {
	h := ftHolder{collateral: collateral}
	for i, q := range p {
		fi := ftMarkets[int(q[0])].FundingIndex
		snap := fi - 2_000_000_000
		if q[0]%2 == 1 {
			snap = fi + 1_000_000_000
		}
		h.list[i] = layoutv2.PositionEntry{Market: uint8(q[0]), Size: q[1], FundingSnapshot: snap}
	}
	return h
}

func ftRisk(imf, mmf, baseline, inc, incIMF, maxSize, cap uint64) layoutv2.MarketRisk {
	return layoutv2.MarketRisk{InitialMarginPpm: imf, MaintenanceMarginPpm: mmf, BaselinePositionSize: baseline,
		IncrementalPositionSize: inc, IncrementalInitialMarginPpm: incIMF, MaxPositionSize: maxSize, OpenInterestCap: cap,
		OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000, FundingMinIntervalSeconds: 3_600,
		FundingMaxRatePpm: 1_000}
}

// ftMarkets: the listed markets 0 … 9 (12 is not listed). Market 2 has a small size limit and
// open-interest cap for the boundaries; 3 … 9 are there to fill a list's 8 entries.
var ftMarkets = func() map[int]layoutv2.Market {
	out := map[int]layoutv2.Market{
		0: {OraclePrice: 1300<<32 + 123_456_789, FundingIndex: -5_000_000_000, OpenInterest: 10_000,
			Risk: ftRisk(50_000, 30_000, 100, 50, 10_000, 1<<40, 1<<50)},
		1: {OraclePrice: 25<<32 + 1_000_003, FundingIndex: 7_777_777_777, OpenInterest: 10_000,
			Risk: ftRisk(100_000, 50_000, 1_000, 1_000, 20_000, 1<<40, 1<<50)},
		2: {OraclePrice: 1200 << 32, FundingIndex: -1_000_000_000, OpenInterest: 5_000,
			Risk: ftRisk(50_000, 30_000, 100, 50, 10_000, 1_000, 6_000)},
	}
	for m := 3; m <= 9; m++ {
		out[m] = layoutv2.Market{OraclePrice: uint64(100+m) << 32, FundingIndex: int64(m) * 300_000_000, OpenInterest: 1_000,
			Risk: ftRisk(20_000, 10_000, 10, 10, 5_000, 1<<55-1, 1<<62)}
	}
	for m, mk := range out {
		mk.OracleTimestamp, mk.FundingTimestamp = 1_800_000_000+uint64(m), 1_799_990_000
		out[m] = mk
	}
	return out
}()

type ftGen struct {
	keys []key
	out  []ftCase
}

// ftSig says how B's signature of a case is made.
type ftSig int

const (
	ftSigned       ftSig = iota // B's key over the request
	ftOtherKey                  // another key over the request
	ftOtherMessage              // B's key over the request with the amount one higher
)

func ftSide(h ftHolder) ftParty {
	p := ftParty{Collateral: decI64(h.collateral), Positions: []perpPosition{}}
	for _, e := range h.list {
		if !e.Empty() {
			p.Positions = append(p.Positions, perpPosition{Market: int(e.Market), Size: decI64(e.Size), Snapshot: decI64(e.FundingSnapshot)})
		}
	}
	return p
}

// state is the layout v2 state of a case: the markets (the trade market's open interest oi), A
// (key 0) and B (key 1), A's fill slot.
func (g *ftGen) state(a, b ftHolder, market int, oi uint64, slotNonce uint64) (*layoutv2.State, error) {
	s := layoutv2.NewState()
	for m := 0; m <= 9; m++ {
		mk := ftMarkets[m]
		if m == market {
			mk.OpenInterest = oi
		}
		if err := s.SetMarket(uint64(m), mk); err != nil {
			return nil, err
		}
	}
	for _, p := range []struct {
		id uint64
		k  int
		h  ftHolder
	}{{ftAccountA, 0, a}, {ftAccountB, 1, b}} {
		id := layoutv2.Identity{PublicKeyX: g.keys[p.k].pub.X, PublicKeyY: g.keys[p.k].pub.Y, L1Owner: [20]byte{0xa0, 19: byte(p.id)}}
		if err := s.SetAccount(p.id, layoutv2.AccountFields{Identity: id, Nonce: 3, Collateral: p.h.collateral, Positions: p.h.list}); err != nil {
			return nil, err
		}
	}
	if slotNonce != 0 {
		if err := s.SetFill(ftAccountA, layoutv2.Fill{OrderNonce: slotNonce, FilledAmount: 7}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// decide runs the reference on a case; served is false for a request it cannot serve (a typed
// error: such cases are left out of the file until the reference decides them).
func (g *ftGen) decide(a, b ftHolder, m messages.ForcedTradeMessage, oi, slotNonce uint64, sig ftSig) (reference.Outcome, bool, error) {
	s, err := g.state(a, b, int(m.Market), oi, slotNonce)
	if err != nil {
		return reference.Outcome{}, false, err
	}
	over, ki := m, 1
	switch sig {
	case ftOtherKey:
		ki = 2
	case ftOtherMessage:
		over.Amount++
	}
	d := SignedMessageDomains[0]
	rx, ry, sv, err := affineSignature(g.keys, ki, over.Hash(d))
	if err != nil {
		return reference.Outcome{}, false, err
	}
	owner := [20]byte{0xa0, 19: ftAccountA}
	out, err := reference.Apply(s, d, messages.ForcedTradeOp{Message: m, OwnerA: owner, RX: rx, RY: ry, S: sv})
	if err != nil {
		// a typed refusal: the request is not decided (add's callers say which may be)
		return out, false, nil
	}
	// the reference checks the signature once the market is known listed
	if out.Reason != reference.UnknownMarket && out.Figures.SignatureValid != (sig == ftSigned) {
		return out, false, fmt.Errorf("signature %d verifies: %v", sig, out.Figures.SignatureValid)
	}
	return out, true, nil
}

// add decides a case and appends it; for a request the reference refuses with a typed error it
// appends nothing and returns −1.
func (g *ftGen) add(name string, a, b ftHolder, m messages.ForcedTradeMessage, oi, slotNonce uint64, sig ftSig) (reference.Reason, error) {
	m.AccountA, m.AccountB = ftAccountA, ftAccountB
	out, served, err := g.decide(a, b, m, oi, slotNonce, sig)
	if err != nil || !served {
		return -1, err
	}
	c := ftCase{Name: name, AccountA: ftSide(a), AccountB: ftSide(b),
		Request:      ftRequest{Market: int(m.Market), ABuys: m.ABuys, Size: decU64(m.Size), Amount: decU64(m.Amount), Nonce: decU64(m.Nonce)},
		OpenInterest: decU64(oi), FillSlotNonce: decU64(slotNonce), SignatureValid: sig == ftSigned,
		Reason: ftReason{Name: out.Reason.String(), Code: int(out.Reason)}}
	if out.Reason == reference.Executed {
		after := func(id uint64) ftHolder {
			acc, _ := out.Next.Account(id)
			return ftHolder{collateral: acc.Collateral, list: acc.Positions}
		}
		mk, _ := out.Next.Market(uint64(m.Market))
		c.After = &ftAfter{AccountA: ftSide(after(ftAccountA)), AccountB: ftSide(after(ftAccountB)), OpenInterest: decU64(mk.OpenInterest)}
	}
	g.out = append(g.out, c)
	return out.Reason, nil
}

// ftBoundary is the largest amount in [lo, hi] for which the request executes (the margin rule
// is monotone in the amount: more paid by the buyer, less received by the seller).
func (g *ftGen) boundary(a, b ftHolder, m messages.ForcedTradeMessage, oi, slotNonce uint64, lo, hi uint64) (uint64, error) {
	m.AccountA, m.AccountB = ftAccountA, ftAccountB
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		m.Amount = mid
		out, served, err := g.decide(a, b, m, oi, slotNonce, ftSigned)
		if err != nil {
			return 0, err
		}
		if served && out.Reason == reference.Executed {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, nil
}

func genForcedTradeRules(keys []key) (any, error) {
	g := &ftGen{keys: keys}
	f := ftFile{Generator: generatorInfo(), AccountA: ftAccountA, AccountB: ftAccountB,
		Description: "zkperp forced-trade decisions (docs/perp-circuit.md §12.3) as the Go reference forcedtrade/reference.Apply " +
			"decides them: the first reason that holds wins (4 unknown market, 1 stale, 2 bad signature, 5 no free entry, " +
			"6 out of range, 3 risk, else 0 executed). A requests, B signed (B's key is vector key 1; an invalid signature is " +
			"key 2's, or B's over the amount + 1). fillSlotNonce: the nonce A's fill slot nonce mod 2^12 holds (0: empty). " +
			"openInterest: the trade market's before (the markets list gives the others'). Executed: A moves by ±size and " +
			"pays or receives amount, B the opposite, no fee, funding settled on every position. Integers are decimal int64; " +
			"oracle prices and funding indices 32.32. Requests the reference cannot decide (a typed error) are not listed."}
	for m := 0; m <= 9; m++ {
		mk := ftMarkets[m]
		r := mk.Risk
		f.Markets = append(f.Markets, liqMarketOut{perpMarket{ID: m, OraclePrice: decU64(mk.OraclePrice), FundingIndex: decI64(mk.FundingIndex),
			Risk: perpRisk{decU64(r.InitialMarginPpm), decU64(r.MaintenanceMarginPpm), decU64(r.BaselinePositionSize),
				decU64(r.IncrementalPositionSize), decU64(r.IncrementalInitialMarginPpm), decU64(r.MaxPositionSize), decU64(r.OpenInterestCap)}},
			decU64(mk.OpenInterest)})
	}
	if err := g.named(); err != nil {
		return nil, err
	}
	if err := g.random(60); err != nil {
		return nil, err
	}
	f.Cases = g.out
	return f, nil
}

// ftReq is a request: market, A buys, size, amount, nonce 8,292 (fill slot 100).
func ftReq(market int, aBuys bool, size, amount uint64) messages.ForcedTradeMessage {
	return messages.ForcedTradeMessage{Market: uint16(market), ABuys: aBuys, Size: size, Amount: amount, Nonce: 8_292}
}

// The fill slot of nonce 8,292: an older nonce of the slot (fresh), the nonce itself and a newer
// one (stale).
const (
	ftOlder = 8_292 - 4_096
	ftNewer = 8_292 + 4_096
)

func (g *ftGen) named() error {
	// A: long 40 of market 2, short 3,000 of market 1, long 20 of market 0; B: short 30 of market
	// 1, long 5 of market 3 (funding pending on every position)
	a := ftHold(500_000, [2]int64{2, 40}, [2]int64{1, -3_000}, [2]int64{0, 20})
	b := ftHold(400_000, [2]int64{1, -30}, [2]int64{3, 5})
	oi := func(m int) uint64 { return ftMarkets[m].OpenInterest }
	type nc struct {
		name      string
		a, b      ftHolder
		m         messages.ForcedTradeMessage
		oi        uint64
		slotNonce uint64
		sig       ftSig
		want      reference.Reason
	}
	cases := []nc{
		{"executed: A buys 10 of market 0 (grows its long), B opens a short", a, b, ftReq(0, true, 10, 13_000), oi(0), ftOlder, ftSigned, reference.Executed},
		{"executed: A sells 10 of market 0 (reduces its long), B opens a long", a, b, ftReq(0, false, 10, 12_900), oi(0), ftOlder, ftSigned, reference.Executed},
		{"executed: A's fill slot empty", a, b, ftReq(0, true, 10, 13_000), oi(0), 0, ftSigned, reference.Executed},
		{"executed: A closes its long 40 of market 2 (entry freed), B opens a long", a, b, ftReq(2, false, 40, 48_000), oi(2), ftOlder, ftSigned, reference.Executed},
		{"executed: A reduces its long 40 of market 2 to 15", a, b, ftReq(2, false, 25, 29_999), oi(2), ftOlder, ftSigned, reference.Executed},
		{"executed: A flips its long 40 of market 2 to short 60", a, b, ftReq(2, false, 100, 120_001), oi(2), ftOlder, ftSigned, reference.Executed},
		{"executed: A closes its short 3,000 of market 1, B grows its short", a, b, ftReq(1, true, 3_000, 75_000), oi(1), ftOlder, ftSigned, reference.Executed},
		{"executed: B closes its short 30 of market 1, A grows its short", a, b, ftReq(1, false, 30, 750), oi(1), ftOlder, ftSigned, reference.Executed},
		{"executed: amount 1 for size 1 (a price far from the oracle)", a, b, ftReq(0, true, 1, 1), oi(0), ftOlder, ftSigned, reference.Executed},
		{"unknown market: market 12 has no leaf", a, b, ftReq(ftUnlisted, true, 10, 13_000), 0, ftOlder, ftSigned, reference.UnknownMarket},
		{"stale: the slot holds the request's nonce", a, b, ftReq(0, true, 10, 13_000), oi(0), 8_292, ftSigned, reference.Stale},
		{"stale: the slot holds a newer nonce", a, b, ftReq(0, true, 10, 13_000), oi(0), ftNewer, ftSigned, reference.Stale},
		{"bad signature: another key signed", a, b, ftReq(0, true, 10, 13_000), oi(0), ftOlder, ftOtherKey, reference.BadSignature},
		{"bad signature: B signed another amount", a, b, ftReq(0, true, 10, 13_000), oi(0), ftOlder, ftOtherMessage, reference.BadSignature},
		{"risk: A overpays (A's margin)", a, b, ftReq(0, true, 10, 600_000), oi(0), ftOlder, ftSigned, reference.Risk},
		{"risk: B overpays (B's margin)", a, b, ftReq(0, false, 10, 500_000), oi(0), ftOlder, ftSigned, reference.Risk},
		{"risk: A's long 40 of market 2 grown to 1,001 (size limit 1,000)", a, ftHold(4_000_000), ftReq(2, true, 961, 1_153_200), 0, ftOlder, ftSigned, reference.Risk},
		{"executed: A's long 40 of market 2 grown to 1,000 (the size limit)", a, ftHold(4_000_000), ftReq(2, true, 960, 1_152_000), 0, ftOlder, ftSigned, reference.Executed},
		{"risk: B's short of market 2 opened at 1,001 (size limit 1,000)", ftHold(4_000_000), ftHold(4_000_000), ftReq(2, true, 1_001, 1_201_200), 0, ftOlder, ftSigned, reference.Risk},
		{"executed: open interest of market 2 grows to its cap 6,000", ftHold(4_000_000), ftHold(4_000_000), ftReq(2, true, 500, 600_000), 5_500, ftOlder, ftSigned, reference.Executed},
		{"risk: open interest of market 2 grows to 6,001 (cap 6,000)", ftHold(4_000_000), ftHold(4_000_000), ftReq(2, true, 501, 601_200), 5_500, ftOlder, ftSigned, reference.Risk},
		{"executed: open interest 7,000 above the cap, unchanged (A opens a long B closes)", ftHold(4_000_000),
			ftHold(4_000_000, [2]int64{2, 100}), ftReq(2, true, 100, 120_000), 7_000, ftOlder, ftSigned, reference.Executed},
		{"executed: open interest 7,000 above the cap, falling (both reduce)", ftHold(4_000_000, [2]int64{2, -80}),
			ftHold(4_000_000, [2]int64{2, 100}), ftReq(2, true, 50, 60_000), 7_000, ftOlder, ftSigned, reference.Executed},
		{"risk: open interest 7,000 above the cap, growing by 1", ftHold(4_000_000),
			ftHold(4_000_000, [2]int64{2, 100}), ftReq(2, true, 101, 121_200), 7_000, ftOlder, ftSigned, reference.Risk},
		{"unknown market first: also stale, badly signed and overpaid", a, b, ftReq(ftUnlisted, true, 10, 600_000), 0, 8_292, ftOtherKey, reference.UnknownMarket},
		{"stale first: also badly signed and overpaid", a, b, ftReq(0, true, 10, 600_000), oi(0), ftNewer, ftOtherKey, reference.Stale},
		{"bad signature first: also overpaid", a, b, ftReq(0, true, 10, 600_000), oi(0), ftOlder, ftOtherMessage, reference.BadSignature},
	}
	// no free entry (reason 5) and out of range (reason 6): listed once the reference decides them
	// (until then Apply refuses them with a typed error and add leaves them out)
	noFreeEntry, outOfRange := reference.Reason(5), reference.Reason(6)
	// A's 8 entries hold markets 2 … 9
	full := ftHold(4_000_000, [2]int64{2, 1}, [2]int64{3, 1}, [2]int64{4, 1}, [2]int64{5, 1}, [2]int64{6, 1}, [2]int64{7, 1},
		[2]int64{8, 1}, [2]int64{9, 1})
	cases = append(cases,
		nc{"no free entry: A's 8 entries hold other markets", full, b, ftReq(0, true, 10, 13_000), oi(0), ftOlder, ftSigned, noFreeEntry},
		nc{"no free entry: B's 8 entries hold other markets", b, full, ftReq(0, true, 10, 13_000), oi(0), ftOlder, ftSigned, noFreeEntry},
		nc{"executed: A's 8 entries full, one holds the market", full, b, ftReq(2, true, 10, 12_000), oi(2), ftOlder, ftSigned, reference.Executed},
		nc{"out of range: A's size past 2^55 − 1", ftHold(1<<62, [2]int64{3, 1<<55 - 10}), ftHold(1 << 62), ftReq(3, true, 10, 1_030),
			oi(3), ftOlder, ftSigned, outOfRange},
		nc{"out of range: A's collateral past 2^63 − 1", ftHold(1<<63 - 100), ftHold(1 << 40), ftReq(3, false, 10, 1_030),
			oi(3), ftOlder, ftSigned, outOfRange},
	)
	for _, c := range cases {
		n := len(g.out)
		got, err := g.add(c.name, c.a, c.b, c.m, c.oi, c.slotNonce, c.sig)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		if (c.want == noFreeEntry || c.want == outOfRange) && got != c.want {
			// a reference without reasons 5 and 6 refuses the request or names a later rule
			g.out = g.out[:n]
			continue
		}
		if got != c.want {
			return fmt.Errorf("%s: reason %v, want %v", c.name, got, c.want)
		}
	}
	// the margin boundary: the largest amount A (buying) and B (buying) can pay
	tight := ftHold(90_000, [2]int64{1, -3_000})
	for _, side := range []struct {
		name string
		a, b ftHolder
		buys bool
	}{{"A", tight, b, true}, {"B", b, tight, false}} {
		m := ftReq(0, side.buys, 10, 0)
		top, err := g.boundary(side.a, side.b, m, oi(0), ftOlder, 1, 1<<40)
		if err != nil {
			return err
		}
		for i, amount := range []uint64{top, top + 1} {
			m.Amount = amount
			want := []reference.Reason{reference.Executed, reference.Risk}[i]
			name := fmt.Sprintf("margin boundary: the largest amount %s's margin admits, %d", side.name, amount)
			if i == 1 {
				name = fmt.Sprintf("margin boundary: one quantum more than %s's margin admits, %d", side.name, amount)
			}
			got, err := g.add(name, side.a, side.b, m, oi(0), ftOlder, ftSigned)
			if err != nil {
				return err
			}
			if got != want {
				return fmt.Errorf("%s: reason %v", name, got)
			}
		}
	}
	return nil
}

// random adds n random requests: random holders (0 to 3 positions in markets 0 … 9, collateral
// sometimes thin), market (now and then unlisted), side, size, an amount around the oracle value,
// a fresh or stale slot, now and then a bad signature.
func (g *ftGen) random(n int) error {
	rnd := newStream("forced-trade-rules")
	holder := func() ftHolder {
		var ps [][2]int64
		used := map[int64]bool{}
		for range rnd.intn(4) {
			m := int64(rnd.intn(10))
			if used[m] {
				continue
			}
			used[m] = true
			ps = append(ps, [2]int64{m, rnd.i64(500)})
			if ps[len(ps)-1][1] == 0 {
				ps = ps[:len(ps)-1]
			}
		}
		collateral := int64(rnd.intn(2_000_000)) - 100_000
		if rnd.intn(3) == 0 {
			collateral = int64(rnd.intn(60_000)) // thin: the margin often fails
		}
		return ftHold(collateral, ps...)
	}
	for i := range n {
		a, b := holder(), holder()
		market := int(rnd.intn(10))
		if rnd.intn(12) == 0 {
			market = ftUnlisted
		}
		size := 1 + rnd.intn(300)
		price := uint64(100)
		oi := uint64(0)
		if mk, ok := ftMarkets[market]; ok {
			price, oi = mk.OraclePrice>>32, mk.OpenInterest
		}
		amount := max(1, size*price*(900+rnd.intn(201))/1_000)
		slot := []uint64{0, ftOlder, ftOlder, ftOlder, 8_292, ftNewer}[rnd.intn(6)]
		sig := ftSigned
		if rnd.intn(8) == 0 {
			sig = ftSig(1 + rnd.intn(2))
		}
		got, err := g.add(fmt.Sprintf("random %d", i), a, b, ftReq(market, rnd.intn(2) == 1, size, amount), oi, slot, sig)
		if err != nil {
			return fmt.Errorf("random %d: %w", i, err)
		}
		if got < 0 {
			return fmt.Errorf("random %d: the reference refuses the request", i)
		}
	}
	return nil
}
