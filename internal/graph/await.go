package graph

import (
	"context"
	"time"
)

// ConsistencyWait bounds how long a reader waits for Graph to show a write:
// Entra replicates writes asynchronously, so a read right after one can
// come from a replica that has not seen it (a new object missing from lists,
// a changed property still old).
const ConsistencyWait = 30 * time.Second

// Await calls check, backing off from 250 ms, until it says done, fails,
// ctx ends or wait has passed (with a last call at the deadline). It
// reports whether check said done.
func Await(ctx context.Context, wait time.Duration, check func() (bool, error)) (bool, error) {
	deadline := time.Now().Add(wait)
	for pause := 250 * time.Millisecond; ; pause *= 2 {
		done, err := check()
		if done || err != nil {
			return done, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, nil
		case <-time.After(min(pause, left)):
		}
	}
}
