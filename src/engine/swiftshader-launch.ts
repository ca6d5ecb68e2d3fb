/**
 * The launcher's half of `SADDLE_WEBGPU=swiftshader` (src/engine/swiftshader.ts): Vulkan reads its environment
 * when the process starts, so bin/saddle.js re-runs itself once in a child with VK_ICD_FILENAMES and
 * LD_LIBRARY_PATH pointed at Chromium's SwiftShader. Node-only (the lab never imports it).
 */
import { spawn } from "node:child_process";
import {
  findSwiftShader,
  ICD_FILE,
  SWIFTSHADER_DIRS,
  swiftShaderActive,
  swiftShaderEnv,
  WEBGPU_SWITCH,
  WEBGPU_SWITCH_VALUES,
} from "./swiftshader.ts";

/**
 * The launcher's part of `SADDLE_WEBGPU`: returns null when this process should go on (switch unset, or the
 * environment is already set); otherwise runs the same command in a child with the SwiftShader environment and
 * resolves to its exit code (2 with a one-line error when the switch's value is unknown or there is no chromium).
 */
export async function relaunchForSwiftShader(env: NodeJS.ProcessEnv = process.env): Promise<number | null> {
  const value = env[WEBGPU_SWITCH];
  if (value === undefined || value === "") return null;
  if (!WEBGPU_SWITCH_VALUES.includes(value)) {
    process.stderr.write(
      `saddle: ${WEBGPU_SWITCH}: unknown value '${value}'; allowed: ${WEBGPU_SWITCH_VALUES.join(", ")} (or unset)\n`,
    );
    return 2;
  }
  if (swiftShaderActive(env)) return null;
  const ss = findSwiftShader(env);
  if (!ss) {
    process.stderr.write(
      `saddle: ${WEBGPU_SWITCH}=swiftshader: no ${ICD_FILE} with libvulkan.so.1 in ${SWIFTSHADER_DIRS.join(", ")}; ` +
        "install Debian's chromium package, or set SADDLE_SWIFTSHADER_DIR to the folder holding them\n",
    );
    return 2;
  }
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: swiftShaderEnv(ss, env),
    stdio: "inherit",
  });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(code ?? (signal === "SIGINT" ? 130 : 1));
    });
  });
}
