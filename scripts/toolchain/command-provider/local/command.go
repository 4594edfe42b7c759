package local

import (
	"context"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Command is `command:local:Command`: commands run on the machine running Pulumi when the
// resource is created, updated and deleted. Like every inferred resource, its outputs
// are secret when an input is secret, and unknown in a preview when an input is.
type Command struct{}

func (c *Command) Annotate(a infer.Annotator) {
	a.Describe(&c, "A command, or commands, run on the machine running Pulumi when the resource is created, "+
		"updated and deleted.")
}

type CommandInputs struct {
	LifecycleInputs
	ExecutionInputs
}

type CommandOutputs struct {
	CommandInputs
	ExecutionOutputs
}

// Create runs `create`; previews run nothing. The ID is the resource name and 8 random hex digits.
func (*Command) Create(
	ctx context.Context, req infer.CreateRequest[CommandInputs],
) (infer.CreateResponse[CommandOutputs], error) {
	state := CommandOutputs{CommandInputs: req.Inputs}
	id, err := resource.NewUniqueHex(req.Name, 8, 0)
	if err != nil || req.DryRun || req.Inputs.Create == nil {
		return infer.CreateResponse[CommandOutputs]{ID: id, Output: state}, err
	}
	err = execute(ctx, *req.Inputs.Create, state.ExecutionInputs, &state.ExecutionOutputs)
	return infer.CreateResponse[CommandOutputs]{ID: id, Output: state}, err
}

// Update runs `update`, or `create` when there is no update command, with the previous
// outputs in PULUMI_COMMAND_STDOUT/STDERR; previews run nothing and keep the old outputs.
func (*Command) Update(
	ctx context.Context, req infer.UpdateRequest[CommandInputs, CommandOutputs],
) (infer.UpdateResponse[CommandOutputs], error) {
	state := CommandOutputs{CommandInputs: req.Inputs, ExecutionOutputs: req.State.ExecutionOutputs}
	command := req.Inputs.Create
	if req.Inputs.Update != nil {
		command = req.Inputs.Update
	}
	if req.DryRun || command == nil {
		return infer.UpdateResponse[CommandOutputs]{Output: state}, nil
	}
	err := execute(ctx, *command, state.ExecutionInputs, &state.ExecutionOutputs)
	return infer.UpdateResponse[CommandOutputs]{Output: state}, err
}

// Delete runs `delete` with the inputs and outputs recorded in the state.
func (*Command) Delete(ctx context.Context, req infer.DeleteRequest[CommandOutputs]) (infer.DeleteResponse, error) {
	state := req.State
	if state.Delete == nil {
		return infer.DeleteResponse{}, nil
	}
	return infer.DeleteResponse{}, execute(ctx, *state.Delete, state.ExecutionInputs, &state.ExecutionOutputs)
}
