import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import { InvalidParameterError, ToolCallError } from "../core/errors.js";
import type { ToolCallDefinition, ToolResultDefinition } from "../protocol/tools.js";

/**
 * A function a model may call. It gets the call's arguments as one object (parsed from JSON, and
 * checked against the tool's zod schema when it has one) and returns any JSON value, sync or async.
 * @example
 * const getWeather: ToolExecutable = ({ city }) => ({ city, temperature: 22 });
 */
// biome-ignore lint/suspicious/noExplicitAny: executables declare their own argument types.
export type ToolExecutable = (args: any) => unknown;

/** Executables as an array (found by each function's `name`) or as an object keyed by tool name. */
export type ToolExecutables = readonly ToolExecutable[] | Readonly<Record<string, ToolExecutable>>;

/**
 * Indexes executables by tool name.
 * @example
 * executablesByName([function get_weather() {}]).has("get_weather"); // true
 */
export function executablesByName(executables: ToolExecutables): Map<string, ToolExecutable> {
  const byName = new Map<string, ToolExecutable>();
  const entries = Array.isArray(executables)
    ? (executables as readonly ToolExecutable[]).map((fn) => [fn.name, fn] as const)
    : Object.entries(executables as Record<string, ToolExecutable>);
  for (const [name, fn] of entries) {
    if (typeof fn !== "function") {
      throw new InvalidParameterError(`toolExecutables: "${name}" is not a function.`);
    }
    if (!name) {
      throw new InvalidParameterError(
        "toolExecutables: an anonymous function cannot be matched to a tool; name it like the tool, or pass { toolName: fn }.",
      );
    }
    byName.set(name, fn);
  }
  return byName;
}

/**
 * Runs the calls a model made, all at once, and returns their results in the calls' order. A result
 * that is a string is sent as it is; anything else as JSON.
 */
export async function runToolCalls(
  calls: readonly ToolCallDefinition[],
  executables: ReadonlyMap<string, ToolExecutable>,
  schemas: ReadonlyMap<string, core.$ZodType>,
): Promise<ToolResultDefinition[]> {
  return Promise.all(
    calls.map(async (call) => {
      const name = call.function.name;
      const fn = executables.get(name);
      if (!fn) {
        throw new ToolCallError(
          `The model called tool "${name}", but toolExecutables has no function of that name (it has: ${[...executables.keys()].join(", ") || "none"}).`,
          name,
        );
      }
      const args = parseArguments(call, schemas.get(name));
      const result = await fn(args);
      return {
        role: "tool",
        name,
        tool_call_id: call.id,
        content: typeof result === "string" ? result : (JSON.stringify(result) ?? "null"),
      };
    }),
  );
}

function parseArguments(call: ToolCallDefinition, schema: core.$ZodType | undefined): unknown {
  const name = call.function.name;
  let args: unknown;
  try {
    args = call.function.arguments.trim() === "" ? {} : JSON.parse(call.function.arguments);
  } catch {
    throw new ToolCallError(
      `The model called tool "${name}" with arguments that are not JSON: ${call.function.arguments.slice(0, 200)}`,
      name,
    );
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new ToolCallError(
      `The model called tool "${name}" with arguments that are not a JSON object.`,
      name,
    );
  }
  if (!schema) return args;
  const parsed = z.safeParse(schema, args);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ToolCallError(
    `The model called tool "${name}" with arguments that do not match its schema: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
    name,
  );
}
