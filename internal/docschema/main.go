// Command docschema prints the provider's schemas in the form of
// `terraform providers schema -json`, for tfplugindocs. It asks the
// provider itself, in process, so the documentation covers what the
// Terraform on the machine may not report: list resources need Terraform
// 1.14, and CI has 1.11.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/entra-tf/terraform-provider-entra/internal/provider"
)

type providerSchema struct {
	Provider           *schema              `json:"provider"`
	Resources          map[string]*schema   `json:"resource_schemas,omitempty"`
	DataSources        map[string]*schema   `json:"data_source_schemas,omitempty"`
	EphemeralResources map[string]*schema   `json:"ephemeral_resource_schemas,omitempty"`
	ListResources      map[string]*schema   `json:"list_resource_schemas,omitempty"`
	ResourceIdentities map[string]*identity `json:"resource_identity_schemas,omitempty"`
}

type schema struct {
	Version int64  `json:"version"`
	Block   *block `json:"block"`
}

type block struct {
	Attributes      map[string]*attribute `json:"attributes,omitempty"`
	BlockTypes      map[string]*blockType `json:"block_types,omitempty"`
	Description     string                `json:"description,omitempty"`
	DescriptionKind string                `json:"description_kind,omitempty"`
	Deprecated      bool                  `json:"deprecated,omitempty"`
}

type attribute struct {
	Type            json.RawMessage `json:"type,omitempty"`
	NestedType      *nestedType     `json:"nested_type,omitempty"`
	Description     string          `json:"description,omitempty"`
	DescriptionKind string          `json:"description_kind,omitempty"`
	Deprecated      bool            `json:"deprecated,omitempty"`
	Required        bool            `json:"required,omitempty"`
	Optional        bool            `json:"optional,omitempty"`
	Computed        bool            `json:"computed,omitempty"`
	Sensitive       bool            `json:"sensitive,omitempty"`
	WriteOnly       bool            `json:"write_only,omitempty"`
}

type nestedType struct {
	Attributes  map[string]*attribute `json:"attributes"`
	NestingMode string                `json:"nesting_mode"`
}

type blockType struct {
	NestingMode string `json:"nesting_mode"`
	Block       *block `json:"block"`
	MinItems    int64  `json:"min_items,omitempty"`
	MaxItems    int64  `json:"max_items,omitempty"`
}

type identity struct {
	Version    int64                         `json:"version"`
	Attributes map[string]*identityAttribute `json:"attributes"`
}

type identityAttribute struct {
	Type              json.RawMessage `json:"type"`
	Description       string          `json:"description,omitempty"`
	RequiredForImport bool            `json:"required_for_import,omitempty"`
	OptionalForImport bool            `json:"optional_for_import,omitempty"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "docschema:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(provider.New("dev")())()
	if err != nil {
		return err
	}
	s, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return err
	}
	ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return err
	}
	for _, d := range append(s.Diagnostics, ids.Diagnostics...) {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	out := providerSchema{Provider: convertSchema(s.Provider), Resources: convertAll(s.ResourceSchemas), DataSources: convertAll(s.DataSourceSchemas),
		EphemeralResources: convertAll(s.EphemeralResourceSchemas), ListResources: convertAll(s.ListResourceSchemas),
		ResourceIdentities: map[string]*identity{}}
	for name, id := range ids.IdentitySchemas {
		c := &identity{Version: id.Version, Attributes: map[string]*identityAttribute{}}
		for _, a := range id.IdentityAttributes {
			c.Attributes[a.Name] = &identityAttribute{Type: typeJSON(a.Type), Description: a.Description,
				RequiredForImport: a.RequiredForImport, OptionalForImport: a.OptionalForImport}
		}
		out.ResourceIdentities[name] = c
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"format_version": "1.0",
		"provider_schemas": map[string]providerSchema{"registry.terraform.io/hashicorp/entra": out}})
}

func convertAll(in map[string]*tfprotov6.Schema) map[string]*schema {
	out := make(map[string]*schema, len(in))
	for name, s := range in {
		out[name] = convertSchema(s)
	}
	return out
}

func convertSchema(s *tfprotov6.Schema) *schema {
	return &schema{Version: s.Version, Block: convertBlock(s.Block)}
}

func convertBlock(b *tfprotov6.SchemaBlock) *block {
	out := &block{Attributes: convertAttributes(b.Attributes), Description: b.Description, DescriptionKind: kind(b.DescriptionKind), Deprecated: b.Deprecated}
	for _, bt := range b.BlockTypes {
		if out.BlockTypes == nil {
			out.BlockTypes = map[string]*blockType{}
		}
		out.BlockTypes[bt.TypeName] = &blockType{NestingMode: strings.ToLower(bt.Nesting.String()), Block: convertBlock(bt.Block),
			MinItems: bt.MinItems, MaxItems: bt.MaxItems}
	}
	return out
}

func convertAttributes(attrs []*tfprotov6.SchemaAttribute) map[string]*attribute {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]*attribute, len(attrs))
	for _, a := range attrs {
		c := &attribute{Description: a.Description, DescriptionKind: kind(a.DescriptionKind), Deprecated: a.Deprecated,
			Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly}
		if a.NestedType != nil {
			c.NestedType = &nestedType{Attributes: convertAttributes(a.NestedType.Attributes), NestingMode: strings.ToLower(a.NestedType.Nesting.String())}
		} else {
			c.Type = typeJSON(a.Type)
		}
		out[a.Name] = c
	}
	return out
}

// typeJSON is a type as Terraform writes it: ["list","string"] and the like.
func typeJSON(t interface{ MarshalJSON() ([]byte, error) }) json.RawMessage {
	b, err := t.MarshalJSON()
	if err != nil {
		panic(err)
	}
	return b
}

func kind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}
