package softkey

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// CTAP2 requests reach the core from the host unchecked: any bytes must get
// a status, never a panic.
func FuzzCTAP2Request(f *testing.F) {
	f.Add([]byte{cmdGetInfo})
	f.Add([]byte{cmdClientPIN, 0xa2, 0x01, 0x02, 0x02, 0x02})
	f.Add([]byte{cmdMakeCredential, 0xa1, 0x01, 0x40})
	f.Add([]byte{0xff, 0x00})
	dir := f.TempDir()
	core, err := CreateSoftware(filepath.Join(dir, "k.json"), SoftwareOptions{PIN: "1234"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if resp := core.Transact(ctx, msg); len(resp) == 0 {
			t.Fatal("no status byte")
		}
	})
}

// Any sequence of reports must leave CTAPHID answering, and a message
// fragmented by Fragment must come back whole.
func FuzzCTAPHIDReports(f *testing.F) {
	f.Add(bytes.Repeat([]byte{0xff}, 64), []byte("hello"))
	f.Add(append([]byte{0xff, 0xff, 0xff, 0xff, hidInit, 0, 8}, make([]byte, 57)...), bytes.Repeat([]byte{7}, 300))
	dir := f.TempDir()
	core, err := CreateSoftware(filepath.Join(dir, "k.json"), SoftwareOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, noise []byte, payload []byte) {
		if len(payload) > maxMessage {
			payload = payload[:maxMessage]
		}
		var mu sync.Mutex
		var out [][]byte
		h := NewCTAPHID(core, func(r []byte) error { mu.Lock(); out = append(out, r); mu.Unlock(); return nil })
		defer h.Close()
		for len(noise) > 0 {
			n := min(len(noise), reportSize)
			h.HandleReport(noise[:n])
			noise = noise[n:]
		}
		// Open a channel and echo the payload: framing must survive the noise.
		// A half-sent message from the noise is dropped, as it would be once
		// its timeout passed.
		h.mu.Lock()
		h.assembling = nil
		h.mu.Unlock()
		h.HandleReport(Fragment(broadcastCID, hidInit, []byte{1, 2, 3, 4, 5, 6, 7, 8})[0])
		mu.Lock()
		last := out[len(out)-1]
		mu.Unlock()
		cid := uint32(last[15])<<24 | uint32(last[16])<<16 | uint32(last[17])<<8 | uint32(last[18])
		mu.Lock()
		out = nil
		mu.Unlock()
		for _, r := range Fragment(cid, hidPing, payload) {
			h.HandleReport(r)
		}
		mu.Lock()
		defer mu.Unlock()
		var got []byte
		for i, r := range out {
			if i == 0 {
				n := int(r[5])<<8 | int(r[6])
				got = append(got, r[7:min(7+n, reportSize)]...)
				continue
			}
			got = append(got, r[5:]...)
		}
		if len(got) > len(payload) {
			got = got[:len(payload)]
		}
		if len(out) == 0 || out[0][4] != hidPing || !bytes.Equal(got, payload) {
			t.Fatalf("PING of %d bytes after noise came back as %d bytes (cmd %x)", len(payload), len(got), out[0][4])
		}
	})
}
