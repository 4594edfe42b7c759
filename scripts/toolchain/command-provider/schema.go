package main

import (
	"encoding/json"
)

// schemaJSON describes command:local:Command as far as this provider serves it, for
// tools that ask the engine for a package's schema.
func schemaJSON(version string) string {
	str := map[string]any{"type": "string"}
	strList := map[string]any{"type": "array", "items": str}
	inputs := map[string]any{
		"create":                 str,
		"update":                 str,
		"delete":                 str,
		"dir":                    str,
		"stdin":                  str,
		"environment":            map[string]any{"type": "object", "additionalProperties": str},
		"interpreter":            strList,
		"triggers":               map[string]any{"type": "array", "items": map[string]any{"$ref": "pulumi.json#/Any"}},
		"addPreviousOutputInEnv": map[string]any{"type": "boolean"},
		"logging":                str,
	}
	properties := map[string]any{"stdout": str, "stderr": str}
	for key, value := range inputs {
		properties[key] = value
	}
	schema := map[string]any{
		"name":    "command",
		"version": version,
		"resources": map[string]any{
			localCommandType: map[string]any{
				"description":     "A command run on this machine on create, update and delete.",
				"inputProperties": inputs,
				"properties":      properties,
				"required":        []string{"stdout", "stderr"},
			},
		},
	}
	out, err := json.Marshal(schema)
	if err != nil {
		panic(err)
	}
	return string(out)
}
