/** One simple command of a shell snippet: its words after quote removal. */
export interface ShellCommand {
  /** 0-based line of the block the command starts on. */
  line: number;
  words: string[];
}

/**
 * Splits a shell snippet into simple commands, as far as docs need: `\` line continuations, quotes,
 * `#` comments, `|`, `&&`, `||`, `;`, `&`, and `>` redirections (dropped with their target). A
 * `<placeholder>`, spaces included, is a word, as docs write them (`--access-key <access key>`). With
 * `promptsOnly` (a console transcript), only lines after a `$ ` prompt are commands; otherwise a
 * leading `$ ` is dropped.
 * @example
 * shellCommands("POE_ACCESS_KEY=k npx poekit serve bot.ts # serve it\nnpm test && echo ok");
 * // [{ line: 0, words: ["POE_ACCESS_KEY=k", "npx", "poekit", "serve", "bot.ts"] },
 * //  { line: 1, words: ["npm", "test"] }, { line: 1, words: ["echo", "ok"] }]
 */
export function shellCommands(script: string, { promptsOnly = false } = {}): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const lines = script.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const first = index;
    let text = lines[index] ?? "";
    const prompt = /^\s*\$ /.exec(text);
    if (promptsOnly && !prompt) continue;
    if (prompt) text = text.slice(prompt[0].length);
    while (text.endsWith("\\") && index + 1 < lines.length) {
      text = `${text.slice(0, -1)} ${lines[++index] ?? ""}`;
    }
    for (const words of splitCommands(text)) commands.push({ line: first, words });
  }
  return commands;
}

/** The words of each command of one logical line. */
function splitCommands(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let dropNextWord = false;
  const endWord = () => {
    if (inWord && !dropNextWord) words.push(word);
    if (inWord) dropNextWord = false;
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
    dropNextWord = false;
  };
  for (let at = 0; at < text.length; at++) {
    const char = text[at] ?? "";
    if (char === "'" || char === '"') {
      const close = closingQuote(text, at);
      word += unquote(text.slice(at + 1, close), char);
      inWord = true;
      at = close;
    } else if (char === "\\") {
      word += text[++at] ?? "";
      inWord = true;
    } else if (/\s/.test(char) && !(inOpenPlaceholder(word) && text.includes(">", at))) {
      endWord();
    } else if (char === "#" && !inWord) {
      break;
    } else if (char === "&" && text[at + 1] === ">") {
      endWord();
    } else if (char === "|" || char === ";" || char === "&") {
      endCommand();
      if (text[at + 1] === char) at++;
    } else if (char === ">" && !inOpenPlaceholder(word)) {
      // "2>" and "&>" name what is redirected; the word after ">", ">>" or ">&" is where to.
      if (/^\d*$|^&$/.test(word)) inWord = false;
      endWord();
      while (text[at + 1] === ">" || text[at + 1] === "&") at++;
      dropNextWord = true;
    } else {
      word += char;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

/** Whether a word ends inside a `<placeholder>`, whose spaces and closing `>` belong to the word. */
function inOpenPlaceholder(word: string): boolean {
  return word.lastIndexOf("<") > word.lastIndexOf(">");
}

/** Index of the quote closing the one at `open` (the end of the text when there is none). */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let at = open + 1; at < text.length; at++) {
    if (quote === '"' && text[at] === "\\") at++;
    else if (text[at] === quote) return at;
  }
  return text.length;
}

function unquote(inner: string, quote: string): string {
  return quote === '"' ? inner.replace(/\\([\\"$`])/g, "$1") : inner;
}
