/** Runs `compose-pulumi` in-process through its dispatcher, as the tests of the CLI need it. */
import { main } from "../../../infra/cli.ts";
import type { CliIO } from "../../../infra/cli/command.ts";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function runCli(argv: string[], options: { env?: Record<string, string | undefined>; cwd?: string; io?: Partial<CliIO> } = {}): Promise<CliResult> {
  let out = "";
  let err = "";
  const io: CliIO = {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    env: options.env ?? {},
    cwd: options.cwd,
    ...options.io,
  };
  const code = await main(argv, io);
  return { code, out, err };
}
