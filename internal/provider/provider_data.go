package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// What every resource and data source gets from the provider's Configure,
// and how they report a failed Graph call.

// configureData extracts the provider's data in a Configure call; nil before
// the provider is configured (during validation).
func configureData(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T", data))
	}
	return d
}

// configureClient is configureData for those that need only Graph.
func configureClient(data any, diags *diag.Diagnostics) *graph.Client {
	if d := configureData(data, diags); d != nil {
		return d.graph
	}
	return nil
}

// graphDataSource gives a data source the provider's Graph client.
type graphDataSource struct {
	client *graph.Client
}

func (d *graphDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

// deleteError reports a failed delete of what; an object already gone
// counts as deleted.
func deleteError(diags *diag.Diagnostics, what string, err error) {
	if err != nil && !graph.IsNotFound(err) {
		graphError(diags, "deleting "+what, err)
	}
}

// graphError reports a failed Graph call with Graph's own message, and what
// to do when Graph kept throttling past the retry budget.
func graphError(diags *diag.Diagnostics, action string, err error) {
	detail := err.Error()
	if graph.IsThrottled(err) {
		detail += "\n\nGraph kept throttling the tenant beyond the provider's retry budget (5 minutes per request). " +
			"Apply again later, or with a lower -parallelism."
	}
	diags.AddError("Microsoft Graph: "+action+" failed", detail)
}
