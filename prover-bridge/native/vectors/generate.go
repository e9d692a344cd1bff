// Package vectors generates zkperp's golden test vectors (the files in test-vectors/ at the
// repository root) from gnark-crypto and the layout package, and checks checked-in copies for
// drift. The Java state tree, the gnark circuit and the L1 contracts all test against these files.
//
// Generation is fully deterministic: every pseudo-random value comes from SHA-256 of a fixed label
// and counter, JSON objects are Go structs (fixed field order), output is indented with two spaces
// and ends with a newline. Never edit the files by hand; run
//
//	cd prover-bridge/native && go run ./cmd/vectorgen
//
// and commit the result. `go test ./vectors` fails on any drift.
package vectors

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/versions"
)

// Versions recorded in every file's "generator" object. They must match go.mod (checked by the
// tests).
const (
	Program            = "prover-bridge/native/cmd/vectorgen"
	GnarkCryptoVersion = versions.GnarkCrypto
	GnarkVersion       = versions.Gnark
)

// Generator is the "generator" object at the top of every vector file.
type Generator struct {
	Program       string `json:"program"`
	GnarkCrypto   string `json:"gnarkCrypto"`
	Gnark         string `json:"gnark"`
	LayoutVersion int    `json:"layoutVersion"`
}

func generatorInfo() Generator {
	return Generator{Program: Program, GnarkCrypto: GnarkCryptoVersion, Gnark: GnarkVersion, LayoutVersion: layout.Version}
}

// File names produced by [Generate].
const (
	FilePoseidon2 = "poseidon2.json"
	FileField     = "field.json"
	FileEdDSA     = "eddsa.json"
	FilePoints    = "points.json"
	FileState     = "state.json"
)

// Generate returns the exact bytes of every vector file, keyed by file name. It fails if any
// self-check fails (for example if gnark-crypto accepted a case listed as invalid).
func Generate() (map[string][]byte, error) {
	keys, err := deriveKeys()
	if err != nil {
		return nil, fmt.Errorf("eddsa keys: %w", err)
	}
	gens := []struct {
		name string
		gen  func() (any, error)
	}{
		{FilePoseidon2, genPoseidon2},
		{FileField, genField},
		{FileEdDSA, func() (any, error) { return genEdDSA(keys) }},
		{FilePoints, func() (any, error) { return genPoints(keys) }},
		{FileState, func() (any, error) { return genState(keys) }},
		{FileStateV2, func() (any, error) { return genStateV2(keys) }},
		{FileSignedMessages, func() (any, error) { return genSignedMessages(keys) }},
		{FilePerpArithmetic, genPerpArithmetic},
		{FilePerpTickRules, func() (any, error) { return genPerpTicks(keys) }},
		{FilePerpTradeSteps, func() (any, error) { return genPerpTradeSteps(keys) }},
		{FilePerpLiquidation, func() (any, error) { return genPerpLiquidation(keys) }},
		{FileCollateralMessages, func() (any, error) { return genCollateralMessages(keys) }},
		{FileTickSteps, func() (any, error) { return genTickSteps(keys) }},
		{FileTickStepRefusals, func() (any, error) { return genTickStepRefusals(keys) }},
		{FileEscapeV2, func() (any, error) { return genEscapeV2(keys) }},
		{FileCollateralSteps, func() (any, error) { return genCollateralSteps(keys) }},
		{FileLiquidationSteps, func() (any, error) { return genLiquidationSteps(keys) }},
		{FileTradeStepElements, func() (any, error) { return genTradeStepElements(keys) }},
		{FileStepElements, func() (any, error) { return genStepElements(keys) }},
		{FileBatchV3, func() (any, error) { return genBatchV3(keys) }},
		{FileRollupV3, func() (any, error) { return genRollupV3(keys) }},
		{FileBatchV3Liquidations, func() (any, error) { return genBatchV3Liquidations(keys) }},
		{FileForcedTrade, func() (any, error) { return genForcedTrade(keys) }},
		{FileForcedTradeRules, func() (any, error) { return genForcedTradeRules(keys) }},
		{FileForcedTradeBatch, genForcedTradeBatch},
	}
	out := make(map[string][]byte, len(gens))
	for _, g := range gens {
		v, err := g.gen()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", g.name, err)
		}
		b, err := encodeJSON(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", g.name, err)
		}
		out[g.name] = b
	}
	bf, bins, err := genBatches()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileBatches, err)
	}
	if out[FileBatches], err = encodeJSON(bf); err != nil {
		return nil, err
	}
	for name, b := range bins {
		out[name] = b
	}
	v3, v3bins, err := genBatchV3Golden()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileBatchV3Golden, err)
	}
	if out[FileBatchV3Golden], err = encodeJSON(v3); err != nil {
		return nil, err
	}
	for name, b := range v3bins {
		out[name] = b
	}
	return out, nil
}

// encodeJSON pretty-prints v with a two-space indent, no HTML escaping and a trailing newline.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil { // Encode appends the trailing newline
		return nil, err
	}
	return buf.Bytes(), nil
}

// --- formatting -------------------------------------------------------------------------------

// hexFr formats a field element as "0x" + 64 lowercase hex digits (its canonical encoding).
func hexFr(e fr.Element) string {
	b := e.Bytes()
	return "0x" + hex.EncodeToString(b[:])
}

// hexBytes formats a byte string as "0x" + lowercase hex.
func hexBytes(b []byte) string { return "0x" + hex.EncodeToString(b) }

// hexBig32 formats a non-negative integer below 2^256 as 32 big-endian bytes.
func hexBig32(v *big.Int) string { return hexBytes(v.FillBytes(make([]byte, 32))) }

func decU64(x uint64) string { return strconv.FormatUint(x, 10) }
func decI64(x int64) string  { return strconv.FormatInt(x, 10) }

func hexFrs(es []fr.Element) []string {
	out := make([]string, len(es))
	for i := range es {
		out[i] = hexFr(es[i])
	}
	return out
}

func frFromBig(v *big.Int) fr.Element {
	var e fr.Element
	e.SetBigInt(v)
	return e
}

func frBig(e fr.Element) *big.Int {
	var v big.Int
	e.BigInt(&v)
	return &v
}

// --- deterministic pseudo-randomness ----------------------------------------------------------

// Seed returns the i-th 32-byte vector seed: SHA-256("zkperp-vector-seed-" + i).
func Seed(i int) [32]byte { return sha256.Sum256([]byte("zkperp-vector-seed-" + strconv.Itoa(i))) }

// stream is a deterministic byte stream: block k is SHA-256(label || 0x00 || k as 8 bytes BE).
type stream struct {
	label string
	ctr   uint64
	buf   []byte
}

func newStream(label string) *stream { return &stream{label: "zkperp-vector-" + label} }

func (s *stream) bytes(n int) []byte {
	for len(s.buf) < n {
		var ctr [8]byte
		binary.BigEndian.PutUint64(ctr[:], s.ctr)
		s.ctr++
		block := sha256.Sum256(append(append([]byte(s.label), 0), ctr[:]...))
		s.buf = append(s.buf, block[:]...)
	}
	out := append([]byte(nil), s.buf[:n]...)
	s.buf = s.buf[n:]
	return out
}

func (s *stream) u64() uint64 { return binary.BigEndian.Uint64(s.bytes(8)) }

// intn returns a value in [0, n) (modulo bias is irrelevant for test data).
func (s *stream) intn(n uint64) uint64 { return s.u64() % n }

// i64 returns a value in [-bound, bound].
func (s *stream) i64(bound int64) int64 {
	return int64(s.intn(uint64(2*bound+1))) - bound
}

// element returns a pseudo-random field element (32 bytes reduced mod r).
func (s *stream) element() fr.Element {
	var e fr.Element
	e.SetBytes(s.bytes(32))
	return e
}

func (s *stream) address() [20]byte {
	var a [20]byte
	copy(a[:], s.bytes(20))
	return a
}
