package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

type commandProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
	host    *provider.HostClient
	version string

	// cancel stops every running command when the engine cancels the operation.
	cancelOnce sync.Once
	ctx        context.Context
	cancel     context.CancelFunc
}

func newCommandProvider(host *provider.HostClient, version string) *commandProvider {
	ctx, cancel := context.WithCancel(context.Background())
	return &commandProvider{host: host, version: version, ctx: ctx, cancel: cancel}
}

// Secrets and unknowns are kept end to end: the engine sends them marked and gets them
// back marked, so a secret environment never becomes plaintext in the state.
var marshalOptions = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}

func unmarshalOldsAndNews(olds, news *structpb.Struct) (resource.PropertyMap, resource.PropertyMap, error) {
	oldProps, err := plugin.UnmarshalProperties(olds, marshalOptions)
	if err != nil {
		return nil, nil, err
	}
	newProps, err := plugin.UnmarshalProperties(news, marshalOptions)
	return oldProps, newProps, err
}

func (p *commandProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.version}, nil
}

func (p *commandProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: schemaJSON(p.version)}, nil
}

func (p *commandProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *commandProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *commandProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

func (p *commandProvider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	p.cancelOnce.Do(p.cancel)
	return &emptypb.Empty{}, nil
}

func checkType(urn string) error {
	if resource.URN(urn).Type() != localCommandType {
		return fmt.Errorf("unknown resource type %q: this build of the command provider serves only %s",
			resource.URN(urn).Type(), localCommandType)
	}
	return nil
}

func (p *commandProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	news, err := plugin.UnmarshalProperties(req.GetNews(), marshalOptions)
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	for _, problem := range checkInputs(news) {
		property, reason, _ := strings.Cut(problem, ": ")
		failures = append(failures, &pulumirpc.CheckFailure{Property: property, Reason: reason})
	}
	inputs, err := plugin.MarshalProperties(onlyInputs(news), marshalOptions)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

func (p *commandProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, news, err := unmarshalOldsAndNews(req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, err
	}
	return diffInputs(onlyInputs(olds), onlyInputs(news)), nil
}

// diffInputs: any changed input updates in place (running `update`, or `create` again);
// a changed trigger replaces.
func diffInputs(olds, news resource.PropertyMap) *pulumirpc.DiffResponse {
	response := &pulumirpc.DiffResponse{
		Changes:         pulumirpc.DiffResponse_DIFF_NONE,
		DetailedDiff:    map[string]*pulumirpc.PropertyDiff{},
		HasDetailedDiff: true,
	}
	for _, key := range inputKeys {
		oldValue, hadOld := olds[key]
		newValue, hasNew := news[key]
		if !hadOld && !hasNew {
			continue
		}
		same := hadOld && hasNew && !newValue.ContainsUnknowns() && oldValue.DeepEquals(newValue)
		if same {
			continue
		}
		kind := pulumirpc.PropertyDiff_UPDATE
		switch {
		case !hadOld:
			kind = pulumirpc.PropertyDiff_ADD
		case !hasNew:
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if replaceKeys[key] {
			kind += pulumirpc.PropertyDiff_ADD_REPLACE - pulumirpc.PropertyDiff_ADD
			response.Replaces = append(response.Replaces, string(key))
		}
		response.Changes = pulumirpc.DiffResponse_DIFF_SOME
		response.Diffs = append(response.Diffs, string(key))
		response.DetailedDiff[string(key)] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	return response
}

// outputs are the inputs echoed back plus stdout and stderr; unknown while previewing.
// Like @pulumi/command, every output is secret as soon as any input is.
func outputs(inputs resource.PropertyMap, result *commandResult) resource.PropertyMap {
	out := inputs.Copy()
	stdout, stderr := resource.MakeComputed(resource.NewStringProperty("")), resource.MakeComputed(resource.NewStringProperty(""))
	if result != nil {
		stdout, stderr = resource.NewStringProperty(result.stdout), resource.NewStringProperty(result.stderr)
	}
	if hasSecret(inputs) {
		stdout, stderr = resource.MakeSecret(stdout), resource.MakeSecret(stderr)
	}
	out["stdout"], out["stderr"] = stdout, stderr
	return out
}

func previousResult(state resource.PropertyMap) commandResult {
	text := func(key resource.PropertyKey) string {
		if value := unwrapSecret(state[key]); value.IsString() {
			return value.StringValue()
		}
		return ""
	}
	return commandResult{stdout: text("stdout"), stderr: text("stderr")}
}

// run executes one command under the engine's timeout (if any), streaming its lines to
// the engine as status messages for this resource.
func (p *commandProvider) run(urn string, timeoutSeconds float64, command string, in commandInputs, previous commandResult) (commandResult, error) {
	ctx := p.ctx
	if timeoutSeconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(timeoutSeconds*float64(time.Second)))
		defer cancel()
	}
	logLine := func(line string) {
		_ = p.host.LogStatus(context.Background(), diag.Info, resource.URN(urn), line)
	}
	return runCommand(ctx, command, in, previous, logLine)
}

func (p *commandProvider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	inputs, err := plugin.UnmarshalProperties(req.GetProperties(), marshalOptions)
	if err != nil {
		return nil, err
	}
	id, err := resource.NewUniqueHex(resource.URN(req.GetUrn()).Name()+"-", 8, 0)
	if err != nil {
		return nil, err
	}
	var result *commandResult
	if !req.GetPreview() {
		result = &commandResult{}
		in := resolveInputs(inputs)
		if in.create != nil {
			finished, err := p.run(req.GetUrn(), req.GetTimeout(), *in.create, in, commandResult{})
			if err != nil {
				return nil, err
			}
			result = &finished
		}
	}
	properties, err := plugin.MarshalProperties(outputs(inputs, result), marshalOptions)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: properties}, nil
}

func (p *commandProvider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	olds, news, err := unmarshalOldsAndNews(req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, err
	}
	previous := previousResult(olds)
	var result *commandResult
	if !req.GetPreview() {
		result = &previous
		in := resolveInputs(news)
		command := in.create
		if in.update != nil {
			command = in.update
		}
		if command != nil {
			finished, err := p.run(req.GetUrn(), req.GetTimeout(), *command, in, previous)
			if err != nil {
				return nil, err
			}
			result = &finished
		}
	}
	properties, err := plugin.MarshalProperties(outputs(onlyInputs(news), result), marshalOptions)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: properties}, nil
}

func (p *commandProvider) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	state, err := plugin.UnmarshalProperties(req.GetProperties(), marshalOptions)
	if err != nil {
		return nil, err
	}
	in := resolveInputs(onlyInputs(state))
	if in.delete != nil {
		if _, err := p.run(req.GetUrn(), req.GetTimeout(), *in.delete, in, previousResult(state)); err != nil {
			return nil, err
		}
	}
	return &emptypb.Empty{}, nil
}

// Read returns the recorded state: a command has nothing to read back, so a refresh
// never reports drift for it.
func (p *commandProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	if len(req.GetProperties().GetFields()) == 0 {
		return nil, fmt.Errorf("%s cannot be imported: it has no state outside Pulumi", localCommandType)
	}
	inputs := req.GetInputs()
	if len(inputs.GetFields()) == 0 {
		state, err := plugin.UnmarshalProperties(req.GetProperties(), marshalOptions)
		if err != nil {
			return nil, err
		}
		if inputs, err = plugin.MarshalProperties(onlyInputs(state), marshalOptions); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: inputs}, nil
}
