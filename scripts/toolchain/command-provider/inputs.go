package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// localCommandType is the only resource this provider serves.
const localCommandType = "command:local:Command"

// inputKeys are the inputs of command:local:Command; every other key in a state is an output.
var inputKeys = []resource.PropertyKey{
	"create", "update", "delete", "environment", "dir", "interpreter", "stdin",
	"triggers", "addPreviousOutputInEnv", "logging", "assetPaths", "archivePaths",
}

// replaceKeys force a new resource when they change, as `triggers` does in @pulumi/command.
var replaceKeys = map[resource.PropertyKey]bool{"triggers": true}

// commandInputs is the resolved form of the inputs that running a command needs.
type commandInputs struct {
	create, update, delete *string
	environment            map[string]string
	dir                    *string
	interpreter            []string
	stdin                  *string
	addPreviousOutput      bool
	logging                string
	// secrets are the plaintexts of every secret input, to be redacted from logs and errors.
	secrets []string
	// secretOutputs: some input is secret, so stdout and stderr are secret outputs, and
	// stdout (where a command prints its results) is not streamed to the engine's log.
	secretOutputs bool
}

// onlyInputs keeps the input keys of a state or an input map.
func onlyInputs(props resource.PropertyMap) resource.PropertyMap {
	out := resource.PropertyMap{}
	for _, key := range inputKeys {
		if value, ok := props[key]; ok && !value.IsNull() {
			out[key] = value
		}
	}
	return out
}

// checkInputs reports the inputs this provider cannot honour, one message per key.
func checkInputs(props resource.PropertyMap) []string {
	var problems []string
	for key, value := range props {
		if value.IsNull() || value.ContainsUnknowns() {
			continue
		}
		plain := unwrapSecret(value)
		switch key {
		case "create", "update", "delete", "dir", "stdin":
			if !plain.IsString() {
				problems = append(problems, fmt.Sprintf("%s: expected a string", key))
			}
		case "interpreter":
			if !plain.IsArray() {
				problems = append(problems, "interpreter: expected a list of strings")
			}
		case "environment":
			if !plain.IsObject() {
				problems = append(problems, "environment: expected a map of strings")
			}
		case "logging":
			switch plain.StringValue() {
			case "stdout", "stderr", "stdoutAndStderr", "none":
			default:
				problems = append(problems, `logging: expected "stdout", "stderr", "stdoutAndStderr" or "none"`)
			}
		case "assetPaths", "archivePaths":
			problems = append(problems, fmt.Sprintf("%s: not supported by this build of the command provider", key))
		}
	}
	sort.Strings(problems)
	return problems
}

// resolveInputs reads known inputs; unknown ones are absent (only previews see them).
func resolveInputs(props resource.PropertyMap) commandInputs {
	in := commandInputs{addPreviousOutput: true, logging: "stdoutAndStderr"}
	in.secrets = withSecretLines(secretStrings(resource.NewObjectProperty(props), false))
	in.secretOutputs = hasSecret(props)
	str := func(key resource.PropertyKey) *string {
		value := unwrapSecret(props[key])
		if !value.IsString() {
			return nil
		}
		s := value.StringValue()
		return &s
	}
	in.create, in.update, in.delete = str("create"), str("update"), str("delete")
	in.dir, in.stdin = str("dir"), str("stdin")
	if env := unwrapSecret(props["environment"]); env.IsObject() {
		in.environment = map[string]string{}
		for key, value := range env.ObjectValue() {
			if plain := unwrapSecret(value); plain.IsString() {
				in.environment[string(key)] = plain.StringValue()
			}
		}
	}
	if interp := unwrapSecret(props["interpreter"]); interp.IsArray() {
		for _, part := range interp.ArrayValue() {
			if plain := unwrapSecret(part); plain.IsString() {
				in.interpreter = append(in.interpreter, plain.StringValue())
			}
		}
	}
	if add := unwrapSecret(props["addPreviousOutputInEnv"]); add.IsBool() {
		in.addPreviousOutput = add.BoolValue()
	}
	if logging := str("logging"); logging != nil {
		in.logging = *logging
	}
	return in
}

func unwrapSecret(value resource.PropertyValue) resource.PropertyValue {
	for value.IsSecret() {
		value = value.SecretValue().Element
	}
	return value
}

// secretStrings collects the strings under secret markers (every string once inside one).
func secretStrings(value resource.PropertyValue, inSecret bool) []string {
	switch {
	case value.IsSecret():
		return secretStrings(value.SecretValue().Element, true)
	case value.IsString():
		if inSecret && value.StringValue() != "" {
			return []string{value.StringValue()}
		}
	case value.IsArray():
		var out []string
		for _, item := range value.ArrayValue() {
			out = append(out, secretStrings(item, inSecret)...)
		}
		return out
	case value.IsObject():
		var out []string
		for _, item := range value.ObjectValue() {
			out = append(out, secretStrings(item, inSecret)...)
		}
		return out
	}
	return nil
}

// hasSecret says whether any part of the inputs is secret; outputs then are secret too.
func hasSecret(props resource.PropertyMap) bool {
	return resource.NewObjectProperty(props).ContainsSecrets()
}

// withSecretLines adds the lines of multi-line secrets (keys, certificates), since
// output is logged line by line; lines too short to be telling are left out.
func withSecretLines(secrets []string) []string {
	out := append([]string{}, secrets...)
	for _, secret := range secrets {
		if !strings.Contains(secret, "\n") {
			continue
		}
		for _, line := range strings.Split(secret, "\n") {
			if len(strings.TrimSpace(line)) >= 8 {
				out = append(out, line)
			}
		}
	}
	return out
}
