package softkey

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// CTAPHID (CTAP 2.1 §11.2) frames CTAP messages into 64-byte HID reports:
// an initialisation packet (channel, command with the top bit set, length,
// 57 bytes) and continuation packets (channel, sequence 0..127, 59 bytes).

const (
	reportSize   = 64
	initPayload  = reportSize - 7
	contPayload  = reportSize - 5
	broadcastCID = 0xffffffff
	maxMessage   = initPayload + 128*contPayload // 7609 bytes

	hidPing      = 0x81
	hidMsg       = 0x83
	hidInit      = 0x86
	hidWink      = 0x88
	hidCBOR      = 0x90
	hidCancel    = 0x91
	hidKeepalive = 0xbb
	hidError     = 0xbf

	keepaliveUPNeeded = 2

	hidErrInvalidCmd     = 0x01
	hidErrInvalidPar     = 0x02
	hidErrInvalidLen     = 0x03
	hidErrInvalidSeq     = 0x04
	hidErrMsgTimeout     = 0x05
	hidErrChannelBusy    = 0x06
	hidErrInvalidChannel = 0x0b

	capWink = 0x01
	capCBOR = 0x04
	capNMSG = 0x08 // no CTAP1/U2F MSG

	// messageTimeout bounds the wait for a message's continuation packets.
	messageTimeout = 500 * time.Millisecond
)

// CTAPHID is the HID transport in front of a Software core. Feed it the
// host's output reports with HandleReport; it sends input reports through
// send. CBOR requests run one at a time, answered with keep-alives while the
// core waits for a touch, and can be cancelled.
type CTAPHID struct {
	core *Software
	send func(report []byte) error

	mu       sync.Mutex
	channels map[uint32]bool
	// assembling is the message being reassembled, if any.
	assembling *hidMessage
	// busy is the channel with a CBOR request in progress; cancel stops it.
	busy   uint32
	cancel context.CancelFunc
	closed bool
}

type hidMessage struct {
	cid     uint32
	cmd     byte
	want    int
	data    []byte
	nextSeq byte
	started time.Time
}

// NewCTAPHID puts a HID transport in front of core.
func NewCTAPHID(core *Software, send func(report []byte) error) *CTAPHID {
	return &CTAPHID{core: core, send: send, channels: map[uint32]bool{}}
}

// Close aborts a request in progress (the device is going away).
func (h *CTAPHID) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	if h.cancel != nil {
		h.cancel()
	}
}

// HandleReport processes one output report from the host. A report with a
// leading zero report id (65 bytes, as hidraw writes arrive through uhid) is
// accepted too.
func (h *CTAPHID) HandleReport(report []byte) {
	if len(report) == reportSize+1 && report[0] == 0 {
		report = report[1:]
	}
	if len(report) < 5 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	cid := binary.BigEndian.Uint32(report[0:4])
	if report[4]&0x80 != 0 {
		h.initPacket(cid, report)
		return
	}
	h.contPacket(cid, report[4], report[5:])
}

func (h *CTAPHID) initPacket(cid uint32, report []byte) {
	cmd := report[4]
	if len(report) < 7 {
		h.writeError(cid, hidErrInvalidLen)
		return
	}
	n := int(binary.BigEndian.Uint16(report[5:7]))
	switch {
	case cmd == hidCancel:
		// CANCEL has no answer of its own: the cancelled request answers.
		if h.busy == cid && h.cancel != nil {
			h.cancel()
		}
		return
	case cmd == hidInit:
		// INIT resynchronises: it drops a half-received message.
		if h.assembling != nil && h.assembling.cid == cid {
			h.assembling = nil
		}
	case h.assembling != nil && h.assembling.cid != cid && time.Since(h.assembling.started) < messageTimeout:
		h.writeError(cid, hidErrChannelBusy)
		return
	case h.assembling != nil && h.assembling.cid == cid:
		h.assembling = nil
		h.writeError(cid, hidErrInvalidSeq)
		return
	}
	if n > maxMessage {
		h.writeError(cid, hidErrInvalidLen)
		return
	}
	payload := report[7:]
	if len(payload) > n {
		payload = payload[:n]
	}
	m := &hidMessage{cid: cid, cmd: cmd, want: n, data: append([]byte(nil), payload...), started: time.Now()}
	if len(m.data) == n {
		h.dispatch(m)
		return
	}
	h.assembling = m
}

func (h *CTAPHID) contPacket(cid uint32, seq byte, payload []byte) {
	m := h.assembling
	if m == nil || m.cid != cid {
		return // a stray continuation is ignored, as the spec allows
	}
	if seq != m.nextSeq || time.Since(m.started) > messageTimeout {
		h.assembling = nil
		code := byte(hidErrInvalidSeq)
		if seq == m.nextSeq {
			code = hidErrMsgTimeout
		}
		h.writeError(cid, code)
		return
	}
	m.nextSeq++
	rest := m.want - len(m.data)
	if len(payload) > rest {
		payload = payload[:rest]
	}
	m.data = append(m.data, payload...)
	if len(m.data) == m.want {
		h.assembling = nil
		h.dispatch(m)
	}
}

// dispatch handles a complete message. The caller holds h.mu.
func (h *CTAPHID) dispatch(m *hidMessage) {
	if m.cid == 0 || (m.cid == broadcastCID && m.cmd != hidInit) {
		h.writeError(m.cid, hidErrInvalidChannel)
		return
	}
	if m.cid != broadcastCID && !h.channels[m.cid] {
		h.writeError(m.cid, hidErrInvalidChannel)
		return
	}
	switch m.cmd {
	case hidInit:
		if len(m.data) != 8 {
			h.writeError(m.cid, hidErrInvalidLen)
			return
		}
		cid := m.cid
		if cid == broadcastCID {
			cid = h.newChannel()
		}
		resp := append(append([]byte{}, m.data...), 0, 0, 0, 0, 2, 1, 0, 0, capWink|capCBOR|capNMSG)
		binary.BigEndian.PutUint32(resp[8:12], cid)
		h.writeMessage(m.cid, hidInit, resp)
	case hidPing:
		h.writeMessage(m.cid, hidPing, m.data)
	case hidWink:
		h.writeMessage(m.cid, hidWink, nil)
	case hidCBOR:
		if h.busy != 0 {
			h.writeError(m.cid, hidErrChannelBusy)
			return
		}
		if len(m.data) == 0 {
			h.writeError(m.cid, hidErrInvalidLen)
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		h.busy, h.cancel = m.cid, cancel
		go h.runCBOR(ctx, m.cid, m.data)
	default:
		h.writeError(m.cid, hidErrInvalidCmd)
	}
}

func (h *CTAPHID) newChannel() uint32 {
	for {
		var b [4]byte
		_, _ = rand.Read(b[:])
		cid := binary.BigEndian.Uint32(b[:])
		if cid != 0 && cid != broadcastCID && !h.channels[cid] {
			h.channels[cid] = true
			return cid
		}
	}
}

// runCBOR runs a CTAP2 request on the core, sending keep-alives every 100 ms
// until it answers (CTAP 2.1 §11.2.9.1.5).
func (h *CTAPHID) runCBOR(ctx context.Context, cid uint32, msg []byte) {
	done := make(chan []byte, 1)
	go func() { done <- h.core.Transact(ctx, msg) }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case resp := <-done:
			h.mu.Lock()
			h.busy, h.cancel = 0, nil
			if !h.closed {
				h.writeMessage(cid, hidCBOR, resp)
			}
			h.mu.Unlock()
			return
		case <-tick.C:
			h.mu.Lock()
			if !h.closed {
				h.writeMessage(cid, hidKeepalive, []byte{keepaliveUPNeeded})
			}
			h.mu.Unlock()
		}
	}
}

func (h *CTAPHID) writeError(cid uint32, code byte) {
	h.writeMessage(cid, hidError, []byte{code})
}

// writeMessage fragments a message into reports. The caller holds h.mu, so
// a message's packets are never interleaved with another's.
func (h *CTAPHID) writeMessage(cid uint32, cmd byte, data []byte) {
	for _, r := range Fragment(cid, cmd, data) {
		if h.send(r) != nil {
			return
		}
	}
}

// Fragment splits a CTAPHID message into 64-byte reports.
func Fragment(cid uint32, cmd byte, data []byte) [][]byte {
	var out [][]byte
	r := make([]byte, reportSize)
	binary.BigEndian.PutUint32(r[0:4], cid)
	r[4] = cmd
	binary.BigEndian.PutUint16(r[5:7], uint16(len(data)))
	n := copy(r[7:], data)
	out = append(out, r)
	for seq := byte(0); n < len(data); seq++ {
		r = make([]byte, reportSize)
		binary.BigEndian.PutUint32(r[0:4], cid)
		r[4] = seq
		n += copy(r[5:], data[n:])
		out = append(out, r)
	}
	return out
}
