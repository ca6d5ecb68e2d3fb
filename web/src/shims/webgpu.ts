/** Browser stand-in for the `webgpu` npm package (Dawn for Node): the page uses the browser's own WebGPU. */
export const create = (): never => {
  throw new Error("saddle lab: the 'webgpu' npm package is for Node; the page uses navigator.gpu");
};
export const globals = {};
