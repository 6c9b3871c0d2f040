import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import { InvalidParameterError } from "../core/errors.js";
import type { AnyToolDefinition, CustomToolDefinition, ToolDefinition } from "../protocol/tools.js";
import type { ToolExecutable } from "./tool-runner.js";

/** A JSON Schema object, or a zod schema converted with `z.toJSONSchema`. */
export type ToolParameters = Record<string, unknown> | core.$ZodType;

/**
 * A tool as the client accepts it: Poe's `ToolDefinition` (`{ type: "function", function: {…} }`), or
 * the shorter `{ name, description, parameters }`. Either way `parameters` may be a zod schema; the
 * model's arguments are then checked against it before the executable runs. A custom tool
 * (`{ name, description, format }`, no `parameters`; `format: null` for free text) goes to the model
 * as given; the client runs no executable for it.
 * @example
 * const weather: ToolInput = { name: "get_weather", description: "Current weather in a city",
 *   parameters: z.object({ city: z.string(), unit: z.enum(["celsius", "fahrenheit"]).optional() }) };
 */
export type ToolInput =
  | ToolDefinition
  | CustomToolDefinition
  | { type: "function"; function: { name: string; description?: string | null; parameters: ToolParameters } }
  | { name: string; description?: string | null; parameters: ToolParameters; execute?: ToolExecutable };

/** A tool that carries its own function, typed from its zod schema; made with {@link defineTool}. */
export interface DefinedTool<S extends core.$ZodType = core.$ZodType> {
  name: string;
  description?: string | null;
  parameters: S;
  /** Runs the call; gets the arguments already checked against `parameters`. */
  execute: (args: core.output<S>) => unknown;
}

/**
 * A tool and the function behind it in one place, the function's argument typed from the schema. Pass
 * it in `tools`; no `toolExecutables` entry is needed.
 * @example
 * const weather = defineTool({
 *   name: "get_weather",
 *   description: "The current weather in a city",
 *   parameters: z.object({ city: z.string() }),
 *   execute: ({ city }) => ({ city, temperature: 22 }), // city: string
 * });
 * streamRequest(request, "GPT-4o-Mini", request.access_key, { tools: [weather] });
 */
export function defineTool<S extends core.$ZodType>(tool: DefinedTool<S>): DefinedTool<S> {
  return tool;
}

/** Tools ready for the wire, with the zod schemas and functions that came with them, by tool name. */
export interface NormalizedTools {
  definitions: AnyToolDefinition[];
  schemas: Map<string, core.$ZodType>;
  executables: Map<string, ToolExecutable>;
}

/**
 * Turns tool inputs into Poe's `ToolDefinition`s, converting zod schemas to JSON Schema.
 * @example
 * normalizeTools([{ name: "now", parameters: z.object({}) }]).definitions[0].function.parameters.type; // "object"
 */
export function normalizeTools(tools: readonly ToolInput[]): NormalizedTools {
  const definitions: AnyToolDefinition[] = [];
  const schemas = new Map<string, core.$ZodType>();
  const executables = new Map<string, ToolExecutable>();
  const nameOf = (definition: AnyToolDefinition) => definition.function?.name ?? definition.name;
  const checkName = (name: unknown): string => {
    if (typeof name !== "string" || name === "") {
      throw new InvalidParameterError("Every tool needs a `name` (a non-empty string).");
    }
    if (schemas.has(name) || definitions.some((d) => nameOf(d) === name)) {
      throw new InvalidParameterError(`Two tools are named "${name}"; tool names must be unique.`);
    }
    return name;
  };
  for (const tool of tools) {
    if (isCustomToolInput(tool)) {
      checkName(tool.name);
      // Sent unchanged: fastapi_poe's CustomToolDefinition, which the model calls with plain text.
      definitions.push(tool);
      continue;
    }
    // The function part of either the full or the short form; its fields are checked one by one.
    const fn = ("function" in tool && typeof tool.function === "object" ? tool.function : tool) as {
      name?: unknown;
      description?: unknown;
      parameters?: unknown;
      execute?: unknown;
    };
    const name = checkName(fn.name);
    let parameters = fn.parameters as ToolParameters | undefined;
    if (isZodSchema(parameters)) {
      schemas.set(name, parameters);
      parameters = toJsonSchema(parameters, name);
    }
    if (typeof parameters !== "object" || parameters === null) {
      throw new InvalidParameterError(
        `Tool "${name}" needs \`parameters\`: a JSON Schema object or a zod schema.`,
      );
    }
    if (fn.execute !== undefined) {
      if (typeof fn.execute !== "function") {
        throw new InvalidParameterError(`Tool "${name}": execute must be a function.`);
      }
      executables.set(name, fn.execute as ToolExecutable);
    }
    const description = fn.description as string | null | undefined;
    definitions.push({
      type: "function",
      function: {
        name,
        ...(description ? { description } : {}),
        parameters: parameters as ToolDefinition["function"]["parameters"],
      },
    });
  }
  return { definitions, schemas, executables };
}

/** A custom tool has a `format` key (maybe null) and neither `parameters` nor `function`. */
function isCustomToolInput(tool: ToolInput): tool is CustomToolDefinition {
  return "format" in tool && !("parameters" in tool) && !("function" in tool);
}

/** Whether a value is a zod (v4) schema. */
export function isZodSchema(value: unknown): value is core.$ZodType {
  return typeof value === "object" && value !== null && "_zod" in value;
}

function toJsonSchema(schema: core.$ZodType, name: string): Record<string, unknown> {
  let json: Record<string, unknown>;
  try {
    json = z.toJSONSchema(schema) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidParameterError(
      `Tool "${name}": its zod schema cannot be expressed as JSON Schema: ${(error as Error).message}`,
      { cause: error },
    );
  }
  // The dialect marker means nothing to a model and costs tokens.
  delete json.$schema;
  if (json.type !== "object") {
    throw new InvalidParameterError(`Tool "${name}": parameters must describe an object (z.object({...})).`);
  }
  return json;
}
