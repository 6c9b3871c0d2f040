// `poekit new`'s options and help list the templates, so every command registers them: taken from
// create-poekit's templates module, which loads nothing more, rather than its entry, which loads its
// prompts (@clack/prompts) and would make every command pay for them at start-up.
export { DEFAULT_TEMPLATE, TEMPLATE_NAMES, TEMPLATES } from "create-poekit/templates";
