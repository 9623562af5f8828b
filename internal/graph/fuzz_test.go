package graph

import (
	"testing"

	jsonser "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// OData error bodies come from the network: the SDK parser the client maps
// errors with must not panic on any of them.
func FuzzODataError(f *testing.F) {
	f.Add([]byte(`{"error":{"code":"badRequest","message":"Invalid","innerError":{"request-id":"1","date":"2026-01-01T00:00:00Z"}}}`))
	f.Add([]byte(`{"error":{"code":null,"details":[{"code":"x"}]}}`))
	f.Add([]byte(`{"error":`))
	f.Fuzz(func(t *testing.T, body []byte) {
		node, err := jsonser.NewJsonParseNode(body)
		if err != nil {
			return
		}
		v, err := node.GetObjectValue(odataerrors.CreateODataErrorFromDiscriminatorValue)
		if err != nil || v == nil {
			return
		}
		oe := v.(*odataerrors.ODataError)
		oe.ResponseStatusCode = 400
		if mapped := mapError(oe); !IsBadRequest(mapped) {
			t.Fatalf("a 400 OData error mapped to %v", mapped)
		}
	})
}
