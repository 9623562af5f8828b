package provider

import (
	"context"
	"fmt"
	"iter"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The provider's protocol server is the framework's, with one rule added for
// the reviewer reading a plan in a pull request: no line of a diagnostic the
// provider writes is longer than maxLine characters. Terraform prints
// indented lines as they are, whatever the terminal, so the rule is kept
// here, once, rather than by every message.

// maxLine is the longest line a summary or detail may have.
const maxLine = 120

// NewServer is the provider's protocol 6 server, as main serves it and the
// tests run it.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	serve := providerserver.NewProtocol6WithError(New(version)())
	return func() (tfprotov6.ProviderServer, error) {
		s, err := serve()
		if err != nil {
			return nil, err
		}
		ls, ok := s.(framework)
		if !ok {
			return nil, fmt.Errorf("the framework's server serves no list resources")
		}
		return shortLines{ls}, nil
	}
}

// shortLines wraps the diagnostics of every call on configuration, state or
// the tenant (the schema and metadata calls are the framework's own).
type shortLines struct{ framework }

// framework is the framework's server: every call, list resources' too.
type framework interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

func (s shortLines) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return shortened(s.framework.ValidateProviderConfig(ctx, req))
}

func (s shortLines) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return shortened(s.framework.ConfigureProvider(ctx, req))
}

func (s shortLines) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return shortened(s.framework.ValidateResourceConfig(ctx, req))
}

func (s shortLines) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return shortened(s.framework.ReadResource(ctx, req))
}

func (s shortLines) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return shortened(s.framework.PlanResourceChange(ctx, req))
}

func (s shortLines) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return shortened(s.framework.ApplyResourceChange(ctx, req))
}

func (s shortLines) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return shortened(s.framework.ImportResourceState(ctx, req))
}

func (s shortLines) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return shortened(s.framework.UpgradeResourceState(ctx, req))
}

func (s shortLines) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return shortened(s.framework.MoveResourceState(ctx, req))
}

func (s shortLines) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return shortened(s.framework.GenerateResourceConfig(ctx, req))
}

func (s shortLines) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return shortened(s.framework.ValidateDataResourceConfig(ctx, req))
}

func (s shortLines) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return shortened(s.framework.ReadDataSource(ctx, req))
}

func (s shortLines) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return shortened(s.framework.ValidateEphemeralResourceConfig(ctx, req))
}

func (s shortLines) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return shortened(s.framework.OpenEphemeralResource(ctx, req))
}

func (s shortLines) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return shortened(s.framework.RenewEphemeralResource(ctx, req))
}

func (s shortLines) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return shortened(s.framework.CloseEphemeralResource(ctx, req))
}

func (s shortLines) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return shortened(s.framework.ValidateListResourceConfig(ctx, req))
}

func (s shortLines) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	stream, err := s.framework.ListResource(ctx, req)
	if stream == nil || stream.Results == nil {
		return stream, err
	}
	results := stream.Results
	stream.Results = iter.Seq[tfprotov6.ListResourceResult](func(yield func(tfprotov6.ListResourceResult) bool) {
		for r := range results {
			shorten(r.Diagnostics)
			if !yield(r) {
				return
			}
		}
	})
	return stream, err
}

// shortened shortens the diagnostics of a response, its Diagnostics field.
func shortened[R any](resp R, err error) (R, error) {
	if v := reflect.ValueOf(resp); v.Kind() == reflect.Pointer && !v.IsNil() {
		if f := v.Elem().FieldByName("Diagnostics"); f.IsValid() {
			shorten(f.Interface().([]*tfprotov6.Diagnostic))
		}
	}
	return resp, err
}

// shorten keeps each diagnostic within maxLine: a longer summary is cut at a
// word, and said in full at the top of the detail; a longer indented detail
// line is wrapped at words.
func shorten(diags []*tfprotov6.Diagnostic) {
	for _, d := range diags {
		if d == nil {
			continue
		}
		if utf8.RuneCountInString(d.Summary) > maxLine {
			full := d.Summary
			short, _ := cut(full, maxLine-1)
			d.Summary = short + "…"
			d.Detail = strings.TrimSuffix(full+"\n\n"+d.Detail, "\n\n")
		}
		d.Detail = wrap(d.Detail, maxLine)
	}
}

// cut is s up to the last space that leaves it at most n characters; false
// when s has no space there.
func cut(s string, n int) (string, bool) {
	r := []rune(s)
	if len(r) <= n {
		return s, true
	}
	for i := n; i > 0; i-- {
		if r[i] == ' ' {
			return strings.TrimRight(string(r[:i]), " "), true
		}
	}
	return string(r[:n]), false
}

// wrap breaks every indented line of text longer than width at words (a word
// longer than a line is left whole): Terraform wraps paragraphs to the
// terminal itself, but prints an indented line as it is. A continuation is
// indented two spaces deeper, so it reads as part of its line.
func wrap(text string, width int) string {
	lines := strings.Split(text, "\n")
	var out []string
	for _, line := range lines {
		indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
		if indent == "" {
			out = append(out, line) // Terraform wraps a paragraph itself
			continue
		}
		more, rest := indent+"  ", line[len(indent):]
		prefix := indent
		for utf8.RuneCountInString(prefix+rest) > width {
			head, ok := cut(rest, width-utf8.RuneCountInString(prefix))
			if !ok || head == "" {
				break // a word longer than a line (an address) stays whole
			}
			out = append(out, prefix+head)
			rest = strings.TrimLeft(string([]rune(rest)[utf8.RuneCountInString(head):]), " ")
			prefix = more
		}
		out = append(out, prefix+rest)
	}
	return strings.Join(out, "\n")
}
