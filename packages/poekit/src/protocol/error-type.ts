import type * as z from "zod/mini";
import { openEnum } from "./schema-helpers.js";

/** `error_type` values of an `error` event; Poe shows its own message for some of them. */
export const ERROR_TYPES = [
  "user_message_too_long",
  "insufficient_fund",
  "user_caused_error",
  "privacy_authorization_error",
] as const;
export const ErrorTypeSchema = openEnum(ERROR_TYPES);
export type ErrorType = z.output<typeof ErrorTypeSchema>;
