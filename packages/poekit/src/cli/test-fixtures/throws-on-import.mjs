// A module that fails at its top level, as a bot does when its configuration is missing.
throw new Error("OPENAI_API_KEY is not set\n(a second line that must not be printed)");
