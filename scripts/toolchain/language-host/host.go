package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/executable"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// nodeHost implements the engine's LanguageRuntime service for Node.js. Code generation
// (GenerateProject, GenerateProgram, GeneratePackage, Pack, Link) is not served: it needs
// Pulumi's codegen packages, and this project only runs programs.
type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing string

	mu            sync.Mutex
	engineAddress string

	// cancelled ends running programs when the engine sends Cancel.
	cancelled context.Context
	cancel    context.CancelFunc
}

func newNodeHost(engineAddress, tracing string) *nodeHost {
	ctx, cancel := context.WithCancel(context.Background())
	return &nodeHost{engineAddress: engineAddress, tracing: tracing, cancelled: ctx, cancel: cancel}
}

func (h *nodeHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	if err := rpcutil.Healthcheck(ctx, req.GetEngineAddress(), 5*time.Minute, stop); err != nil {
		return nil, fmt.Errorf("could not start health check host RPC server: %w", err)
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *nodeHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}

func (h *nodeHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	opts, err := parseOptions(req.GetInfo().GetOptions())
	if err != nil {
		return nil, fmt.Errorf("failed to parse options: %w", err)
	}
	pm, err := npm.ResolvePackageManager(opts.packagemanager, req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, fmt.Errorf("could not resolve packagemanager: %w", err)
	}
	nodePath, err := executable.FindExecutable("node")
	if err != nil {
		return nil, fmt.Errorf("could not find executable %q: %w", "node", err)
	}
	metadata := map[string]string{"packagemanager": pm.Name()}
	var nodeVersion string
	if out, err := exec.CommandContext(ctx, "node", "--version").Output(); err == nil {
		nodeVersion = strings.TrimSpace(string(out))
	}
	if v, err := pm.Version(); err == nil {
		metadata["packagemanagerVersion"] = v.String()
	}
	// The TypeScript the program would load, resolved the way node resolves it.
	ts := exec.CommandContext(ctx, "node", "-e", "console.log(require('typescript/package.json').version)")
	ts.Dir = req.GetInfo().GetProgramDirectory()
	if out, err := ts.Output(); err == nil {
		metadata["typescriptVersion"] = strings.TrimSpace(string(out))
	}
	return &pulumirpc.AboutResponse{Executable: nodePath, Version: nodeVersion, Metadata: metadata}, nil
}

func (h *nodeHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	opts, err := parseOptions(req.GetInfo().GetOptions())
	if err != nil {
		return nil, fmt.Errorf("failed to parse options: %w", err)
	}
	pm, err := npm.ResolvePackageManager(opts.packagemanager, req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, fmt.Errorf("failed to determine package manager: %w", err)
	}
	packages, err := pm.ListPackages(ctx, req.GetInfo().GetProgramDirectory(), req.GetTransitiveDependencies())
	if err != nil {
		return nil, fmt.Errorf("failed to get node dependencies: %w", err)
	}
	deps := make([]*pulumirpc.DependencyInfo, len(packages))
	for i, p := range packages {
		deps[i] = &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version}
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *nodeHost) RuntimeOptionsPrompts(
	_ context.Context, req *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	var prompts []*pulumirpc.RuntimeOptionPrompt
	if _, set := req.GetInfo().GetOptions().AsMap()["packagemanager"]; !set {
		prompts = append(prompts, &pulumirpc.RuntimeOptionPrompt{
			Key:         "packagemanager",
			Description: "The package manager to use for installing dependencies",
			PromptType:  pulumirpc.RuntimeOptionPrompt_STRING,
			Choices:     plugin.MakeExecutablePromptChoices("npm", "pnpm", "yarn", "bun"),
			Default: &pulumirpc.RuntimeOptionPrompt_RuntimeOptionValue{
				PromptType:  pulumirpc.RuntimeOptionPrompt_STRING,
				StringValue: "npm",
			},
		})
	}
	return &pulumirpc.RuntimeOptionsResponse{Prompts: prompts}, nil
}

func (h *nodeHost) Template(_ context.Context, req *pulumirpc.TemplateRequest) (*pulumirpc.TemplateResponse, error) {
	opts, err := parseOptions(req.GetInfo().GetOptions())
	if err != nil {
		return nil, err
	}
	if opts.packagemanager == npm.PnpmPackageManager {
		workspace := filepath.Join(req.GetInfo().GetProgramDirectory(), "pnpm-workspace.yaml")
		if _, err := os.Stat(workspace); errors.Is(err, os.ErrNotExist) {
			content := "# Don't run protobufjs's unnecessary install script (pnpm 11 fails install unless it's listed here).\n" +
				"# https://github.com/protobufjs/protobuf.js/pull/2299\n" +
				"allowBuilds:\n" +
				"  protobufjs: false\n"
			if err := os.WriteFile(workspace, []byte(content), 0o600); err != nil {
				return nil, fmt.Errorf("writing pnpm-workspace.yaml: %w", err)
			}
		}
	}
	return &pulumirpc.TemplateResponse{}, nil
}

// locateModule resolves one of @pulumi/pulumi's entry points the way node would from the
// program's directory, so the program's own copy of the SDK runs it.
func locateModule(ctx context.Context, module, programDir, nodeBin string, isPlugin bool) (string, error) {
	install := "pulumi install"
	if isPlugin {
		install = "npm install in " + programDir
	}
	// One line: some node shims mishandle newlines in arguments.
	script := fmt.Sprintf(`try { console.log(require.resolve('%s')); } catch (error) { `+
		`if (error.code === 'MODULE_NOT_FOUND') { console.error("It looks like the Pulumi SDK has not been installed. Have you run %s?") } `+
		`else { console.error(error.message); } process.exit(1); }`, module, install)
	cmd := exec.CommandContext(ctx, nodeBin, "-e", script)
	cmd.Dir = programDir
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", errors.New(string(exit.Stderr))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
