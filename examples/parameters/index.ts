import { type ParameterControls, PoeBot, type QueryRequest, type SettingsResponse } from "poekit";

/**
 * The form Poe shows beside the chat. A section of plain controls, then a section of tabs; the
 * signature field appears only while "Sign the reply" is on. Each value arrives under its
 * `parameter_name` in the `parameters` of the user's message.
 */
export const PARAMETER_CONTROLS: ParameterControls = {
  api_version: "2",
  sections: [
    {
      name: "Text",
      controls: [
        {
          control: "drop_down",
          label: "Letter case",
          parameter_name: "letter_case",
          default_value: "keep",
          options: [
            { value: "keep", name: "As written" },
            { value: "upper", name: "UPPER CASE" },
            { value: "lower", name: "lower case" },
          ],
        },
        {
          control: "toggle_switch",
          label: "Reverse the word order",
          parameter_name: "reverse_words",
          default_value: false,
        },
      ],
    },
    {
      name: "Decoration",
      collapsed_by_default: true,
      tabs: [
        {
          name: "Emphasis",
          controls: [
            {
              control: "slider",
              label: "Exclamation marks",
              description: "How many to add at the end",
              parameter_name: "exclamation_marks",
              default_value: 1,
              min_value: 0,
              max_value: 5,
              step: 1,
            },
          ],
        },
        {
          name: "Signature",
          controls: [
            {
              control: "toggle_switch",
              label: "Sign the reply",
              parameter_name: "sign",
              default_value: false,
            },
            {
              control: "condition",
              condition: {
                comparator: "eq",
                left: { parameter_name: "sign" },
                right: { literal: true },
              },
              controls: [
                {
                  control: "text_field",
                  label: "Signature",
                  parameter_name: "signature",
                  default_value: "",
                  placeholder: "Your name",
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

/** The values the answer follows, checked and with defaults filled in. */
export interface StyleChoices {
  letterCase: "keep" | "upper" | "lower";
  reverseWords: boolean;
  /** A whole number from 0 to 5. */
  exclamationMarks: number;
  /** The signature to add, or null when signing is off or the field is empty. */
  signature: string | null;
}

/**
 * Reads the controls' values from a message's `parameters`. Anything missing or of the wrong type
 * takes the control's default: Poe sends what the form holds, but another bot calling this one may
 * send anything.
 * @example
 * readChoices({ letter_case: "upper", exclamation_marks: 7 });
 * // { letterCase: "upper", reverseWords: false, exclamationMarks: 5, signature: null }
 */
export function readChoices(parameters: Readonly<Record<string, unknown>>): StyleChoices {
  const { letter_case, reverse_words, exclamation_marks, sign, signature } = parameters;
  const marks =
    typeof exclamation_marks === "number" && Number.isFinite(exclamation_marks) ? exclamation_marks : 1;
  const name = sign === true && typeof signature === "string" ? signature.trim() : "";
  return {
    letterCase: letter_case === "upper" || letter_case === "lower" ? letter_case : "keep",
    reverseWords: reverse_words === true,
    exclamationMarks: Math.min(5, Math.max(0, Math.round(marks))),
    signature: name === "" ? null : name,
  };
}

/**
 * The user's text restyled as the choices say.
 * @example
 * restyle("hello there", { letterCase: "upper", reverseWords: true, exclamationMarks: 2, signature: "Ada" });
 * // "THERE HELLO!!\n\n— Ada"
 */
export function restyle(text: string, choices: StyleChoices): string {
  let result = text.trim();
  if (choices.reverseWords) result = result.split(/\s+/).reverse().join(" ");
  if (choices.letterCase === "upper") result = result.toUpperCase();
  if (choices.letterCase === "lower") result = result.toLowerCase();
  result += "!".repeat(choices.exclamationMarks);
  if (choices.signature !== null) result += `\n\n— ${choices.signature}`;
  return result;
}

/**
 * Shows parameter controls: its settings describe a form (a drop-down, toggles, a slider and a text
 * field, in sections and tabs), and it answers with the user's message restyled by the values chosen.
 * @example
 * export default new ParametersBot();
 */
export class ParametersBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    const message = request.query.findLast((candidate) => candidate.role === "user");
    if (!message || message.content.trim() === "") {
      yield "Send me some text, and I will restyle it as the controls beside the chat say.";
      return;
    }
    yield restyle(message.content, readChoices(message.parameters));
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      parameter_controls: PARAMETER_CONTROLS,
      introduction_message: "Pick a style in the controls, then send me some text to restyle.",
    };
  }
}

export default new ParametersBot();
