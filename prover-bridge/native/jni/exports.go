package main

/*
#include <jni.h>
#include <stddef.h>

static jsize zk_byte_length(JNIEnv *env, jbyteArray a) {
	return (*env)->GetArrayLength(env, (jarray)a);
}
static jsize zk_long_length(JNIEnv *env, jlongArray a) {
	return (*env)->GetArrayLength(env, (jarray)a);
}
static jsize zk_object_length(JNIEnv *env, jobjectArray a) {
	return (*env)->GetArrayLength(env, (jarray)a);
}
static int zk_get_bytes(JNIEnv *env, jbyteArray a, jsize n, void *dst) {
	(*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *)dst);
	return (*env)->ExceptionCheck(env) ? -1 : 0;
}
static jbyteArray zk_new_bytes(JNIEnv *env, const void *src, jsize n) {
	jbyteArray a = (*env)->NewByteArray(env, n);
	if (a == NULL) {
		return NULL;
	}
	if (n > 0) {
		(*env)->SetByteArrayRegion(env, a, 0, n, (const jbyte *)src);
	}
	return a;
}
static int zk_set_object(JNIEnv *env, jobjectArray arr, jsize i, jobject v) {
	(*env)->SetObjectArrayElement(env, arr, i, v);
	return (*env)->ExceptionCheck(env) ? -1 : 0;
}
static int zk_set_long(JNIEnv *env, jlongArray arr, jsize i, jlong v) {
	(*env)->SetLongArrayRegion(env, arr, i, 1, &v);
	return (*env)->ExceptionCheck(env) ? -1 : 0;
}
static void zk_delete_local(JNIEnv *env, jobject o) {
	(*env)->DeleteLocalRef(env, o);
}
*/
import "C"

import (
	"io"
	"unsafe"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/prover"
)

// The exports below implement the native methods of io.zkperp.prover.NativeProver. Each one
// that can fail returns an error code (bridge.go) and takes two output arrays allocated by Java:
// long[] outL and Object[] outO. On success the export fills them with its results; on failure
// outL[0] holds the detail (byte offset, transaction index or -1) and outO[0] a byte[] with the
// UTF-8 message. Strings travel as UTF-8 byte[] in both directions (no modified UTF-8).

// outputs collects an export's results; they are copied into the Java arrays in one place.
type outputs struct {
	longs []int64
	objs  [][]byte
}

// call runs body under guard and copies its outputs or its failure into outL/outO.
func call(env *C.JNIEnv, outL C.jlongArray, outO C.jobjectArray, nLongs, nObjs int, body func(o *outputs) failure) C.jint {
	var o outputs
	res := guard(func() failure {
		if outL == 0 || outO == 0 {
			return fail(codeInvalidArgument, "output arrays must not be null")
		}
		if int(C.zk_long_length(env, outL)) < max(nLongs, 1) || int(C.zk_object_length(env, outO)) < max(nObjs, 1) {
			return fail(codeInvalidArgument, "output arrays too short: need long[%d] and Object[%d]", max(nLongs, 1), max(nObjs, 1))
		}
		return body(&o)
	})
	written := guard(func() failure {
		if outL == 0 || outO == 0 || C.zk_long_length(env, outL) < 1 || C.zk_object_length(env, outO) < 1 {
			return res
		}
		if res.code != codeOK {
			C.zk_set_long(env, outL, 0, C.jlong(res.detail))
			setBytes(env, outO, 0, []byte(res.msg))
			return res
		}
		for i, v := range o.longs {
			if C.zk_set_long(env, outL, C.jsize(i), C.jlong(v)) != 0 {
				return fail(codeInternal, "could not store result %d", i)
			}
		}
		for i, b := range o.objs {
			if !setBytes(env, outO, i, b) {
				return fail(codeInternal, "could not allocate result %d (%d bytes)", i, len(b))
			}
		}
		return ok
	})
	return C.jint(written.code)
}

// setBytes stores a new byte[] copy of b (nil: null) at outO[i]; false if a Java exception
// (out of memory, index) is pending.
func setBytes(env *C.JNIEnv, outO C.jobjectArray, i int, b []byte) bool {
	if b == nil {
		return C.zk_set_object(env, outO, C.jsize(i), 0) == 0
	}
	arr := newByteArray(env, b)
	if arr == 0 {
		return false
	}
	defer C.zk_delete_local(env, C.jobject(arr))
	return C.zk_set_object(env, outO, C.jsize(i), C.jobject(arr)) == 0
}

func newByteArray(env *C.JNIEnv, b []byte) C.jbyteArray {
	if len(b) == 0 {
		return C.zk_new_bytes(env, nil, 0)
	}
	return C.zk_new_bytes(env, unsafe.Pointer(&b[0]), C.jsize(len(b)))
}

// goBytes copies a Java byte[] into Go memory.
func goBytes(env *C.JNIEnv, a C.jbyteArray, what string) ([]byte, failure) {
	if a == 0 {
		return nil, fail(codeInvalidArgument, "%s must not be null", what)
	}
	n := int(C.zk_byte_length(env, a))
	b := make([]byte, n)
	if n > 0 && C.zk_get_bytes(env, a, C.jsize(n), unsafe.Pointer(&b[0])) != 0 {
		return nil, fail(codeInternal, "could not read %s", what)
	}
	return b, ok
}

// proverAndWitness resolves the handle and copies the witness array: the common start of check
// and prove.
func proverAndWitness(env *C.JNIEnv, handle C.jlong, witness C.jbyteArray) (*prover.Prover, []byte, failure) {
	p, f := lookup(handle)
	if f.code != codeOK {
		return nil, nil, f
	}
	w, f := goBytes(env, witness, "witness")
	return p, w, f
}

func lookup(handle C.jlong) (*prover.Prover, failure) {
	p, found := provers.get(int64(handle))
	if !found {
		return nil, fail(codeBadHandle, "unknown or closed prover handle %d", int64(handle))
	}
	return p, ok
}

//export Java_io_zkperp_prover_NativeProver_abiVersion
func Java_io_zkperp_prover_NativeProver_abiVersion(env *C.JNIEnv, cls C.jclass) C.jint {
	return C.jint(abiVersion)
}

// shapeInfo(byte[] name, long[] outL, Object[] outO): outL[0] = batch size (format v3: the step
// count S), outL[1] = witness size, outL[2] = batch format (2 or 3).
//
//export Java_io_zkperp_prover_NativeProver_shapeInfo
func Java_io_zkperp_prover_NativeProver_shapeInfo(env *C.JNIEnv, cls C.jclass, name C.jbyteArray, outL C.jlongArray, outO C.jobjectArray) C.jint {
	return call(env, outL, outO, 3, 0, func(o *outputs) failure {
		n, f := goBytes(env, name, "shape name")
		if f.code != codeOK {
			return f
		}
		shape, err := prover.ShapeByName(string(n))
		if err != nil {
			return failure{code: codeInvalidArgument, detail: -1, msg: err.Error()}
		}
		o.longs = []int64{int64(shape.BatchSize), int64(shape.WitnessSize()), int64(shape.Format)}
		return ok
	})
}

// progressOpen() returns a handle of a buffer that collects progress output until drained.
//
//export Java_io_zkperp_prover_NativeProver_progressOpen
func Java_io_zkperp_prover_NativeProver_progressOpen(env *C.JNIEnv, cls C.jclass) (id C.jlong) {
	defer func() {
		if recover() != nil {
			id = 0 // Java treats 0 as "no progress buffer"
		}
	}()
	return C.jlong(progresses.put(&progressBuffer{}))
}

// progressDrain(long id) returns the progress bytes written since the last drain, or null.
//
//export Java_io_zkperp_prover_NativeProver_progressDrain
func Java_io_zkperp_prover_NativeProver_progressDrain(env *C.JNIEnv, cls C.jclass, id C.jlong) (result C.jbyteArray) {
	defer func() {
		if recover() != nil {
			result = 0
		}
	}()
	p, found := progresses.get(int64(id))
	if !found {
		return 0
	}
	b := p.drain()
	if b == nil {
		return 0
	}
	return newByteArray(env, b)
}

// progressClose(long id) forgets a progress buffer.
//
//export Java_io_zkperp_prover_NativeProver_progressClose
func Java_io_zkperp_prover_NativeProver_progressClose(env *C.JNIEnv, cls C.jclass, id C.jlong) {
	defer func() { _ = recover() }()
	progresses.remove(int64(id))
}

// open(byte[] keyDir, byte[] shape, long chainId, byte[] rollup, long progressId, long[] outL,
// Object[] outO): outL[0] = handle, outL[1] = batch size, outL[2] = witness size. rollup is null
// for a format v2 shape (chainId ignored) and the 20-byte rollup address of the deployment for a
// format v3 shape (chainId taken as unsigned).
//
//export Java_io_zkperp_prover_NativeProver_open
func Java_io_zkperp_prover_NativeProver_open(env *C.JNIEnv, cls C.jclass, keyDir C.jbyteArray, shapeName C.jbyteArray, chainID C.jlong, rollup C.jbyteArray, progressID C.jlong, outL C.jlongArray, outO C.jobjectArray) C.jint {
	return call(env, outL, outO, 3, 0, func(o *outputs) failure {
		dir, f := goBytes(env, keyDir, "key directory")
		if f.code != codeOK {
			return f
		}
		return openWith(env, shapeName, chainID, rollup, progressID, o, func(shape prover.Shape, d messages.Domain, progress io.Writer) (*prover.Prover, error) {
			if shape.Format == prover.FormatV3 {
				return prover.OpenV3(string(dir), shape, d, progress)
			}
			return prover.Open(string(dir), shape, progress)
		})
	})
}

// openForCheck(byte[] shape, long chainId, byte[] rollup, long progressId, long[] outL,
// Object[] outO): as open, but compiles the circuit only (prover.OpenForCheck): no keys are read
// or set up; the handle serves check, and prove / verify / solidityVerifier answer
// codeInvalidArgument.
//
//export Java_io_zkperp_prover_NativeProver_openForCheck
func Java_io_zkperp_prover_NativeProver_openForCheck(env *C.JNIEnv, cls C.jclass, shapeName C.jbyteArray, chainID C.jlong, rollup C.jbyteArray, progressID C.jlong, outL C.jlongArray, outO C.jobjectArray) C.jint {
	return call(env, outL, outO, 3, 0, func(o *outputs) failure {
		return openWith(env, shapeName, chainID, rollup, progressID, o, prover.OpenForCheck)
	})
}

// openWith resolves the shape and the domain arguments of open and openForCheck (a format v3
// shape needs a 20-byte rollup, a format v2 shape takes none), opens the prover with opener and
// registers it.
func openWith(env *C.JNIEnv, shapeName C.jbyteArray, chainID C.jlong, rollup C.jbyteArray, progressID C.jlong, o *outputs,
	opener func(prover.Shape, messages.Domain, io.Writer) (*prover.Prover, error)) failure {
	n, f := goBytes(env, shapeName, "shape name")
	if f.code != codeOK {
		return f
	}
	shape, err := prover.ShapeByName(string(n))
	if err != nil {
		return failure{code: codeInvalidArgument, detail: -1, msg: err.Error()}
	}
	var d messages.Domain
	switch {
	case shape.Format == prover.FormatV3 && rollup == 0:
		return fail(codeInvalidArgument, "shape %s is format v3: it needs the deployment's chain id and rollup address", shape.Name)
	case shape.Format == prover.FormatV3:
		r, f := goBytes(env, rollup, "rollup address")
		if f.code != codeOK {
			return f
		}
		if len(r) != 20 {
			return fail(codeInvalidArgument, "rollup address must be 20 bytes, got %d", len(r))
		}
		d = messages.Domain{ChainID: uint64(chainID), Rollup: [20]byte(r)}
	case rollup != 0:
		return fail(codeInvalidArgument, "shape %s is format v2: it has no deployment domain", shape.Name)
	}
	var progress io.Writer = io.Discard
	if pb, found := progresses.get(int64(progressID)); found {
		progress = pb
	}
	p, err := opener(shape, d, progress)
	if err != nil {
		return classify(err)
	}
	o.longs = []int64{provers.put(p), int64(shape.BatchSize), int64(shape.WitnessSize())}
	return ok
}

// close(long handle) releases a prover; codeBadHandle if it was not open.
//
//export Java_io_zkperp_prover_NativeProver_close
func Java_io_zkperp_prover_NativeProver_close(env *C.JNIEnv, cls C.jclass, handle C.jlong) C.jint {
	return C.jint(guard(func() failure {
		if _, found := provers.remove(int64(handle)); !found {
			return fail(codeBadHandle, "unknown or closed prover handle %d", int64(handle))
		}
		return ok
	}).code)
}

// check(long handle, byte[] witness, long[] outL, Object[] outO): runs the gnark solver only.
//
//export Java_io_zkperp_prover_NativeProver_check
func Java_io_zkperp_prover_NativeProver_check(env *C.JNIEnv, cls C.jclass, handle C.jlong, witness C.jbyteArray, outL C.jlongArray, outO C.jobjectArray) C.jint {
	return call(env, outL, outO, 1, 1, func(o *outputs) failure {
		p, w, f := proverAndWitness(env, handle, witness)
		if f.code != codeOK {
			return f
		}
		return classify(p.Check(w))
	})
}

// prove(long handle, byte[] witness, long[] outL, Object[] outO):
// outO[0] = raw proof, outO[1] = Solidity proof bytes, outO[2] = 32-byte public input.
//
//export Java_io_zkperp_prover_NativeProver_prove
func Java_io_zkperp_prover_NativeProver_prove(env *C.JNIEnv, cls C.jclass, handle C.jlong, witness C.jbyteArray, outL C.jlongArray, outO C.jobjectArray) C.jint {
	return call(env, outL, outO, 1, 3, func(o *outputs) failure {
		p, w, f := proverAndWitness(env, handle, witness)
		if f.code != codeOK {
			return f
		}
		proof, err := p.Prove(w)
		if err != nil {
			return classify(err)
		}
		o.objs = [][]byte{proof.Raw, proof.Solidity, proof.PublicInput[:]}
		return ok
	})
}

// verify(long handle, byte[] raw, byte[] publicInput, long[] outL, Object[] outO):
// codeOK if valid, codeVerifyFailed if not.
//
//export Java_io_zkperp_prover_NativeProver_verify
func Java_io_zkperp_prover_NativeProver_verify(env *C.JNIEnv, cls C.jclass, handle C.jlong, raw C.jbyteArray, publicInput C.jbyteArray, outL C.jlongArray, outO C.jobjectArray) C.jint {
	return call(env, outL, outO, 1, 1, func(o *outputs) failure {
		p, f := lookup(handle)
		if f.code != codeOK {
			return f
		}
		r, f := goBytes(env, raw, "proof")
		if f.code != codeOK {
			return f
		}
		pi, f := goBytes(env, publicInput, "public input")
		if f.code != codeOK {
			return f
		}
		if len(pi) != 32 {
			return fail(codeInvalidArgument, "public input must be 32 bytes, got %d", len(pi))
		}
		return classify(p.Verify(r, [32]byte(pi)))
	})
}

// solidityVerifier(long handle, long[] outL, Object[] outO): outO[0] = UTF-8 Solidity source.
//
//export Java_io_zkperp_prover_NativeProver_solidityVerifier
func Java_io_zkperp_prover_NativeProver_solidityVerifier(env *C.JNIEnv, cls C.jclass, handle C.jlong, outL C.jlongArray, outO C.jobjectArray) C.jint {
	return call(env, outL, outO, 1, 1, func(o *outputs) failure {
		p, f := lookup(handle)
		if f.code != codeOK {
			return f
		}
		src, err := p.SolidityVerifier()
		if err != nil {
			return classify(err)
		}
		o.objs = [][]byte{src}
		return ok
	})
}

// debugPanic(int kind, long[] outL, Object[] outO) panics on purpose (kind 0: explicit panic,
// kind 1: nil map write, 2: index out of range) so that tests can prove that panics come back as
// codePanic instead of aborting the JVM.
//
//export Java_io_zkperp_prover_NativeProver_debugPanic
func Java_io_zkperp_prover_NativeProver_debugPanic(env *C.JNIEnv, cls C.jclass, kind C.jint, outL C.jlongArray, outO C.jobjectArray) C.jint {
	return call(env, outL, outO, 1, 1, func(o *outputs) failure {
		return provokePanic(int(kind))
	})
}

func main() {}
