package liqstep

import "encoding/binary"

// be appends the n low bytes of v, big-endian.
func be(b []byte, v uint64, n int) []byte {
	var w [8]byte
	binary.BigEndian.PutUint64(w[:], v)
	return append(b, w[8-n:]...)
}

func abs(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

// LiquidationPublicData is a liquidation's public data (LiquidationDataBytes, big-endian):
// TypeLiquidation ‖ liquidated (3) ‖ liquidator (3) ‖ market (1) ‖ size (7) ‖ price (4) ‖
// liquidator's order nonce (8) ‖ fee (8). Meaningful for a liquidation ApplyLiquidation accepts.
func LiquidationPublicData(l Liquidation) []byte {
	b := []byte{TypeLiquidation}
	b = be(b, uint64(l.Account), 3)
	b = be(b, uint64(l.Liquidator.Order.Account), 3)
	b = append(b, l.Market)
	b = be(b, uint64(l.Size), 7)
	b = be(b, uint64(l.Price), 4)
	b = be(b, l.Liquidator.Order.Nonce, 8)
	return be(b, uint64(l.Fee), 8)
}

// TakeoverPublicData is a takeover's public data (TakeoverDataBytes): TypeTakeover ‖ account (3) ‖
// market (1) ‖ |Delta| (7) ‖ price (4).
func TakeoverPublicData(t Takeover) []byte {
	b := be([]byte{TypeTakeover}, uint64(t.Account), 3)
	b = append(b, t.Market)
	b = be(b, abs(t.Delta), 7)
	return be(b, uint64(t.Price), 4)
}

// DeleveragePublicData is a deleveraging's public data (DeleverageDataBytes): TypeDeleverage ‖
// deleveraged (3) ‖ deleverager (3) ‖ market (1) ‖ |Delta| (7) ‖ price (4).
func DeleveragePublicData(d Deleveraging) []byte {
	b := be([]byte{TypeDeleverage}, uint64(d.Account), 3)
	b = be(b, uint64(d.Deleverager), 3)
	b = append(b, d.Market)
	b = be(b, abs(d.Delta), 7)
	return be(b, uint64(d.Price), 4)
}
