package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Discovery for terraform query: a list resource for each type of a user's
// method, all alike. Who may hold one comes from the registration report
// (a request per page of users, not per user), a group, or named users;
// then each such user's methods of the type are read. Each result carries
// the identity an import block needs and, when asked, the state that
// -generate-config-out writes configuration from.

// methodDiscovery is one type's row.
type methodDiscovery struct {
	typeName string // after "entra_"
	what     string // "FIDO2 registration"
	// reportNames are the registration report's names for the method
	// (graph-behaviour.md#finding-methods-across-a-tenant); none means the
	// report cannot say who holds one, and every user is read.
	reportNames []string
	find        func(ctx context.Context, c *graph.Client, user string) ([]foundMethod, error)
}

// plural names the type's methods in the plural.
func (d methodDiscovery) plural() string {
	if strings.HasSuffix(d.what, "s") {
		return d.what + "es"
	}
	return d.what + "s"
}

// foundMethod is one method a user holds: its id, a name for the query's
// output, and the resource state an import of it reads.
type foundMethod struct {
	user, id, name string
	state          func(context.Context, *tfsdk.Resource) diag.Diagnostics
}

func setModel(m any) func(context.Context, *tfsdk.Resource) diag.Diagnostics {
	return func(ctx context.Context, r *tfsdk.Resource) diag.Diagnostics { return r.Set(ctx, m) }
}

var methodDiscoveries = append([]methodDiscovery{
	{typeName: "fido2_method", what: "FIDO2 registration",
		// Security keys are "fido2" in the reference's examples; newer
		// reports name passkeys by where they are kept.
		reportNames: []string{"fido2", "passKeyDeviceBound", "passKeyDeviceBoundAuthenticator", "passKeyDeviceBoundWindowsHello", "passKeySynced"},
		find: func(ctx context.Context, c *graph.Client, user string) ([]foundMethod, error) {
			methods, err := c.ListFido2Methods(ctx, user)
			return foundEach(methods, func(g graph.Fido2Method) foundMethod {
				var m fido2MethodModel
				m.fill(&g)
				m.UserID = types.StringValue(user)
				return foundMethod{user, g.ID, fmt.Sprintf("%s (%s)", g.DisplayName, g.Model), setModel(&m)}
			}), err
		}},
	// Temporary Access Passes are not among the report's values, and live
	// for hours while the report trails by up to a day: every user is read.
	{typeName: "temporary_access_pass", what: "Temporary Access Pass",
		find: func(ctx context.Context, c *graph.Client, user string) ([]foundMethod, error) {
			passes, err := c.ListTemporaryAccessPasses(ctx, user)
			return foundEach(passes, func(g graph.TemporaryAccessPass) foundMethod {
				m := tapModel{TemporaryAccessPass: types.StringNull()}
				m.fill(&g)
				m.UserID = types.StringValue(user)
				return foundMethod{user, g.ID, "Temporary Access Pass from " + m.StartDateTime.ValueString(), setModel(&m)}
			}), err
		}},
	{typeName: "phone_method", what: "phone", reportNames: []string{"mobilePhone", "alternateMobilePhone", "officePhone"},
		find: func(ctx context.Context, c *graph.Client, user string) ([]foundMethod, error) {
			phones, err := c.ListPhoneMethods(ctx, user)
			return foundEach(phones, func(g graph.PhoneMethod) foundMethod {
				m := phoneMethodModel{ID: types.StringValue(g.ID), UserID: types.StringValue(user), SmsSignInEnabled: types.BoolNull()}
				m.fill(&g)
				return foundMethod{user, g.ID, g.PhoneType + " phone", setModel(&m)}
			}), err
		}},
	{typeName: "email_method", what: "email method", reportNames: []string{"email"},
		find: func(ctx context.Context, c *graph.Client, user string) ([]foundMethod, error) {
			emails, err := c.ListEmailMethods(ctx, user)
			return foundEach(emails, func(g graph.EmailMethod) foundMethod {
				m := emailMethodModel{UserID: types.StringValue(user)}
				m.fill(&g)
				return foundMethod{user, g.ID, "email method", setModel(&m)}
			}), err
		}},
}, registeredDiscoveries()...)

// registeredDiscoveries are the rows of the methods users register
// themselves, one per registeredKinds row.
func registeredDiscoveries() []methodDiscovery {
	names := map[string][]string{
		"microsoftAuthenticatorMethods":  {"microsoftAuthenticatorPush", "microsoftAuthenticatorPasswordless", "passKeyDeviceBoundAuthenticator"},
		"softwareOathMethods":            {"softwareOneTimePasscode"},
		"windowsHelloForBusinessMethods": {"windowsHelloForBusiness", "passKeyDeviceBoundWindowsHello"},
		"platformCredentialMethods":      {"macOsSecureEnclaveKey", "platformCredential"},
	}
	var out []methodDiscovery
	for _, k := range registeredKinds {
		out = append(out, methodDiscovery{typeName: k.typeName, what: k.title, reportNames: names[k.collection],
			find: func(ctx context.Context, c *graph.Client, user string) ([]foundMethod, error) {
				methods, err := c.ListUserMethods(ctx, user, k.collection)
				return foundEach(methods, func(props map[string]json.RawMessage) foundMethod {
					var id, name string
					_ = json.Unmarshal(props["id"], &id)
					_ = json.Unmarshal(props["displayName"], &name)
					return foundMethod{user, id, strings.TrimSpace(k.title + " " + name), func(ctx context.Context, r *tfsdk.Resource) diag.Diagnostics {
						diags := r.SetAttribute(ctx, path.Root("id"), id)
						diags.Append(r.SetAttribute(ctx, path.Root("user_id"), user)...)
						diags.Append(k.setProperties(ctx, props, r.SetAttribute)...)
						return diags
					}}
				}), err
			}})
	}
	return out
}

func foundEach[T any](items []T, f func(T) foundMethod) []foundMethod {
	out := make([]foundMethod, 0, len(items))
	for _, item := range items {
		out = append(out, f(item))
	}
	return out
}

func listResources() []func() list.ListResource {
	return factories(methodDiscoveries, func(d methodDiscovery) list.ListResource { return &methodList{d: d} })
}

// methodList is the list resource of one methodDiscovery row.
type methodList struct {
	d      methodDiscovery
	client *graph.Client
}

var (
	_ list.ListResourceWithConfigure      = (*methodList)(nil)
	_ list.ListResourceWithValidateConfig = (*methodList)(nil)
)

type methodListConfig struct {
	UserIDs types.List   `tfsdk:"user_ids"`
	GroupID types.String `tfsdk:"group_id"`
	Source  types.String `tfsdk:"source"`
}

const (
	sourceReport = "report"
	sourceUsers  = "users"
)

func (l *methodList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + l.d.typeName
}

func (l *methodList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (l *methodList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	sources := []string{sourceUsers}
	how := fmt.Sprintf("only `%s`: every user's (or the group's users') %s are read, a request per user, since the registration report does not list them.", sourceUsers, l.d.plural())
	if l.d.reportNames != nil {
		sources = append(sources, sourceReport)
		how = fmt.Sprintf("`%s` (default): only the users the authentication methods registration report says registered one are read, "+
			"which needs AuditLog.Read.All and Microsoft Entra ID P1 or P2, and misses methods registered since the report was last updated; "+
			"`%s`: every user's (or the group's users') methods are read, a request per user.", sourceReport, sourceUsers)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Finds every %s in the tenant, a group or a set of users, for `terraform query` to write import blocks and configuration for. "+
			"Each result's identity is the user's object id and the method's id.", l.d.what),
		Attributes: map[string]schema.Attribute{
			"user_ids": schema.ListAttribute{ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Search these users only (object ids or user principal names)."},
			"group_id": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Search the users of this group, members directly or through nested groups."},
			"source": schema.StringAttribute{Optional: true,
				MarkdownDescription: "How the users to read are chosen when `user_ids` is not set: " + how,
				Validators:          []validator.String{stringvalidator.OneOf(sources...)}},
		},
	}
}

func (l *methodList) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var cfg methodListConfig
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !cfg.UserIDs.IsNull() && !cfg.GroupID.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("group_id"), "Conflicting search scope",
			"Set user_ids or group_id, not both: user_ids names the users to search, group_id a group whose users are searched.")
	}
	if !cfg.UserIDs.IsNull() && !cfg.Source.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("source"), "source has no effect with user_ids",
			"The users in user_ids are read directly; source chooses how users are found otherwise. Remove one of them.")
	}
}

func (l *methodList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg methodListConfig
	diags := req.Config.Get(ctx, &cfg)
	var found []foundMethod
	if !diags.HasError() {
		found = l.discover(ctx, cfg, &diags)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i, f := range found {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = f.name
			result.Diagnostics.Append(result.Identity.Set(ctx, userMethodIdentity{UserID: types.StringValue(f.user), ID: types.StringValue(f.id)})...)
			if req.IncludeResource {
				result.Diagnostics.Append(f.state(ctx, result.Resource)...)
			}
			if !push(result) {
				return
			}
		}
	}
}

// discover finds the users to read, then reads each one's methods of the
// type, a few users at a time.
func (l *methodList) discover(ctx context.Context, cfg methodListConfig, diags *diag.Diagnostics) []foundMethod {
	users := l.users(ctx, cfg, diags)
	if diags.HasError() {
		return nil
	}
	found := make([][]foundMethod, len(users))
	errs := make([]error, len(users))
	var wg sync.WaitGroup
	sem := make(chan struct{}, discoveryParallelism)
	for i, user := range users {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			found[i], errs[i] = l.d.find(ctx, l.client, user)
		}()
	}
	wg.Wait()
	var out []foundMethod
	for i, user := range users {
		switch {
		case graph.IsNotFound(errs[i]) && cfg.UserIDs.IsNull():
			// Deleted since the report or the member list named them.
		case errs[i] != nil:
			graphError(diags, fmt.Sprintf("listing the %s of %s", l.d.plural(), user), errs[i])
			return nil
		default:
			out = append(out, found[i]...)
		}
	}
	return out
}

// discoveryParallelism is how many users' methods are read at once: enough
// to hide Graph's latency, few enough to stay clear of its throttling.
const discoveryParallelism = 8

// users are the users whose methods discover reads.
func (l *methodList) users(ctx context.Context, cfg methodListConfig, diags *diag.Diagnostics) []string {
	if !cfg.UserIDs.IsNull() {
		var users []string
		diags.Append(cfg.UserIDs.ElementsAs(ctx, &users, false)...)
		return users
	}
	var scope []string
	var err error
	if !cfg.GroupID.IsNull() {
		scope, err = l.client.ListGroupUserIDs(ctx, cfg.GroupID.ValueString())
		if err != nil {
			graphError(diags, "listing the users of group "+cfg.GroupID.ValueString(), err)
			return nil
		}
	}
	if l.d.reportNames == nil || cfg.Source.ValueString() == sourceUsers {
		if scope == nil && cfg.GroupID.IsNull() {
			if scope, err = l.client.ListUserIDs(ctx); err != nil {
				graphError(diags, "listing the tenant's users", err)
			}
		}
		return scope
	}
	holders, err := l.client.UsersRegistering(ctx, l.d.reportNames)
	if err != nil {
		diags.AddError("Cannot read the registration report",
			fmt.Sprintf("Finding who holds a %s reads Graph's authentication methods registration report, which needs AuditLog.Read.All and "+
				"Microsoft Entra ID P1 or P2 (Graph: %v). Set source = \"users\" to read every user's methods instead, a request per user.", l.d.what, err))
		return nil
	}
	if !cfg.GroupID.IsNull() {
		holders = slices.DeleteFunc(holders, func(id string) bool {
			return !slices.ContainsFunc(scope, func(s string) bool { return strings.EqualFold(s, id) })
		})
	}
	return holders
}
