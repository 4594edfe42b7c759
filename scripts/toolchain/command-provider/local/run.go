package local

import (
	"context"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// Run is the function `command:local:run`: one command, run whenever the program calls it.
type Run struct{}

func (r *Run) Annotate(a infer.Annotator) {
	a.Describe(&r, "Runs a command on the machine running Pulumi, each time the program calls this function.")
}

type RunInputs struct {
	ExecutionInputs
	Command string `pulumi:"command"`
}

func (r *RunInputs) Annotate(a infer.Annotator) {
	a.Describe(&r.Command, "The command to run.")
}

type RunOutputs struct {
	RunInputs
	ExecutionOutputs
}

func (*Run) Invoke(ctx context.Context, req infer.FunctionRequest[RunInputs]) (infer.FunctionResponse[RunOutputs], error) {
	out := RunOutputs{RunInputs: req.Input}
	err := execute(ctx, req.Input.Command, out.ExecutionInputs, &out.ExecutionOutputs)
	return infer.FunctionResponse[RunOutputs]{Output: out}, err
}
