package provider

import "github.com/hashicorp/terraform-plugin-framework/datasource"

// The entra_temporary_access_pass_policy data source reads the policy as the
// resource does (readTAPPolicy), every attribute computed.
func newTemporaryAccessPassPolicyDataSource() datasource.DataSource {
	return &policyDataSource[tapPolicyModel]{name: tapPolicy, attributes: tapPolicySchema.Attributes, read: readTAPPolicy,
		description: "Reads the tenant's Temporary Access Pass (TAP) method policy: whether passes may be issued, their lifetimes and length, and who may use them."}
}
