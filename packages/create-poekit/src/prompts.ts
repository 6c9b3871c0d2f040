import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { isCancel, select, text } from "@clack/prompts";
import { folderProblem } from "./scaffold.js";
import {
  DEFAULT_TEMPLATE,
  TEMPLATE_NAMES,
  TEMPLATES,
  type TemplateName,
  templateNamed,
} from "./templates.js";

/** The folder a project goes to when nobody says. */
export const DEFAULT_PROJECT_DIR = "my-bot";

/** A question answered with a line of text. */
export interface TextQuestion {
  message: string;
  /** The answer when the user just presses Enter. */
  defaultValue: string;
  /** Why an answer cannot be taken, or `undefined` when it can. */
  validate(value: string): string | undefined;
}

/** A question answered by choosing one of `options`. */
export interface SelectQuestion<Value extends string> {
  message: string;
  options: readonly { value: Value; label: string; hint: string }[];
  initialValue: Value;
}

/** Asks the user; each answer is `undefined` when they cancel (Ctrl-C). Tests give scripted answers. */
export interface Prompter {
  text(question: TextQuestion): Promise<string | undefined>;
  select<Value extends string>(question: SelectQuestion<Value>): Promise<Value | undefined>;
}

/** The streams a {@link clackPrompter} talks through; default the process's stdin and stdout. */
export interface PromptStreams {
  input?: Readable;
  output?: Writable;
}

/**
 * A {@link Prompter} drawn on the terminal with @clack/prompts.
 * @example
 * const prompter = process.stdin.isTTY && process.stdout.isTTY ? clackPrompter() : undefined;
 */
export function clackPrompter(streams: PromptStreams = {}): Prompter {
  return {
    async text(question) {
      const answer = await text({
        ...streams,
        message: question.message,
        placeholder: question.defaultValue,
        defaultValue: question.defaultValue,
        validate: (value) => question.validate(value || question.defaultValue),
      });
      return isCancel(answer) ? undefined : answer;
    },
    async select<Value extends string>(question: SelectQuestion<Value>) {
      // Asked as plain strings: clack's option type cannot be resolved for an open `Value`.
      const answer = await select<string>({
        ...streams,
        message: question.message,
        options: question.options.map((option) => ({ ...option })),
        initialValue: question.initialValue,
      });
      return isCancel(answer) ? undefined : (answer as Value);
    },
  };
}

/** What a new project needs: where it goes, and which template it starts from. */
export interface ProjectChoice {
  dir: string;
  template: TemplateName;
}

/** What the command line gave; either may be missing. */
export interface GivenChoice {
  dir?: string | undefined;
  template?: string | undefined;
}

/** Options of {@link chooseProject}. */
export interface ChooseOptions {
  /** Asks for what is missing; without one (no terminal), defaults are taken and nothing waits for input. */
  prompter?: Prompter | undefined;
  /** Where a relative folder is checked from; default `process.cwd()`. */
  cwd?: string;
}

/**
 * Settles the folder and the template: what was given wins; what is missing is asked for when there
 * is a prompter, else it is `my-bot` and `echo`. A given template that does not exist is a
 * `ScaffoldError` before anything is asked. Resolves with `undefined` when the user cancels.
 * @example
 * await chooseProject({ dir: "weather" }, { prompter: clackPrompter() }); // asks for the template only
 * await chooseProject({}, {}); // { dir: "my-bot", template: "echo" }
 */
export async function chooseProject(
  given: GivenChoice,
  options: ChooseOptions = {},
): Promise<ProjectChoice | undefined> {
  const givenTemplate = given.template === undefined ? undefined : templateNamed(given.template).name;
  const { prompter } = options;
  const cwd = options.cwd ?? process.cwd();

  let dir = given.dir;
  if (dir === undefined) {
    dir = prompter
      ? await prompter.text({
          message: "Project name (its folder)",
          defaultValue: DEFAULT_PROJECT_DIR,
          validate: (value) => folderProblem(path.resolve(cwd, value), value)?.message,
        })
      : DEFAULT_PROJECT_DIR;
    if (dir === undefined) return undefined;
  }

  let template = givenTemplate;
  if (template === undefined) {
    template = prompter
      ? await prompter.select({
          message: "Template",
          options: TEMPLATE_NAMES.map((name) => ({
            value: name,
            label: name,
            hint: TEMPLATES[name].summary,
          })),
          initialValue: DEFAULT_TEMPLATE,
        })
      : DEFAULT_TEMPLATE;
    if (template === undefined) return undefined;
  }
  return { dir, template };
}
