package provider

import (
	"fmt"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// dataSourceSchema derives a data source's schema from a resource's
// attributes: the same names and descriptions, computed but for the inputs
// named, which stay required. One definition serves both, so the two never
// drift apart.
func dataSourceSchema(attrs map[string]schema.Attribute, description string, inputs ...string) dschema.Schema {
	out := computedAttributes(attrs)
	for _, name := range inputs {
		a := attrs[name].(schema.StringAttribute)
		out[name] = dschema.StringAttribute{Required: true, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators}
	}
	return dschema.Schema{MarkdownDescription: description, Attributes: out}
}

func computedAttributes(in map[string]schema.Attribute) map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(in))
	for name, a := range in {
		out[name] = computedAttribute(a)
	}
	return out
}

func computedAttribute(a schema.Attribute) dschema.Attribute {
	desc := a.GetMarkdownDescription()
	switch a := a.(type) {
	case schema.StringAttribute:
		return dschema.StringAttribute{Computed: true, Sensitive: a.Sensitive, MarkdownDescription: desc}
	case schema.Int64Attribute:
		return dschema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	case schema.BoolAttribute:
		return dschema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	case schema.SetAttribute:
		return dschema.SetAttribute{Computed: true, ElementType: a.ElementType, MarkdownDescription: desc}
	case schema.ListAttribute:
		return dschema.ListAttribute{Computed: true, ElementType: a.ElementType, MarkdownDescription: desc}
	case schema.SetNestedAttribute:
		return dschema.SetNestedAttribute{Computed: true, MarkdownDescription: desc,
			NestedObject: dschema.NestedAttributeObject{Attributes: computedAttributes(a.NestedObject.Attributes)}}
	case schema.MapNestedAttribute:
		return dschema.MapNestedAttribute{Computed: true, MarkdownDescription: desc,
			NestedObject: dschema.NestedAttributeObject{Attributes: computedAttributes(a.NestedObject.Attributes)}}
	case schema.MapAttribute:
		return dschema.MapAttribute{Computed: true, ElementType: a.ElementType, MarkdownDescription: desc}
	case schema.SingleNestedAttribute:
		return dschema.SingleNestedAttribute{Computed: true, MarkdownDescription: desc,
			Attributes: computedAttributes(a.Attributes)}
	}
	panic(fmt.Sprintf("dataSourceSchema: unsupported attribute type %T", a))
}

// ephemeralAttributes derives an ephemeral resource's attributes from a
// resource's flat ones, keeping which are inputs and their validators.
func ephemeralAttributes(in map[string]schema.Attribute) map[string]eschema.Attribute {
	out := make(map[string]eschema.Attribute, len(in))
	for name, a := range in {
		desc := a.GetMarkdownDescription()
		switch a := a.(type) {
		case schema.StringAttribute:
			out[name] = eschema.StringAttribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed,
				Sensitive: a.Sensitive, Validators: a.Validators, MarkdownDescription: desc}
		case schema.Int64Attribute:
			out[name] = eschema.Int64Attribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed,
				Validators: a.Validators, MarkdownDescription: desc}
		case schema.BoolAttribute:
			out[name] = eschema.BoolAttribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed,
				Validators: a.Validators, MarkdownDescription: desc}
		default:
			panic(fmt.Sprintf("ephemeralAttributes: unsupported attribute type %T", a))
		}
	}
	return out
}
