package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// packageJSON holds the fields of an installed package's package.json that matter here.
type packageJSON struct {
	Name    string                  `json:"name"`
	Version string                  `json:"version"`
	Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
}

// GetRequiredPackages lists the resource plugins of every package under the program's
// node_modules, at any depth ({"pulumi": {"resource": true}} in its package.json), but
// not those of policy packs found there. Copies of @pulumi/pulumi that differ in minor
// version are reported on stderr.
func (h *nodeHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	scan := &packageScan{visited: map[string]bool{}, sdkVersions: map[string]semver.Version{}}
	err := scan.dir(req.GetInfo().GetProgramDirectory(), false)
	if err == nil {
		scan.warnIncompatibleSDKs()
	} else {
		logging.V(3).Infof("one or more errors while discovering plugins: %s", err)
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: scan.packages}, nil
}

// GetRequiredPlugins is the older form of GetRequiredPackages, which engines no longer call.
func (h *nodeHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return nil, status.Errorf(codes.Unimplemented, "method GetRequiredPlugins not implemented")
}

type packageScan struct {
	visited     map[string]bool
	sdkVersions map[string]semver.Version
	packages    []*pulumirpc.PackageDependency
}

func (s *packageScan) dir(dir string, inNodeModules bool) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("getting full path for plugin dir %s: %w", dir, err)
	}
	if s.visited[dir] {
		return nil
	}
	s.visited[dir] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading plugin dir %s: %w", dir, err)
	}
	var errs []error
	for _, entry := range entries {
		path := filepath.Join(dir, entry.Name())
		isDir := entry.IsDir()
		if entry.Type()&fs.ModeSymlink != 0 {
			resolved, err := filepath.EvalSymlinks(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("resolving link in plugin dir %s: %w", path, err))
				continue
			}
			info, err := os.Stat(resolved)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			path, isDir = resolved, info.IsDir()
		}
		switch {
		case isDir:
			// A policy pack's plugins are the pack's, not the program's.
			pack, err := workspace.DetectPolicyPackPathAt(path)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if pack != "" {
				continue
			}
			if err := s.dir(path, inNodeModules || filepath.Base(dir) == "node_modules"); err != nil {
				errs = append(errs, err)
			}
		case inNodeModules && entry.Name() == "package.json":
			if err := s.packageFile(path); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func (s *packageScan) packageFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading package.json %s: %w", path, err)
	}
	var info packageJSON
	if err := json.Unmarshal(b, &info); err != nil {
		return fmt.Errorf("unmarshaling package.json %s: %w", path, err)
	}
	if info.Name == "@pulumi/pulumi" {
		v, err := semver.Parse(info.Version)
		if err != nil {
			return fmt.Errorf("Could not understand version %s in '%s': %w", info.Version, path, err)
		}
		s.sdkVersions[path] = v
	}
	if !info.Pulumi.Resource {
		return nil
	}
	name, err := pluginName(info)
	if err != nil {
		return fmt.Errorf("unmarshaling package.json %s: %w", path, err)
	}
	version, err := pluginVersion(info)
	if err != nil {
		return fmt.Errorf("unmarshaling package.json %s: %w", path, err)
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: version, Server: info.Pulumi.Server}
	if p := info.Pulumi.Parameterization; p != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	if p := info.Pulumi.ExtensionParameterization; p != nil {
		dep.Extension = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	s.packages = append(s.packages, dep)
	return nil
}

// pluginName is pulumi.name, else the package name without the @pulumi/ scope; other
// scoped packages must name their plugin.
func pluginName(info packageJSON) (string, error) {
	if info.Pulumi.Name != "" {
		return info.Pulumi.Name, nil
	}
	if info.Name == "" {
		return "", errors.New("missing expected \"name\" property")
	}
	if strings.HasPrefix(info.Name, "@pulumi/") {
		return strings.TrimPrefix(info.Name, "@pulumi/"), nil
	}
	return "", fmt.Errorf("Missing property \"name\" for the third-party plugin '%v' "+
		"inside package.json under the \"pulumi\" section.", info.Name)
}

// pluginVersion is pulumi.version, else the package version, with a leading "v".
func pluginVersion(info packageJSON) (string, error) {
	version := info.Pulumi.Version
	if version == "" {
		version = info.Version
		if version == "" {
			return "", errors.New("Missing expected \"version\" property")
		}
	}
	if !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	return version, nil
}

// warnIncompatibleSDKs reports two copies of @pulumi/pulumi that cannot share one
// program (one copy would not see the other's resources).
func (s *packageScan) warnIncompatibleSDKs() {
	var firstPath string
	var first semver.Version
	for path, v := range s.sdkVersions {
		if firstPath == "" {
			firstPath, first = path, v
			continue
		}
		if ok, why := compatibleVersions(v, first); !ok {
			fmt.Fprintf(os.Stderr, "Found incompatible versions of @pulumi/pulumi. %s\n  Version %s referenced at %s\n  Version %s referenced at %s\n",
				why, first, firstPath, v, path)
			return
		}
	}
}

// compatibleVersions: 1.x and 2.x mix, 0.17 goes with 1.x, and otherwise the major
// version (below 1.0, also the minor) must match.
func compatibleVersions(a, b semver.Version) (bool, string) {
	switch {
	case a.Major == 0 && b.Major == 0:
		if a.Minor != b.Minor {
			return false, "Differing major or minor versions are not supported."
		}
	case a.Major >= 1 && a.Major <= 2 && b.Major >= 1 && b.Major <= 2:
	case a.Major > 2 || b.Major > 2:
		if a.Major != b.Major {
			return false, "Differing major versions are not supported."
		}
	case a.Major == 1 && b.Major == 0 && b.Minor == 17, b.Major == 1 && a.Major == 0 && a.Minor == 17:
	default:
		return false, "Differing major or minor versions are not supported."
	}
	return true, ""
}
