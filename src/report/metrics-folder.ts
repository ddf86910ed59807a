import { lstat, stat } from "node:fs/promises";

/**
 * Refuses a metrics folder that someone other than root could use to redirect or replace what
 * root writes there, as the state folder is checked: it must be a folder owned by root (or by
 * the user running the tool) that neither group nor others can write, and a symbolic link at its
 * path must be root's too. Throws an Error saying what is wrong and what to do.
 */
export async function checkMetricsFolder(dir: string): Promise<void> {
  const self = process.geteuid?.() ?? 0;
  const trusted = (uid: number) => uid === 0 || uid === self;
  const link = await lstat(dir).catch(() => undefined);
  if (link?.isSymbolicLink() && !trusted(link.uid))
    throw new Error(
      `the folder ${dir} is a symbolic link owned by UID ${link.uid}, not root; refusing it`,
    );
  const folder = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT")
      throw new Error(`the folder ${dir} does not exist; create it or change metrics.textfile`);
    throw error;
  });
  if (!folder.isDirectory()) throw new Error(`${dir} is not a folder`);
  if (!trusted(folder.uid))
    throw new Error(
      `the folder ${dir} is owned by UID ${folder.uid}, not root; refusing it (chown root ${dir})`,
    );
  if ((folder.mode & 0o022) !== 0) {
    const mode = (folder.mode & 0o7777).toString(8).padStart(4, "0");
    throw new Error(
      `the folder ${dir} is writable by group or others (mode ${mode}); refusing it (chmod go-w ${dir})`,
    );
  }
}
