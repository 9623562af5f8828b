package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The documentation's index links every guide, so that none is found only
// by browsing the folder.
func TestDocsIndexLinksEveryGuide(t *testing.T) {
	index, err := os.ReadFile(filepath.Join("..", "..", "docs", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	guides, err := filepath.Glob(filepath.Join("..", "..", "docs", "guides", "*.md"))
	if err != nil || len(guides) == 0 {
		t.Fatalf("no guides found: %v", err)
	}
	for _, g := range guides {
		if link := "(guides/" + strings.TrimSuffix(filepath.Base(g), ".md") + ")"; !strings.Contains(string(index), link) {
			t.Errorf("docs/index.md does not link %s", link)
		}
	}
}
