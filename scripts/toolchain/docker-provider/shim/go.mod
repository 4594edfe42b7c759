// Exposes the upstream Terraform provider's internal constructor. The module path sits
// under the upstream's own path so Go's internal-package rule lets it import
// internal/provider.
module github.com/terraform-providers/terraform-provider-docker/shim

go 1.25.8

require (
	github.com/hashicorp/terraform-plugin-sdk/v2 v2.40.1
	github.com/terraform-providers/terraform-provider-docker v0.0.0-00010101000000-000000000000
)
