package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// temporaryAccessPassEphemeral issues a pass whose value goes to another
// resource's write-only argument or a provider's configuration without ever
// being written to a plan or state file.
type temporaryAccessPassEphemeral struct {
	client *graph.Client
}

var _ ephemeral.EphemeralResourceWithConfigure = (*temporaryAccessPassEphemeral)(nil)

func newTemporaryAccessPassEphemeral() ephemeral.EphemeralResource {
	return &temporaryAccessPassEphemeral{}
}

func (e *temporaryAccessPassEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_temporary_access_pass"
}

func (e *temporaryAccessPassEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = eschema.Schema{
		MarkdownDescription: "Issues a Temporary Access Pass for a user each time Terraform opens it (during plan and again during apply; each new pass replaces the user's previous one) " +
			"and hands its value on without writing it to plan or state files. Use it to give the pass to an onboarding system through a write-only argument. Requires Terraform 1.10 or later.",
		Attributes: ephemeralAttributes(tapAttributes(false)),
	}
}

func (e *temporaryAccessPassEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (e *temporaryAccessPassEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m tapModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkAgainstPolicy(ctx, e.client, &m.tapMetadata, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	issue(ctx, e.client, &m, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
	}
}
