package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON holds the fields of an installed package's package.json that matter here.
type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// programDirectory is where the program's package.json lives.
func programDirectory(info *pulumirpc.ProgramInfo, fallback string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	if fallback == "" {
		return "."
	}
	return fallback
}

// nodeModulesDir finds the node_modules folder node would use for dir: the nearest one
// at or above it.
func nodeModulesDir(dir string) (string, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		candidate := filepath.Join(abs, "node_modules")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return candidate, true
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", false
		}
		abs = parent
	}
}

// installedPackages lists the top-level packages under the program's node_modules,
// including scoped ones (@scope/name), sorted by name.
func installedPackages(dir string) ([]packageJSON, error) {
	root, ok := nodeModulesDir(dir)
	if !ok {
		return nil, nil
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var pkgDirs []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."):
		case strings.HasPrefix(name, "@"):
			scoped, err := os.ReadDir(filepath.Join(root, name))
			if err != nil {
				continue
			}
			for _, s := range scoped {
				pkgDirs = append(pkgDirs, filepath.Join(root, name, s.Name()))
			}
		default:
			pkgDirs = append(pkgDirs, filepath.Join(root, name))
		}
	}
	var pkgs []packageJSON
	for _, d := range pkgDirs {
		b, err := os.ReadFile(filepath.Join(d, "package.json"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		var p packageJSON
		if json.Unmarshal(b, &p) != nil || p.Name == "" {
			continue
		}
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Name < pkgs[j].Name })
	return pkgs, nil
}

// pluginOf reports the resource plugin a package needs, named and versioned the way the
// engine's plugin cache spells them ("docker", "v5.2.0").
func pluginOf(p packageJSON) (name, version string, ok bool) {
	if !p.Pulumi.Resource {
		return "", "", false
	}
	name = p.Pulumi.Name
	if name == "" {
		name = strings.TrimPrefix(strings.TrimPrefix(p.Name, "@pulumi/"), "@")
	}
	version = p.Pulumi.Version
	if version == "" {
		version = p.Version
	}
	if version != "" && !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	return name, version, true
}

func (h *nodeHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	pkgs, err := installedPackages(programDirectory(req.GetInfo(), req.GetProgram()))
	if err != nil {
		return nil, err
	}
	var plugins []*pulumirpc.PluginDependency
	for _, p := range pkgs {
		if name, ver, ok := pluginOf(p); ok {
			plugins = append(plugins, &pulumirpc.PluginDependency{
				Name: name, Kind: "resource", Version: ver, Server: p.Pulumi.Server,
			})
		}
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *nodeHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs, err := installedPackages(programDirectory(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	var deps []*pulumirpc.PackageDependency
	for _, p := range pkgs {
		if name, ver, ok := pluginOf(p); ok {
			deps = append(deps, &pulumirpc.PackageDependency{
				Name: name, Kind: "resource", Version: ver, Server: p.Pulumi.Server,
			})
		}
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}
