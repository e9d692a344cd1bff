// Package versions names the pinned versions of gnark and gnark-crypto, as go.mod requires them
// (checked by this package's test). They are recorded in the golden vectors and in key manifests:
// test binaries carry no module build information, so the versions cannot be read at run time.
package versions

// Pinned library versions.
const (
	Gnark       = "v0.16.0"
	GnarkCrypto = "v0.21.0"
)
