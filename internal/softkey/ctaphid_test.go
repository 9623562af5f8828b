package softkey

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

// hidHost is the platform side of CTAPHID for tests: it writes reports to a
// CTAPHID device and reassembles its answers.
type hidHost struct {
	t   *testing.T
	dev *CTAPHID
	in  chan []byte
	cid uint32
}

func newHIDHost(t *testing.T, core *Software) *hidHost {
	h := &hidHost{t: t, in: make(chan []byte, 4096)}
	h.dev = NewCTAPHID(core, func(r []byte) error { h.in <- append([]byte(nil), r...); return nil })
	t.Cleanup(h.dev.Close)
	return h
}

func (h *hidHost) write(cid uint32, cmd byte, data []byte) {
	for _, r := range Fragment(cid, cmd, data) {
		// hidraw writes arrive with a leading report id of zero.
		h.dev.HandleReport(append([]byte{0}, r...))
	}
}

// read reassembles the next message, skipping keep-alives unless wanted.
func (h *hidHost) read(keepalives bool) (uint32, byte, []byte) {
	h.t.Helper()
	for {
		var first []byte
		select {
		case first = <-h.in:
		case <-time.After(5 * time.Second):
			h.t.Fatal("no answer from the device")
		}
		cid, cmd := binary.BigEndian.Uint32(first[0:4]), first[4]
		n := int(binary.BigEndian.Uint16(first[5:7]))
		data := append([]byte(nil), first[7:min(7+n, reportSize)]...)
		for seq := byte(0); len(data) < n; seq++ {
			r := <-h.in
			if r[4] != seq {
				h.t.Fatalf("continuation %d arrived as %d", seq, r[4])
			}
			data = append(data, r[5:min(5+n-len(data), reportSize)]...)
		}
		if cmd == hidKeepalive && !keepalives {
			continue
		}
		return cid, cmd, data
	}
}

func (h *hidHost) init() {
	h.t.Helper()
	nonce := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	h.write(broadcastCID, hidInit, nonce)
	cid, cmd, data := h.read(false)
	if cid != broadcastCID || cmd != hidInit || !bytes.Equal(data[:8], nonce) || len(data) != 17 || data[16]&capCBOR == 0 {
		h.t.Fatalf("INIT answer: cid %x cmd %x data %x", cid, cmd, data)
	}
	h.cid = binary.BigEndian.Uint32(data[8:12])
}

// transact makes the host a CTAP2 transport for ctapClient.
func (h *hidHost) transact(_ context.Context, msg []byte) ([]byte, error) {
	h.write(h.cid, hidCBOR, msg)
	_, cmd, data := h.read(false)
	if cmd != hidCBOR {
		return nil, errors.New("not a CBOR answer")
	}
	return data, nil
}

// The CTAP2 client, over CTAPHID, in front of the same core: PIN and a
// credential whose message spans several reports.
func TestCTAPHIDCarriesCTAP2(t *testing.T) {
	_, core := newKey(t, SoftwareOptions{})
	h := newHIDHost(t, core)
	h.init()
	c := &ctapClient{transact: h.transact}
	ctx := context.Background()
	if err := c.SetPIN(ctx, "1234"); err != nil {
		t.Fatal(err)
	}
	cred, err := c.MakeCredential(ctx, request("1234"))
	if err != nil || len(cred.AttestationObject) < reportSize {
		t.Fatalf("make credential over HID: %v", err)
	}
}

func TestCTAPHIDFraming(t *testing.T) {
	_, core := newKey(t, SoftwareOptions{})
	h := newHIDHost(t, core)
	h.init()

	big := bytes.Repeat([]byte("ping!"), 300) // 1500 bytes: 26 continuation packets
	h.write(h.cid, hidPing, big)
	if _, cmd, data := h.read(false); cmd != hidPing || !bytes.Equal(data, big) {
		t.Fatalf("PING echo: cmd %x, %d bytes", cmd, len(data))
	}

	h.write(0x01020304, hidPing, []byte("x"))
	if _, cmd, data := h.read(false); cmd != hidError || data[0] != hidErrInvalidChannel {
		t.Fatalf("unknown channel: cmd %x data %x", cmd, data)
	}
	h.write(h.cid, 0x8f, nil)
	if _, cmd, data := h.read(false); cmd != hidError || data[0] != hidErrInvalidCmd {
		t.Fatalf("unknown command: cmd %x data %x", cmd, data)
	}

	// A continuation out of order aborts the message.
	reports := Fragment(h.cid, hidPing, big)
	h.dev.HandleReport(reports[0])
	h.dev.HandleReport(reports[2])
	if _, cmd, data := h.read(false); cmd != hidError || data[0] != hidErrInvalidSeq {
		t.Fatalf("bad sequence: cmd %x data %x", cmd, data)
	}
	if _, cmd, data := func() (uint32, byte, []byte) { h.write(h.cid, hidCBOR, nil); return h.read(false) }(); cmd != hidError || data[0] != hidErrInvalidLen {
		t.Fatalf("empty CBOR: cmd %x data %x", cmd, data)
	}
}

// While the core waits for a touch the device sends keep-alives, refuses a
// second request as busy, and answers CANCEL with KEEPALIVE_CANCEL.
func TestCTAPHIDKeepaliveAndCancel(t *testing.T) {
	_, core := newKey(t, SoftwareOptions{PIN: "1234", Touch: TouchNever})
	h := newHIDHost(t, core)
	h.init()
	c := &ctapClient{transact: h.transact}
	ctx := context.Background()
	if _, err := c.Info(ctx); err != nil {
		t.Fatal(err)
	}
	tok, err := c.token(ctx, "1234", "login.microsoft.com", permMakeCredential)
	if err != nil {
		t.Fatal(err)
	}
	req := request("")
	p := makeCredentialParams{ClientDataHash: req.ClientDataHash, RP: rpEntity{ID: req.RPID}, User: userEntity{ID: req.UserID},
		PubKeyCredParams: []credParam{{Type: "public-key", Alg: coseAlgES256}}, Options: map[string]bool{"rk": true},
		PinUvAuthParam: authenticateVersion(c.protocol, tok, req.ClientDataHash), PinUvAuthProtocol: c.protocol}
	h.write(h.cid, hidCBOR, append([]byte{cmdMakeCredential}, mustCBOR(t, p)...))
	if _, cmd, data := h.read(true); cmd != hidKeepalive || data[0] != keepaliveUPNeeded {
		t.Fatalf("want a keep-alive asking for presence, got cmd %x data %x", cmd, data)
	}
	h.write(h.cid, hidCBOR, []byte{cmdGetInfo})
	if _, cmd, data := h.read(false); cmd != hidError || data[0] != hidErrChannelBusy {
		t.Fatalf("second request while busy: cmd %x data %x", cmd, data)
	}
	h.write(h.cid, hidCancel, nil)
	if _, cmd, data := h.read(false); cmd != hidCBOR || data[0] != statusKeepaliveCancel {
		t.Fatalf("after CANCEL: cmd %x data %x", cmd, data)
	}
}
