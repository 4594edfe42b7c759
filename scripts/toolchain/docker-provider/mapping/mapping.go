// Package mapping names the Terraform docker provider's resources and data sources the
// way the published @pulumi/docker SDK expects them on the wire.
package mapping

import (
	"unicode"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	sdktokens "github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/terraform-providers/terraform-provider-docker/shim"
)

const pkg = "docker"

// resourceType builds "docker:index/container:Container" from "Container".
func resourceType(name string) sdktokens.Type {
	return sdktokens.Type(pkg + ":index/" + lowerFirst(name) + ":" + name)
}

// functionToken builds "docker:index/getNetwork:getNetwork" from "getNetwork".
func functionToken(name string) sdktokens.ModuleMember {
	return sdktokens.ModuleMember(pkg + ":index/" + name + ":" + name)
}

func lowerFirst(s string) string {
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// Provider returns the bridge description of the docker provider at the given version.
func Provider(version string) tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:           shimv2.NewProvider(shim.NewProvider(version)),
		Name:        pkg,
		Version:     version,
		Description: "A Pulumi package for interacting with Docker in Pulumi programs",
		Keywords:    []string{"pulumi", "docker"},
		License:     "Apache-2.0",
		Repository:  "https://github.com/pulumi/pulumi-docker",
		Config: map[string]*tfbridge.SchemaInfo{
			"host": {
				Default: &tfbridge.DefaultInfo{
					Value:   "unix:///var/run/docker.sock",
					EnvVars: []string{"DOCKER_HOST"},
				},
			},
			// A list in Terraform, yet the SDK spells it in the singular.
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_config": {Tok: resourceType("ServiceConfig")},
			"docker_container": {
				Tok: resourceType("Container"),
				// A container name is unique per engine: the old one must go first.
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					// One argv, not several commands.
					"command":           {Name: "command"},
					"networks_advanced": {Name: "networksAdvanced"},
				},
			},
			"docker_image": {
				Tok:    resourceType("RemoteImage"),
				Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}},
			},
			"docker_network":        {Tok: resourceType("Network")},
			"docker_secret":         {Tok: resourceType("Secret")},
			"docker_service":        {Tok: resourceType("Service")},
			"docker_volume":         {Tok: resourceType("Volume")},
			"docker_registry_image": {Tok: resourceType("RegistryImage")},
			"docker_plugin":         {Tok: resourceType("Plugin")},
			"docker_tag":            {Tok: resourceType("Tag")},
			"docker_buildx_builder": {Tok: resourceType("BuildxBuilder")},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_network":                  {Tok: functionToken("getNetwork")},
			"docker_registry_image":           {Tok: functionToken("getRegistryImage")},
			"docker_plugin":                   {Tok: functionToken("getPlugin")},
			"docker_image":                    {Tok: functionToken("getRemoteImage")},
			"docker_logs":                     {Tok: functionToken("getLogs")},
			"docker_registry_image_manifests": {Tok: functionToken("getRegistryImageManifests")},
		},
	}
	// Anything the upstream adds later still gets a predictable token instead of failing the build.
	info.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard(pkg)))
	info.SetAutonaming(255, "-")
	return info
}
