import type * as z from "zod/mini";
import { QueryRequestSchema } from "./query-request.js";
import { ReportErrorRequestSchema } from "./report-error-request.js";
import { ReportFeedbackRequestSchema } from "./report-feedback-request.js";
import { ReportReactionRequestSchema } from "./report-reaction-request.js";
import { SettingsRequestSchema } from "./settings-request.js";
import { useEnglishMessages } from "./zod-messages.js";

useEnglishMessages();

/**
 * The request types a bot server answers, by `type`, with the schema of each.
 * @example
 * const schema = REQUEST_SCHEMAS[body.type as RequestType];
 */
export const REQUEST_SCHEMAS = {
  query: QueryRequestSchema,
  settings: SettingsRequestSchema,
  report_feedback: ReportFeedbackRequestSchema,
  report_reaction: ReportReactionRequestSchema,
  report_error: ReportErrorRequestSchema,
} as const;
export type RequestType = keyof typeof REQUEST_SCHEMAS;

/** Whether `type` is a request type this version of the protocol knows. */
export function isRequestType(type: string): type is RequestType {
  return Object.hasOwn(REQUEST_SCHEMAS, type);
}

/** One validation problem, with the path to the field as `query[0].content`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Turns zod issues into `{ path, message }` pairs a person can read.
 * @example
 * formatIssues(result.error.issues); // [{ path: "query[0].role", message: "expected a string" }]
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(body)" : out;
}
