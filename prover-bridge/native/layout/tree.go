package layout

import (
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// Tree depths of layout version 1.
const (
	AccountsDepth  = 24 // 16,777,216 accounts, index = account id
	PositionsDepth = 6  // 64 markets per account, index = market id
	FillsDepth     = 16 // 65,536 fill slots per account, index = order nonce mod 2^16
	MarketsDepth   = 6  // 64 markets, index = market id
)

// MaxDepth is the largest depth a [SparseTree] supports.
const MaxDepth = 32

// emptyRoots[h] = Z_h: Z_0 = 0, Z_{h+1} = Compress(Z_h, Z_h).
var emptyRoots = func() [MaxDepth + 1]fr.Element {
	var z [MaxDepth + 1]fr.Element
	for h := 1; h <= MaxDepth; h++ {
		z[h] = Compress(z[h-1], z[h-1])
	}
	return z
}()

// EmptyRoot returns Z_h, the root of an empty subtree of height h (Z_0 = 0 is the empty leaf).
func EmptyRoot(h int) fr.Element {
	if h < 0 || h > MaxDepth {
		panic(fmt.Sprintf("layout: empty root height %d out of range", h))
	}
	return emptyRoots[h]
}

type nodeKey struct {
	height uint8
	index  uint64
}

// SparseTree is an in-memory sparse Merkle tree of fixed depth. It stores only the nodes that
// differ from the empty subtree hash of their height; every other node is Z_h.
// The zero value is not usable; create trees with [NewSparseTree]. A SparseTree is not safe for
// concurrent mutation.
type SparseTree struct {
	depth int
	nodes map[nodeKey]fr.Element
}

// NewSparseTree returns an empty tree of the given depth (1 … MaxDepth).
func NewSparseTree(depth int) *SparseTree {
	if depth < 1 || depth > MaxDepth {
		panic(fmt.Sprintf("layout: tree depth %d out of range", depth))
	}
	return &SparseTree{depth: depth, nodes: make(map[nodeKey]fr.Element)}
}

// Depth returns the tree's depth D (the number of levels above a leaf).
func (t *SparseTree) Depth() int { return t.depth }

// Size returns the number of leaves, 2^D.
func (t *SparseTree) Size() uint64 { return uint64(1) << t.depth }

func (t *SparseTree) checkIndex(index uint64) error {
	if index >= t.Size() {
		return fmt.Errorf("%w: %d not below 2^%d", ErrIndexOutOfRange, index, t.depth)
	}
	return nil
}

func (t *SparseTree) node(height int, index uint64) fr.Element {
	if v, ok := t.nodes[nodeKey{uint8(height), index}]; ok {
		return v
	}
	return emptyRoots[height]
}

func (t *SparseTree) setNode(height int, index uint64, v fr.Element) {
	k := nodeKey{uint8(height), index}
	if v.Equal(&emptyRoots[height]) {
		delete(t.nodes, k)
	} else {
		t.nodes[k] = v
	}
}

// Leaf returns the leaf at index (0 for an empty slot).
func (t *SparseTree) Leaf(index uint64) (fr.Element, error) {
	if err := t.checkIndex(index); err != nil {
		return fr.Element{}, err
	}
	return t.node(0, index), nil
}

// Update sets the leaf at index and recomputes the path to the root. Setting a leaf to 0 empties
// the slot.
func (t *SparseTree) Update(index uint64, leaf fr.Element) error {
	if err := t.checkIndex(index); err != nil {
		return err
	}
	t.setNode(0, index, leaf)
	acc := leaf
	for h := 0; h < t.depth; h++ {
		i := index >> h
		if i&1 == 0 {
			acc = Compress(acc, t.node(h, i^1))
		} else {
			acc = Compress(t.node(h, i^1), acc)
		}
		t.setNode(h+1, i>>1, acc)
	}
	return nil
}

// Root returns the tree's root (Z_D when the tree is empty).
func (t *SparseTree) Root() fr.Element { return t.node(t.depth, 0) }

// Proof returns the inclusion proof of the leaf at index: D siblings ordered from the leaf upward
// (siblings[h] is the sibling at height h). For an empty slot it proves non-membership (leaf 0).
func (t *SparseTree) Proof(index uint64) ([]fr.Element, error) {
	if err := t.checkIndex(index); err != nil {
		return nil, err
	}
	siblings := make([]fr.Element, t.depth)
	for h := range siblings {
		siblings[h] = t.node(h, (index>>h)^1)
	}
	return siblings, nil
}

// NonEmptyLeaves returns the indices of the non-empty leaves in increasing order.
func (t *SparseTree) NonEmptyLeaves() []uint64 {
	var out []uint64
	for k := range t.nodes {
		if k.height == 0 {
			out = append(out, k.index)
		}
	}
	slices.Sort(out)
	return out
}

// Clone returns an independent copy of the tree.
func (t *SparseTree) Clone() *SparseTree {
	c := &SparseTree{depth: t.depth, nodes: make(map[nodeKey]fr.Element, len(t.nodes))}
	for k, v := range t.nodes {
		c.nodes[k] = v
	}
	return c
}

// RootFromProof hashes leaf up len(siblings) levels along the path of index: at height h the
// accumulator is the left input iff bit h of index is 0.
func RootFromProof(index uint64, leaf fr.Element, siblings []fr.Element) fr.Element {
	acc := leaf
	for h := range siblings {
		if (index>>h)&1 == 0 {
			acc = Compress(acc, siblings[h])
		} else {
			acc = Compress(siblings[h], acc)
		}
	}
	return acc
}

// VerifyProof checks an inclusion (or, with leaf 0, non-membership) proof against root for a tree
// of depth len(siblings). It returns false if index does not fit in that depth.
func VerifyProof(index uint64, leaf fr.Element, siblings []fr.Element, root fr.Element) bool {
	d := len(siblings)
	if d < 1 || d > MaxDepth || index >= uint64(1)<<d {
		return false
	}
	got := RootFromProof(index, leaf, siblings)
	return got.Equal(&root)
}
