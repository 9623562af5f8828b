package provider

import "github.com/hashicorp/terraform-plugin-framework/datasource"

// The entra_fido2_policy data source reads the policy as the resource does
// (readFido2Policy), every attribute computed.
func newFido2PolicyDataSource() datasource.DataSource {
	return &policyDataSource[fido2PolicyModel]{name: fido2Policy, attributes: fido2PolicySchema.Attributes, read: readFido2Policy,
		description: "Reads the tenant's FIDO2 (passkey) method policy: its passkey profiles, key restrictions, attestation rules and targets. " +
			"Useful to review a tenant before adopting it with `entra_fido2_policy`."}
}
