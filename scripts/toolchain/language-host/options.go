package main

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	"google.golang.org/protobuf/types/known/structpb"
)

// nodeOptions are the `runtime.options` of Pulumi.yaml, PulumiPolicy.yaml or
// PulumiPlugin.yaml, with the official host's defaults and its messages for wrong types.
type nodeOptions struct {
	// typescript (default true) sets PULUMI_NODEJS_TYPESCRIPT=true: the SDK then registers ts-node.
	typescript bool
	// tsconfig is passed on as PULUMI_NODEJS_TSCONFIG_PATH.
	tsconfigpath string
	// nodeargs are split like a shell would. For a program they come before the SDK's
	// run script; for a policy pack or plugin, after it (where node does not read them).
	nodeargs       string
	packagemanager npm.PackageManagerType
	production     bool
}

func parseOptions(options *structpb.Struct) (nodeOptions, error) {
	values := options.AsMap()
	opts := nodeOptions{typescript: true, packagemanager: npm.AutoPackageManager}
	// Each option, when set, must have its type; the messages are the official host's.
	var err error
	set := func(key, message string, assign func(any) bool) {
		if v, ok := values[key]; ok && err == nil && !assign(v) {
			err = errors.New(message)
		}
	}
	set("typescript", "typescript option must be a boolean", func(v any) (ok bool) { opts.typescript, ok = v.(bool); return })
	set("tsconfig", "tsconfigpath option must be a string", func(v any) (ok bool) { opts.tsconfigpath, ok = v.(string); return })
	set("nodeargs", "nodeargs option must be a string", func(v any) (ok bool) { opts.nodeargs, ok = v.(string); return })
	set("production", "production option must be a boolean", func(v any) (ok bool) { opts.production, ok = v.(bool); return })
	manager := "auto"
	set("packagemanager", "packagemanager option must be a string", func(v any) (ok bool) { manager, ok = v.(string); return })
	if err != nil {
		return opts, err
	}
	switch manager {
	case "auto":
	case "npm":
		opts.packagemanager = npm.NpmPackageManager
	case "yarn":
		opts.packagemanager = npm.YarnPackageManager
	case "pnpm":
		opts.packagemanager = npm.PnpmPackageManager
	case "bun":
		opts.packagemanager = npm.BunPackageManager
	default:
		return opts, fmt.Errorf("packagemanager option must be one of auto, npm, yarn, pnpm or bun, got %q", manager)
	}
	return opts, nil
}

// typescriptEnvironment is what the options add to node's environment.
func (opts nodeOptions) typescriptEnvironment() []string {
	var env []string
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfigpath != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfigpath)
	}
	return env
}
