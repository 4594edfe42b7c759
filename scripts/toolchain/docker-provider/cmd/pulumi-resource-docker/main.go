// pulumi-resource-docker serves the bridged docker provider to the Pulumi engine.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"

	"compose-pulumi.local/docker-provider/mapping"
)

// version is stamped at link time so the engine matches the plugin to the @pulumi/docker SDK.
var version = "0.0.0-dev"

func main() {
	// No embedded Pulumi schema: generating one needs the bridge's tfgen, whose code
	// generators for other languages are not on the module proxy. The bridge then skips
	// its optional input type checks; Terraform's own validation still runs.
	tfbridge.Main("docker", version, mapping.Provider(version), nil)
}
