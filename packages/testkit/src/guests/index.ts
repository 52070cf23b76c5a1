// The guest builders are product code (`layerboom up` and the agent's accelerator probe use them)
// and live in @layerboom/guests; tests keep importing them from here. What only tests need, the
// legacy root filesystem layouts the image pipeline must accept, stays in testkit.
export * from "@layerboom/guests";
export { packXenStyleImage, unpackRootfs } from "./rootfs-images.js";
