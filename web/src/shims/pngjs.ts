/**
 * Browser stand-in for `pngjs`: the library reads PNG folders and writes sample grids with it in Node, but
 * pngjs runs Node's `util`, `stream` and `zlib` when it loads, which would stop the lab's bundle from
 * starting. The lab never reads PNG folders or writes grids (the canvas draws samples), so every use throws.
 */
const unavailable = (): never => {
  throw new Error("saddle lab: pngjs (PNG folders, sample grids) is not available in the browser");
};

export class PNG {
  static sync = { read: unavailable, write: unavailable };
  constructor() {
    unavailable();
  }
}

export default { PNG };
