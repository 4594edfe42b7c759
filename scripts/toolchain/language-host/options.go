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
	if v, ok := values["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return opts, errors.New("typescript option must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := values["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("tsconfigpath option must be a string")
		}
		opts.tsconfigpath = s
	}
	if v, ok := values["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("nodeargs option must be a string")
		}
		opts.nodeargs = s
	}
	if v, ok := values["production"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return opts, errors.New("production option must be a boolean")
		}
		opts.production = b
	}
	if v, ok := values["packagemanager"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("packagemanager option must be a string")
		}
		switch s {
		case "auto":
			opts.packagemanager = npm.AutoPackageManager
		case "npm":
			opts.packagemanager = npm.NpmPackageManager
		case "yarn":
			opts.packagemanager = npm.YarnPackageManager
		case "pnpm":
			opts.packagemanager = npm.PnpmPackageManager
		case "bun":
			opts.packagemanager = npm.BunPackageManager
		default:
			return opts, fmt.Errorf("packagemanager option must be one of auto, npm, yarn, pnpm or bun, got %q", s)
		}
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
