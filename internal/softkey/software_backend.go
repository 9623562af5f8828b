package softkey

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
)

// SoftwarePathPrefix marks a software key's device path.
const SoftwarePathPrefix = "software:"

// SoftwareBackend treats each state file (*.json) in a directory as an
// attached software key.
type SoftwareBackend struct {
	Dir string
}

// Ready: a software backend needs nothing installed.
func (SoftwareBackend) Ready() error { return nil }

func (b SoftwareBackend) Devices(ctx context.Context) ([]authenticator.Device, error) {
	files, err := filepath.Glob(filepath.Join(b.Dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []authenticator.Device
	for _, f := range files {
		a, err := b.Open(ctx, SoftwarePathPrefix+f)
		if err != nil {
			return nil, err
		}
		d, err := a.Info(ctx)
		a.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, *d)
	}
	return out, nil
}

func (b SoftwareBackend) Open(_ context.Context, path string) (authenticator.Authenticator, error) {
	file, ok := strings.CutPrefix(path, SoftwarePathPrefix)
	if !ok {
		return nil, fmt.Errorf("%q is not a software authenticator path (%s<file>)", path, SoftwarePathPrefix)
	}
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("%w: %s", authenticator.ErrNoDevice, err)
	}
	s, err := OpenSoftware(file)
	if err != nil {
		return nil, err
	}
	return &ctapClient{path: path, product: s.state.Product, transact: func(ctx context.Context, msg []byte) ([]byte, error) {
		return s.Transact(ctx, msg), nil
	}}, nil
}
