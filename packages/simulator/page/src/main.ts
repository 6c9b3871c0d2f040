/** The chat page's entry: defines the components and lets `<sim-app>` in index.html start. */
import "./app-shell.ts";
