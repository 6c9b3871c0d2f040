import { fileURLToPath } from "node:url";
import { ScaffoldError } from "./errors.js";

/** The templates a project can start from, in the order prompts and help list them. */
export const TEMPLATE_NAMES = ["echo", "llm", "function-calling", "attachments"] as const;

/** The name of one template. */
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The template used when none is asked for and nobody can be asked. */
export const DEFAULT_TEMPLATE: TemplateName = "echo";

/** A template: its files are `templates/_base/` overlaid with `templates/<name>/`. */
export interface Template {
  name: TemplateName;
  /** One line, shown beside the name in prompts. */
  summary: string;
  /** A paragraph for the project's README, on what the bot does and where to change it. */
  description: string;
  /** A paragraph for the README's "Develop" section, or "" when the section says enough. */
  developNote: string;
  /** Dependencies of the project beyond poekit and @poekit/cli, merged into its package.json. */
  dependencies: Readonly<Record<string, string>>;
  /** Scripts that replace or add to the base package.json's. */
  scripts: Readonly<Record<string, string>>;
}

/** `npm run dev` of a bot that calls GPT-4o-Mini: the simulator's scripted model answers, offline. */
const OFFLINE_MODEL_DEV_SCRIPT = "poekit dev . --alias GPT-4o-Mini=ScriptedLLM";

const OFFLINE_MODEL_NOTE =
  "In `npm run dev`, GPT-4o-Mini is the simulator's scripted model (`--alias GPT-4o-Mini=ScriptedLLM`), so the bot runs offline and costs nothing. To try it with a real model, give the simulator an OpenAI-compatible endpoint instead: `POEKIT_MODEL_API_KEY=sk-... npx poekit dev . --model GPT-4o-Mini=https://api.openai.com/v1#gpt-4o-mini`.";

/**
 * Every template, by name.
 * @example
 * TEMPLATES.llm.summary; // "forwards the conversation to GPT-4o-Mini and streams its answer"
 */
export const TEMPLATES: { readonly [Name in TemplateName]: Template } = {
  echo: {
    name: "echo",
    summary: "answers with the user's last message; the smallest bot",
    description:
      "The bot in `index.ts` answers every message with the message itself. It is the smallest bot there is: change `getResponse` to make it your own.",
    developNote: "",
    dependencies: {},
    scripts: {},
  },
  llm: {
    name: "llm",
    summary: "forwards the conversation to GPT-4o-Mini and streams its answer",
    description:
      "The bot in `index.ts` sends the whole conversation to GPT-4o-Mini through Poe's bot query API and streams the answer back. Poe bills that call to the user, and only allows it because `getSettings` declares GPT-4o-Mini in `server_bot_dependencies`. The tests fake the model with `mockBots`, so they run offline.",
    developNote: OFFLINE_MODEL_NOTE,
    dependencies: {},
    scripts: { dev: OFFLINE_MODEL_DEV_SCRIPT },
  },
  "function-calling": {
    name: "function-calling",
    summary: "lets GPT-4o-Mini call a function of yours (the current time in a city)",
    description:
      "The bot in `index.ts` offers GPT-4o-Mini a tool, `get_current_time`. When the model calls it, poekit checks the arguments against the zod schema, runs the function and sends its result back to the model, which then answers. The tests script the model's tool calls with `mockBots` and `mockToolCalls`.",
    developNote: OFFLINE_MODEL_NOTE,
    dependencies: { zod: "^4.6.7" },
    scripts: { dev: OFFLINE_MODEL_DEV_SCRIPT },
  },
  attachments: {
    name: "attachments",
    summary: "reads the files users attach (text, PDFs, image descriptions)",
    description:
      "The bot in `index.ts` accepts attachments (`allow_attachments` in its settings) and reports what it can read in each file: Poe extracts the text of text files and PDFs, and describes images, into `parsed_content`. The tests send attachments the way Poe does.",
    developNote:
      "In the simulator's chat page, attach a text file or a PDF to a message: the simulator parses it as Poe does.",
    dependencies: {},
    scripts: {},
  },
};

/**
 * Whether `value` names a template; narrows its type.
 * @example
 * isTemplateName("llm"); // true
 */
export function isTemplateName(value: string): value is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(value);
}

/**
 * The template named `value`, or a {@link ScaffoldError} that lists the templates.
 * @example
 * templateNamed("echo").summary;
 */
export function templateNamed(value: string): Template {
  if (!isTemplateName(value)) {
    throw new ScaffoldError(
      "UNKNOWN_TEMPLATE",
      `There is no template ${JSON.stringify(value)}; choose one of ${TEMPLATE_NAMES.join(", ")}.`,
    );
  }
  return TEMPLATES[value];
}

/**
 * The folder holding the templates' files (shipped in the package beside `dist`).
 * @example
 * path.join(templatesDir(), "echo", "index.ts");
 */
export function templatesDir(): string {
  return fileURLToPath(new URL("../templates/", import.meta.url));
}
