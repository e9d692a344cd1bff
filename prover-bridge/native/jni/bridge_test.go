package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/prover"
)

func TestClassifyMapsEveryTypedError(t *testing.T) {
	cases := []struct {
		err    error
		code   int
		detail int64
	}{
		{nil, codeOK, -1},
		{&batch.WitnessFormatError{Offset: 17, Reason: "short"}, codeWitnessFormat, 17},
		{&batchv3.FormatError{Offset: 42, Reason: "bad magic"}, codeWitnessFormat, 42},
		{fmt.Errorf("decode: %w", &batchv3.FormatError{Offset: 9, Reason: "version"}), codeWitnessFormat, 9},
		{&prover.UnsatisfiableError{TxIndex: 3, Reason: "bad signature"}, codeUnsatisfiable, 3},
		{&prover.UnsatisfiableError{TxIndex: -1, Reason: "public data"}, codeUnsatisfiable, -1},
		{&prover.KeyMismatchError{Reason: "gnark version"}, codeKeyMismatch, -1},
		{&prover.VerifyError{Reason: "pairing"}, codeVerifyFailed, -1},
		{errors.New("disk full"), codeInternal, -1},
		{prover.ErrCheckOnly, codeInvalidArgument, -1},
		// wrapped typed errors keep their code
		{fmt.Errorf("prove: %w", &prover.UnsatisfiableError{TxIndex: 5, Reason: "nonce"}), codeUnsatisfiable, 5},
	}
	for _, c := range cases {
		f := classify(c.err)
		if f.code != c.code || f.detail != c.detail {
			t.Errorf("classify(%v) = code %d detail %d, want %d %d", c.err, f.code, f.detail, c.code, c.detail)
		}
		if c.err != nil && f.msg != c.err.Error() {
			t.Errorf("classify(%v) message %q", c.err, f.msg)
		}
	}
}

func TestGuardRecoversEveryKindOfPanic(t *testing.T) {
	for kind := 0; kind < 3; kind++ {
		f := guard(func() failure { return provokePanic(kind) })
		if f.code != codePanic || !strings.Contains(f.msg, "panic in native prover") {
			t.Errorf("kind %d: got %+v", kind, f)
		}
	}
	if f := guard(func() failure { return ok }); f.code != codeOK {
		t.Errorf("no panic: got %+v", f)
	}
}

func TestRegistryHandlesAreUniqueAndNeverZero(t *testing.T) {
	r := newRegistry[int]()
	var wg sync.WaitGroup
	handles := make(chan int64, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			handles <- r.put(i)
		}(i)
	}
	wg.Wait()
	close(handles)
	seen := map[int64]bool{}
	for h := range handles {
		if h == 0 || seen[h] {
			t.Fatalf("bad or duplicate handle %d", h)
		}
		seen[h] = true
	}
	for h := range seen {
		if _, found := r.remove(h); !found {
			t.Fatalf("handle %d missing", h)
		}
		if _, found := r.get(h); found {
			t.Fatalf("handle %d still present after remove", h)
		}
	}
	if r.len() != 0 {
		t.Fatalf("registry not empty: %d", r.len())
	}
}

func TestProgressBufferDrainsAndBoundsItsSize(t *testing.T) {
	var p progressBuffer
	if p.drain() != nil {
		t.Fatal("empty buffer drained bytes")
	}
	fmt.Fprintf(&p, "setup 10%%\n")
	fmt.Fprintf(&p, "setup 20%%\n")
	if got := string(p.drain()); got != "setup 10%\nsetup 20%\n" {
		t.Fatalf("drained %q", got)
	}
	big := make([]byte, 600<<10)
	p.Write(big)
	p.Write(big)
	if got := p.drain(); len(got) > 1<<20 || !strings.HasPrefix(string(got), "[progress output dropped") {
		t.Fatalf("buffer not bounded: %d bytes", len(got))
	}
}

func TestSpareProcs(t *testing.T) {
	if os.Getenv("GOMAXPROCS") != "" {
		t.Skip("GOMAXPROCS is set by the environment")
	}
	if got, want := runtime.GOMAXPROCS(0), runtime.NumCPU()+spareProcs; got < want {
		t.Fatalf("GOMAXPROCS = %d, want at least NumCPU+%d = %d", got, spareProcs, want)
	}
}
