package main

/*
#include <jni.h>
*/
import "C"

import (
	"unsafe"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/sigverify"
)

// Results of the EdDSA exports (io.zkperp.prover.NativeEdDsa mirrors them). verify returns
// sigverify.Valid (1), sigverify.Invalid (0) or sigverify.Malformed (-1), or one of these.
const (
	eddsaOK          = 0  // buildTable succeeded
	eddsaBadArgument = -2 // a null or wrong-sized array, a key off canonical form, a short table
	eddsaPanic       = -3 // a Go panic, recovered (never expected)
	maxMessage       = 16 // the C entry point's bound on message elements
)

//export Java_io_zkperp_prover_NativeEdDsa_tableBytes
func Java_io_zkperp_prover_NativeEdDsa_tableBytes(env *C.JNIEnv, cls C.jclass) C.jint {
	return C.jint(sigverify.TableBytes)
}

// publicKey reads x ‖ y (canonical big-endian) into Montgomery form.
func publicKey(key *C.uchar, x, y *fr.Element) bool {
	b := unsafe.Slice((*byte)(unsafe.Pointer(key)), 64)
	return x.SetBytesCanonical(b[:32]) == nil && y.SetBytesCanonical(b[32:]) == nil
}

// table views C memory of at least TableBytes bytes, 8-byte aligned, as a comb table.
func table(p unsafe.Pointer, capacity C.jlong) (*sigverify.Table, bool) {
	if p == nil {
		return nil, true
	}
	if capacity < C.jlong(sigverify.TableBytes) || uintptr(p)%8 != 0 {
		return nil, false
	}
	return (*sigverify.Table)(p), true
}

//export zkEdDsaVerify
func zkEdDsaVerify(key *C.uchar, tab unsafe.Pointer, capacity C.jlong, sig *C.uchar, msg *C.uchar, n C.int, prehash C.int) (res C.int) {
	defer func() {
		if recover() != nil {
			res = eddsaPanic
		}
	}()
	var x, y fr.Element
	t, okTable := table(tab, capacity)
	if !okTable || !publicKey(key, &x, &y) || n < 1 || n > maxMessage {
		return eddsaBadArgument
	}
	var elems [maxMessage]fr.Element
	raw := unsafe.Slice((*byte)(unsafe.Pointer(msg)), int(n)*fr.Bytes)
	for i := 0; i < int(n); i++ {
		if elems[i].SetBytesCanonical(raw[i*fr.Bytes:(i+1)*fr.Bytes]) != nil {
			return eddsaBadArgument
		}
	}
	s := unsafe.Slice((*byte)(unsafe.Pointer(sig)), sigverify.SignatureBytes)
	return C.int(sigverify.Verify(&x, &y, t, s, elems[:n], prehash != 0))
}

//export zkEdDsaBuildTable
func zkEdDsaBuildTable(key *C.uchar, tab unsafe.Pointer, capacity C.jlong) (res C.int) {
	defer func() {
		if recover() != nil {
			res = eddsaPanic
		}
	}()
	var x, y fr.Element
	t, okTable := table(tab, capacity)
	if t == nil || !okTable || !publicKey(key, &x, &y) {
		return eddsaBadArgument
	}
	sigverify.BuildTable(t, &x, &y)
	return eddsaOK
}
