import { type Command, InvalidArgumentError, Option, type OptionValues } from "commander";
import { booleanArg } from "./commander.js";
import { parseBoolean } from "./boolean.js";

/** Env is where flags read their environment variables: the process's, or a test's own map. */
export type Env = Readonly<Record<string, string | undefined>>;

// The environment variable of each option declared here. Kept apart from commander's own `.env()`, which reads
// process.env itself; here parseProgram reads the Env it is given, and nothing writes to process.env.
const ENV_NAMES = new WeakMap<Option, string>();

/**
 * flag declares an option whose value may also come from the environment variable env (named in --help as
 * commander does: `(env: NAME)`). A command-line value wins over the environment, the environment over the default.
 */
export function flag(spec: string, description: string, env: string): Option {
  const option = new Option(spec, `${description} (env: ${env})`);
  ENV_NAMES.set(option, env);
  return option;
}

/**
 * booleanFlag declares a boolean as Go's flag package reads one: `--name` alone is true, `--name=false` (or t, true,
 * 1, f, false, 0, yes, no) says which, and so does its environment variable.
 */
export function booleanFlag(name: string, description: string, env: string, defaultValue = false): Option {
  return flag(`--${name} [bool]`, description, env).argParser(booleanArg).preset(true).default(defaultValue);
}

/**
 * parseProgram parses a command line (without node and the script) as the originals' Go flag package did as well as
 * commander does: `-name value` and `-name=value` are read as `--name`. Each option declared with flag() then takes
 * its environment variable from env when the command line did not set it, through the option's own parser, so a bad
 * value fails the same way with the variable's name in the message. It never reads or writes process.env. Throws
 * commander's CommanderError for --help and usage errors (the command should have exitOverride()).
 */
export function parseProgram<T extends OptionValues>(command: Command, argv: readonly string[], env: Env): T {
  const apply = (target: Command): void => {
    for (const option of target.options) {
      const name = ENV_NAMES.get(option);
      const text = name === undefined ? undefined : env[name];
      const attribute = option.attributeName();
      if (name === undefined || text === undefined || text === "" || target.getOptionValueSource(attribute) === "cli") continue;
      target.setOptionValueWithSource(attribute, fromEnv(option, name, text), "env");
    }
  };
  // A subcommand's action runs inside parse(): its environment goes in just before, with the program's own.
  command.hook("preAction", (program, action) => {
    apply(program);
    if (action !== program) apply(action);
  });
  command.parse(goStyle(argv, command), { from: "user" });
  apply(command);
  return command.opts<T>();
}

function fromEnv(option: Option, name: string, text: string): unknown {
  try {
    if (option.negate) return !parseBoolean(text);
    if (option.argChoices !== undefined && !option.argChoices.includes(text)) {
      throw new InvalidArgumentError(`allowed choices are ${option.argChoices.join(", ")}`);
    }
    return option.parseArg === undefined ? text : option.parseArg(text, undefined);
  } catch (error) {
    throw new Error(`${name}=${JSON.stringify(text)} is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Go's flag package takes -name and -name=value for long flags; commander wants --name. Only names the command
// declares are rewritten, so a value that starts with a dash is left alone.
function goStyle(argv: readonly string[], command: Command): string[] {
  const longNames = new Set([command, ...command.commands].flatMap((c) => c.options.map((option) => option.long?.slice(2))));
  return argv.map((arg) => {
    const name = /^-([a-z][a-z0-9-]+)(?:=|$)/.exec(arg)?.[1];
    return name !== undefined && longNames.has(name) ? `-${arg}` : arg;
  });
}
