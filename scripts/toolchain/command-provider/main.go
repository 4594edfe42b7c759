// pulumi-resource-command serves the `command:local:Command` resource of @pulumi/command
// to the Pulumi engine: a shell command run on create (and update, delete), whose
// stdout and stderr become outputs. It follows the published provider's behaviour for
// the inputs @pulumi/command's SDK sends, so programs written against that SDK run
// unchanged where the published plugin cannot be installed.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is stamped at link time with the @pulumi/command version the SDK asks for.
var version = "0.0.0-dev"

func main() {
	err := provider.Main("command", func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return newCommandProvider(host, version), nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-command: %v\n", err)
		os.Exit(1)
	}
}
