/**
 * create-poekit: new Poe bot projects from templates, for `npm create poekit` and `poekit new`.
 * @example
 * import { createProject } from "create-poekit";
 * const project = await createProject({ dir: "my-bot", template: "llm" });
 */

// Errors
export { ScaffoldError, type ScaffoldErrorCode } from "./errors.js";
// Installing dependencies
export { runNpmInstall } from "./install.js";
// Names
export { FALLBACK_PROJECT_NAME, invalidPackageNameReason, packageNameFromFolder } from "./project-name.js";
// Asking the user
export {
  type ChooseOptions,
  chooseProject,
  clackPrompter,
  DEFAULT_PROJECT_DIR,
  type GivenChoice,
  type ProjectChoice,
  type Prompter,
  type PromptStreams,
  type SelectQuestion,
  type TextQuestion,
} from "./prompts.js";
// Writing the project
export {
  type CreatedProject,
  type CreateProjectOptions,
  createProject,
  fillPlaceholders,
  folderProblem,
} from "./scaffold.js";
// What to tell the user
export { describeProject, nextSteps } from "./summary.js";
// The templates
export {
  DEFAULT_TEMPLATE,
  isTemplateName,
  TEMPLATE_NAMES,
  TEMPLATES,
  type Template,
  type TemplateName,
  templateNamed,
  templatesDir,
} from "./templates.js";
