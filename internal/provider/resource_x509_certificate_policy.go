package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

type x509PolicyModel struct {
	ID                        types.String `tfsdk:"id"`
	State                     types.String `tfsdk:"state"`
	CertificateUserBindings   types.Set    `tfsdk:"certificate_user_bindings"`
	DefaultAuthenticationMode types.String `tfsdk:"default_authentication_mode"`
	DefaultAffinityLevel      types.String `tfsdk:"default_affinity_level"`
	Rules                     types.Set    `tfsdk:"authentication_mode_rules"`
	policyTargets
	targetNames
}

type certificateBindingModel struct {
	CertificateField   types.String `tfsdk:"certificate_field"`
	UserProperty       types.String `tfsdk:"user_property"`
	Priority           types.Int64  `tfsdk:"priority"`
	TrustAffinityLevel types.String `tfsdk:"trust_affinity_level"`
}

type certificateRuleModel struct {
	Type               types.String `tfsdk:"type"`
	Identifier         types.String `tfsdk:"identifier"`
	AuthenticationMode types.String `tfsdk:"authentication_mode"`
	AffinityLevel      types.String `tfsdk:"affinity_level"`
}

var (
	certificateBindingAttrs = map[string]attr.Type{"certificate_field": types.StringType, "user_property": types.StringType,
		"priority": types.Int64Type, "trust_affinity_level": types.StringType}
	certificateRuleAttrs = map[string]attr.Type{"type": types.StringType, "identifier": types.StringType,
		"authentication_mode": types.StringType, "affinity_level": types.StringType}
	// certificateFieldAffinity is each certificate field's trust affinity, as
	// Microsoft documents certificate-based authentication: a field its holder
	// cannot choose binds with high affinity.
	certificateFieldAffinity = map[string]string{"PrincipalName": "low", "RFC822Name": "low", "IssuerAndSubject": "low", "Subject": "low",
		"SubjectKeyIdentifier": "high", "SHA1PublicKey": "high", "IssuerAndSerialNumber": "high"}
	certificateModes = []string{"x509CertificateSingleFactor", "x509CertificateMultiFactor"}
	affinityLevels   = []string{"low", "high"}
)

var x509PolicySchema = schema.Schema{
	MarkdownDescription: "The tenant's certificate-based authentication (X.509) method policy: how a certificate is bound to a user " +
		"(certificate field to user property, with its trust affinity), whether certificates count as one factor or two, by default and by issuer or policy. " +
		adoptionDescription,
	Attributes: map[string]schema.Attribute{
		"id":    idAttribute(graph.X509CertificateID),
		"state": stateAttribute("certificates"),
		"certificate_user_bindings": schema.SetNestedAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "How a certificate finds its user, tried by `priority`. Unset: the tenant's bindings are kept " +
				"(Microsoft's default: `PrincipalName` and `RFC822Name` to `userPrincipalName`, `SubjectKeyIdentifier` to `certificateUserIds`).",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"certificate_field": schema.StringAttribute{Required: true, MarkdownDescription: "The certificate field: " + codeList(slices.Sorted(maps.Keys(certificateFieldAffinity))) + ".",
					Validators: []validator.String{stringvalidator.OneOf(slices.Sorted(maps.Keys(certificateFieldAffinity))...)}},
				"user_property": schema.StringAttribute{Required: true, MarkdownDescription: "`userPrincipalName`, `onPremisesUserPrincipalName` or `certificateUserIds`.",
					Validators: []validator.String{stringvalidator.OneOf("userPrincipalName", "onPremisesUserPrincipalName", "certificateUserIds")}},
				"priority": schema.Int64Attribute{Required: true, MarkdownDescription: "The order bindings are tried in, 1 first; each its own.",
					Validators: []validator.Int64{int64validator.AtLeast(1)}},
				"trust_affinity_level": schema.StringAttribute{Optional: true, Computed: true,
					MarkdownDescription: "`low` or `high`, which the field decides (high for `SubjectKeyIdentifier`, `SHA1PublicKey`, `IssuerAndSerialNumber`). Default: the field's.",
					Validators:          []validator.String{stringvalidator.OneOf(affinityLevels...)}},
			}},
		},
		"default_authentication_mode": schema.StringAttribute{Optional: true, Computed: true,
			MarkdownDescription: "`x509CertificateMultiFactor` or `x509CertificateSingleFactor`: whether a certificate alone satisfies MFA. Unset: the tenant's value is kept (Microsoft's default is single-factor).",
			Validators:          []validator.String{stringvalidator.OneOf(certificateModes...)}},
		"default_affinity_level": schema.StringAttribute{Optional: true, Computed: true,
			MarkdownDescription: "`low` or `high`: the binding affinity required by default. Unset: the tenant's value is kept (Microsoft's default is `low`).",
			Validators:          []validator.String{stringvalidator.OneOf(affinityLevels...)}},
		"authentication_mode_rules": schema.SetNestedAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "Exceptions to the default mode, by issuer or certificate policy. Unset: the tenant's rules are kept (Microsoft's default is none).",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"type": schema.StringAttribute{Required: true, MarkdownDescription: "`issuerSubject`, `policyOID` or `issuerSubjectAndPolicyOID`.",
					Validators: []validator.String{stringvalidator.OneOf("issuerSubject", "policyOID", "issuerSubjectAndPolicyOID")}},
				"identifier": schema.StringAttribute{Required: true, Validators: []validator.String{validators.NotBlank()},
					MarkdownDescription: "The issuer's subject, or the policy OID, the rule applies to."},
				"authentication_mode": schema.StringAttribute{Required: true, MarkdownDescription: "`x509CertificateMultiFactor` or `x509CertificateSingleFactor`.",
					Validators: []validator.String{stringvalidator.OneOf(certificateModes...)}},
				"affinity_level": schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "`low` (default) or `high`.",
					Validators: []validator.String{stringvalidator.OneOf(affinityLevels...)}},
			}},
		},
		"include_targets": includeTargetsAttribute(false),
		"exclude_targets": excludeTargetsAttribute(),
	},
}

// entra_x509_certificate_policy: the shared policy life cycle
// (common_policy.go) over this model.
func newX509CertificatePolicyResource() resource.Resource {
	return &policyResource[x509PolicyModel, *x509PolicyModel]{}
}

func newX509CertificatePolicyDataSource() datasource.DataSource {
	return &policyDataSource[x509PolicyModel, *x509PolicyModel]{}
}

func (*x509PolicyModel) policy() policyInfo {
	return policyInfo{typeName: "x509_certificate_policy", configID: graph.X509CertificateID, schema: x509PolicySchema,
		dataDescription: "Reads the tenant's certificate-based authentication policy: its bindings, modes and targets."}
}

func (m *x509PolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	return readInto(ctx, m, graph.X509CertificateID, c.GetX509CertificatePolicy, x509PolicyFromGraph, sp, diags)
}

func (m *x509PolicyModel) write(ctx context.Context, c *graph.Client, _, from *x509PolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	patchChanges(ctx, graph.X509CertificateID, m, from, (*x509PolicyModel).toGraph, c.UpdateX509CertificatePolicy, diags)
	return ids
}

func (m *x509PolicyModel) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := graph.DefaultX509CertificatePolicy()
	*m = *x509PolicyFromGraph(ctx, &defaults, sp, diags)
}

func (m *x509PolicyModel) toGraph(ctx context.Context, diags *diag.Diagnostics) graph.X509CertificatePolicy {
	p := graph.X509CertificatePolicy{State: m.State.ValueString(), CertificateUserBindings: []graph.CertificateUserBinding{},
		AuthenticationModeConfiguration: graph.CertificateAuthenticationModes{X509CertificateAuthenticationDefaultMode: m.DefaultAuthenticationMode.ValueString(),
			X509CertificateDefaultRequiredAffinityLevel: m.DefaultAffinityLevel.ValueString(), Rules: []graph.CertificateRule{}}}
	for _, b := range objectsOf[certificateBindingModel](ctx, m.CertificateUserBindings, diags) {
		p.CertificateUserBindings = append(p.CertificateUserBindings, graph.CertificateUserBinding{X509CertificateField: b.CertificateField.ValueString(),
			UserProperty: b.UserProperty.ValueString(), Priority: b.Priority.ValueInt64(), TrustAffinityLevel: b.TrustAffinityLevel.ValueString()})
	}
	for _, r := range objectsOf[certificateRuleModel](ctx, m.Rules, diags) {
		p.AuthenticationModeConfiguration.Rules = append(p.AuthenticationModeConfiguration.Rules, graph.CertificateRule{X509CertificateRuleType: r.Type.ValueString(),
			Identifier: r.Identifier.ValueString(), X509CertificateAuthenticationMode: r.AuthenticationMode.ValueString(), X509CertificateRequiredAffinityLevel: r.AffinityLevel.ValueString()})
	}
	p.IncludeTargets, p.ExcludeTargets = m.policyTargets.toGraph(ctx, diags)
	return p
}

func x509PolicyFromGraph(ctx context.Context, p *graph.X509CertificatePolicy, sp spelling, diags *diag.Diagnostics) *x509PolicyModel {
	bindings := make([]certificateBindingModel, len(p.CertificateUserBindings))
	for i, b := range p.CertificateUserBindings {
		bindings[i] = certificateBindingModel{CertificateField: types.StringValue(b.X509CertificateField), UserProperty: types.StringValue(b.UserProperty),
			Priority: types.Int64Value(b.Priority), TrustAffinityLevel: types.StringValue(b.TrustAffinityLevel)}
	}
	modes := p.AuthenticationModeConfiguration
	rules := make([]certificateRuleModel, len(modes.Rules))
	for i, r := range modes.Rules {
		rules[i] = certificateRuleModel{Type: types.StringValue(r.X509CertificateRuleType), Identifier: types.StringValue(r.Identifier),
			AuthenticationMode: types.StringValue(r.X509CertificateAuthenticationMode), AffinityLevel: types.StringValue(r.X509CertificateRequiredAffinityLevel)}
	}
	return &x509PolicyModel{ID: types.StringValue(graph.X509CertificateID), State: types.StringValue(p.State),
		CertificateUserBindings:   objectSet(ctx, certificateBindingAttrs, bindings, diags),
		DefaultAuthenticationMode: types.StringValue(modes.X509CertificateAuthenticationDefaultMode),
		DefaultAffinityLevel:      types.StringValue(modes.X509CertificateDefaultRequiredAffinityLevel),
		Rules:                     objectSet(ctx, certificateRuleAttrs, rules, diags),
		policyTargets:             policyTargetsFromGraph(ctx, p.IncludeTargets, p.ExcludeTargets, sp, diags)}
}

// validate checks the bindings: each priority its own, and an affinity that
// matches its field.
func (m *x509PolicyModel) validate(ctx context.Context, diags *diag.Diagnostics) {
	seen := map[int64]bool{}
	for _, b := range objectsOf[certificateBindingModel](ctx, m.CertificateUserBindings, diags) {
		if known(b.Priority) {
			if seen[b.Priority.ValueInt64()] {
				diags.AddAttributeError(path.Root("certificate_user_bindings"), "Duplicate binding priority",
					fmt.Sprintf("Two certificate_user_bindings have priority %d; each binding needs its own.", b.Priority.ValueInt64()))
			}
			seen[b.Priority.ValueInt64()] = true
		}
		if want := certificateFieldAffinity[b.CertificateField.ValueString()]; known(b.TrustAffinityLevel) && want != "" && b.TrustAffinityLevel.ValueString() != want {
			diags.AddAttributeError(path.Root("certificate_user_bindings"), "Trust affinity does not match the certificate field",
				fmt.Sprintf("A %s binding has %s trust affinity, not %s: leave trust_affinity_level unset, or set it to %q.",
					b.CertificateField.ValueString(), want, b.TrustAffinityLevel.ValueString(), want))
		}
	}
}

// adjustPlan fills unset defaults: a binding's affinity from its field, a
// rule's low affinity, the targets'.
func (m *x509PolicyModel) adjustPlan(_ context.Context, config, _ *x509PolicyModel) {
	m.CertificateUserBindings = mapElements(fromConfig(config.CertificateUserBindings, m.CertificateUserBindings), func(attrs map[string]attr.Value) {
		if field, ok := attrs["certificate_field"].(types.String); ok && known(field) {
			orDefault(attrs, "trust_affinity_level", types.StringValue(certificateFieldAffinity[field.ValueString()]))
		}
	})
	m.Rules = mapElements(fromConfig(config.Rules, m.Rules), func(attrs map[string]attr.Value) {
		orDefault(attrs, "affinity_level", types.StringValue("low"))
	})
	m.planTargets(config.policyTargets)
}

// weakenings warns where a certificate alone comes to satisfy MFA by
// default; no EIDSCA control covers certificates.
func (m *x509PolicyModel) weakenings(_ context.Context, prior *x509PolicyModel) []finding {
	if m.State.ValueString() != "enabled" || m.DefaultAuthenticationMode.ValueString() != "x509CertificateMultiFactor" ||
		(prior != nil && prior.DefaultAuthenticationMode.ValueString() == "x509CertificateMultiFactor") {
		return nil
	}
	return []finding{{"", `default_authentication_mode = "x509CertificateSingleFactor"`,
		"default_authentication_mode = \"x509CertificateMultiFactor\" lets a certificate alone satisfy MFA: where certificates can be copied off a device, both factors go with them. " +
			"Rules for issuers or policies of hardware-bound certificates are the narrower way."}}
}

// codeList writes values as a list of code spans.
func codeList(vs []string) string {
	out := ""
	for i, v := range vs {
		if i > 0 {
			out += ", "
		}
		out += "`" + v + "`"
	}
	return out
}
