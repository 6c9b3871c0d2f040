import { type Command, Option } from "commander";
// A type-only import, gone from the built file: the action still loads only when the command runs.
import type { NewFlags } from "./new-action.js";
import { DEFAULT_TEMPLATE, TEMPLATE_NAMES, TEMPLATES } from "./new-templates.js";

const EXAMPLES = `
Templates:
${TEMPLATE_NAMES.map((name) => `  ${name.padEnd(18)} ${TEMPLATES[name].summary}`).join("\n")}

Examples:
  $ poekit new my-bot
      a project from the ${DEFAULT_TEMPLATE} template (asks for the template on a terminal)
  $ poekit new weather-bot --template function-calling --install
      a bot whose model calls a function of yours, its dependencies installed
  $ npm create poekit@latest my-bot
      the same, without installing poekit first

The folder must not exist yet, or be empty. The project has the bot, its tests, a README on running,
testing and deploying it, and a Dockerfile.`;

/**
 * Adds `poekit new <dir>` to the program. What it does is loaded only when it runs.
 * @example
 * addNewCommand(new Command("poekit"));
 */
export function addNewCommand(program: Command): void {
  program
    .command("new")
    .summary("create a bot project from a template")
    .description(
      "Create a bot project from a template: the bot, its tests, a README on running, testing and deploying it, and a Dockerfile. Dependencies are installed only with --install.",
    )
    .argument("<dir>", "the project's folder: a new one, or an empty one")
    .addOption(
      new Option(
        "-t, --template <name>",
        `the template to start from (default: asked on a terminal, else ${DEFAULT_TEMPLATE})`,
      ).choices(TEMPLATE_NAMES),
    )
    .option("--install", "run npm install in the new project")
    .addHelpText("after", EXAMPLES)
    .action(async (dir: string, flags: NewFlags) => {
      const { newAction } = await import("./new-action.js");
      await newAction(dir, flags);
    });
}
