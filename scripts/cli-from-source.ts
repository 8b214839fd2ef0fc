// Runs the CLI straight from src/ (Node's type stripping), for working on the generator without a build.
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
