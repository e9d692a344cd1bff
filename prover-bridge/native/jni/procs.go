package main

import (
	"os"
	"runtime"
)

// spareProcs is how many Ps the library keeps beyond the CPU count.
//
// Java threads call into Go: the sequencer's intake threads for every order signature, the prover
// for proofs. A call from a foreign thread takes a P and, when it returns, leaves that P parked
// "in a system call" while the thread runs Java. If no P is idle, sysmon takes the parked P back
// at its next tick (20 µs) and starts a spinning M that finds no work and sleeps again, and sysmon
// never backs off; at 5,000 orders/s on 2 cores that cost about 10% of a core, mostly in the
// kernel. With spare Ps one is always idle, so sysmon leaves the callers' Ps alone for up to
// 10 ms and sleeps longer. Compute parallelism is unchanged: gnark sizes its workers by CPU count.
const spareProcs = 4

func init() {
	if os.Getenv("GOMAXPROCS") != "" {
		return // the operator's setting wins
	}
	if n := runtime.NumCPU() + spareProcs; runtime.GOMAXPROCS(0) < n {
		runtime.GOMAXPROCS(n)
	}
}
