//go:build tools

// The command scripts/k8s-build-local-path.sh builds; importing it here lets `go mod tidy`
// record every module it needs in go.sum. The build tag keeps this file out of any build.
package tools

import _ "github.com/rancher/local-path-provisioner"
