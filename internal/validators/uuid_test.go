package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestUUID(t *testing.T) {
	cases := []struct {
		v       validator.String
		in      string
		wantErr string
	}{
		{UUID("an AAGUID"), "cb69481e-8ff7-4039-93ec-0a2729a154a8", ""},
		{UUID("an AAGUID"), "CB69481E-8FF7-4039-93EC-0A2729A154A8", ""},
		{UUID("an AAGUID"), "cb69481e8ff7403993ec0a2729a154a8", `"cb69481e8ff7403993ec0a2729a154a8" is not an AAGUID`},
		{UUID("an AAGUID"), "all_users", `"all_users" is not an AAGUID`},
		{TargetID(), "all_users", ""},
		{TargetID(), "everyone", `or "all_users"`},
	}
	for _, c := range cases {
		resp := &validator.StringResponse{}
		c.v.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("x"), ConfigValue: types.StringValue(c.in),
		}, resp)
		if c.wantErr == "" {
			if resp.Diagnostics.HasError() {
				t.Errorf("%q: unexpected error %v", c.in, resp.Diagnostics)
			}
			continue
		}
		if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), c.wantErr) {
			t.Errorf("%q: want error containing %q, got %v", c.in, c.wantErr, resp.Diagnostics)
		}
	}
}
