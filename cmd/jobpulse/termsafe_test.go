package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// hostileStatus is a status line that, printed raw, retitles the terminal
// window (OSC 0 ... BEL) and clears the screen (CSI 2 J).
const hostileStatus = "404 Not Found \x1b]0;PWNED\x07\x1b[2J"

// rawStatusServer answers every request on 127.0.0.1 with the status line
// "HTTP/1.1 <status>", which net/http's server cannot send.
func rawStatusServer(t *testing.T, status string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				for { // the request's head
					line, err := r.ReadString('\n')
					if err != nil || line == "\r\n" {
						break
					}
				}
				conn.Write([]byte("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// terminalControls returns the bytes of out that a terminal acts on: ESC,
// BEL, CSI (U+009B) and the like; none may reach a terminal from outside.
func terminalControls(out string) []string {
	var found []string
	for _, r := range out {
		if actsOnTerminal(r) {
			found = append(found, string(r))
		}
	}
	return found
}

// TestTerminalEscapes runs the built binary against a source whose status
// line holds terminal escapes: the summary on standard output, its --json
// form and the error line on standard error show them as escapes, never
// raw. A dry-run publish of a site whose file names hold escapes prints the
// names escaped.
func TestTerminalEscapes(t *testing.T) {
	dbURL, dir := pgtest.URL(t), t.TempDir()
	bin := filepath.Join(t.TempDir(), "jobpulse")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src := rawStatusServer(t, hostileStatus)
	for _, asJSON := range []bool{false, true} {
		args := append(append([]string{"ingest"}, offline...),
			"--warehouse.url="+dbURL, "--lake.url="+filepath.Join(dir, "lake"),
			"--sources.remotive.url="+src, "--fetch.retries=0")
		if asJSON {
			args = append(args, "--json")
		}
		cmd := exec.Command(bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err == nil {
			t.Fatalf("ingest of a failing source exited 0:\n%s", stdout.String())
		}
		for name, out := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
			if c := terminalControls(out); len(c) > 0 {
				t.Errorf("json %v: %s holds %q raw:\n%q", asJSON, name, c, out)
			}
			if !strings.Contains(out, `404 Not Found \u001b]0;PWNED\u0007\u001b[2J`) {
				t.Errorf("json %v: %s does not show the status escaped:\n%s", asJSON, name, out)
			}
		}
		if asJSON { // still JSON, and the escapes read back as the status
			var rep report
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatalf("--json output: %v\n%s", err, stdout.String())
			}
			if len(rep.Runs) != 1 || !strings.Contains(rep.Runs[0].Sources[0].Error, hostileStatus) {
				t.Errorf("--json summary does not hold the status: %+v", rep.Runs)
			}
		}
	}

	site := filepath.Join(dir, "site")
	if err := os.MkdirAll(site, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "a\x1b[2J\x9b2Jb\u202egnp.html"} {
		if err := os.WriteFile(filepath.Join(site, name), []byte("<p>x</p>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := jobpulse(t, "publish", "--dry-run", "--site.out="+site, "--publish.target="+filepath.Join(dir, "published"))
	if err != nil {
		t.Fatalf("publish --dry-run: %v\n%s", err, out)
	}
	if c := terminalControls(out); len(c) > 0 {
		t.Errorf("publish --dry-run printed %q raw:\n%q", c, out)
	}
	if !strings.Contains(out, `a\u001b[2J\x9b2Jb\u202egnp.html`) {
		t.Errorf("publish --dry-run does not name the file escaped:\n%s", out)
	}
}

// TestTermSafe checks the escaping itself, and that it is a no-op on text
// a terminal shows as it is.
func TestTermSafe(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, ünïcödé, 日本語\n\tindented": "plain text, ünïcödé, 日本語\n\tindented",
		"\x1b[31mred\x1b[0m":                   `\u001b[31mred\u001b[0m`,
		"over\rwrite":                          `over\u000dwrite`,
		"csi \u009b2J del \x7f":                `csi \u009b2J del \u007f`,
		"bidi \u202eevil\u202c \u2066x\u2069":  `bidi \u202eevil\u202c \u2066x\u2069`,
		"bad \xff\x9b utf-8":                   `bad \xff\x9b utf-8`,
		"kept \ufffd replacement":              "kept \ufffd replacement",
	} {
		if got := termSafe(in); got != want {
			t.Errorf("termSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
