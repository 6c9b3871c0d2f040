import {
  DataResponse,
  PartialResponse,
  PoeBot,
  type ProtocolMessage,
  type QueryRequest,
  type SettingsResponse,
} from "poekit";
import { z } from "zod";

/** A question and the answers accepted for it; the first is the one revealed. */
export interface TriviaQuestion {
  question: string;
  answers: readonly [string, ...string[]];
}

/** The quiz, asked in this order. */
export const QUESTIONS: readonly TriviaQuestion[] = [
  { question: "Which planet is the largest in our Solar System?", answers: ["Jupiter"] },
  { question: "How many legs does a spider have?", answers: ["8", "eight"] },
  { question: "What is the chemical symbol for gold?", answers: ["Au"] },
  { question: "What is the capital city of Australia?", answers: ["Canberra"] },
  { question: "In which year did people first walk on the Moon?", answers: ["1969"] },
];

/** What the user says to give up on a question. */
export const SKIP = "skip";

/**
 * Where a game stands after one of the bot's answers: the question waiting for a reply (null when no
 * game is running) and the points so far. It travels with that answer as `data` metadata, which Poe
 * hands back to the bot in later requests.
 */
export const TriviaStateSchema = z.object({
  pending: z
    .number()
    .int()
    .nonnegative()
    .max(QUESTIONS.length - 1)
    .nullable(),
  score: z.number().int().nonnegative(),
});
export type TriviaState = z.infer<typeof TriviaStateSchema>;

const NO_GAME: TriviaState = { pending: null, score: 0 };

/**
 * The state the bot left in its latest answer that carries one, or "no game" when none does (a new
 * chat, a cleared context, or metadata this bot did not write).
 * @example
 * readState(request.query); // { pending: 2, score: 1 }
 */
export function readState(messages: readonly ProtocolMessage[]): TriviaState {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== "bot" || message.metadata === null) continue;
    const state = TriviaStateSchema.safeParse(parseJson(message.metadata));
    if (state.success) return state.data;
  }
  return NO_GAME;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Lower case, accents and punctuation dropped, single spaces: "  Jupiter!" and "jupiter" compare equal. */
function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Whether a reply contains one of the accepted answers as whole words, in any case.
 * @example
 * isCorrect(QUESTIONS[0], "I think it's Jupiter!"); // true
 */
export function isCorrect(question: TriviaQuestion, reply: string): boolean {
  const words = ` ${normalize(reply)} `;
  return question.answers.some((answer) => words.includes(` ${normalize(answer)} `));
}

function ask(index: number): string {
  return `**Question ${index + 1} of ${QUESTIONS.length}:** ${QUESTIONS[index]?.question}`;
}

/**
 * A quiz: asks the questions of {@link QUESTIONS} in turn and checks each reply. It keeps no state of
 * its own: each answer ends with a `data` event holding the game's state, and the next request brings
 * it back as that message's `metadata`.
 * @example
 * export default new TriviaBot();
 */
export class TriviaBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    const state = readState(request.query);
    if (state.pending === null) {
      yield `Let's play! ${QUESTIONS.length} questions; say "${SKIP}" to give up on one.\n\n`;
      yield* this.askNext(0, 0);
      return;
    }
    const question = QUESTIONS[state.pending] as TriviaQuestion;
    const reply = request.query.findLast((message) => message.role === "user")?.content ?? "";
    let score = state.score;
    if (normalize(reply) === SKIP) {
      yield `Skipped: the answer was **${question.answers[0]}**.\n\n`;
    } else if (isCorrect(question, reply)) {
      score += 1;
      yield "Correct!\n\n";
    } else {
      yield `Not quite: the answer was **${question.answers[0]}**.\n\n`;
    }
    yield* this.askNext(state.pending + 1, score);
  }

  private async *askNext(index: number, score: number) {
    if (index < QUESTIONS.length) {
      yield ask(index);
      yield new PartialResponse({ text: SKIP, is_suggested_reply: true });
      yield new DataResponse({ metadata: JSON.stringify({ pending: index, score } satisfies TriviaState) });
      return;
    }
    yield `Game over: you scored ${score} out of ${QUESTIONS.length}. Say anything to play again.`;
    yield new PartialResponse({ text: "Play again", is_suggested_reply: true });
    yield new DataResponse({ metadata: JSON.stringify(NO_GAME) });
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: `Welcome to **Trivia**! I will ask you ${QUESTIONS.length} questions, one at a time. Say anything to start.`,
    };
  }
}

export default new TriviaBot();
