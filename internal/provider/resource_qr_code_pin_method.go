package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// qrCodePinMethodResource is entra_qr_code_pin_method: a frontline
// worker's badge QR code and PIN. The QR image and the PIN are secrets
// Graph hands out once: the PIN comes in through a write-only argument,
// the image goes out to a file, and neither is ever in state.
type qrCodePinMethodResource struct {
	client *graph.Client
	data   *providerData
}

type qrCodePinMethodModel struct {
	ID              types.String `tfsdk:"id"`
	UserID          types.String `tfsdk:"user_id"`
	StartDateTime   types.String `tfsdk:"start_date_time"`
	ExpireDateTime  types.String `tfsdk:"expire_date_time"`
	PinWO           types.String `tfsdk:"pin_wo"`
	PinWOVersion    types.Int64  `tfsdk:"pin_wo_version"`
	ImagePath       types.String `tfsdk:"qr_code_image_path"`
	QRCodeID        types.String `tfsdk:"qr_code_id"`
	CreatedDateTime types.String `tfsdk:"created_date_time"`
}

// maxQRCodeLifetime is the longest a standard QR code may live.
const maxQRCodeLifetime = 395 * 24 * time.Hour

var (
	_ resource.ResourceWithImportState    = (*qrCodePinMethodResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*qrCodePinMethodResource)(nil)
	_ resource.ResourceWithValidateConfig = (*qrCodePinMethodResource)(nil)
)

func newQRCodePinMethodResource() resource.Resource { return &qrCodePinMethodResource{} }

func (r *qrCodePinMethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qr_code_pin_method"
}

func (r *qrCodePinMethodResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if r.data = configureData(req.ProviderData, &resp.Diagnostics); r.data != nil {
		r.client = r.data.graph
	}
}

func (r *qrCodePinMethodResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A user's QR code + PIN method: the standard QR code printed on a frontline worker's badge and a temporary PIN the user changes at first sign-in. " +
			"Graph hands out the QR image and the PIN only when it creates them: the PIN comes from the write-only `pin_wo`, the image is written to `qr_code_image_path` during apply, " +
			"and neither is kept in state. A user has one method; destroying the resource deletes it, and the badge stops working.",
		Attributes: map[string]schema.Attribute{
			"id":      schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "The method's id."},
			"user_id": userIDAttribute(stringplanmodifier.RequiresReplace()),
			"start_date_time": schema.StringAttribute{Optional: true, Computed: true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				MarkdownDescription: "When the badge's QR code becomes usable (RFC 3339). Default: when it is created. Graph cannot change it: a new start makes a new QR code (a new badge).",
				Validators:          []validator.String{validators.RFC3339()}},
			"expire_date_time": schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: keep,
				MarkdownDescription: "When the QR code stops working (RFC 3339), at most 395 days after its start; changed in place. Default: the start plus the QR code PIN policy's `standard_qr_code_lifetime_in_days`.",
				Validators:          []validator.String{validators.RFC3339()}},
			"pin_wo": schema.StringAttribute{Required: true, WriteOnly: true, Sensitive: true,
				MarkdownDescription: "The temporary PIN the user signs in with first and must then change: digits, at least as many as the QR code PIN policy's `pin_length` and at most 20. " +
					"Write-only (Terraform 1.11+): it is sent when the method is created or `pin_wo_version` changes, and never stored. Feed it from an ephemeral source that also hands it to the user.",
				Validators: []validator.String{validators.SecretDigits(8, 20)}},
			"pin_wo_version": schema.Int64Attribute{Optional: true,
				MarkdownDescription: "Change it to reset the PIN to the current `pin_wo` (for a user who forgot theirs)."},
			"qr_code_image_path": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Where apply writes the new QR code's image (PNG, readable by its owner only) for printing the badge. Graph returns the image only when it creates the code, " +
					"and the provider keeps no copy: without a path the image is lost and the badge must be made again. Used only when a code is created."},
			"qr_code_id":        schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "The standard QR code's id."},
			"created_date_time": schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "When the method was created."},
		},
	}
}

// ValidateConfig checks the QR code's lifetime when both ends are written.
func (r *qrCodePinMethodResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m qrCodePinMethodModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if !known(m.StartDateTime) || !known(m.ExpireDateTime) {
		return
	}
	start, err1 := time.Parse(time.RFC3339, m.StartDateTime.ValueString())
	expire, err2 := time.Parse(time.RFC3339, m.ExpireDateTime.ValueString())
	if err1 == nil && err2 == nil {
		checkQRLifetime(start, expire, &resp.Diagnostics)
	}
}

func checkQRLifetime(start, expire time.Time, diags interface {
	AddAttributeError(path.Path, string, string)
}) {
	switch {
	case !expire.After(start):
		diags.AddAttributeError(path.Root("expire_date_time"), "QR code expires before it starts",
			fmt.Sprintf("expire_date_time %s is not after start_date_time %s.", expire.Format(time.RFC3339), start.Format(time.RFC3339)))
	case expire.Sub(start) > maxQRCodeLifetime:
		diags.AddAttributeError(path.Root("expire_date_time"), "QR code lifetime over 395 days",
			fmt.Sprintf("expire_date_time is %.0f days after start_date_time; Graph allows a standard QR code at most 395 days.", expire.Sub(start).Hours()/24))
	}
}

// ModifyPlan checks a new method against the tenant at plan: the user
// exists and has no method yet, the policy is on, and the PIN is long
// enough for it. A plan that makes a code without a path for its image
// gets a warning.
func (r *qrCodePinMethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	own := r.data.claimUserMethod(ctx, "QR code PIN method", req, resp)
	if !req.State.Raw.IsNull() {
		return
	}
	var plan qrCodePinMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("pin_wo"), &plan.PinWO)...)
	if plan.ImagePath.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("qr_code_image_path"), "The new QR code's image will be lost",
			"Graph returns the badge's QR code image only when it creates the code, and qr_code_image_path is not set: the image will not be kept anywhere and the badge cannot be printed.")
	}
	if known(plan.UserID) {
		user := plan.UserID.ValueString()
		m, err := r.client.GetQRCodePinMethod(ctx, user)
		switch {
		case err == nil && m.ID == own:
			// Its own, which a replacement deletes first.
		case err == nil:
			resp.Diagnostics.AddAttributeError(path.Root("user_id"), "The user already has a QR code PIN method",
				fmt.Sprintf("%s already has a QR code PIN method (%s), and a user has one. Manage it by importing it: import { to = <this resource>, id = %q }, "+
					"or delete it first to issue a new badge.", user, m.ID, user))
		case graph.IsNotFound(err):
			if _, uerr := r.client.GetUser(ctx, user); graph.IsNotFound(uerr) {
				resp.Diagnostics.AddAttributeError(path.Root("user_id"), "Unknown user", fmt.Sprintf("No user %q exists in the tenant (Graph: %v).", user, uerr))
			}
		}
	}
	pol, err := r.client.GetQRCodePinPolicy(ctx)
	if err != nil {
		return // Graph's answer at apply decides.
	}
	where := "the tenant's QR code PIN policy (entra_qr_code_pin_policy)"
	if pol.State != "enabled" {
		resp.Diagnostics.AddWarning("The QR code PIN policy is disabled",
			where+" is disabled, so Graph will refuse to create this method unless this apply enables the policy first (make the method depend on it).")
	}
	if pin := plan.PinWO; known(pin) && int64(len(pin.ValueString())) < pol.PinLength {
		resp.Diagnostics.AddAttributeError(path.Root("pin_wo"), "PIN shorter than the policy asks",
			fmt.Sprintf("pin_wo has %d digits, but %s sets pin_length = %d.", len(pin.ValueString()), where, pol.PinLength))
	}
}

func (r *qrCodePinMethodResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m qrCodePinMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("pin_wo"), &m.PinWO)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user := m.UserID.ValueString()
	start, expire, err := r.lifetime(ctx, m)
	if err != nil {
		resp.Diagnostics.AddError("Microsoft Graph: reading the QR code PIN policy failed", err.Error())
		return
	}
	created, err := r.create(ctx, user, start, expire, m.PinWO.ValueString())
	if err != nil {
		graphError(&resp.Diagnostics, "creating the QR code PIN method of "+user, err)
		return
	}
	m.fill(created)
	m.PinWO = types.StringNull()
	// The method exists from here: state records it even if the image
	// cannot be written.
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	writeQRImage(ctx, m.ImagePath, created, &resp.Diagnostics)
}

// lifetime is the new code's start and expiry: as configured, else now and
// the policy's lifetime later.
func (r *qrCodePinMethodResource) lifetime(ctx context.Context, m qrCodePinMethodModel) (start, expire time.Time, err error) {
	start = time.Now().UTC().Truncate(time.Second)
	if known(m.StartDateTime) {
		start, _ = time.Parse(time.RFC3339, m.StartDateTime.ValueString()) // validated
	}
	if known(m.ExpireDateTime) {
		expire, _ = time.Parse(time.RFC3339, m.ExpireDateTime.ValueString())
		return start, expire, nil
	}
	pol, err := r.client.GetQRCodePinPolicy(ctx)
	if err != nil {
		return start, expire, err
	}
	return start, start.AddDate(0, 0, int(pol.StandardQRCodeLifetimeInDays)), nil
}

// create makes the method. If the answer was lost after Graph may have made
// it (no answer, or a server error), the image is lost with it: a method
// Graph holds with exactly this code's start and expiry, created moments ago,
// is that one, and it is deleted and made again so that the badge can be
// printed. A 4xx is Graph's refusal: nothing was made, and the method the
// user holds (another badge's, perhaps) is left alone.
func (r *qrCodePinMethodResource) create(ctx context.Context, user string, start, expire time.Time, pin string) (*graph.QRCodePinMethod, error) {
	created, err := r.client.CreateQRCodePinMethod(ctx, user, start, expire, pin)
	if err == nil || !graph.MaybeDone(err) {
		return created, err
	}
	held, gerr := r.client.GetQRCodePinMethod(ctx, user)
	if gerr != nil || !held.StandardQRCode.StartDateTime.Equal(start) || !held.StandardQRCode.ExpireDateTime.Equal(expire) ||
		time.Since(held.CreatedDateTime) > 2*time.Minute {
		return nil, err
	}
	tflog.Warn(ctx, "the answer to a QR code PIN method's creation was lost; deleting it and creating it again for its image", map[string]any{"user_id": user})
	if derr := r.client.DeleteQRCodePinMethod(ctx, user); derr != nil {
		return nil, fmt.Errorf("%w (the method was created but its answer, with the QR image, was lost; deleting it to start again failed: %v)", err, derr)
	}
	return r.client.CreateQRCodePinMethod(ctx, user, start, expire, pin)
}

// writeQRImage writes the new code's image where the configuration says,
// readable by its owner only: into a new file of its own in the same folder,
// then renamed over the path, so that no other file's permissions or
// contents are used. A symbolic link at the path is refused: it could point
// the badge anywhere.
func writeQRImage(ctx context.Context, dest types.String, m *graph.QRCodePinMethod, diags interface {
	AddAttributeError(path.Path, string, string)
}) {
	if !known(dest) {
		return
	}
	if m.StandardQRCode.Image == nil || len(m.StandardQRCode.Image.BinaryValue) == 0 {
		diags.AddAttributeError(path.Root("qr_code_image_path"), "Graph returned no QR image",
			"Graph created the QR code but returned no image with it. Delete the method (replace the resource) to issue the badge again.")
		return
	}
	p := dest.ValueString()
	if err := writePrivateFile(p, m.StandardQRCode.Image.BinaryValue); err != nil {
		diags.AddAttributeError(path.Root("qr_code_image_path"), "QR image not written",
			fmt.Sprintf("Writing the QR code image to %s failed: %v. The method exists; replace the resource to issue the badge again.", p, err))
		return
	}
	tflog.Info(ctx, "wrote the QR code image", map[string]any{"path": p})
}

// fill copies Graph's answer into m, keeping configured timestamps that
// name the same instants.
func (m *qrCodePinMethodModel) fill(q *graph.QRCodePinMethod) {
	m.ID = types.StringValue(q.ID)
	m.QRCodeID = types.StringValue(q.StandardQRCode.ID)
	m.CreatedDateTime = timestamp(q.CreatedDateTime)
	for _, f := range []struct {
		attr *types.String
		t    time.Time
	}{{&m.StartDateTime, q.StandardQRCode.StartDateTime}, {&m.ExpireDateTime, q.StandardQRCode.ExpireDateTime}} {
		if prior, err := time.Parse(time.RFC3339, f.attr.ValueString()); err != nil || !prior.Equal(f.t) {
			*f.attr = timestamp(f.t)
		}
	}
}

func (r *qrCodePinMethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m qrCodePinMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var q *graph.QRCodePinMethod
	if readOrForget(ctx, resp, m.CreatedDateTime, "the QR code PIN method of "+m.UserID.ValueString(), "the next apply creates a new one (a new badge).", func() (err error) {
		q, err = r.client.GetQRCodePinMethod(ctx, m.UserID.ValueString())
		return err
	}) {
		if !m.ID.IsNull() && !strings.EqualFold(q.ID, m.ID.ValueString()) {
			resp.Diagnostics.AddWarning("QR code PIN method replaced outside Terraform",
				fmt.Sprintf("The QR code PIN method %s of %s was replaced by %s outside Terraform; this resource now manages the new one.", m.ID.ValueString(), m.UserID.ValueString(), q.ID))
		}
		m.fill(q)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *qrCodePinMethodResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior qrCodePinMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("pin_wo"), &m.PinWO)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user := m.UserID.ValueString()
	if known(m.ExpireDateTime) && !m.ExpireDateTime.Equal(prior.ExpireDateTime) {
		expire, _ := time.Parse(time.RFC3339, m.ExpireDateTime.ValueString())
		if err := r.client.UpdateQRCodeExpiry(ctx, user, expire); err != nil {
			graphError(&resp.Diagnostics, "changing when the QR code of "+user+" expires", err)
			return
		}
	}
	if !m.PinWOVersion.Equal(prior.PinWOVersion) {
		set, err := r.client.ResetQRCodePin(ctx, user, m.PinWO.ValueString())
		if err != nil {
			graphError(&resp.Diagnostics, "resetting the QR code PIN of "+user, err)
			return
		}
		if set != m.PinWO.ValueString() {
			// The PIN was reset all the same: record the version so state
			// matches the tenant, and say what happened.
			resp.Diagnostics.AddError("Graph set a PIN of its own",
				"Graph reset the PIN of "+user+" to one it generated instead of pin_wo. The provider does not show it (it would land in logs and state). "+
					"Replace the resource (terraform apply -replace) to issue a new badge with pin_wo as its PIN.")
		}
	}
	q, err := r.client.GetQRCodePinMethod(ctx, user)
	if err != nil {
		graphError(&resp.Diagnostics, "reading the QR code PIN method of "+user, err)
		return
	}
	m.fill(q)
	m.PinWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *qrCodePinMethodResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m qrCodePinMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	deleteError(&resp.Diagnostics, "the QR code PIN method of "+m.UserID.ValueString(), r.client.DeleteQRCodePinMethod(ctx, m.UserID.ValueString()))
}

// ImportState takes the user's object id or UPN: a user has one method.
func (r *qrCodePinMethodResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	user, _, _ := strings.Cut(req.ID, "/")
	if strings.TrimSpace(user) == "" {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Import a QR code PIN method with the user's object id or UPN, not %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), user)...)
}

// writePrivateFile writes data to path through an exclusive temporary file
// (CreateTemp's 0600) in its folder, renamed over path; a symbolic link at path is refused.
func writePrivateFile(path string, data []byte) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link; name a regular file", path)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // gone once renamed; removed if anything failed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
