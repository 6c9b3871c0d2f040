/** The kinds of change a commit may be; the subject starts with one. */
export const COMMIT_TYPES: readonly string[];
/** The longest subject, in characters. */
export const MAX_SUBJECT_LENGTH: number;
/** What is wrong with a commit subject under the convention; empty when nothing is. */
export function subjectProblems(subject: string): string[];
/** The subject of a commit message: its first line that is neither blank nor a `#` comment. */
export function subjectOf(message: string): string;
