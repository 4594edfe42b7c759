package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"github.com/google/shlex"
	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// RunPlugin starts a plugin written for Node.js: a policy pack (kind "analyzer") or a
// provider/component. As in the official host:
//   - node's command line is `node <entry> [nodeargs] <args> <pack dir>` for a policy pack
//     and `node <entry> [nodeargs] <plugin dir> <args>` otherwise: nodeargs come AFTER the
//     entry script, so node never reads them (a pack cannot rely on `--import`);
//   - the environment is exactly the one the engine sends, plus the TypeScript variables,
//     and for a policy pack the stack's organization, project, stack, dry-run flag and
//     configuration;
//   - a policy pack runs in its own directory, any other plugin in the engine's.
func (h *nodeHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	ctx := server.Context()
	if h.engine() == "" {
		return errors.New("when debugging or running explicitly, must call Handshake before Run")
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return err
	}
	opts, err := parseOptions(req.GetInfo().GetOptions())
	if err != nil {
		return err
	}
	env := append(req.GetEnv(), opts.typescriptEnvironment()...)

	isPolicyPack := req.GetKind() == string(apitype.AnalyzerPlugin)
	entry := "@pulumi/pulumi/cmd/run-policy-pack"
	if !isPolicyPack {
		entry = os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
		if entry == "" {
			entry = "@pulumi/pulumi/cmd/run-plugin"
		}
	}
	programDir := req.GetInfo().GetProgramDirectory()
	entry, err = locateModule(ctx, entry, programDir, nodeBin, true)
	if err != nil {
		return err
	}
	if req.GetAttachDebugger() {
		return errors.New("attaching a debugger is not supported by this build of pulumi-language-nodejs")
	}

	nodeargs, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return err
	}
	args := append([]string{entry}, nodeargs...)
	if isPolicyPack {
		args = append(append(args, req.GetArgs()...), programDir)
	} else {
		args = append(append(args, programDir), req.GetArgs()...)
	}

	// A policy pack learns the stack it checks from the engine's first call to it; the
	// proxy answers that call, then hands the connection to the pack once it runs.
	var policyProxy *sdk.PolicyProxy
	if isPolicyPack {
		policyProxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		stack, err := policyProxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		if stack != nil {
			add := func(key, value string) {
				if value != "" {
					env = append(env, key+"="+value)
				}
			}
			add("PULUMI_NODEJS_ORGANIZATION", stack.Organization)
			add("PULUMI_NODEJS_PROJECT", stack.Project)
			add("PULUMI_NODEJS_STACK", stack.Stack)
			add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.DryRun))
			if stack.Config != nil {
				configJSON, err := json.Marshal(stack.Config)
				if err != nil {
					return fmt.Errorf("could not marshal stack configuration: %w", err)
				}
				add("PULUMI_CONFIG", string(configJSON))
			}
		}
	}

	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Dir = req.GetPwd()
	if isPolicyPack {
		cmd.Dir = programDir
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	logging.V(5).Infof("Constructed NodeJS command to run: %s", cmd)

	run := func() error {
		if err := cmd.Start(); err != nil {
			return err
		}
		if policyProxy != nil {
			if err := policyProxy.Attach(ctx, cmd); err != nil {
				return fmt.Errorf("could not attach policy pack proxy: %w", err)
			}
			return nil
		}
		return cmd.Wait()
	}
	if err := run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if status, ok := exit.Sys().(syscall.WaitStatus); ok {
				return fmt.Errorf("Program exited with non-zero exit code: %d", status.ExitStatus())
			}
			return fmt.Errorf("Program exited unexpectedly: %w", exit)
		}
		return fmt.Errorf("Problem executing plugin program (could not run language executor): %w", err)
	}
	return closer.Close()
}
