package main

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	"google.golang.org/protobuf/types/known/structpb"
)

// The runtime options are read with the official host's defaults and messages.
func TestParseOptions(t *testing.T) {
	parse := func(values map[string]any) (nodeOptions, error) {
		s, err := structpb.NewStruct(values)
		if err != nil {
			t.Fatal(err)
		}
		return parseOptions(s)
	}
	opts, err := parse(nil)
	if err != nil || !opts.typescript || opts.packagemanager != npm.AutoPackageManager || opts.nodeargs != "" {
		t.Fatalf("defaults: %+v %v", opts, err)
	}
	opts, err = parse(map[string]any{"typescript": false, "nodeargs": "--import x", "tsconfig": "t.json", "packagemanager": "pnpm", "production": true})
	if err != nil || opts.typescript || opts.nodeargs != "--import x" || opts.tsconfigpath != "t.json" || opts.packagemanager != npm.PnpmPackageManager || !opts.production {
		t.Fatalf("set: %+v %v", opts, err)
	}
	for _, c := range []struct {
		values  map[string]any
		message string
	}{
		{map[string]any{"typescript": "yes"}, "typescript option must be a boolean"},
		{map[string]any{"tsconfig": 1}, "tsconfigpath option must be a string"},
		{map[string]any{"nodeargs": true}, "nodeargs option must be a string"},
		{map[string]any{"production": "no"}, "production option must be a boolean"},
		{map[string]any{"packagemanager": 3}, "packagemanager option must be a string"},
		{map[string]any{"packagemanager": ""}, `packagemanager option must be one of auto, npm, yarn, pnpm or bun, got ""`},
		{map[string]any{"packagemanager": "pip"}, `packagemanager option must be one of auto, npm, yarn, pnpm or bun, got "pip"`},
	} {
		if _, err := parse(c.values); err == nil || err.Error() != c.message {
			t.Errorf("%v: got %v, want %q", c.values, err, c.message)
		}
	}
}
