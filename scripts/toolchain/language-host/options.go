package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// runtimeOptions are the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml.
type runtimeOptions struct {
	typescript     bool
	nodeArgs       []string
	tsconfig       string
	packageManager string
}

func (h *nodeHost) optionsOf(info *pulumirpc.ProgramInfo) runtimeOptions {
	opts := runtimeOptions{typescript: h.typescriptDefault, packageManager: "npm"}
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	fields := info.GetOptions().GetFields()
	if v, ok := fields["typescript"]; ok {
		opts.typescript = v.GetBoolValue()
	}
	if v, ok := fields["nodeargs"]; ok {
		opts.nodeArgs = strings.Fields(v.GetStringValue())
	}
	if v, ok := fields["tsconfig"]; ok {
		opts.tsconfig = v.GetStringValue()
	}
	if v, ok := fields["packagemanager"]; ok && v.GetStringValue() != "" {
		opts.packageManager = v.GetStringValue()
	}
	return opts
}

// environ is the process environment plus the variables @pulumi/pulumi reads at start-up.
func (opts runtimeOptions) environ(extra ...string) []string {
	env := append(os.Environ(), fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", opts.typescript))
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return append(env, extra...)
}

// resolveSDKEntry finds one of @pulumi/pulumi's command entry points ("run",
// "run-policy-pack", "run-plugin") the way node would from dir, so the program's own
// copy of the SDK runs it.
func (h *nodeHost) resolveSDKEntry(dir, entry string) (string, error) {
	cmd := exec.Command(h.nodeBin, "-e",
		fmt.Sprintf("console.log(require.resolve('@pulumi/pulumi/cmd/%s'))", entry))
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		abs, _ := filepath.Abs(dir)
		return "", fmt.Errorf(
			"could not find @pulumi/pulumi from %s; install the program's dependencies (npm install)", abs)
	}
	return strings.TrimSpace(string(out)), nil
}
