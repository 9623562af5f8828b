package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/enrollment"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

// pinEnv is the environment variable a PIN can come from instead of pin_wo.
const pinEnv = "ENTRA_SECURITY_KEY_PIN"

// defaultTouchTimeout is how long to wait for a key to be attached and
// touched when touch_timeout is unset.
const defaultTouchTimeout = 2 * time.Minute

// challengeLifetime is how long a v1.0 creation options challenge stays
// valid: fixed at 5 minutes.
const challengeLifetime = 5 * time.Minute

type securityKeyModel struct {
	fido2MethodFields
	DevicePath       types.String `tfsdk:"device_path"`
	DeviceAAGUID     types.String `tfsdk:"device_aaguid"`
	DeviceProduct    types.String `tfsdk:"device_product"`
	PINWO            types.String `tfsdk:"pin_wo"`
	SetPINIfUnset    types.Bool   `tfsdk:"set_pin_if_unset"`
	ForcePINChange   types.Bool   `tfsdk:"force_pin_change"`
	ReplaceSameModel types.Bool   `tfsdk:"replace_same_model"`
	AttachInTurn     types.Bool   `tfsdk:"attach_in_turn"`
	TouchTimeout     types.String `tfsdk:"touch_timeout"`
	CredentialID     types.String `tfsdk:"credential_id"`
	Device           types.String `tfsdk:"device"`
}

// securityKeyResource is entra_security_key; what it shares with
// entra_fido2_method is in common_fido2_registration.go.
type securityKeyResource struct{ data *providerData }

var (
	_ resource.ResourceWithImportState = (*securityKeyResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*securityKeyResource)(nil)
)

func newSecurityKeyResource() resource.Resource { return &securityKeyResource{} }

func (r *securityKeyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_key"
}

func (r *securityKeyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *securityKeyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := fido2MethodAttributes()
	// A selector chooses the key to enrol. Changing a chosen one enrols
	// another key; writing one where none was chosen (after import, or
	// when one key was attached) only records it: the enrolled key is the
	// same, and a replacement would delete its registration.
	// Re-enrolment is an update, not a replacement: Terraform would revoke
	// the registration first, and a key that then cannot enrol (a wrong PIN,
	// no key attached) would leave the user with none (see Update).
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	attrs["user_id"] = userIDAttribute()
	attrs["display_name"] = schema.StringAttribute{Required: true,
		MarkdownDescription: "The name the user sees for the key, 1 to 30 characters. Graph cannot rename a registration: a change enrols the key again (see above).",
		Validators:          []validator.String{stringvalidator.LengthBetween(1, 30)}}
	attrs["device_path"] = schema.StringAttribute{Optional: true,
		MarkdownDescription: "Enrol the authenticator at this path (as `entra_attached_authenticators` lists it). Without a selector exactly one authenticator must be attached."}
	attrs["device_aaguid"] = schema.StringAttribute{Optional: true,
		MarkdownDescription: "Enrol the attached authenticator of this model (AAGUID).", Validators: []validator.String{validators.UUID("an AAGUID")}}
	attrs["device_product"] = schema.StringAttribute{Optional: true,
		MarkdownDescription: "Enrol the attached authenticator whose product name contains this text."}
	attrs["pin_wo"] = schema.StringAttribute{Optional: true, WriteOnly: true, Sensitive: true,
		MarkdownDescription: "The authenticator's PIN (write-only, Terraform 1.11+: never stored in plan or state). Else the `ENTRA_SECURITY_KEY_PIN` environment variable."}
	attrs["set_pin_if_unset"] = schema.BoolAttribute{Optional: true,
		MarkdownDescription: "Set the given PIN on an authenticator that has none (a fresh key). Default `false`: such a key is refused."}
	attrs["force_pin_change"] = schema.BoolAttribute{Optional: true,
		MarkdownDescription: "Once enrolled, have the key require a new PIN before its next use (CTAP 2.1 `forceChangePin`), so the user replaces a PIN they were handed " +
			"(a random one from `entra_security_key_pin`, say) with their own. A key that cannot (CTAP 2.0) is enrolled with a warning. Applies at enrolment only."}
	attrs["replace_same_model"] = schema.BoolAttribute{Optional: true,
		MarkdownDescription: "Once the new registration is in place, delete the user's other FIDO2 registrations of the enrolled key's model (AAGUID): for a key that " +
			"replaces a lost or re-issued one. The old ones go only after the new one is registered, so a failed enrolment leaves the user their key. " +
			"The plan lists the registrations that may go. Applies at enrolment only."}
	attrs["attach_in_turn"] = schema.BoolAttribute{Optional: true,
		MarkdownDescription: "Enrol through one port, one key after another: the enrolments that set this take turns, and each asks on the terminal for its user's key by name, " +
			"waiting for the key the previous one enrolled to be removed and the next to be attached (each wait within `touch_timeout`). For a batch of users with one key each. Applies at enrolment only."}
	attrs["touch_timeout"] = schema.StringAttribute{Optional: true,
		MarkdownDescription: "How long to wait for the authenticator to be attached and touched, as a Go duration such as `90s`, at most `5m` (the life of Graph's challenge). Default `2m`.",
		Validators:          []validator.String{validators.DurationAtMost(challengeLifetime, "Graph's registration challenge expires 5 minutes after it is issued, so a longer wait could only end in a refused registration")}}
	attrs["credential_id"] = schema.StringAttribute{Computed: true, PlanModifiers: keep,
		MarkdownDescription: "The new credential's id, base64url. Null after import."}
	attrs["device"] = schema.StringAttribute{Computed: true, PlanModifiers: keep,
		MarkdownDescription: "The path of the authenticator that was enrolled. Null after import."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Enrols a FIDO2 security key attached to the machine running Terraform for a user, during `terraform apply`: the provider asks Graph for WebAuthn creation options, " +
			"has the key make and attest a credential (touch it when asked), checks the attestation against the FIDO2 policy, and registers it. If any step fails nothing is registered " +
			"and the next apply starts again with a fresh challenge. Destroying the resource deletes the registration; the credential stays on the key. Keys are driven through libfido2, " +
			"or software authenticators (`software_authenticator_dir`) for tests and demos. Enrolments on one key in a run (`count`, `for_each`) take turns; " +
			"a wrong PIN is tried once per key per run and the key's other enrolments then fail at once, a key with few PIN attempts left is not tried " +
			"(`security_key_min_pin_retries`), and with `set_pin_if_unset` the first enrolment sets a fresh key's PIN for the rest. " +
			"Writing a device selector where none was chosen (after import, say) records it without a new enrolment.\n\n" +
			"**What enrols the key again:** a change of `user_id`, of `display_name` (Graph cannot rename a registration) or of a chosen device selector. " +
			"The plan says which registration of which user goes. It goes only once the new enrolment can go ahead: the key is attached and its PIN accepted. " +
			"A key holds one credential per user, so when the attached key is the one registered, its registration is revoked just before the new credential is made " +
			"(a second touch); with another key, or for another user, the new key is registered first and the old registration revoked after. " +
			"If the enrolment cannot go ahead, the old registration stays.",
		Attributes: attrs,
	}
}

// ModifyPlan refuses, at plan, an enrolment this machine cannot do: no
// libfido2 (with what to install), or software keys and a remote Graph.
func (r *securityKeyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var held []graph.Fido2Method
	if r.data != nil {
		held = planRegistration(ctx, r.data.graph, req, resp)
	}
	if req.Plan.Raw.IsNull() {
		return
	}
	var m securityKeyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if !req.State.Raw.IsNull() {
		var prior securityKeyModel
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		if why := reenrolment(&prior, &m); why != "" && !resp.Diagnostics.HasError() {
			planReenrolment(ctx, &prior, &m, why, resp)
			if r.data != nil {
				if err := r.data.keysReady(); err != nil {
					resp.Diagnostics.AddError("Security keys unavailable", err.Error())
				}
			}
		}
		return
	}
	if r.data == nil {
		return
	}
	if m.ReplaceSameModel.ValueBool() {
		warnReplaced(&m, held, &resp.Diagnostics)
	}
	if err := r.data.keysReady(); err != nil {
		resp.Diagnostics.AddError("Security keys unavailable", err.Error())
	}
}

// reenrolment says why a change enrols the key again; empty when it does
// not.
func reenrolment(prior, plan *securityKeyModel) string {
	chosen := func(was, now types.String) bool { return !was.IsNull() && !was.Equal(now) }
	switch {
	case !prior.UserID.Equal(plan.UserID):
		return "user_id changes"
	case !prior.DisplayName.Equal(plan.DisplayName):
		return "display_name changes, and Graph cannot rename a registration"
	case chosen(prior.DevicePath, plan.DevicePath), chosen(prior.DeviceAAGUID, plan.DeviceAAGUID), chosen(prior.DeviceProduct, plan.DeviceProduct):
		return "a chosen device selector changes"
	}
	return ""
}

// planReenrolment marks what a new enrolment decides as known after apply,
// and says in words which registration goes, and when.
func planReenrolment(ctx context.Context, prior, plan *securityKeyModel, why string, resp *resource.ModifyPlanResponse) {
	for _, name := range []string{"id", "aaguid", "model", "attestation_level", "passkey_type", "created_date_time", "credential_id", "device"} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("attestation_certificates"), types.ListUnknown(types.StringType))...)
	model := prior.Model.ValueString()
	if model == "" {
		model = "AAGUID " + prior.AAGUID.ValueString()
	}
	resp.Diagnostics.AddWarning("The security key is enrolled again, and the old registration revoked",
		fmt.Sprintf("%s: this apply enrols a key for %s as %q and revokes the FIDO2 registration %s %q (%s) of %s, "+
			"which then no longer signs them in. The revocation happens only once the new enrolment can go ahead: the key attached and its PIN accepted. "+
			"If the attached key is the one registered, it is revoked just before the new credential is made (touch the key twice); "+
			"otherwise the new key is registered first. If the enrolment cannot go ahead, the old registration stays.",
			why, plan.UserID.ValueString(), plan.DisplayName.ValueString(), prior.ID.ValueString(), prior.DisplayName.ValueString(), model, prior.UserID.ValueString()))
}

func (r *securityKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m securityKeyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if enrolled, _ := r.enrol(ctx, req.Config, &m, nil, &resp.Diagnostics); enrolled {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// enrol enrols the attached key for m's user and fills m. When it replaces
// prior's registration, that goes only once the new enrolment can go ahead:
// after the new one is registered, or, when the attached key holds prior's
// credential (Graph excludes it: a key holds one credential per user), once
// the key has answered so, which it does only after its PIN was accepted;
// the enrolment then starts again. It reports what failed and says whether
// the key was enrolled.
func (r *securityKeyResource) enrol(ctx context.Context, config tfsdk.Config, m, prior *securityKeyModel, diags *diag.Diagnostics) (enrolled, revoked bool) {
	var pin types.String // write-only: only in the configuration
	diags.Append(config.GetAttribute(ctx, path.Root("pin_wo"), &pin)...)
	if diags.HasError() {
		return false, revoked
	}
	if err := r.data.keysReady(); err != nil {
		diags.AddError("Security keys unavailable", err.Error())
		return false, revoked
	}
	timeout := defaultTouchTimeout
	if !m.TouchTimeout.IsNull() {
		timeout, _ = time.ParseDuration(m.TouchTimeout.ValueString()) // validated at plan
	}
	inTurn := m.AttachInTurn.ValueBool()
	if inTurn {
		r.data.turn.Lock()
		defer r.data.turn.Unlock()
	}
	waitCtx, cancelWait := context.WithTimeout(ctx, timeout)
	var dev *authenticator.Device
	var err error
	if inTurn {
		err = r.awaitNextKey(waitCtx, m.UserID.ValueString())
	}
	if err == nil {
		dev, err = r.selectDevice(waitCtx, m)
	}
	cancelWait()
	if inTurn && dev != nil {
		// Whatever becomes of this enrolment, the next one wants another key.
		r.data.turn.lastPath, r.data.turn.lastUser = dev.Path, m.UserID.ValueString()
	}
	if err != nil {
		diags.AddError(interruptedOr(ctx, "No security key to enrol"), err.Error())
		return false, revoked
	}
	// One enrolment at a time per key, queued without a time limit (each
	// waits for its own touch); what the key says is read again under the
	// lease, since another resource may just have set its PIN.
	lease, err := r.data.keys.Acquire(ctx, dev.Path)
	if err != nil {
		diags.AddError(interruptedOr(ctx, "The security key stayed busy"), err.Error())
		return false, revoked
	}
	defer lease.Release()
	// The key's own steps are bounded by touch_timeout; the registration,
	// and the look for it after a lost answer, by Terraform's context.
	keyCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	a, err := r.data.keys.Open(keyCtx, dev.Path)
	if err != nil {
		diags.AddError("Opening the security key failed", err.Error())
		return false, revoked
	}
	defer a.Close()
	info, err := a.Info(keyCtx)
	if err != nil {
		diags.AddError("Reading the security key failed", err.Error())
		return false, revoked
	}

	if info.ForcePINChange {
		diags.AddError("The security key needs a new PIN",
			fmt.Sprintf("%s (%s) must have its PIN changed before it serves again: a PIN change was forced on it. Change the PIN with the vendor's tool, then apply again.", dev.Path, dev.Product))
		return false, revoked
	}
	pinValue := pin.ValueString()
	if pin.IsNull() {
		pinValue = os.Getenv(pinEnv)
	}
	if !info.HasPIN() {
		if !m.SetPINIfUnset.ValueBool() || pinValue == "" {
			diags.AddError("The security key has no PIN", authenticator.ErrPINNotSet.Error()+
				": set one with the vendor's tool, or with set_pin_if_unset = true and a PIN (pin_wo or "+pinEnv+") the provider sets it.")
			return false, revoked
		}
		if err := a.SetPIN(keyCtx, pinValue); err != nil {
			diags.AddError("Setting the security key's PIN failed", err.Error())
			return false, revoked
		}
	} else if err := lease.CheckPIN(info); err != nil {
		diags.AddError("The security key's PIN was not tried", err.Error())
		return false, revoked
	}
	enrolReq := enrollment.Request{
		UserID: m.UserID.ValueString(), DisplayName: m.DisplayName.ValueString(), PIN: pinValue, TouchTimeout: timeout,
		Waiting: func(userName string) { announce(ctx, dev, userName) },
	}
	res, err := enrollment.Enroll(ctx, r.data.graph, a, enrolReq)
	if errors.Is(err, authenticator.ErrExcluded) && prior != nil {
		// The attached key holds the registration this one replaces, and
		// has just accepted its PIN: the old one goes, then the new is made.
		if deleteRegistration(ctx, r.data.graph, &prior.fido2MethodFields, diags); diags.HasError() {
			return false, revoked
		}
		revoked = true
		tflog.Info(ctx, "revoked the registration the attached key holds, to enrol it again", map[string]any{"user": prior.UserID.ValueString(), "id": prior.ID.ValueString()})
		res, err = enrollment.Enroll(ctx, r.data.graph, a, enrolReq)
	}
	lease.Spent(err)
	if err != nil {
		switch {
		case errors.Is(err, authenticator.ErrTimeout):
			err = fmt.Errorf("%w (touch_timeout %s)", err, timeout)
		case errors.Is(err, context.DeadlineExceeded):
			err = fmt.Errorf("%w (touch_timeout %s)", authenticator.ErrTimeout, timeout)
		case errors.Is(err, authenticator.ErrPINRequired):
			err = fmt.Errorf("%w: set pin_wo or %s", err, pinEnv)
		case errors.Is(err, authenticator.ErrPINInvalid) && info.HasPIN():
			err = fmt.Errorf("%w: the key already had a PIN before this run, and set_pin_if_unset never changes one: give the key's current PIN", err)
		}
		diags.AddError(interruptedOr(ctx, "Enrolling the security key failed"), err.Error())
		return false, revoked
	}
	for _, w := range res.Warnings {
		diags.AddWarning("Security key enrolment", w)
	}
	m.fill(res.Method)
	m.CredentialID = types.StringValue(webauthn.Encode(res.CredentialID))
	m.Device = types.StringValue(dev.Path)
	// What follows the registration only warns when it fails: the key is
	// enrolled, and failing would keep its PIN from the secret store that
	// waits for this resource.
	if m.ForcePINChange.ValueBool() {
		forceCtx, cancelForce := context.WithTimeout(ctx, defaultTouchTimeout)
		err := a.ForcePINChange(forceCtx, pinValue)
		cancelForce()
		switch {
		case errors.Is(err, authenticator.ErrNoPINChange):
			diags.AddWarning("The key cannot require a new PIN",
				fmt.Sprintf("%s (%s) was enrolled for %s, but it does not implement CTAP 2.1's forced PIN change: the user keeps the PIN it was given until they change it themselves.",
					dev.Path, dev.Product, m.UserID.ValueString()))
		case err != nil:
			diags.AddWarning("Forcing a PIN change failed",
				fmt.Sprintf("%s was enrolled for %s, but requiring a new PIN failed: %v. The key keeps the PIN it was given.", dev.Path, m.UserID.ValueString(), err))
		}
	}
	if prior != nil && !revoked {
		var revokeDiags diag.Diagnostics
		if deleteRegistration(ctx, r.data.graph, &prior.fido2MethodFields, &revokeDiags); revokeDiags.HasError() {
			diags.AddWarning("The old registration was not revoked",
				fmt.Sprintf("The key was enrolled for %s, but revoking the registration %s of %s failed, and it still signs them in: %s",
					m.UserID.ValueString(), prior.ID.ValueString(), prior.UserID.ValueString(), revokeDiags.Errors()[0].Detail()))
		}
	}
	if m.ReplaceSameModel.ValueBool() {
		r.deleteSameModel(ctx, res.Method, m, diags)
	}
	return true, revoked
}

// interruptedOr is summary, or, when Terraform was interrupted (Ctrl-C, a
// stopped run), a summary that says so: what failed then is the wait.
func interruptedOr(ctx context.Context, summary string) string {
	if errors.Is(ctx.Err(), context.Canceled) {
		return "The enrolment was interrupted"
	}
	return summary
}

// warnReplaced lists in the plan the registrations replace_same_model may
// delete: those of the model device_aaguid names, or, when the key is known
// only at apply, all of them.
func warnReplaced(m *securityKeyModel, held []graph.Fido2Method, diags *diag.Diagnostics) {
	var lines []string
	for _, h := range held {
		if m.DeviceAAGUID.IsNull() || strings.EqualFold(h.AAGUID, m.DeviceAAGUID.ValueString()) {
			lines = append(lines, fmt.Sprintf("  - %s %q (%s, AAGUID %s)", h.ID, h.DisplayName, h.Model, h.AAGUID))
		}
	}
	if len(lines) == 0 {
		return
	}
	which := "these registrations"
	if m.DeviceAAGUID.IsNull() {
		which = "those of these registrations that are of the enrolled key's model"
	}
	diags.AddWarning("Enrolling replaces registrations of the same model",
		fmt.Sprintf("replace_same_model is set: once the new key is registered for %s, %s are deleted and no longer sign the user in:\n%s",
			m.UserID.ValueString(), which, strings.Join(lines, "\n")))
}

// deleteSameModel deletes the user's registrations, other than the new
// one, of its model.
func (r *securityKeyResource) deleteSameModel(ctx context.Context, enrolled *graph.Fido2Method, m *securityKeyModel, diags *diag.Diagnostics) {
	user := m.UserID.ValueString()
	held, err := r.data.graph.ListFido2Methods(ctx, user)
	if err != nil {
		diags.AddWarning("Earlier registrations of this model were not deleted",
			fmt.Sprintf("The key was enrolled for %s, but listing their registrations failed: %v. Delete the earlier ones of model %s yourself.", user, err, enrolled.AAGUID))
		return
	}
	var deleted, failed []string
	for _, h := range held {
		if h.ID == enrolled.ID || !strings.EqualFold(h.AAGUID, enrolled.AAGUID) {
			continue
		}
		if err := r.data.graph.DeleteFido2Method(ctx, user, h.ID); err != nil && !graph.IsNotFound(err) {
			failed = append(failed, fmt.Sprintf("%s %q: %v", h.ID, h.DisplayName, err))
			continue
		}
		deleted = append(deleted, fmt.Sprintf("%s %q", h.ID, h.DisplayName))
	}
	if len(deleted) > 0 {
		tflog.Info(ctx, "deleted earlier registrations of the same model", map[string]any{"user": user, "registrations": deleted})
	}
	if len(failed) > 0 {
		diags.AddWarning("Some earlier registrations of this model were not deleted",
			fmt.Sprintf("The key was enrolled for %s; deleting these failed, and they still sign the user in:\n  - %s", user, strings.Join(failed, "\n  - ")))
	}
}

// selectDevice waits, until ctx ends, for exactly one attached authenticator
// that matches the selectors.
func (r *securityKeyResource) selectDevice(ctx context.Context, m *securityKeyModel) (*authenticator.Device, error) {
	for {
		devices, err := r.data.keys.Devices(ctx)
		if err != nil {
			return nil, err
		}
		var match []authenticator.Device
		for _, d := range devices {
			if (m.DevicePath.IsNull() || d.Path == m.DevicePath.ValueString()) &&
				(m.DeviceAAGUID.IsNull() || strings.EqualFold(d.AAGUID, m.DeviceAAGUID.ValueString())) &&
				(m.DeviceProduct.IsNull() || strings.Contains(d.Product, m.DeviceProduct.ValueString())) {
				match = append(match, d)
			}
		}
		switch {
		case len(match) == 1:
			return &match[0], nil
		case len(match) > 1:
			return nil, fmt.Errorf("%d authenticators match; choose one with device_path, device_aaguid or device_product. Attached:\n%s", len(match), listDevices(devices))
		}
		select {
		case <-ctx.Done():
			if len(devices) == 0 {
				return nil, fmt.Errorf("%w (waited for one to be attached)", authenticator.ErrNoDevice)
			}
			return nil, fmt.Errorf("no attached authenticator matches device_path, device_aaguid and device_product. Attached:\n%s", listDevices(devices))
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func listDevices(devices []authenticator.Device) string {
	var b strings.Builder
	for _, d := range devices {
		product := d.Product
		if product == "" {
			product = "unnamed"
		}
		fmt.Fprintf(&b, "  - %s (%s, AAGUID %s)\n", d.Path, product, d.AAGUID)
	}
	return strings.TrimRight(b.String(), "\n")
}

// awaitNextKey asks for user's key in a sequence of enrolments through one
// port: it waits for the key the previous enrolment used to be removed,
// then asks for the next. Called in turn (r.data.turn held).
func (r *securityKeyResource) awaitNextKey(ctx context.Context, user string) error {
	asked := false
	for {
		devices, err := r.data.keys.Devices(ctx)
		if err != nil {
			return err
		}
		last := r.data.turn.lastPath
		present := last != "" && slices.ContainsFunc(devices, func(d authenticator.Device) bool { return d.Path == last })
		switch {
		case !present && len(devices) > 0:
			return nil
		case !asked && present:
			tell(ctx, fmt.Sprintf("Remove the security key %s, enrolled for %s, and attach the security key for %s", last, r.data.turn.lastUser, user), user)
		case !asked:
			tell(ctx, "Attach the security key for "+user, user)
		}
		asked = true
		select {
		case <-ctx.Done():
			if present {
				return fmt.Errorf("the security key %s, enrolled for %s, was not removed to make way for the key of %s (attach_in_turn)", last, r.data.turn.lastUser, user)
			}
			return fmt.Errorf("%w for %s (attach_in_turn)", authenticator.ErrNoDevice, user)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// announce tells the person at the machine which key to touch for whom.
func announce(ctx context.Context, d *authenticator.Device, user string) {
	msg := fmt.Sprintf("Touch the security key %s (%s) to enrol it for %s", d.Path, d.Product, user)
	if runtime.GOOS == "windows" {
		// Unelevated, libfido2 goes through Windows' WebAuthn API, whose
		// own dialog asks for the PIN and the touch.
		msg += " (Windows may show its security key dialog: follow it)"
	}
	tell(ctx, msg, user)
}

// tell says msg to the person at the machine: on the controlling terminal
// when there is one (Terraform keeps stdout), and in the log.
func tell(ctx context.Context, msg, user string) {
	tflog.Info(ctx, msg, map[string]any{"user": user})
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprintf(tty, "\n%s...\n", msg)
		tty.Close()
	}
}

func (r *securityKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m securityKeyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() && refreshRegistration(ctx, r.data.graph, &m.fido2MethodFields, resp) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// Update enrols the key again where the plan says so (reenrolment), the old
// registration revoked only once that can go ahead; otherwise it only
// records settings that matter at enrolment (timeout, set_pin).
func (r *securityKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior securityKeyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if reenrolment(&prior, &m) != "" {
		enrolled, revoked := r.enrol(ctx, req.Config, &m, &prior, &resp.Diagnostics)
		if !enrolled {
			if revoked {
				// The key's old registration went, its new one did not come:
				// the next plan enrols it again.
				resp.State.RemoveResource(ctx)
			}
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *securityKeyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m securityKeyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		deleteRegistration(ctx, r.data.graph, &m.fido2MethodFields, &resp.Diagnostics)
	}
}

func (r *securityKeyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importUserMethod(ctx, req, resp, "a FIDO2 registration")
}
