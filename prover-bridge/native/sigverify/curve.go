package sigverify

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
)

const (
	windows = 64 // 4-bit windows of a 256-bit scalar
	digits  = 16
	// Entries is the number of precomputed points in a comb table: [d·16^w]P for w < 64, 1 ≤ d < 16.
	Entries = windows * (digits - 1)
	// TableBytes is the size of a Table in memory: Entries × 3 elements × 32 bytes.
	TableBytes = Entries * 3 * fr.Bytes
)

// precomp is an affine point in the form the mixed addition uses: (y−x, y+x, 2d·x·y).
type precomp struct {
	yMinusX, yPlusX, kxy fr.Element
}

// Table is the 4-bit comb table of a point P: entry w·15 + d − 1 is [d·16^w]P. Its layout is
// fixed (TableBytes bytes of Montgomery-form limbs), so it may live in memory Go does not manage,
// such as a Java direct ByteBuffer.
type Table [Entries]precomp

// extended is a point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, T = XY/Z.
type extended struct {
	x, y, z, t fr.Element
}

var (
	curveD  fr.Element // d
	curveK  fr.Element // 2d
	order   [4]uint64  // l, the prime subgroup order, little-endian limbs
	baseTab Table      // the comb table of the base point B
)

func init() {
	c := twistededwards.GetEdwardsCurve()
	curveD = c.D
	curveK.Double(&c.D)
	order = limbs(&c.Order)
	BuildTable(&baseTab, &c.Base.X, &c.Base.Y)
}

func limbs(v *big.Int) [4]uint64 {
	var out [4]uint64
	words := v.Bits()
	for i := 0; i < len(words) && i < 4; i++ {
		out[i] = uint64(words[i])
	}
	return out
}

func (p *extended) setIdentity() {
	p.x.SetZero()
	p.y.SetOne()
	p.z.SetOne()
	p.t.SetZero()
}

func (p *extended) fromAffine(x, y *fr.Element) {
	p.x.Set(x)
	p.y.Set(y)
	p.z.SetOne()
	p.t.Mul(x, y)
}

// combine finishes add-2008-hwcd-3 from its intermediate a, b, c, d.
func (p *extended) combine(a, b, c, d *fr.Element) {
	var e, f, g, h fr.Element
	e.Sub(b, a)
	f.Sub(d, c)
	g.Add(d, c)
	h.Add(b, a)
	p.x.Mul(&e, &f)
	p.y.Mul(&g, &h)
	p.z.Mul(&f, &g)
	p.t.Mul(&e, &h)
}

// add sets p = p + q (a = −1, complete).
func (p *extended) add(q *extended) {
	var a, b, c, d, u fr.Element
	a.Sub(&p.y, &p.x)
	u.Sub(&q.y, &q.x)
	a.Mul(&a, &u)
	b.Add(&p.y, &p.x)
	u.Add(&q.y, &q.x)
	b.Mul(&b, &u)
	c.Mul(&p.t, &curveK)
	c.Mul(&c, &q.t)
	d.Mul(&p.z, &q.z)
	d.Double(&d)
	p.combine(&a, &b, &c, &d)
}

// addPrecomp sets p = p + q for q in precomputed affine form.
func (p *extended) addPrecomp(q *precomp) {
	var a, b, c, d fr.Element
	a.Sub(&p.y, &p.x)
	a.Mul(&a, &q.yMinusX)
	b.Add(&p.y, &p.x)
	b.Mul(&b, &q.yPlusX)
	c.Mul(&p.t, &q.kxy)
	d.Double(&p.z)
	p.combine(&a, &b, &c, &d)
}

// double sets p = 2p (dbl-2008-hwcd, a = −1).
func (p *extended) double() {
	var a, b, c, d, e, f, g, h fr.Element
	a.Square(&p.x)
	b.Square(&p.y)
	c.Square(&p.z)
	c.Double(&c)
	d.Neg(&a)
	e.Add(&p.x, &p.y)
	e.Square(&e)
	e.Sub(&e, &a)
	e.Sub(&e, &b)
	g.Add(&d, &b)
	f.Sub(&g, &c)
	h.Sub(&d, &b)
	p.x.Mul(&e, &f)
	p.y.Mul(&g, &h)
	p.z.Mul(&f, &g)
	p.t.Mul(&e, &h)
}

func (p *extended) neg() {
	p.x.Neg(&p.x)
	p.t.Neg(&p.t)
}

// BuildTable writes the comb table of the affine point (x, y) into t. It costs 960 additions, 252
// doublings and one batched inversion (about a millisecond) and allocates; build a table only
// for a point that will multiply many scalars.
func BuildTable(t *Table, x, y *fr.Element) {
	points := make([]extended, Entries)
	var base extended
	base.fromAffine(x, y)
	for w := 0; w < windows; w++ {
		p := base
		for d := 1; d < digits; d++ {
			points[w*(digits-1)+d-1] = p
			p.add(&base)
		}
		for i := 0; i < 4; i++ {
			base.double()
		}
	}
	zs := make([]fr.Element, Entries)
	for i := range points {
		zs[i] = points[i].z // never zero: the addition law is complete
	}
	zInv := fr.BatchInvert(zs)
	for i := range points {
		var ax, ay fr.Element
		ax.Mul(&points[i].x, &zInv[i])
		ay.Mul(&points[i].y, &zInv[i])
		t[i].yMinusX.Sub(&ay, &ax)
		t[i].yPlusX.Add(&ay, &ax)
		t[i].kxy.Mul(&ax, &ay)
		t[i].kxy.Mul(&t[i].kxy, &curveK)
	}
}

// mul sets acc = [k]P for the table's point P, k as little-endian limbs.
func (t *Table) mul(acc *extended, k *[4]uint64) {
	acc.setIdentity()
	for w := 0; w < windows; w++ {
		digit := (k[w>>4] >> ((w & 15) * 4)) & 15
		if digit != 0 {
			acc.addPrecomp(&t[w*(digits-1)+int(digit)-1])
		}
	}
}

// mulWindow sets acc = [k](x, y) with a 4-bit fixed window (252 doublings, at most 64 additions).
func mulWindow(acc *extended, x, y *fr.Element, k *[4]uint64) {
	var tab [digits]extended
	tab[0].setIdentity()
	tab[1].fromAffine(x, y)
	for i := 2; i < digits; i++ {
		tab[i] = tab[i-1]
		tab[i].add(&tab[1])
	}
	acc.setIdentity()
	started := false
	for nibble := windows - 1; nibble >= 0; nibble-- {
		digit := (k[nibble>>4] >> ((nibble & 15) * 4)) & 15
		if started {
			acc.double()
			acc.double()
			acc.double()
			acc.double()
		}
		if digit != 0 {
			acc.add(&tab[digit])
			started = true
		}
	}
}
