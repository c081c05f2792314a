// Starts Debian's chromium (never a browser that a test tool downloads) for Unrolled's browser tests.
//
//   import { launch } from "../browser/chromium.mjs";
//   const browser = await launch();
//   const page = await browser.newPage();
//
// The flags keep chromium off the network (background networking, component updates, sync) so a test sees only
// the requests its page makes, and --no-sandbox lets it run as root, as CI does.
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";

export const EXECUTABLE = process.env.UNROLLED_CHROMIUM || "/usr/bin/chromium";

export async function launch(options = {}) {
  if (!existsSync(EXECUTABLE)) {
    throw new Error(`launch: expected Debian's chromium at ${EXECUTABLE}, but there is none. ` +
      "Run ./unrolled test as root (it installs the package chromium) or set UNROLLED_CHROMIUM.");
  }
  return chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    ...options,
  });
}
