package provider

import (
	"context"
	"crypto/rand"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// securityKeyPINEphemeral is entra_security_key_pin: a random PIN for a
// key being handed out, which exists only for the run that sets it on the
// key and hands it to a secret store, both through write-only arguments.
type securityKeyPINEphemeral struct{}

type securityKeyPINModel struct {
	Length types.Int64  `tfsdk:"length"`
	PIN    types.String `tfsdk:"pin"`
}

const (
	defaultPINLength = 8
	// maxPINLength keeps a PIN one can type; CTAP allows 63 bytes.
	maxPINLength = 32
)

func newSecurityKeyPINEphemeral() ephemeral.EphemeralResource { return &securityKeyPINEphemeral{} }

func (e *securityKeyPINEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_key_pin"
}

func (e *securityKeyPINEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = eschema.Schema{
		MarkdownDescription: "A random numeric PIN for a security key handed out to a user, for `entra_security_key`'s `pin_wo` and a secret store's write-only argument in the same run. " +
			"Ephemeral: a new PIN each run, never in plan or state. PINs of one digit repeated or of consecutive digits are never drawn.",
		Attributes: map[string]eschema.Attribute{
			"length": eschema.Int64Attribute{Optional: true,
				MarkdownDescription: "How many digits, 6 to 32. Default 8; set it to at least the minimum PIN length your keys enforce.",
				Validators:          []validator.Int64{int64validator.Between(6, maxPINLength)}},
			"pin": eschema.StringAttribute{Computed: true, Sensitive: true, MarkdownDescription: "The PIN."},
		},
	}
}

func (e *securityKeyPINEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m securityKeyPINModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	n := defaultPINLength
	if !m.Length.IsNull() {
		n = int(m.Length.ValueInt64())
	}
	pin, err := randomPIN(n)
	if err != nil {
		resp.Diagnostics.AddError("No random PIN", err.Error())
		return
	}
	m.PIN = types.StringValue(pin)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

// randomPIN draws n digits from the system's random source until they are
// not trivial: one digit repeated, or a run up or down.
func randomPIN(n int) (string, error) {
	for {
		b := make([]byte, n)
		for i := range b {
			d, err := rand.Int(rand.Reader, big.NewInt(10))
			if err != nil {
				return "", err
			}
			b[i] = '0' + byte(d.Int64())
		}
		if !trivialPIN(b) {
			return string(b), nil
		}
	}
}

func trivialPIN(b []byte) bool {
	same, up, down := true, true, true
	for i := 1; i < len(b); i++ {
		same = same && b[i] == b[i-1]
		up = up && b[i] == '0'+(b[i-1]-'0'+1)%10
		down = down && b[i] == '0'+(b[i-1]-'0'+9)%10
	}
	return same || up || down
}
