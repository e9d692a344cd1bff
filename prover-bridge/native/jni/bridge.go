package main

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/prover"
)

// abiVersion is bumped whenever an export, its parameters or the meaning of an error code
// changes. io.zkperp.prover.NativeProver.ABI_VERSION must equal it; the Java loader refuses a
// library built for another version.
const abiVersion = 3

// Error codes returned by every export (io.zkperp.prover.NativeProver mirrors them).
const (
	codeOK              = 0 // success
	codeWitnessFormat   = 1 // *batch.WitnessFormatError or *batchv3.FormatError; detail = byte offset
	codeUnsatisfiable   = 2 // *prover.UnsatisfiableError; detail = transaction index (-1: batch level)
	codeKeyMismatch     = 3 // *prover.KeyMismatchError
	codeVerifyFailed    = 4 // *prover.VerifyError: the proof is not valid for the public input
	codeBadHandle       = 5 // unknown or closed prover handle
	codeInvalidArgument = 6 // null array, wrong length, unknown shape, output array too short, prover.ErrCheckOnly
	codeInternal        = 7 // any other Go error (I/O, setup failure, ...)
	codePanic           = 8 // a Go panic, recovered; the message holds the panic value and stack
)

// failure is an export's outcome: code, detail (offset, transaction index or -1) and message.
type failure struct {
	code   int
	detail int64
	msg    string
}

var ok = failure{code: codeOK, detail: -1}

func fail(code int, format string, args ...any) failure {
	return failure{code: code, detail: -1, msg: fmt.Sprintf(format, args...)}
}

// classify maps an error from package prover (or the witness decoders, package batch's
// *WitnessFormatError and package batchv3's *FormatError, which prover.Check and prover.Prove
// pass through) onto an error code, keeping its typed details.
func classify(err error) failure {
	if err == nil {
		return ok
	}
	var wf *batch.WitnessFormatError
	var wf3 *batchv3.FormatError
	var us *prover.UnsatisfiableError
	var km *prover.KeyMismatchError
	var ve *prover.VerifyError
	switch {
	case errors.As(err, &wf):
		return failure{code: codeWitnessFormat, detail: int64(wf.Offset), msg: err.Error()}
	case errors.As(err, &wf3):
		return failure{code: codeWitnessFormat, detail: int64(wf3.Offset), msg: err.Error()}
	case errors.As(err, &us):
		return failure{code: codeUnsatisfiable, detail: int64(us.TxIndex), msg: err.Error()}
	case errors.As(err, &km):
		return failure{code: codeKeyMismatch, detail: -1, msg: err.Error()}
	case errors.As(err, &ve):
		return failure{code: codeVerifyFailed, detail: -1, msg: err.Error()}
	case errors.Is(err, prover.ErrCheckOnly):
		return failure{code: codeInvalidArgument, detail: -1, msg: err.Error()}
	default:
		return failure{code: codeInternal, detail: -1, msg: err.Error()}
	}
}

// guard runs f and turns a panic into codePanic, so that no Go panic ever unwinds into the JVM
// (which would abort the whole process).
func guard(f func() failure) (res failure) {
	defer func() {
		if r := recover(); r != nil {
			res = failure{code: codePanic, detail: -1, msg: fmt.Sprintf("panic in native prover: %v\n%s", r, debug.Stack())}
		}
	}()
	return f()
}

// registry hands out jlong handles for Go objects that Java holds on to. Handle 0 is never used.
type registry[T any] struct {
	mu   sync.Mutex
	next int64
	m    map[int64]T
}

func newRegistry[T any]() *registry[T] {
	return &registry[T]{m: make(map[int64]T)}
}

func (r *registry[T]) put(v T) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	r.m[r.next] = v
	return r.next
}

func (r *registry[T]) get(h int64) (T, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, found := r.m[h]
	return v, found
}

func (r *registry[T]) remove(h int64) (T, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, found := r.m[h]
	delete(r.m, h)
	return v, found
}

func (r *registry[T]) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.m)
}

// progressBuffer collects what prover.Open writes as progress until Java drains it. Writes may
// come from any goroutine; Java polls from its own thread, so no JNI call ever happens on a Go
// thread the JVM does not know.
type progressBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (p *progressBuffer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	const limit = 1 << 20 // a reader that never drains must not grow the buffer without bound
	if p.buf.Len()+len(b) > limit {
		p.buf.Reset()
		p.buf.WriteString("[progress output dropped: not drained]\n")
	}
	return p.buf.Write(b)
}

func (p *progressBuffer) drain() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.buf.Len() == 0 {
		return nil
	}
	out := bytes.Clone(p.buf.Bytes())
	p.buf.Reset()
	return out
}

var (
	provers    = newRegistry[*prover.Prover]()
	progresses = newRegistry[*progressBuffer]()
)

// provokePanic panics in one of a few ways; see the debugPanic export.
func provokePanic(kind int) failure {
	switch kind {
	case 1:
		var m map[string]int
		m["boom"] = 1
	case 2:
		var s []byte
		_ = s[kind]
	default:
		panic("deliberate panic (debugPanic)")
	}
	return ok
}
