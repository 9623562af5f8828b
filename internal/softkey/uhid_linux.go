package softkey

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync"
)

// Linux uhid (include/uapi/linux/uhid.h): a process creates a HID device by
// writing events to /dev/uhid; the kernel gives it a hidraw node, which
// libfido2 opens like any security key.

const (
	uhidDestroy = 1
	uhidOutput  = 6
	uhidCreate2 = 11
	uhidInput2  = 12

	uhidEventSize = 4 + 4372 // type + the largest member, create2
	busUSB        = 0x03
)

// fidoReportDescriptor declares a FIDO device (usage page 0xF1D0) with
// 64-byte input and output reports.
var fidoReportDescriptor = []byte{
	0x06, 0xd0, 0xf1, // usage page (FIDO alliance)
	0x09, 0x01, // usage (CTAPHID)
	0xa1, 0x01, // collection (application)
	0x09, 0x20, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x40, 0x81, 0x02, // input: data in, 64 bytes
	0x09, 0x21, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x40, 0x91, 0x02, // output: data out, 64 bytes
	0xc0, // end collection
}

// UHIDDevice is a Software authenticator attached as a kernel HID device.
type UHIDDevice struct {
	f    *os.File
	hid  *CTAPHID
	mu   sync.Mutex // serialises writes to /dev/uhid
	done chan struct{}
}

// AttachUHID creates a HID device for core through /dev/uhid.
func AttachUHID(core *Software, name string, vendor, product uint32) (*UHIDDevice, error) {
	f, err := os.OpenFile("/dev/uhid", os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	d := &UHIDDevice{f: f, done: make(chan struct{})}
	d.hid = NewCTAPHID(core, d.input)
	ev := make([]byte, uhidEventSize)
	binary.LittleEndian.PutUint32(ev[0:4], uhidCreate2)
	u := ev[4:]
	copy(u[0:128], name)
	copy(u[128:192], "entra-test/uhid")
	binary.LittleEndian.PutUint16(u[256:258], uint16(len(fidoReportDescriptor)))
	binary.LittleEndian.PutUint16(u[258:260], busUSB)
	binary.LittleEndian.PutUint32(u[260:264], vendor)
	binary.LittleEndian.PutUint32(u[264:268], product)
	copy(u[276:], fidoReportDescriptor)
	if _, err := f.Write(ev); err != nil {
		f.Close()
		return nil, fmt.Errorf("creating the uhid device: %w", err)
	}
	go d.loop()
	return d, nil
}

// loop reads the kernel's events and hands output reports to CTAPHID.
func (d *UHIDDevice) loop() {
	defer close(d.done)
	buf := make([]byte, uhidEventSize)
	for {
		n, err := d.f.Read(buf)
		if err != nil || n < 4 {
			return
		}
		if binary.LittleEndian.Uint32(buf[0:4]) != uhidOutput {
			continue
		}
		// output: data[4096], size u16, rtype u8
		size := int(binary.LittleEndian.Uint16(buf[4+4096 : 4+4098]))
		if size > 4096 {
			continue
		}
		d.hid.HandleReport(append([]byte(nil), buf[4:4+size]...))
	}
}

// input sends one input report to the host.
func (d *UHIDDevice) input(report []byte) error {
	ev := make([]byte, 4+2+4096)
	binary.LittleEndian.PutUint32(ev[0:4], uhidInput2)
	binary.LittleEndian.PutUint16(ev[4:6], uint16(len(report)))
	copy(ev[6:], report)
	d.mu.Lock()
	defer d.mu.Unlock()
	_, err := d.f.Write(ev)
	return err
}

// Destroy unplugs the device: the kernel removes its hidraw node.
func (d *UHIDDevice) Destroy() error {
	d.hid.Close()
	ev := make([]byte, uhidEventSize)
	binary.LittleEndian.PutUint32(ev[0:4], uhidDestroy)
	d.mu.Lock()
	_, err := d.f.Write(ev)
	d.mu.Unlock()
	d.f.Close()
	<-d.done
	return err
}
