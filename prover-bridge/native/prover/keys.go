package prover

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"

	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/versions"
)

// ManifestVersion is the version of the manifest format and of the key-file layout.
const ManifestVersion = 1

const (
	manifestFile = "manifest.json"
	pkFile       = "proving.key"
	vkFile       = "verifying.key"
	verifierFile = "BatchVerifier.sol"
)

// Manifest describes a cached key set. Every field must match the running prover for the keys to
// be used.
type Manifest struct {
	Format    int    `json:"format"`
	Shape     string `json:"shape"`
	BatchSize int    `json:"batchSize"`
	// The format v3 fields, absent from a format v2 manifest: the slot groups and the deployment
	// domain the circuit's constants are built from.
	V3                 *batchv3.Shape    `json:"v3Shape,omitempty"`
	ChainID            uint64            `json:"chainId,omitempty"`
	Rollup             string            `json:"rollup,omitempty"` // 0x + 40 lowercase hex digits
	Backend            string            `json:"backend"`
	Curve              string            `json:"curve"`
	Gnark              string            `json:"gnark"`
	GnarkCrypto        string            `json:"gnarkCrypto"`
	Go                 string            `json:"go"`
	Constraints        int               `json:"constraints"`
	ConstraintSystem   string            `json:"constraintSystemSha256"`
	Files              map[string]string `json:"files"` // name → SHA-256 (hex)
	SetupSeconds       float64           `json:"setupSeconds"`
	CreatedUnixSeconds int64             `json:"createdUnixSeconds"`
}

func expectedManifest(shape Shape, d messages.Domain, ccs constraint.ConstraintSystem) (Manifest, error) {
	h := sha256.New()
	if _, err := ccs.WriteTo(h); err != nil {
		return Manifest{}, fmt.Errorf("hashing the constraint system: %w", err)
	}
	m := Manifest{
		Format: ManifestVersion, Shape: shape.Name, BatchSize: shape.BatchSize,
		Backend: "groth16", Curve: ecc.BN254.String(),
		Gnark: versions.Gnark, GnarkCrypto: versions.GnarkCrypto,
		Go: runtime.Version(), Constraints: ccs.GetNbConstraints(), ConstraintSystem: hex.EncodeToString(h.Sum(nil)),
	}
	if shape.Format == FormatV3 {
		v3 := shape.V3
		m.V3, m.ChainID, m.Rollup = &v3, d.ChainID, "0x"+hex.EncodeToString(d.Rollup[:])
	}
	return m, nil
}

func v3ShapeOf(m Manifest) string {
	if m.V3 == nil {
		return "none (format v2)"
	}
	return m.V3.String()
}

// compare returns why a manifest on disk does not fit the expected one, or "".
func compare(got, want Manifest) string {
	type field struct {
		name      string
		got, want any
	}
	for _, f := range []field{
		{"manifest format", got.Format, want.Format}, {"shape", got.Shape, want.Shape},
		{"batch size", got.BatchSize, want.BatchSize}, {"v3 shape", v3ShapeOf(got), v3ShapeOf(want)},
		{"chain id", got.ChainID, want.ChainID}, {"rollup address", got.Rollup, want.Rollup},
		{"backend", got.Backend, want.Backend},
		{"curve", got.Curve, want.Curve}, {"gnark version", got.Gnark, want.Gnark},
		{"gnark-crypto version", got.GnarkCrypto, want.GnarkCrypto}, {"Go version", got.Go, want.Go},
		{"constraint count", got.Constraints, want.Constraints},
		{"constraint system hash", got.ConstraintSystem, want.ConstraintSystem},
	} {
		if f.got != f.want {
			return fmt.Sprintf("%s is %v, this prover needs %v", f.name, f.got, f.want)
		}
	}
	return ""
}

func fileSha256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// loadKeys reads a key set whose manifest matches want, or reports why it cannot.
func loadKeys(dir string, want Manifest) (groth16.ProvingKey, groth16.VerifyingKey, []byte, error) {
	raw, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if err != nil {
		return nil, nil, nil, err
	}
	var got Manifest
	if err := json.Unmarshal(raw, &got); err != nil {
		return nil, nil, nil, &KeyMismatchError{Dir: dir, Reason: "manifest.json is not valid JSON: " + err.Error()}
	}
	if why := compare(got, want); why != "" {
		return nil, nil, nil, &KeyMismatchError{Dir: dir, Reason: why}
	}
	for _, name := range []string{pkFile, vkFile, verifierFile} {
		sum, err := fileSha256(filepath.Join(dir, name))
		if err != nil {
			return nil, nil, nil, &KeyMismatchError{Dir: dir, Reason: fmt.Sprintf("%s: %v", name, err)}
		}
		if sum != got.Files[name] {
			return nil, nil, nil, &KeyMismatchError{Dir: dir, Reason: fmt.Sprintf("%s has SHA-256 %s, the manifest says %s", name, sum, got.Files[name])}
		}
	}
	pk := groth16.NewProvingKey(ecc.BN254)
	vk := groth16.NewVerifyingKey(ecc.BN254)
	if err := readFrom(filepath.Join(dir, pkFile), func(r io.Reader) error { _, err := pk.UnsafeReadFrom(r); return err }); err != nil {
		return nil, nil, nil, &KeyMismatchError{Dir: dir, Reason: "proving key: " + err.Error()}
	}
	if err := readFrom(filepath.Join(dir, vkFile), func(r io.Reader) error { _, err := vk.ReadFrom(r); return err }); err != nil {
		return nil, nil, nil, &KeyMismatchError{Dir: dir, Reason: "verifying key: " + err.Error()}
	}
	sol, err := os.ReadFile(filepath.Join(dir, verifierFile))
	if err != nil {
		return nil, nil, nil, err
	}
	return pk, vk, sol, nil
}

func readFrom(path string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return read(bufio.NewReaderSize(f, 1<<20))
}

// setupKeys runs groth16.Setup and writes the key set atomically (temporary directory, fsync,
// rename).
func setupKeys(dir string, ccs constraint.ConstraintSystem, want Manifest, progress *progress) (groth16.ProvingKey, groth16.VerifyingKey, []byte, error) {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, nil, nil, err
	}
	start := time.Now()
	stop := progress.ticking(fmt.Sprintf("groth16 setup for %s (%d constraints)", want.Shape, want.Constraints))
	pk, vk, err := groth16.Setup(ccs)
	stop()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("groth16 setup: %w", err)
	}
	var sol bytes.Buffer
	if err := vk.ExportSolidity(&sol); err != nil {
		return nil, nil, nil, fmt.Errorf("exporting the Solidity verifier: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return nil, nil, nil, err
	}
	defer os.RemoveAll(tmp)
	write := func(name string, w func(io.Writer) error) error {
		f, err := os.Create(filepath.Join(tmp, name))
		if err != nil {
			return err
		}
		if err := w(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	progress.line("writing keys")
	if err := write(pkFile, func(w io.Writer) error { _, err := pk.WriteRawTo(w); return err }); err != nil {
		return nil, nil, nil, err
	}
	if err := write(vkFile, func(w io.Writer) error { _, err := vk.WriteRawTo(w); return err }); err != nil {
		return nil, nil, nil, err
	}
	if err := write(verifierFile, func(w io.Writer) error { _, err := w.Write(sol.Bytes()); return err }); err != nil {
		return nil, nil, nil, err
	}
	m := want
	m.Files = map[string]string{}
	for _, name := range []string{pkFile, vkFile, verifierFile} {
		if m.Files[name], err = fileSha256(filepath.Join(tmp, name)); err != nil {
			return nil, nil, nil, err
		}
	}
	m.SetupSeconds = time.Since(start).Seconds()
	m.CreatedUnixSeconds = time.Now().Unix()
	js, _ := json.MarshalIndent(m, "", "  ")
	if err := write(manifestFile, func(w io.Writer) error { _, err := w.Write(append(js, '\n')); return err }); err != nil {
		return nil, nil, nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if errors.Is(err, os.ErrExist) || isNotEmpty(err) {
			// Another process finished the setup first; use its keys.
			return loadKeys(dir, want)
		}
		return nil, nil, nil, err
	}
	if d, err := os.Open(parent); err == nil {
		_ = d.Sync()
		d.Close()
	}
	progress.line(fmt.Sprintf("keys written to %s (setup %.1f s)", dir, m.SetupSeconds))
	return pk, vk, sol.Bytes(), nil
}

func isNotEmpty(err error) bool {
	var le *os.LinkError
	return errors.As(err, &le) && le.Err != nil && (le.Err.Error() == "directory not empty" || le.Err.Error() == "file exists")
}
