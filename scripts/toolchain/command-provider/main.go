// pulumi-resource-command serves `command:local:Command` and `command:local:run` of
// @pulumi/command 1.2.1, built here because pulumi-command's own provider module is not
// on the Go module proxy. It is written on the same provider framework and version
// (pulumi-go-provider v1.3.0, `infer`) as the published provider, so checks, diffs,
// previews, secrets and status logging behave as there; the command execution in
// local/ follows the published provider's documented behaviour. The remote resources
// (remote:Command, remote:CopyToRemote, remote:CopyFile) are not served.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/middleware/schema"

	"compose-pulumi.local/command-provider/local"
)

// version is stamped at link time with the @pulumi/command release this provider serves.
var version = "0.0.0-dev"

func main() {
	provider := infer.Provider(infer.Options{
		Metadata: schema.Metadata{
			DisplayName: "Command",
			Description: "Runs commands and scripts on the machine running Pulumi, as part of the resource model.",
			Keywords:    []string{"pulumi", "command", "category/utility", "kind/native"},
			Homepage:    "https://pulumi.com",
			License:     "Apache-2.0",
			Repository:  "https://github.com/pulumi/pulumi-command",
			Publisher:   "Pulumi",
			LanguageMap: map[string]any{"nodejs": map[string]any{"respectSchemaVersion": true}},
		},
		Resources: []infer.InferredResource{infer.Resource(&local.Command{})},
		Functions: []infer.InferredFunction{infer.Function(&local.Run{})},
	})
	if err := p.RunProvider(context.Background(), "command", strings.TrimPrefix(version, "v"), provider); err != nil {
		fmt.Fprintf(os.Stderr, "Error: %s", err.Error())
		os.Exit(1)
	}
}
