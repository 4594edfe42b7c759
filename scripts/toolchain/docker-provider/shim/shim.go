// Package shim hands the upstream Terraform docker provider to the Pulumi bridge.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider returns the upstream SDKv2 provider, labelled with the Pulumi plugin version.
func NewProvider(version string) *schema.Provider {
	return provider.New(version)()
}
