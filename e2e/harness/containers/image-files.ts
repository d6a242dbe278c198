import { readdirSync } from "node:fs";
import { join } from "node:path";
import { podman } from "./podman.js";

/** imageFiles lists every file and link in an image, as absolute paths inside it (podman image mount, read-only). */
export async function imageFiles(image: string): Promise<string[]> {
  const root = (await podman(["image", "mount", image])).trim();
  try {
    return (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isDirectory(): boolean }[])
      .filter((entry) => !entry.isDirectory())
      .map((entry) => join(entry.parentPath, entry.name).slice(root.length));
  } finally {
    await podman(["image", "unmount", image]);
  }
}
