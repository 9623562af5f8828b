package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// timestamp is a time Graph gave, in RFC 3339; null where Graph gave none
// (its createdDateTime is nullable, and a null decodes as the zero time).
func timestamp(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}
