#!/usr/bin/env node
// @poekit/cli's own command, for `npx @poekit/cli <command>`. Not named `poekit`: that bin is the
// SDK's (two packages linking one name conflict), and `poekit <command>` hands over to this package.
import { main } from "./main.js";

const code = await main(process.argv.slice(2));
// Exit even if a loaded module left something running, once stderr is written out.
if (code !== 0) process.stderr.write("", () => process.exit(code));
