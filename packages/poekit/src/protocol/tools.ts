import * as z from "zod/mini";
import { looseObjectWithDefaults } from "./schema-helpers.js";

/**
 * The JSON Schema of a function's arguments. Keys beyond `type`, `properties` and `required`
 * (`additionalProperties`, `$defs`, …) are kept.
 */
export const ParametersDefinitionSchema = z.looseObject({
  type: z.string(),
  properties: z.record(z.string(), z.unknown()),
  required: z.nullish(z.array(z.string())),
});
export type ParametersDefinition = z.output<typeof ParametersDefinitionSchema>;

/** A function a model may call. */
export const FunctionDefinitionSchema = z.looseObject({
  name: z.string(),
  description: z.nullish(z.string()),
  parameters: ParametersDefinitionSchema,
});
export type FunctionDefinition = z.output<typeof FunctionDefinitionSchema>;

/**
 * An OpenAI-style tool definition, sent in `QueryRequest.tools`.
 * @example
 * const tool: ToolDefinition = { type: "function", function: { name: "get_weather",
 *   description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };
 */
export const ToolDefinitionSchema = z.looseObject({
  type: z.string(),
  function: FunctionDefinitionSchema,
});
export type ToolDefinition = z.output<typeof ToolDefinitionSchema>;

/** A complete call: the function name and its arguments as a JSON string. */
export const FunctionCallDefinitionSchema = z.looseObject({
  name: z.string(),
  arguments: z.string(),
});
export type FunctionCallDefinition = z.output<typeof FunctionCallDefinitionSchema>;

/**
 * A tool call the model made, sent back in `QueryRequest.tool_calls` on the second call of a tool loop.
 * @example
 * const call: ToolCallDefinition = { id: "call_1", type: "function",
 *   function: { name: "get_weather", arguments: '{"city":"Paris"}' } };
 */
export const ToolCallDefinitionSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  function: FunctionCallDefinitionSchema,
});
export type ToolCallDefinition = z.output<typeof ToolCallDefinitionSchema>;

/** A piece of a streamed tool call; pieces with the same `index` add up to one call. */
export const ToolCallDefinitionDeltaSchema = looseObjectWithDefaults(
  {
    index: z.nullish(z.int()),
    id: z.nullish(z.string()),
    type: z.nullish(z.string()),
    function: looseObjectWithDefaults(
      { name: z.nullish(z.string()), arguments: z.nullish(z.string()) },
      { name: () => null, arguments: () => "" },
    ),
  },
  { index: () => 0, id: () => null, type: () => null },
);
export type ToolCallDefinitionDelta = z.output<typeof ToolCallDefinitionDeltaSchema>;

/**
 * The result of running one tool call, sent in `QueryRequest.tool_results`.
 * @example
 * const result: ToolResultDefinition = { role: "tool", name: "get_weather", tool_call_id: "call_1",
 *   content: '{"temperature":22}' };
 */
export const ToolResultDefinitionSchema = z.looseObject({
  role: z.string(),
  name: z.string(),
  tool_call_id: z.string(),
  content: z.string(),
});
export type ToolResultDefinition = z.output<typeof ToolResultDefinitionSchema>;
