/* global URL */
// Module resolve hook for a user's game file (`--game /anywhere/my-game.ts`, src/games/game-file.ts):
// - the file is loaded as an ES module (src/games/game-file.ts marks its URL with `?saddle-game`), whatever
//   package.json is near it, so its `import … from "@jax-js/jax"` is the same ES module instance saddle uses;
// - a bare specifier it imports that is not found from its own folder (a game in /tmp) is resolved from
//   saddle's folder, so the game gets saddle's (patched) jax-js.
const SADDLE_ROOT = new URL("../package.json", import.meta.url).href;
const MARK = "saddle-game";

export async function resolve(specifier, context, next) {
  if (specifier.startsWith("file:") && new URL(specifier).searchParams.has(MARK)) {
    const r = await next(specifier, context);
    return { ...r, format: "module" };
  }
  try {
    return await next(specifier, context);
  } catch (err) {
    const bare = !/^(\.|\/|file:|node:|data:)/.test(specifier);
    if (bare && err?.code === "ERR_MODULE_NOT_FOUND" && context.parentURL !== SADDLE_ROOT) {
      return next(specifier, { ...context, parentURL: SADDLE_ROOT });
    }
    throw err;
  }
}
