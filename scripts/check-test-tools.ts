/**
 * First step of `npm test`: checks that every outside program the suite drives is there, and if
 * not, stops before running anything with one message naming each missing tool and how to get
 * it. (PostgreSQL is optional: the suite says itself how to enable its PostgreSQL run.)
 */
import { testTools } from '../tests/helpers/test-tools';

const missing = testTools().filter((tool) => !tool.path);
if (missing.length > 0) {
  const lines = missing.map((t) => `  - ${t.name} (${t.purpose})\n      ${t.install.debian}\n      macOS: ${t.install.macos}`);
  process.stderr.write(`npm test needs tools this machine lacks:\n${lines.join('\n')}\nInstall them, then run npm test again.\n`);
  process.exit(1);
}
