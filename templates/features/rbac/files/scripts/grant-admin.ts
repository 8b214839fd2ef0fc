// `npm run admin:grant -- <email>`: makes an existing account an admin. Bootstrapping needs access to
// the server's configuration and database, never a default password: sign up first, then run this.
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';

const email = process.argv[2]?.trim().toLowerCase();
if (!email) {
  console.error('Usage: npm run admin:grant -- <email of an existing account>');
  process.exit(1);
}
try {
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, sqlitePath: config.SQLITE_PATH });
  const changed = await db.execute("UPDATE users SET role = 'admin', updated_at = $1 WHERE email = $2", [
    new Date().toISOString(),
    email,
  ]);
  await db.close();
  if (changed === 0) {
    console.error(`No account with the email ${email}: sign up first.`);
    process.exitCode = 1;
  } else {
    console.log(`${email} is now an admin.`);
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
