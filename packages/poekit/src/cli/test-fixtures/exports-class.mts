// A module that default-exports the bot's class instead of an instance.
import { PoeBot } from "poekit";

export default class GreeterBot extends PoeBot {}
