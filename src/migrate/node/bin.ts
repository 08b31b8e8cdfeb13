/** The bin's entry: runs the CLI with this process's arguments and exits with its code. */
import { main } from "./cli.ts";

process.exitCode = await main(process.argv.slice(2));
