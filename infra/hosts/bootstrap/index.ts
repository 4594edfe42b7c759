export * from "./contract.ts";
export * from "./render.ts";
