package provider

import (
	"fmt"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// dataSourceSchema derives a data source's schema from a resource's: the same
// attributes and descriptions, all computed. One definition serves both, so
// the two never drift apart.
func dataSourceSchema(s schema.Schema, description string) dschema.Schema {
	return dschema.Schema{
		MarkdownDescription: description,
		Attributes:          computedAttributes(s.Attributes),
	}
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
	case schema.SetNestedAttribute:
		return dschema.SetNestedAttribute{Computed: true, MarkdownDescription: desc,
			NestedObject: dschema.NestedAttributeObject{Attributes: computedAttributes(a.NestedObject.Attributes)}}
	case schema.SingleNestedAttribute:
		return dschema.SingleNestedAttribute{Computed: true, MarkdownDescription: desc,
			Attributes: computedAttributes(a.Attributes)}
	}
	panic(fmt.Sprintf("dataSourceSchema: unsupported attribute type %T", a))
}
