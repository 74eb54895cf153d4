package main

import (
	"fmt"
	"github.com/crudmap/crudmap/render/svg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the crudmap command in scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"crudmap":     func() { os.Exit(main1()) },
		"crudmap-svg": svgMain,
	})
}

// svgMain is the crudmap-svg command, for the scripts that draw graphs.
func svgMain() {
	if err := svg.Filter(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "crudmap-svg:", err)
		os.Exit(1)
	}
}

// TestScripts runs the CLI end-to-end tests in testdata/script: each
// archive holds a small module, the crudmap command lines and what they
// must print.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// The scripts' modules use only the standard library: keep the
			// go command off the network, but let it reuse the build cache.
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOCACHE", goEnv(t, "GOCACHE"))
			env.Setenv("GOPATH", goEnv(t, "GOPATH"))
			// Each script's directory is a repository root, as a checkout
			// is: crudmap's search for a schema above the module stops
			// there and never sees the other scripts' files beside it. The
			// go command must not stamp builds from that empty repository.
			env.Setenv("GOFLAGS", "-buildvcs=false")
			return os.MkdirAll(filepath.Join(env.WorkDir, ".git"), 0o755)
		},
	})
}

// goEnv returns the go command's setting of name.
func goEnv(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}
