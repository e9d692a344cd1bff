package prover

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress writes one line per step to a writer (nil: silent), and a heartbeat every
// heartbeatInterval while a long step runs.
type progress struct {
	mu sync.Mutex
	w  io.Writer
}

var heartbeatInterval = 10 * time.Second

func (p *progress) line(msg string) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "zkprover: %s\n", msg)
}

// ticking prints msg, then "… still running (N s)" periodically until the returned stop is called,
// which prints the elapsed time.
func (p *progress) ticking(msg string) (stop func()) {
	start := time.Now()
	p.line(msg + " …")
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(heartbeatInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.line(fmt.Sprintf("%s: still running (%.0f s)", msg, time.Since(start).Seconds()))
			}
		}
	}()
	return func() {
		close(done)
		p.line(fmt.Sprintf("%s: done in %.1f s", msg, time.Since(start).Seconds()))
	}
}
