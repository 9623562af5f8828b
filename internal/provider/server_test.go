package provider

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Every diagnostic leaves the server with lines of at most maxLine
// characters, and no word lost.
func TestShortenDiagnostics(t *testing.T) {
	long := strings.Repeat("word ", 60)
	d := &tfprotov6.Diagnostic{
		Summary: "Security review: " + strings.Repeat("a long summary ", 10),
		Detail: "  - a first item that is well over the limit, " + long + "\n" +
			"  state: \"disabled\" → \"enabled\" " + long + "\n" +
			"A paragraph, which Terraform wraps itself: " + long + "\n" +
			"short line\n  " + strings.Repeat("x", 130),
	}
	before := strings.Fields(d.Summary + " " + d.Detail)
	shorten([]*tfprotov6.Diagnostic{d})
	if n := utf8.RuneCountInString(d.Summary); n > maxLine || !strings.HasSuffix(d.Summary, "…") {
		t.Errorf("summary of %d characters: %q", n, d.Summary)
	}
	for _, line := range strings.Split(d.Detail, "\n") {
		if n := utf8.RuneCountInString(line); n > maxLine && strings.HasPrefix(line, " ") && strings.Contains(strings.TrimSpace(line), " ") {
			t.Errorf("detail line of %d characters: %q", n, line)
		}
	}
	if !strings.Contains(d.Detail, "\n    word") {
		t.Errorf("the indented line's continuation is not indented under it:\n%s", d.Detail)
	}
	if !strings.Contains(d.Detail, "\n  "+strings.Repeat("x", 130)) {
		t.Errorf("a word longer than a line is not kept whole:\n%s", d.Detail)
	}
	if !strings.Contains(d.Detail, "\nA paragraph, which Terraform wraps itself: "+long+"\n") {
		t.Errorf("a paragraph is wrapped:\n%s", d.Detail)
	}
	// The summary's full text opens the detail, so every word is still there.
	after := strings.Fields(strings.TrimSuffix(d.Summary, "…") + " " + d.Detail)
	if got, want := strings.Join(after[len(strings.Fields(d.Summary)):], " "), strings.Join(before, " "); got != want {
		t.Errorf("words changed:\n got %s\nwant %s", got, want)
	}
}
